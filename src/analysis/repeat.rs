//! Repeat contacts: resolved persons with many events in a window, across
//! the three systems; among petitioners, repeat (重复访) and level-skipping
//! (越级访) ones.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::frame::{Frame, Ix};
use crate::domain::Source;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepeatKind {
    /// N or more events of any source.
    Any,
    /// Two or more petitions in the window, or one the petition system
    /// flags as a repeat.
    RepeatPetition,
    /// A petition the petition system flags as skipping a level.
    SkippedLevel,
}

#[derive(Clone, Debug)]
pub struct RepeatParams {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    /// For `RepeatKind::Any`.
    pub min_events: usize,
    pub kind: RepeatKind,
}

#[derive(Clone, Debug)]
pub struct RepeatContact {
    pub person: i64,
    /// Event ids, newest first.
    pub events: Vec<i64>,
    pub sources: Vec<Source>,
    pub petitions: usize,
    pub repeat_petitions: usize,
    pub skipped_level: usize,
    pub first: NaiveDateTime,
    pub last: NaiveDateTime,
}

/// Persons matching `params`, most events first (then by person id).
pub fn repeat_contacts(frame: &Frame, params: &RepeatParams) -> Vec<RepeatContact> {
    let mut by_person: HashMap<i64, Vec<Ix>> = HashMap::new();
    for ix in frame.between(params.from, params.to) {
        for p in frame.persons(ix) {
            by_person.entry(*p).or_default().push(ix);
        }
    }
    let mut out: Vec<RepeatContact> = by_person
        .into_iter()
        .filter_map(|(person, ixs)| {
            let mut sources: Vec<Source> = ixs.iter().map(|i| frame.ev(*i).source).collect();
            sources.sort_unstable();
            sources.dedup();
            let petitions: Vec<_> = ixs
                .iter()
                .map(|i| frame.ev(*i))
                .filter(|e| e.source == Source::Petition)
                .collect();
            let repeat_petitions = petitions.iter().filter(|e| e.repeat_petition).count();
            let skipped_level = petitions.iter().filter(|e| e.skipped_level).count();
            let keep = match params.kind {
                RepeatKind::Any => ixs.len() >= params.min_events,
                RepeatKind::RepeatPetition => petitions.len() >= 2 || repeat_petitions > 0,
                RepeatKind::SkippedLevel => skipped_level > 0,
            };
            if !keep {
                return None;
            }
            let first = ixs.iter().map(|i| frame.ev(*i).at).min()?;
            let last = ixs.iter().map(|i| frame.ev(*i).at).max()?;
            Some(RepeatContact {
                person,
                petitions: petitions.len(),
                repeat_petitions,
                skipped_level,
                events: frame.ids_newest_first(ixs),
                sources,
                first,
                last,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.events
            .len()
            .cmp(&a.events.len())
            .then(a.person.cmp(&b.person))
    });
    out
}
