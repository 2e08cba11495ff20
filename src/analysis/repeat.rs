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

/// One person's events in a window, counted.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub events: usize,
    pub petitions: usize,
    pub repeat: usize,
    pub skipped: usize,
    /// Bit `Source as u8` set when the person appears in that system.
    pub systems: u8,
}

impl Tally {
    pub fn is(&self, kind: RepeatKind, min_events: usize) -> bool {
        match kind {
            RepeatKind::Any => self.events >= min_events,
            RepeatKind::RepeatPetition => self.petitions >= 2 || self.repeat > 0,
            RepeatKind::SkippedLevel => self.skipped > 0,
        }
    }

    pub fn sources(&self) -> Vec<Source> {
        Source::ALL
            .iter()
            .copied()
            .filter(|s| self.systems & (1 << *s as u8) != 0)
            .collect()
    }
}

/// Every person named in [from, to), counted.
pub fn tallies(frame: &Frame, from: NaiveDateTime, to: NaiveDateTime) -> HashMap<i64, Tally> {
    let mut tally: HashMap<i64, Tally> = HashMap::new();
    for ix in frame.between(from, to) {
        let e = frame.ev(ix);
        for p in frame.persons(ix) {
            let t = tally.entry(*p).or_default();
            t.events += 1;
            t.systems |= 1 << e.source as u8;
            if e.source == Source::Petition {
                t.petitions += 1;
                t.repeat += e.repeat_petition as usize;
                t.skipped += e.skipped_level as usize;
            }
        }
    }
    tally
}

/// Persons matching `params`, most events first (then by person id).
pub fn repeat_contacts(frame: &Frame, params: &RepeatParams) -> Vec<RepeatContact> {
    // Count first, gather events only for the persons kept: a month of a
    // county names hundreds of thousands of persons, few of them often.
    let mut tally = tallies(frame, params.from, params.to);
    tally.retain(|_, t| t.is(params.kind, params.min_events));
    let mut events: HashMap<i64, Vec<Ix>> = HashMap::new();
    for ix in frame.between(params.from, params.to) {
        for p in frame.persons(ix) {
            if tally.contains_key(p) {
                events.entry(*p).or_default().push(ix);
            }
        }
    }
    let mut out: Vec<RepeatContact> = events
        .into_iter()
        .filter_map(|(person, ixs)| {
            let t = tally.get(&person)?;
            let sources = t.sources();
            let first = ixs.iter().map(|i| frame.ev(*i).at).min()?;
            let last = ixs.iter().map(|i| frame.ev(*i).at).max()?;
            Some(RepeatContact {
                person,
                petitions: t.petitions,
                repeat_petitions: t.repeat,
                skipped_level: t.skipped,
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
