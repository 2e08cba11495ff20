//! The events of an analysis window, parsed once into types, with the
//! persons and household they were resolved to. Every situation analysis
//! reads a `Frame`; none touches the store.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;

use super::calendar::local_day;
use super::themes::Themes;
use crate::domain::{Lifecycle, Satisfaction, Source};
use crate::store::{SituationRow, SituationRows};

/// Index of an event in `Frame::events`.
pub type Ix = u32;

/// Area levels of `Ev::areas`, coarse to fine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    District = 0,
    Street = 1,
    Community = 2,
    Site = 3,
    Building = 4,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::District,
        Level::Street,
        Level::Community,
        Level::Site,
        Level::Building,
    ];

    pub fn as_str(self) -> &'static str {
        ["district", "street", "community", "site", "building"][self as usize]
    }
}

#[derive(Clone, Debug)]
pub struct Ev {
    pub id: i64,
    pub source: Source,
    pub record_id: String,
    /// UTC.
    pub at: NaiveDateTime,
    /// Local calendar day.
    pub day: NaiveDate,
    pub category: String,
    /// The dispute theme of the category (index into `Frame::themes`).
    pub theme: Option<u8>,
    pub event_type: Option<String>,
    pub content: Option<String>,
    pub unit: Option<String>,
    pub status: Lifecycle,
    pub deadline: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub satisfaction: Option<Satisfaction>,
    pub petitioners: Option<i64>,
    /// 是否重复信访 / 是否越级, as the petition system flags them.
    pub repeat_petition: bool,
    pub skipped_level: bool,
    /// A finished version was later followed by an unfinished one.
    pub reopened: bool,
    /// The event left "received": assigned, worked on, dispatched or done.
    pub responded: bool,
    /// Place entity ids by `Level`.
    pub areas: [Option<i64>; 5],
    /// The room the event's household address names (home of the caller,
    /// residence of the petitioner, the alarm's place when it is a room).
    pub household: Option<i64>,
}

impl Ev {
    pub fn area(&self, level: Level) -> Option<i64> {
        self.areas[level as usize]
    }

    /// Finished and not re-opened since.
    pub fn is_finished(&self) -> bool {
        self.status.is_finished()
    }
}

pub struct Frame {
    pub events: Vec<Ev>,
    pub themes: Themes,
    /// Persons of event i: person_ids[person_start[i]..person_start[i+1]].
    person_start: Vec<u32>,
    person_ids: Vec<i64>,
}

/// The source-specific fields analysis reads; the rest of the detail is
/// skipped unparsed.
#[derive(Default, serde::Deserialize)]
struct Flags {
    repeat: Option<Value>,
    skipped_level: Option<Value>,
    dispatched_at: Option<Value>,
}

/// Whether a yes/no column says yes (是, Y, yes, true, 1).
fn yes(v: &Option<Value>) -> bool {
    match v {
        Some(Value::String(s)) => matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "是" | "y" | "yes" | "true" | "1"
        ),
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|x| x != 0.0),
        _ => false,
    }
}

/// Rows (ordered by id) into events, the dispute theme of each category
/// matched once: a county uses a few hundred categories.
fn parse_events(rows: Vec<SituationRow>, themes: &Themes) -> Vec<Ev> {
    let mut theme_of: HashMap<String, Option<u8>> = HashMap::new();
    rows.into_iter()
        .map(|r| {
            // Values the store wrote from the domain enums; anything else is
            // a row written by a newer hub, read as the neutral value.
            let source = r.source.parse().unwrap_or(Source::Hotline);
            let status = r.status.parse().unwrap_or(Lifecycle::Unknown);
            let flags: Flags = if r.detail.len() > 2 {
                serde_json::from_str(&r.detail).unwrap_or_default()
            } else {
                Flags::default()
            };
            let dispatched = flags.dispatched_at.as_ref().is_some_and(|v| !v.is_null());
            let theme = match theme_of.get(&r.category) {
                Some(t) => *t,
                None => {
                    let t = themes.of(&r.category);
                    theme_of.insert(r.category.clone(), t);
                    t
                }
            };
            Ev {
                id: r.id,
                source,
                record_id: r.record_id,
                at: r.occurred_at,
                day: local_day(r.occurred_at),
                theme,
                category: r.category,
                event_type: r.event_type,
                content: r.content,
                unit: r.unit,
                status,
                deadline: r.deadline,
                closed_at: r.closed_at,
                satisfaction: r.satisfaction.and_then(|s| s.parse().ok()),
                petitioners: r.petitioners,
                repeat_petition: yes(&flags.repeat),
                skipped_level: yes(&flags.skipped_level),
                reopened: false,
                responded: status != Lifecycle::Received || dispatched,
                areas: [None; 5],
                household: None,
            }
        })
        .collect()
}

impl Frame {
    pub fn new(rows: SituationRows, themes: Themes) -> Frame {
        let SituationRows {
            mut events,
            areas,
            mut persons,
            places,
            rooms,
            versions,
        } = rows;
        // Parsing a million rows is the frame's main cost: two halves on
        // two cores.
        let second = events.split_off(events.len() / 2);
        let themes_ref = &themes;
        let mut out = std::thread::scope(|scope| {
            let tail = scope.spawn(move || parse_events(second, themes_ref));
            let mut head = parse_events(events, themes_ref);
            head.extend(tail.join().expect("parsing events does not panic"));
            head
        });
        let position = |out: &[Ev], id: i64| out.binary_search_by_key(&id, |e| e.id).ok();
        for a in areas {
            if let Some(ix) = position(&out, a.event_id) {
                out[ix].areas = [
                    a.district_id,
                    a.street_id,
                    a.community_id,
                    a.site_id,
                    a.building_id,
                ];
            }
        }
        for (event, slot, place) in places {
            if rooms.binary_search(&place).is_err() {
                continue;
            }
            let Some(ix) = position(&out, event) else {
                continue;
            };
            // The home field (zz) wins over where the problem is (wtsd).
            let e = &mut out[ix];
            if e.household.is_none() || slot == 2 {
                e.household = Some(place);
            }
        }
        let mut i = 0;
        while i < versions.len() {
            let event = versions[i].0;
            let mut j = i;
            let mut finished_seen = false;
            let mut reopened = false;
            let mut responded = false;
            while j < versions.len() && versions[j].0 == event {
                let status: Lifecycle = versions[j].2.parse().unwrap_or(Lifecycle::Unknown);
                if status.is_finished() {
                    finished_seen = true;
                } else if finished_seen {
                    reopened = true;
                }
                responded |= status != Lifecycle::Received;
                j += 1;
            }
            if let Some(ix) = position(&out, event) {
                let e = &mut out[ix];
                e.reopened = reopened;
                e.responded |= responded;
            }
            i = j;
        }
        persons.sort_unstable();
        persons.dedup();
        let mut person_start = Vec::with_capacity(out.len() + 1);
        let mut person_ids = Vec::with_capacity(persons.len());
        let mut k = 0;
        for e in &out {
            person_start.push(person_ids.len() as u32);
            while k < persons.len() && persons[k].0 < e.id {
                k += 1;
            }
            while k < persons.len() && persons[k].0 == e.id {
                person_ids.push(persons[k].1);
                k += 1;
            }
        }
        person_start.push(person_ids.len() as u32);
        Frame {
            events: out,
            themes,
            person_start,
            person_ids,
        }
    }

    pub fn ev(&self, ix: Ix) -> &Ev {
        &self.events[ix as usize]
    }

    pub fn persons(&self, ix: Ix) -> &[i64] {
        let i = ix as usize;
        &self.person_ids[self.person_start[i] as usize..self.person_start[i + 1] as usize]
    }

    pub fn index_of(&self, event_id: i64) -> Option<Ix> {
        self.events
            .binary_search_by_key(&event_id, |e| e.id)
            .ok()
            .map(|i| i as Ix)
    }

    /// Indexes of events that occurred in [from, to).
    pub fn between(&self, from: NaiveDateTime, to: NaiveDateTime) -> impl Iterator<Item = Ix> + '_ {
        self.events
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.at >= from && e.at < to)
            .map(|(i, _)| i as Ix)
    }

    /// Event ids of indexes, newest first.
    pub fn ids_newest_first(&self, mut ixs: Vec<Ix>) -> Vec<i64> {
        ixs.sort_unstable_by(|a, b| {
            let (ea, eb) = (self.ev(*a), self.ev(*b));
            eb.at.cmp(&ea.at).then(eb.id.cmp(&ea.id))
        });
        ixs.into_iter().map(|i| self.ev(i).id).collect()
    }
}
