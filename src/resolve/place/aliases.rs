//! Site aliases: a compound's name and its door number are one site once a
//! mention gives both (华夏南路108号建业小区). Counted per pair so that a
//! revised record can take its evidence back.

use std::collections::{BTreeMap, HashMap};

/// One step of why two site keys are one site.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AliasStep {
    pub from: String,
    pub to: String,
    /// Records naming both; None when joined by where alarms were called from.
    pub records: Option<u32>,
}

#[derive(Default)]
pub struct Aliases {
    pairs: BTreeMap<(String, String), u32>,
    /// Pairs inferred from elsewhere (coordinates), replaced wholesale.
    derived: std::collections::BTreeSet<(String, String)>,
    rep: HashMap<String, String>,
}

impl Aliases {
    /// Records (or withdraws) that these raw site keys name one site.
    /// Returns true when the pair appeared or disappeared.
    pub fn note(&mut self, keys: &[super::keys::Key], add: bool) -> bool {
        let mut changed = false;
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                let pair = if a < b {
                    (a.to_string(), b.to_string())
                } else {
                    (b.to_string(), a.to_string())
                };
                let n = self.pairs.entry(pair.clone()).or_insert(0);
                if add {
                    *n += 1;
                    changed |= *n == 1;
                } else {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        self.pairs.remove(&pair);
                        changed = true;
                    }
                }
            }
        }
        changed
    }

    /// Replaces the inferred pairs; true when they changed.
    pub fn set_derived(&mut self, pairs: std::collections::BTreeSet<(String, String)>) -> bool {
        let changed = pairs != self.derived;
        self.derived = pairs;
        changed
    }

    /// Keys with a text alias of the other kind (a name with a door
    /// number, or a door number with a name).
    pub fn text_partnered(&self) -> std::collections::HashSet<&str> {
        self.pairs
            .keys()
            .filter(|(a, b)| a.starts_with("S#:") != b.starts_with("S#:"))
            .flat_map(|(a, b)| [a.as_str(), b.as_str()])
            .collect()
    }

    /// Recomputes every class; returns the raw keys whose representative
    /// changed. The representative is the smallest key of its class, so it
    /// depends on the set of pairs only.
    pub fn recompute(&mut self) -> Vec<String> {
        let mut parent: HashMap<&str, &str> = HashMap::new();
        fn find<'a>(p: &mut HashMap<&'a str, &'a str>, x: &'a str) -> &'a str {
            let mut r = x;
            while let Some(&n) = p.get(r) {
                if n == r {
                    break;
                }
                r = n;
            }
            r
        }
        for (a, b) in self.pairs.keys().chain(self.derived.iter()) {
            parent.entry(a).or_insert(a);
            parent.entry(b).or_insert(b);
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
                parent.insert(hi, lo);
            }
        }
        let mut rep: HashMap<String, String> = HashMap::new();
        let keys: Vec<&str> = parent.keys().copied().collect();
        for k in keys {
            let r = find(&mut parent, k);
            if r != k {
                rep.insert(k.to_string(), r.to_string());
            }
        }
        let mut changed: Vec<String> = self
            .rep
            .iter()
            .filter(|(k, v)| rep.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .chain(
                rep.iter()
                    .filter(|(k, v)| self.rep.get(*k) != Some(*v))
                    .map(|(k, _)| k.clone()),
            )
            .collect();
        changed.sort();
        changed.dedup();
        self.rep = rep;
        changed
    }

    /// How two raw site keys came to be one site: the chain of alias
    /// pairs between them, each with its evidence. Empty when they are the
    /// same key or not joined.
    pub fn why(&self, from: &str, to: &str) -> Vec<AliasStep> {
        if from == to {
            return Vec::new();
        }
        let edges: Vec<(&str, &str, Option<u32>)> = self
            .pairs
            .iter()
            .map(|((a, b), n)| (a.as_str(), b.as_str(), Some(*n)))
            .chain(
                self.derived
                    .iter()
                    .map(|(a, b)| (a.as_str(), b.as_str(), None)),
            )
            .collect();
        // Breadth-first over the (small) alias graph.
        let mut back: HashMap<&str, (&str, Option<u32>)> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([from]);
        while let Some(x) = queue.pop_front() {
            if x == to {
                break;
            }
            for (a, b, n) in &edges {
                let next = if *a == x {
                    *b
                } else if *b == x {
                    *a
                } else {
                    continue;
                };
                if next != from && !back.contains_key(next) {
                    back.insert(next, (x, *n));
                    queue.push_back(next);
                }
            }
        }
        let mut steps = Vec::new();
        let mut cur = to;
        while let Some((prev, n)) = back.get(cur) {
            steps.push(AliasStep {
                from: prev.to_string(),
                to: cur.to_string(),
                records: *n,
            });
            cur = prev;
        }
        if cur != from {
            return Vec::new();
        }
        steps.reverse();
        steps
    }

    /// Representative → the other raw keys of its class.
    pub fn classes(&self) -> HashMap<&str, Vec<&str>> {
        let mut out: HashMap<&str, Vec<&str>> = HashMap::new();
        for (raw, rep) in &self.rep {
            out.entry(rep.as_str()).or_default().push(raw.as_str());
        }
        out
    }

    pub fn rep(&self, key: &str) -> String {
        self.rep
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_and_a_door_number_become_one_site_and_part_again() {
        let mut a = Aliases::default();
        let keys: Vec<super::super::keys::Key> =
            vec!["S:建业小区".into(), "S#:华夏南路|108".into()];
        assert!(a.note(&keys, true));
        let changed = a.recompute();
        assert_eq!(changed, vec!["S:建业小区".to_string()]);
        assert_eq!(a.rep("S:建业小区"), "S#:华夏南路|108");
        assert_eq!(
            a.why("S:建业小区", "S#:华夏南路|108"),
            vec![AliasStep {
                from: "S:建业小区".into(),
                to: "S#:华夏南路|108".into(),
                records: Some(1)
            }]
        );
        assert!(!a.note(&keys, true));
        a.note(&keys, false);
        assert!(a.note(&keys, false));
        assert_eq!(a.recompute(), vec!["S:建业小区".to_string()]);
        assert_eq!(a.rep("S:建业小区"), "S:建业小区");
    }
}
