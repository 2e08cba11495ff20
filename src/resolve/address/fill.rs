//! Choosing among candidate divisions and filling the levels the text left
//! out (street → district → city → province, community → street through the
//! local list). A level is filled only when every remaining candidate agrees
//! on it, so an ambiguous name (one of the 88 城关镇) fills nothing.

use super::AddressLevel;
use super::divisions::Token;
use super::gazetteer::{Gazetteer, NodeId};

/// The division levels of a path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Divisions {
    pub province: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub street: Option<String>,
    pub community: Option<String>,
    /// Tokens named under a division they do not belong to.
    pub contradictions: usize,
}

impl Divisions {
    fn slot(&mut self, level: AddressLevel) -> Option<&mut Option<String>> {
        match level {
            AddressLevel::Province => Some(&mut self.province),
            AddressLevel::City => Some(&mut self.city),
            AddressLevel::District => Some(&mut self.district),
            AddressLevel::Street => Some(&mut self.street),
            AddressLevel::Community => Some(&mut self.community),
            _ => None,
        }
    }
}

const DIVISION_LEVELS: [AddressLevel; 5] = [
    AddressLevel::Province,
    AddressLevel::City,
    AddressLevel::District,
    AddressLevel::Street,
    AddressLevel::Community,
];

/// Narrows the candidates of a chain of tokens and fills the division
/// levels; None when a short name stays ambiguous (the reading is then not
/// one the text supports).
pub(crate) fn resolve(g: &Gazetteer, tokens: &mut [Token]) -> Option<Divisions> {
    narrow_up(g, tokens);
    // Prefer the home city only where the text itself does not decide.
    for t in tokens.iter_mut() {
        if t.cands.len() > 1 && t.cands.iter().any(|&c| g.in_home_city(c)) {
            t.cands.retain(|&c| g.in_home_city(c));
        }
    }
    narrow_down(g, tokens);
    narrow_up(g, tokens);
    for (i, t) in tokens.iter().enumerate() {
        let next_known = tokens.get(i + 1).is_some_and(|n| !n.cands.is_empty());
        let one_name = t
            .cands
            .windows(2)
            .all(|w| g.node(w[0]).name == g.node(w[1]).name);
        if t.short && !(t.cands.len() == 1 || (next_known && one_name)) {
            return None;
        }
        // With a home city, a short name alone elsewhere (东方东苑, 金山东苑)
        // is more likely the start of a local name than a far-away division.
        let far = !t
            .cands
            .iter()
            .any(|&c| g.in_home_city(c) || g.contains_home_city(c));
        if t.short && g.home_city().is_some() && !next_known && far {
            return None;
        }
    }
    let mut d = Divisions {
        contradictions: tokens.iter().filter(|t| t.contradicts).count(),
        ..Divisions::default()
    };
    for t in tokens.iter() {
        let name = match t.cands.first() {
            Some(&c) if t.level == AddressLevel::Community => {
                super::names::community_key(&g.node(c).name)
            }
            Some(&c) => g.node(c).name.clone(),
            None => t.label.clone(),
        };
        if let Some(slot) = d.slot(t.level) {
            slot.get_or_insert(name);
        }
    }
    for t in tokens.iter().filter(|t| !t.cands.is_empty()) {
        for level in DIVISION_LEVELS.into_iter().filter(|&l| l < t.level) {
            if let Some(id) = agreed_ancestor(g, &t.cands, level)
                && let Some(slot) = d.slot(level)
                && slot.is_none()
            {
                *slot = Some(g.node(id).name.clone());
            }
        }
    }
    Some(d)
}

/// Keeps parent candidates that have a child candidate below them.
fn narrow_up(g: &Gazetteer, tokens: &mut [Token]) {
    for i in (1..tokens.len()).rev() {
        let (head, tail) = tokens.split_at_mut(i);
        let child = &tail[0].cands;
        let parent = &mut head[i - 1].cands;
        if !child.is_empty() {
            let kept: Vec<NodeId> = parent
                .iter()
                .copied()
                .filter(|&p| child.iter().any(|&c| g.is_under(c, p)))
                .collect();
            if !kept.is_empty() {
                *parent = kept;
            }
        }
    }
}

/// Keeps child candidates below a parent candidate.
fn narrow_down(g: &Gazetteer, tokens: &mut [Token]) {
    for i in 1..tokens.len() {
        let (head, tail) = tokens.split_at_mut(i);
        let parent = &head[i - 1].cands;
        let child = &mut tail[0].cands;
        if !parent.is_empty() {
            let kept: Vec<NodeId> = child
                .iter()
                .copied()
                .filter(|&c| parent.iter().any(|&p| g.is_under(c, p)))
                .collect();
            if !kept.is_empty() {
                *child = kept;
            }
        }
    }
}

fn agreed_ancestor(g: &Gazetteer, cands: &[NodeId], level: AddressLevel) -> Option<NodeId> {
    let mut ids = cands.iter().map(|&c| g.ancestor_at(c, level));
    let first = ids.next()??;
    ids.all(|a| a == Some(first)).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(g: &Gazetteer, label: &str, level: AddressLevel, codes: &[&str]) -> Token {
        Token {
            label: label.into(),
            level,
            cands: codes.iter().map(|c| g.id_of(c).unwrap()).collect(),
            short: false,
            contradicts: false,
        }
    }

    #[test]
    fn fills_upper_levels_from_a_street() {
        let g = Gazetteer::national();
        let mut t = [token(g, "钜桥镇", AddressLevel::Street, &["410611101"])];
        let d = resolve(g, &mut t).unwrap();
        assert_eq!(d.district.as_deref(), Some("淇滨区"));
        assert_eq!(d.city.as_deref(), Some("鹤壁市"));
        assert_eq!(d.province.as_deref(), Some("河南省"));
        assert_eq!(d.street.as_deref(), Some("钜桥镇"));
    }

    #[test]
    fn fills_only_what_all_candidates_agree_on() {
        let g = Gazetteer::national();
        // Two districts of Henan: the province is certain, the city is not.
        let mut t = [token(g, "x", AddressLevel::District, &["410611", "410102"])];
        let d = resolve(g, &mut t).unwrap();
        assert_eq!(d.province.as_deref(), Some("河南省"));
        assert_eq!(d.city, None);
    }

    #[test]
    fn ambiguous_short_names_are_rejected() {
        let g = Gazetteer::national();
        let mut t = [Token {
            short: true,
            ..token(g, "鹤山", AddressLevel::District, &["410602", "440784"])
        }];
        assert_eq!(resolve(g, &mut t), None);
        let home = g.clone().with_home_city("4106").unwrap();
        let mut t = [Token {
            short: true,
            ..token(&home, "鹤山", AddressLevel::District, &["410602", "440784"])
        }];
        let d = resolve(&home, &mut t).unwrap();
        assert_eq!(d.district.as_deref(), Some("鹤山区"));
        assert_eq!(d.city.as_deref(), Some("鹤壁市"));
    }
}
