//! Collective matters: petitions with many petitioners (集体访), and groups
//! of different persons raising one dispute about one place across systems
//! — unpaid wages at a building site, a compound's property certificates.
//!
//! A cluster is the events in [from, to) of one theme (`themes`) at one
//! site (or, where the place has no site, its community) that name at
//! least `min_persons` different resolved persons (each listed petitioner
//! counts) and come from at least `min_sources` systems.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;

use super::frame::{Frame, Ix, Level};
use crate::domain::Source;

#[derive(Clone, Debug)]
pub struct CollectiveParams {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    /// Petitions with at least this many petitioners (信访人数).
    pub min_petitioners: i64,
    pub min_persons: usize,
    pub min_sources: usize,
}

impl CollectiveParams {
    pub fn new(from: NaiveDateTime, to: NaiveDateTime) -> CollectiveParams {
        CollectiveParams {
            from,
            to,
            min_petitioners: 5,
            min_persons: 4,
            min_sources: 2,
        }
    }
}

/// Petitions in [from, to) with at least `min_petitioners`, most
/// petitioners first: (event id, petitioners).
pub fn collective_petitions(frame: &Frame, params: &CollectiveParams) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64, NaiveDateTime)> = frame
        .between(params.from, params.to)
        .map(|ix| frame.ev(ix))
        .filter(|e| e.source == Source::Petition)
        .filter_map(|e| {
            let n = e.petitioners?;
            (n >= params.min_petitioners).then_some((e.id, n, e.at))
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    out.into_iter().map(|(id, n, _)| (id, n)).collect()
}

#[derive(Clone, Debug)]
pub struct Cluster {
    pub theme: String,
    pub place: i64,
    pub level: Level,
    pub persons: Vec<i64>,
    pub sources: Vec<Source>,
    /// Newest first.
    pub events: Vec<i64>,
    pub first: NaiveDateTime,
    pub last: NaiveDateTime,
}

pub fn clusters(frame: &Frame, params: &CollectiveParams) -> Vec<Cluster> {
    let mut groups: BTreeMap<(u8, Level, i64), Vec<Ix>> = BTreeMap::new();
    for (i, e) in frame.events.iter().enumerate() {
        let Some(theme) = e.theme else { continue };
        if e.at >= params.to || e.at < params.from {
            continue;
        }
        let place = match (e.area(Level::Site), e.area(Level::Community)) {
            (Some(s), _) => (Level::Site, s),
            (None, Some(c)) => (Level::Community, c),
            (None, None) => continue,
        };
        groups
            .entry((theme, place.0, place.1))
            .or_default()
            .push(i as Ix);
    }
    let mut out = Vec::new();
    for ((theme, level, place), ixs) in groups {
        let persons: BTreeSet<i64> = ixs
            .iter()
            .flat_map(|ix| frame.persons(*ix).iter().copied())
            .collect();
        let sources: BTreeSet<Source> = ixs.iter().map(|ix| frame.ev(*ix).source).collect();
        if persons.len() < params.min_persons || sources.len() < params.min_sources {
            continue;
        }
        let Some(first) = ixs.iter().map(|ix| frame.ev(*ix).at).min() else {
            continue;
        };
        let last = ixs.iter().map(|ix| frame.ev(*ix).at).max().unwrap_or(first);
        out.push(Cluster {
            theme: frame.themes.name(theme).to_string(),
            place,
            level,
            persons: persons.into_iter().collect(),
            sources: sources.into_iter().collect(),
            events: frame.ids_newest_first(ixs),
            first,
            last,
        });
    }
    out.sort_by(|a, b| {
        b.persons
            .len()
            .cmp(&a.persons.len())
            .then(b.last.cmp(&a.last))
            .then(a.place.cmp(&b.place))
    });
    out
}
