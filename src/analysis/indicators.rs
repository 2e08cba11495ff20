//! Work discipline (三零 indicators) and the unit league table of the 12345
//! assessment. Every rate's definition is in the README ("Situation
//! analysis"); in short, over the events received in [from, to):
//!
//! * 响应率 response rate: responded / received, responded = left
//!   "received" in any version (assigned, worked on, done) or, for an
//!   alarm, has a dispatch time;
//! * 办结率 closure rate: finished (resolved, closed, rejected) / received;
//! * 解决率 resolution rate: resolved or closed / received (a rejection is
//!   finished but not solved);
//! * 满意率 satisfaction rate: satisfied or basically satisfied / rated
//!   (未评价 is not rated);
//! * 按期办结率 on-time rate: finished no later than the deadline / those
//!   with a deadline that are finished or whose deadline has passed at
//!   `as_of`;
//! * mean handling hours: closing time − occurrence, over finished events
//!   with a closing time;
//! * re-opened: a finished version followed by an unfinished one.
//!
//! Finished means finished by `as_of` (closed no later, as the closing time
//! tells), so a report for a past day is not flattered by later work.
//! Overdue and soon-due count the open work at `as_of`, whenever it came in:
//! not finished, with a deadline before `as_of` (overdue) or within
//! `soon` after it.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};

use super::frame::{Ev, Frame};
use crate::domain::{Lifecycle, Satisfaction, Source};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Unit,
    Source,
    All,
}

#[derive(Clone, Debug)]
pub struct IndicatorParams {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub as_of: NaiveDateTime,
    pub soon: Duration,
    pub by: GroupBy,
    /// Only events of these sources; empty for all.
    pub sources: Vec<Source>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Indicators {
    /// The unit or source name; empty for everything together.
    pub key: String,
    pub received: u32,
    pub responded: u32,
    pub finished: u32,
    pub solved: u32,
    pub rated: u32,
    pub satisfied: u32,
    pub due: u32,
    pub on_time: u32,
    pub reopened: u32,
    pub overdue: u32,
    pub soon_due: u32,
    handling_hours: f64,
    handled: u32,
}

fn rate(num: u32, den: u32) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Indicators {
    pub fn response_rate(&self) -> Option<f64> {
        rate(self.responded, self.received)
    }
    pub fn closure_rate(&self) -> Option<f64> {
        rate(self.finished, self.received)
    }
    pub fn resolution_rate(&self) -> Option<f64> {
        rate(self.solved, self.received)
    }
    pub fn satisfaction_rate(&self) -> Option<f64> {
        rate(self.satisfied, self.rated)
    }
    pub fn on_time_rate(&self) -> Option<f64> {
        rate(self.on_time, self.due)
    }
    pub fn mean_handling_hours(&self) -> Option<f64> {
        (self.handled > 0).then(|| self.handling_hours / self.handled as f64)
    }

    fn count_received(&mut self, e: &Ev, as_of: NaiveDateTime) {
        self.received += 1;
        self.responded += e.responded as u32;
        let finished = finished_by(e, as_of);
        self.finished += finished as u32;
        self.solved +=
            (finished && matches!(e.status, Lifecycle::Resolved | Lifecycle::Closed)) as u32;
        match e.satisfaction {
            Some(Satisfaction::Satisfied | Satisfaction::BasicallySatisfied) => {
                self.rated += 1;
                self.satisfied += 1;
            }
            Some(Satisfaction::Dissatisfied) => self.rated += 1,
            Some(Satisfaction::Unrated) | None => {}
        }
        if let Some(deadline) = e.deadline
            && (finished || deadline < as_of)
        {
            self.due += 1;
            let closed_in_time = finished && e.closed_at.is_none_or(|c| c <= deadline);
            self.on_time += closed_in_time as u32;
        }
        if finished && let Some(c) = e.closed_at {
            self.handling_hours += (c - e.at).num_seconds().max(0) as f64 / 3600.0;
            self.handled += 1;
        }
        self.reopened += e.reopened as u32;
    }

    fn count_open(&mut self, e: &Ev, as_of: NaiveDateTime, soon: Duration) {
        if finished_by(e, as_of) || e.at >= as_of {
            return;
        }
        if let Some(deadline) = e.deadline {
            if deadline < as_of {
                self.overdue += 1;
            } else if deadline < as_of + soon {
                self.soon_due += 1;
            }
        }
    }
}

/// Finished no later than `as_of`, as far as the closing time tells: a
/// report for an earlier day counts work closed since as still open then.
fn finished_by(e: &Ev, as_of: NaiveDateTime) -> bool {
    e.is_finished() && e.closed_at.is_none_or(|c| c < as_of)
}

fn key_of(e: &Ev, by: GroupBy) -> &str {
    match by {
        GroupBy::Unit => e.unit.as_deref().unwrap_or_default(),
        GroupBy::Source => e.source.as_str(),
        GroupBy::All => "",
    }
}

/// One row per unit / source (or one for all), most received first.
pub fn indicators(frame: &Frame, params: &IndicatorParams) -> Vec<Indicators> {
    let mut rows: BTreeMap<&str, Indicators> = BTreeMap::new();
    for e in &frame.events {
        if !params.sources.is_empty() && !params.sources.contains(&e.source) {
            continue;
        }
        let key = key_of(e, params.by);
        let row = rows.entry(key).or_insert_with(|| Indicators {
            key: key.to_string(),
            ..Indicators::default()
        });
        if e.at >= params.from && e.at < params.to {
            row.count_received(e, params.as_of);
        }
        row.count_open(e, params.as_of, params.soon);
    }
    let mut out: Vec<Indicators> = rows
        .into_values()
        .filter(|r| r.received > 0 || r.overdue > 0 || r.soon_due > 0)
        .collect();
    out.sort_by(|a, b| b.received.cmp(&a.received).then(a.key.cmp(&b.key)));
    out
}

#[derive(Clone, Debug, PartialEq)]
pub struct Overdue {
    pub event: i64,
    pub unit: String,
    pub deadline: NaiveDateTime,
    pub hours_over: i64,
}

/// Open events past their deadline at `as_of`, by unit, longest overdue
/// first within a unit.
pub fn overdue(frame: &Frame, as_of: NaiveDateTime) -> Vec<Overdue> {
    let mut out: Vec<Overdue> = frame
        .events
        .iter()
        .filter(|e| !finished_by(e, as_of) && e.at < as_of)
        .filter_map(|e| {
            let deadline = e.deadline?;
            (deadline < as_of).then(|| Overdue {
                event: e.id,
                unit: e.unit.clone().unwrap_or_default(),
                deadline,
                hours_over: (as_of - deadline).num_hours(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.unit
            .cmp(&b.unit)
            .then(b.hours_over.cmp(&a.hours_over))
            .then(a.event.cmp(&b.event))
    });
    out
}
