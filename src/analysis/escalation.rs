//! Escalation chains, the 民转刑 early warning: a dispute that moves from
//! the 12345 hotline to a 110 alarm to a petition.
//!
//! A chain is two or three events of one dispute theme (`themes`) in
//! system order — hotline before alarm before petition, any two of the
//! three — whose first and last are at most `window` apart, all naming the
//! same resolved person or the same household (room). Chains found through
//! a person and through a household that share an event are one chain.
//!
//! Risk, 0–100, adds four parts:
//! * reach (40): hotline → alarm 25, hotline → petition 30, alarm →
//!   petition 35, all three 40 — the further from a phone call, the worse;
//! * speed (20): 20 × (1 − span / window) — a quarrel that reaches the
//!   police in a day is more urgent than one that took a month;
//! * volume (20): 20 × min(n, 6) / 6, n = events of the theme for the same
//!   person or household from `window` before the first step to the last;
//! * unresolved (20): 20 × the share of the steps not finished.
//!
//! High is 70 or more, medium 45 or more.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDateTime};

use super::frame::{Frame, Ix};
use crate::domain::Source;

#[derive(Clone, Debug)]
pub struct EscalationParams {
    /// Chains whose last step falls in [from, to).
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub window: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Risk {
    Low,
    Medium,
    High,
}

#[derive(Clone, Debug)]
pub struct Escalation {
    pub theme: String,
    /// The steps, oldest first: one event per system reached.
    pub steps: Vec<i64>,
    pub sources: Vec<Source>,
    /// Every event of the theme for the same persons or household, newest
    /// first (the steps included).
    pub events: Vec<i64>,
    pub persons: Vec<i64>,
    pub household: Option<i64>,
    pub first: NaiveDateTime,
    pub last: NaiveDateTime,
    pub score: f64,
    pub risk: Risk,
}

fn stage(s: Source) -> u8 {
    match s {
        Source::Hotline => 0,
        Source::Alarm => 1,
        Source::Petition => 2,
    }
}

#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Person(i64),
    Household(i64),
}

/// The best chain among time-ordered events of one key and theme: most
/// systems reached, then shortest span, then earliest. Returns the steps.
fn best_chain(frame: &Frame, evs: &[Ix], window: Duration) -> Option<Vec<Ix>> {
    let mut best: Option<(usize, Duration, Vec<Ix>)> = None;
    for (i, &first) in evs.iter().enumerate() {
        let e0 = frame.ev(first);
        let mut chain = vec![first];
        let mut at_stage = stage(e0.source);
        for &next in &evs[i + 1..] {
            let e = frame.ev(next);
            if e.at - e0.at > window {
                break;
            }
            if stage(e.source) > at_stage {
                at_stage = stage(e.source);
                chain.push(next);
            }
        }
        if chain.len() < 2 {
            continue;
        }
        let span = frame.ev(*chain.last()?).at - e0.at;
        let better = match &best {
            None => true,
            Some((n, s, _)) => chain.len() > *n || (chain.len() == *n && span < *s),
        };
        if better {
            best = Some((chain.len(), span, chain));
        }
    }
    best.map(|b| b.2)
}

/// Chains of every person and household, merged where they share a step.
pub fn escalations(frame: &Frame, params: &EscalationParams) -> Vec<Escalation> {
    // Events of a theme per key, in time order.
    let mut groups: BTreeMap<(Key, u8), Vec<Ix>> = BTreeMap::new();
    for (i, e) in frame.events.iter().enumerate() {
        let Some(theme) = e.theme else { continue };
        if e.at >= params.to {
            continue;
        }
        for p in frame.persons(i as Ix) {
            groups
                .entry((Key::Person(*p), theme))
                .or_default()
                .push(i as Ix);
        }
        if let Some(h) = e.household {
            groups
                .entry((Key::Household(h), theme))
                .or_default()
                .push(i as Ix);
        }
    }
    // Found chains: (theme, steps, keys), merged by shared steps.
    let mut found: Vec<(u8, Vec<Ix>, Vec<Key>)> = Vec::new();
    let mut owner: HashMap<Ix, usize> = HashMap::new();
    for evs in groups.values_mut() {
        evs.sort_by_key(|ix| (frame.ev(*ix).at, frame.ev(*ix).id));
        evs.dedup();
    }
    for (&(key, theme), evs) in &groups {
        // Later chains of the same key: search again after the last one.
        let mut rest: &[Ix] = evs;
        while let Some(steps) = best_chain(frame, rest, params.window) {
            let last = *steps.last().expect("two steps");
            let pos = rest.iter().position(|x| *x == last).expect("in rest");
            rest = &rest[pos + 1..];
            let last_at = frame.ev(last).at;
            if last_at < params.from || last_at >= params.to {
                continue;
            }
            match steps.iter().find_map(|s| owner.get(s).copied()) {
                Some(k) => {
                    let f = &mut found[k];
                    for s in &steps {
                        if !f.1.contains(s) {
                            f.1.push(*s);
                        }
                        owner.insert(*s, k);
                    }
                    if !f.2.contains(&key) {
                        f.2.push(key);
                    }
                }
                None => {
                    for s in &steps {
                        owner.insert(*s, found.len());
                    }
                    found.push((theme, steps, vec![key]));
                }
            }
        }
    }
    let mut out: Vec<Escalation> = found
        .into_iter()
        .map(|(theme, steps, keys)| describe(frame, &groups, theme, steps, keys, params.window))
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.last.cmp(&a.last))
            .then(a.steps.cmp(&b.steps))
    });
    out
}

fn describe(
    frame: &Frame,
    groups: &BTreeMap<(Key, u8), Vec<Ix>>,
    theme: u8,
    mut steps: Vec<Ix>,
    keys: Vec<Key>,
    window: Duration,
) -> Escalation {
    steps.sort_by_key(|ix| (frame.ev(*ix).at, frame.ev(*ix).id));
    // Chains merged through a shared step (co-petitioners, a household and
    // its members) may hold two events of one system or steps out of
    // order: the steps are the best chain among them, the rest count as
    // related events.
    if let Some(best) = best_chain(frame, &steps, window) {
        steps = best;
    }
    let first = frame.ev(steps[0]).at;
    let last = frame.ev(*steps.last().expect("steps")).at;
    let persons: Vec<i64> = {
        let mut p: Vec<i64> = keys
            .iter()
            .filter_map(|k| match k {
                Key::Person(p) => Some(*p),
                Key::Household(_) => None,
            })
            .collect();
        p.sort_unstable();
        p
    };
    let household = keys.iter().find_map(|k| match k {
        Key::Household(h) => Some(*h),
        Key::Person(_) => None,
    });
    let mut related: Vec<Ix> = keys
        .iter()
        .filter_map(|k| groups.get(&(*k, theme)))
        .flatten()
        .copied()
        .filter(|ix| {
            let at = frame.ev(*ix).at;
            at >= first - window && at <= last
        })
        .collect();
    related.sort_unstable();
    related.dedup();
    let sources: Vec<Source> = steps.iter().map(|s| frame.ev(*s).source).collect();
    let reach = match (sources.first(), sources.last(), sources.len()) {
        (_, _, 3) => 40.0,
        (Some(Source::Alarm), Some(Source::Petition), _) => 35.0,
        (Some(Source::Hotline), Some(Source::Petition), _) => 30.0,
        _ => 25.0,
    };
    let span = (last - first).num_seconds() as f64;
    let speed = 20.0 * (1.0 - span / window.num_seconds().max(1) as f64).clamp(0.0, 1.0);
    let volume = 20.0 * related.len().min(6) as f64 / 6.0;
    let open = steps
        .iter()
        .filter(|s| !frame.ev(**s).is_finished())
        .count();
    let unresolved = 20.0 * open as f64 / steps.len() as f64;
    let score = ((reach + speed + volume + unresolved) * 10.0).round() / 10.0;
    let risk = if score >= 70.0 {
        Risk::High
    } else if score >= 45.0 {
        Risk::Medium
    } else {
        Risk::Low
    };
    Escalation {
        theme: frame.themes.name(theme).to_string(),
        steps: steps.iter().map(|s| frame.ev(*s).id).collect(),
        sources,
        events: frame.ids_newest_first(related),
        persons,
        household,
        first,
        last,
        score,
        risk,
    }
}
