//! Reading the divisions written at the start of an address (河南省鹤壁市淇滨区
//! 九州路街道华夏社区, 鹤壁淇滨, or none). Every segmentation into known full
//! names, short names and suffix-recognised street offices is listed; the
//! parser keeps the one whose remaining text parses best.

use super::AddressLevel;
use super::gazetteer::{Gazetteer, NodeId};
use super::vocab;

/// One division named in the text.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    /// The text as written (normalised); for a community found by suffix,
    /// its normalised name (华夏居委会 → 华夏社区).
    pub label: String,
    pub level: AddressLevel,
    /// Gazetteer divisions it may be; empty when unknown or contradicting.
    pub cands: Vec<NodeId>,
    pub short: bool,
    /// Known, but not under the division named before it.
    pub contradicts: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Reading {
    pub tokens: Vec<Token>,
    /// Byte offset where the divisions end.
    pub end: usize,
}

/// Enough for the longest real prefix (five levels with a few alternatives
/// each); the cap only guards against pathological text.
const MAX_READINGS: usize = 64;

/// All readings of the division prefix of `text`, including the empty one.
pub(crate) fn readings(g: &Gazetteer, text: &str) -> Vec<Reading> {
    let mut out = Vec::new();
    walk(g, text, 0, &mut Vec::new(), &mut out);
    out
}

fn walk(g: &Gazetteer, text: &str, pos: usize, chain: &mut Vec<Token>, out: &mut Vec<Reading>) {
    out.push(Reading {
        tokens: chain.clone(),
        end: pos,
    });
    // 鹤壁市淇滨区淇滨区…: a division written twice is read once.
    if let Some(last) = chain.last()
        && text[pos..].starts_with(&last.label)
        && out.len() < MAX_READINGS
    {
        let skip = last.label.len();
        walk(g, text, pos + skip, chain, out);
    }
    for (len, token) in matches_at(g, &text[pos..], chain.last()) {
        if out.len() >= MAX_READINGS {
            return;
        }
        chain.push(token);
        walk(g, text, pos + len, chain, out);
        chain.pop();
    }
}

/// Divisions that may start `s`, finer than `prev`, with their byte lengths.
fn matches_at(g: &Gazetteer, s: &str, prev: Option<&Token>) -> Vec<(usize, Token)> {
    let mut found = Vec::new();
    for (len, ids) in g.full_prefixes(s) {
        if let Some(t) = full_token(g, &s[..len], ids, prev) {
            found.push((len, t));
        }
    }
    for (len, ids) in g.short_prefixes(s) {
        // 淇滨大道, 鹤山街, 山城路: the short name starts a longer name.
        if vocab::starts_with_kind_suffix(&s[len..]) {
            continue;
        }
        if let Some(t) = short_token(g, &s[..len], ids, prev) {
            found.push((len, t));
        }
    }
    if let Some((len, t)) = suffix_street(s, prev)
        && !found.iter().any(|(l, _)| *l == len)
    {
        found.push((len, t));
    }
    found
}

fn finer_than(g: &Gazetteer, ids: &[NodeId], prev: Option<&Token>) -> Vec<NodeId> {
    ids.iter()
        .copied()
        .filter(|&id| prev.is_none_or(|p| g.node(id).level > p.level))
        .collect()
}

fn under_prev(g: &Gazetteer, ids: &[NodeId], prev: Option<&Token>) -> Vec<NodeId> {
    match prev {
        Some(p) if !p.cands.is_empty() => ids
            .iter()
            .copied()
            .filter(|&id| p.cands.iter().any(|&a| g.is_under(id, a)))
            .collect(),
        _ => ids.to_vec(),
    }
}

/// Keeps the coarsest level among candidates (东莞市 is a city before it is
/// anything else) and returns it.
fn coarsest(g: &Gazetteer, ids: &mut Vec<NodeId>) -> Option<AddressLevel> {
    let level = ids.iter().map(|&id| g.node(id).level).min()?;
    ids.retain(|&id| g.node(id).level == level);
    Some(level)
}

fn full_token(g: &Gazetteer, text: &str, ids: &[NodeId], prev: Option<&Token>) -> Option<Token> {
    let mut finer = finer_than(g, ids, prev);
    let mut cands = under_prev(g, &finer, prev);
    let contradicts = cands.is_empty();
    let level = if contradicts {
        coarsest(g, &mut finer)?
    } else {
        coarsest(g, &mut cands)?
    };
    // Generic names (城区, 开发区, 农场) are divisions only in context, and a
    // parent they do not belong to is no context.
    let context = !contradicts && (prev.is_some() || cands.iter().any(|&id| g.in_home_city(id)));
    if !context && !standalone(text, level) {
        return None;
    }
    Some(Token {
        label: text.to_string(),
        level,
        cands,
        short: false,
        contradicts,
    })
}

fn standalone(name: &str, level: AddressLevel) -> bool {
    let chars = name.chars().count();
    match level {
        AddressLevel::Street => {
            chars >= 3
                && ["街道", "镇", "乡", "苏木"]
                    .iter()
                    .any(|s| name.ends_with(s))
        }
        AddressLevel::Community => true,
        _ => chars >= 3 || name.ends_with(['县', '市']),
    }
}

fn short_token(g: &Gazetteer, text: &str, ids: &[NodeId], prev: Option<&Token>) -> Option<Token> {
    let mut cands = under_prev(g, &finer_than(g, ids, prev), prev);
    let level = coarsest(g, &mut cands)?;
    Some(Token {
        label: text.to_string(),
        level,
        cands,
        short: true,
        contradicts: false,
    })
}

/// The token of a community found by its suffix below the prefix, looked up
/// in the local list under the division before it.
pub(crate) fn community_token(g: &Gazetteer, name: &str, prev: Option<&Token>) -> Token {
    let known = g.communities(name);
    let cands = under_prev(g, &known, prev);
    Token {
        label: name.to_string(),
        level: AddressLevel::Community,
        contradicts: cands.is_empty() && !known.is_empty(),
        cands,
        short: false,
    }
}

/// A street office missing from the gazetteer, known by its suffix: any
/// …街道, and …镇/…乡 right after a city or district.
fn suffix_street(s: &str, prev: Option<&Token>) -> Option<(usize, Token)> {
    if prev.is_some_and(|p| p.level >= AddressLevel::Street) {
        return None;
    }
    let after_division = prev.is_some_and(|p| p.level >= AddressLevel::City);
    let mut end = None;
    for (chars, (i, c)) in s.char_indices().enumerate() {
        if chars > 8 || c.is_ascii_digit() || c == '#' || c == '-' {
            break;
        }
        let name = &s[..i];
        if chars >= 2 && s[i..].starts_with("街道") {
            end = Some(i + "街道".len());
        } else if after_division && (2..=4).contains(&chars) && matches!(c, '镇' | '乡') {
            end = Some(i + c.len_utf8());
        }
        if end.is_some() {
            // 建业小区街道口 is not an office; 山城区九州路街道 is two divisions.
            if vocab::site_suffix(name).is_some()
                || name.contains("社区")
                || name.contains(['省', '市', '区', '县', '镇', '乡', '村'])
            {
                return None;
            }
            break;
        }
    }
    let end = end?;
    Some((
        end,
        Token {
            label: s[..end].to_string(),
            level: AddressLevel::Street,
            cands: Vec::new(),
            short: false,
            contradicts: false,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(g: &Gazetteer, text: &str) -> Vec<Vec<String>> {
        readings(g, text)
            .into_iter()
            .map(|r| r.tokens.into_iter().map(|t| t.label).collect())
            .collect()
    }

    #[test]
    fn full_and_short_readings_are_listed() {
        let g = Gazetteer::national();
        let all = labels(g, "鹤壁淇滨建业小区");
        assert!(
            all.contains(&vec!["鹤壁".to_string(), "淇滨".to_string()]),
            "{all:?}"
        );
        assert!(all.contains(&vec![]));
        let all = labels(g, "河南省鹤壁市淇滨区九州路街道");
        assert!(
            all.contains(
                &["河南省", "鹤壁市", "淇滨区", "九州路街道"]
                    .map(String::from)
                    .to_vec()
            )
        );
    }

    #[test]
    fn short_names_do_not_eat_road_names() {
        let g = Gazetteer::national();
        for road in ["淇滨大道", "鹤山街", "山城路108号"] {
            assert_eq!(labels(g, road), vec![Vec::<String>::new()], "{road}");
        }
        let all = labels(g, "鹤山街街道");
        assert!(all.contains(&vec!["鹤山街街道".to_string()]));
        assert!(!all.iter().any(|r| r.contains(&"鹤山".to_string())));
    }

    #[test]
    fn unknown_street_offices_by_suffix() {
        let g = Gazetteer::national();
        let all = labels(g, "淇滨区渠河路街道华夏社区");
        assert!(
            all.contains(&vec!["淇滨区".to_string(), "渠河路街道".to_string()]),
            "{all:?}"
        );
        assert_eq!(labels(g, "建业小区街道口"), vec![Vec::<String>::new()]);
        assert!(!labels(g, "山城区九州路街道").contains(&vec!["山城区九州路街道".to_string()]));
    }

    #[test]
    fn generic_names_need_context() {
        let g = Gazetteer::national();
        assert_eq!(labels(g, "城区建设路"), vec![Vec::<String>::new()]);
        assert!(labels(g, "浚县建设路").contains(&vec!["浚县".to_string()]));
    }
}
