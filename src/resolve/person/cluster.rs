//! Turning scored pairs into people: greedy agglomeration under hard
//! constraints. Links are taken strongest first; a link is refused when the
//! two groups it would join hold two different valid ID numbers, both
//! sexes, or two names that do not even sound alike (unless the link itself
//! is the same valid ID number). Ties are broken by the mentions' natural
//! keys, so the result depends on the set of mentions only.

use crate::resolve::mention::MentionKey;
use crate::resolve::normalize::name::Sex;
use crate::resolve::normalize::sound::sounds_alike;

/// What the constraints look at for one mention.
pub struct Node<'a> {
    pub key: &'a MentionKey,
    pub strong_id: Option<&'a str>,
    /// A full name and its pinyin.
    pub name: Option<(&'a str, &'a str)>,
    pub sex: Option<Sex>,
}

#[derive(Clone, Copy, Debug)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    pub weight: f64,
    /// The pair shares a valid ID number.
    pub same_id: bool,
}

struct Group<'a> {
    id: Option<&'a str>,
    names: Vec<(&'a str, &'a str)>,
    sexes: u8,
}

/// Two full names that cannot be one name: other characters, another
/// sound, not even with second readings or the local accent.
fn clash(a: (&str, &str), b: (&str, &str)) -> bool {
    a.0 != b.0 && a.1 != b.1 && !sounds_alike(a.0, b.0)
}

fn sex_bit(s: Option<Sex>) -> u8 {
    match s {
        Some(Sex::Male) => 1,
        Some(Sex::Female) => 2,
        None => 0,
    }
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

/// Clusters `nodes` (in key order) along `edges` (all at or above the link
/// threshold). Returns groups of node indices, each sorted, ordered by
/// first member. The edges are reordered in place (strongest first, each
/// from its smaller key): a full rebuild has millions, and a copy or a
/// merge sort's buffer would be the largest allocation of the whole
/// resolution.
pub fn cluster(nodes: &[Node<'_>], edges: &mut [Edge]) -> Vec<Vec<u32>> {
    debug_assert!(nodes.windows(2).all(|w| w[0].key < w[1].key));
    // Nodes are in key order, so indices compare as keys do, without
    // comparing the record ids' text.
    for e in edges.iter_mut() {
        if e.b < e.a {
            std::mem::swap(&mut e.a, &mut e.b);
        }
    }
    // A total order (a pair occurs once), so an unstable sort gives the
    // same sequence as a stable one.
    edges.sort_unstable_by(|x, y| {
        y.weight
            .total_cmp(&x.weight)
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
    let mut parent: Vec<u32> = (0..nodes.len() as u32).collect();
    let mut groups: Vec<Group<'_>> = nodes
        .iter()
        .map(|n| Group {
            id: n.strong_id,
            names: n.name.into_iter().collect(),
            sexes: sex_bit(n.sex),
        })
        .collect();
    for e in edges.iter() {
        let (ra, rb) = (find(&mut parent, e.a), find(&mut parent, e.b));
        if ra == rb {
            continue;
        }
        let (ga, gb) = (&groups[ra as usize], &groups[rb as usize]);
        if let (Some(x), Some(y)) = (ga.id, gb.id)
            && x != y
        {
            continue;
        }
        if ga.sexes | gb.sexes == 3 {
            continue;
        }
        let names_clash = ga
            .names
            .iter()
            .any(|a| gb.names.iter().any(|b| clash(*a, *b)));
        if names_clash && !e.same_id {
            continue;
        }
        // Keep the root with the smaller index so the state moves one way.
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        let moved = std::mem::replace(
            &mut groups[gone as usize],
            Group {
                id: None,
                names: Vec::new(),
                sexes: 0,
            },
        );
        let g = &mut groups[keep as usize];
        g.id = g.id.or(moved.id);
        g.sexes |= moved.sexes;
        for n in moved.names {
            if !g.names.contains(&n) {
                g.names.push(n);
            }
        }
        parent[gone as usize] = keep;
    }
    let mut by_root: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
    for i in 0..nodes.len() as u32 {
        let r = find(&mut parent, i);
        by_root.entry(r).or_default().push(i);
    }
    // Members were pushed in index order, so each group is sorted, and
    // groups come out of the map by root; order them by first member.
    let mut out: Vec<Vec<u32>> = by_root.into_values().collect();
    out.sort_unstable_by_key(|g| g[0]);
    out
}
