//! Every event's grouping and filtering columns in memory, dictionary
//! coded, so a dashboard's grouped counts over a whole city (a million
//! events) take milliseconds instead of a table scan per request. It
//! answers exactly what `Store::aggregate` answers for the filters it
//! covers (tests compare the two); anything else goes to SQL.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use crate::store::{AreaLevel, CubeRow, Dimension, EventFilter, FINISHED, Group};

/// Seconds east of UTC the centre counts days in (China Standard Time).
const CST: i64 = 8 * 3600;
const DAY: i64 = 86_400;
const NONE: u32 = 0;

/// Strings to small codes; code 0 is "none".
#[derive(Default)]
struct Dict {
    values: Vec<String>,
    index: HashMap<String, u32>,
}

impl Dict {
    fn code(&mut self, v: Option<&str>) -> u32 {
        let Some(v) = v else { return NONE };
        if let Some(c) = self.index.get(v) {
            return *c;
        }
        self.values.push(v.to_string());
        let c = self.values.len() as u32;
        self.index.insert(v.to_string(), c);
        c
    }

    fn find(&self, v: &str) -> Option<u32> {
        self.index.get(v).copied()
    }

    fn text(&self, c: u32) -> &str {
        if c == NONE {
            ""
        } else {
            &self.values[c as usize - 1]
        }
    }
}

#[derive(Default)]
pub struct Cube {
    /// occurredAt, UTC microseconds.
    at: Vec<i64>,
    /// Days since 1970-01-01 and months since year 0 of occurredAt, China
    /// Standard Time.
    day: Vec<u32>,
    month: Vec<u32>,
    /// The Monday (days since 1970-01-01) of the week.
    week: Vec<u32>,
    source: Vec<u32>,
    status: Vec<u32>,
    satisfaction: Vec<u32>,
    category: Vec<u32>,
    /// Code of the category's top level in `tops`.
    top: Vec<u32>,
    etype: Vec<u32>,
    unit: Vec<u32>,
    /// UTC microseconds; i64::MAX when there is none.
    deadline: Vec<i64>,
    /// Hours from occurrence to closing; NaN when not closed.
    hours: Vec<f32>,
    /// district, street, community, site, building.
    areas: [Vec<u32>; 5],
    sources: Dict,
    statuses: Dict,
    satisfactions: Dict,
    categories: Dict,
    /// Category code → code of its top level in `tops`.
    top_of: Vec<u32>,
    tops: Dict,
    types: Dict,
    units: Dict,
    /// Area id as text (the SQL path's key) per area code, one dictionary
    /// per level so each level's codes stay small.
    area_ids: [Dict; 5],
}

#[derive(Default, Clone, Copy)]
struct Acc {
    hours: f64,
    events: u32,
    finished: u32,
    closed: u32,
    satisfied: u32,
    rated: u32,
}

/// Groups are counted in a flat array when the key space is at most this
/// large (8 MiB of counters), else in a hash map.
const DENSE_KEYS: usize = 1 << 18;

impl Cube {
    pub fn from_rows(rows: Vec<CubeRow>) -> Cube {
        let mut c = Cube::default();
        c.top_of.push(NONE);
        for r in rows {
            let at = r.occurred_at.and_utc().timestamp_micros();
            c.at.push(at);
            let day = (at.div_euclid(1_000_000) + CST).div_euclid(DAY);
            let date = date_of(day);
            c.day.push(day as u32);
            // 1970-01-01 was a Thursday: Monday is 3 days before it.
            c.week.push((day - (day + 3).rem_euclid(7)) as u32);
            c.month
                .push((date.year() * 12 + date.month0() as i32) as u32);
            c.source.push(c.sources.code(Some(&r.source)));
            c.status.push(c.statuses.code(Some(&r.status)));
            c.satisfaction
                .push(c.satisfactions.code(r.satisfaction.as_deref()));
            let cat = c.categories.code(Some(&r.category));
            if cat as usize == c.top_of.len() {
                let top = r.category.split('>').next().unwrap_or_default();
                c.top_of.push(c.tops.code(Some(top)));
            }
            c.category.push(cat);
            c.top.push(c.top_of[cat as usize]);
            c.etype.push(c.types.code(r.event_type.as_deref()));
            c.unit.push(c.units.code(r.unit.as_deref()));
            c.deadline.push(
                r.deadline
                    .map_or(i64::MAX, |d| d.and_utc().timestamp_micros()),
            );
            c.hours.push(r.closed_at.map_or(f32::NAN, |t| {
                (t.and_utc().timestamp_micros() - r.occurred_at.and_utc().timestamp_micros()) as f32
                    / 3.6e9
            }));
            let areas = [r.district, r.street, r.community, r.site, r.building];
            for ((col, dict), id) in c.areas.iter_mut().zip(&mut c.area_ids).zip(areas) {
                col.push(dict.code(id.map(|i| i.to_string()).as_deref()));
            }
        }
        c
    }

    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Whether the cube can answer this filter (free text, a person, a room
    /// or a list of ids need the store).
    pub fn answers(f: &EventFilter) -> bool {
        f.text.is_none()
            && f.person.is_none()
            && f.ids.is_none()
            && f.area.is_none_or(|a| a.level != AreaLevel::Room)
    }

    /// The same groups `Store::aggregate` gives, or None when the filter
    /// needs the store.
    pub fn aggregate(
        &self,
        f: &EventFilter,
        dims: &[Dimension],
        limit: usize,
    ) -> Option<Vec<Group>> {
        if !Cube::answers(f) {
            return None;
        }
        let keep = self.compile(f);
        let finished: Vec<bool> = (0..=self.statuses.values.len() as u32)
            .map(|c| FINISHED.contains(&self.statuses.text(c)))
            .collect();
        let satisfied: Vec<bool> = (0..=self.satisfactions.values.len() as u32)
            .map(|c| {
                matches!(
                    self.satisfactions.text(c),
                    "satisfied" | "basically_satisfied"
                )
            })
            .collect();
        let rated: Vec<bool> = (0..=self.satisfactions.values.len() as u32)
            .map(|c| c != NONE && self.satisfactions.text(c) != "unrated")
            .collect();
        let cols: Vec<&[u32]> = dims.iter().map(|d| self.column(*d)).collect();
        let bounds: Vec<(u32, u32)> = cols
            .iter()
            .map(|c| {
                let lo = c.iter().copied().min().unwrap_or(0);
                let hi = c.iter().copied().max().unwrap_or(0);
                (lo, hi)
            })
            .collect();
        let space = bounds
            .iter()
            .try_fold(1usize, |n, (lo, hi)| n.checked_mul((hi - lo) as usize + 1))
            .filter(|n| *n <= DENSE_KEYS);
        let add = |a: &mut Acc, i: usize| {
            a.events += 1;
            a.finished += finished[self.status[i] as usize] as u32;
            let h = self.hours[i];
            if !h.is_nan() {
                a.hours += h as f64;
                a.closed += 1;
            }
            a.satisfied += satisfied[self.satisfaction[i] as usize] as u32;
            a.rated += rated[self.satisfaction[i] as usize] as u32;
        };
        let mut groups: Vec<([u32; 4], Acc)> = Vec::new();
        if let Some(space) = space {
            let mut dense = vec![Acc::default(); space];
            for i in (0..self.len()).filter(|i| keep(self, *i)) {
                let mut at = 0usize;
                for (c, (lo, hi)) in cols.iter().zip(&bounds) {
                    at = at * ((hi - lo) as usize + 1) + (c[i] - lo) as usize;
                }
                add(&mut dense[at], i);
            }
            for (mut at, a) in dense.into_iter().enumerate().filter(|(_, a)| a.events > 0) {
                let mut key = [0u32; 4];
                for (k, (lo, hi)) in key[..dims.len()].iter_mut().zip(&bounds).rev() {
                    let width = (hi - lo) as usize + 1;
                    *k = lo + (at % width) as u32;
                    at /= width;
                }
                groups.push((key, a));
            }
        } else {
            // Keys are a few small numbers: a fast hash, not a DoS-proof one.
            let mut map: HashMap<[u32; 4], Acc, Xxh3DefaultBuilder> = HashMap::default();
            for i in (0..self.len()).filter(|i| keep(self, *i)) {
                let mut key = [0u32; 4];
                for (k, c) in key.iter_mut().zip(&cols) {
                    *k = c[i];
                }
                add(map.entry(key).or_default(), i);
            }
            groups.extend(map);
        }
        let mut out: Vec<Group> = groups
            .into_iter()
            .map(|(key, a)| Group {
                keys: dims
                    .iter()
                    .zip(key)
                    .map(|(d, k)| self.text(*d, k))
                    .collect(),
                events: a.events.into(),
                finished: a.finished.into(),
                mean_handling_hours: (a.closed > 0).then(|| a.hours / a.closed as f64),
                satisfied: a.satisfied.into(),
                rated: a.rated.into(),
            })
            .collect();
        out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.keys.cmp(&b.keys)));
        out.truncate(limit);
        Some(out)
    }

    /// The codes of a dimension, one per event.
    fn column(&self, d: Dimension) -> &[u32] {
        match d {
            Dimension::Day => &self.day,
            Dimension::Week => &self.week,
            Dimension::Month => &self.month,
            Dimension::District => &self.areas[0],
            Dimension::Street => &self.areas[1],
            Dimension::Community => &self.areas[2],
            Dimension::Site => &self.areas[3],
            Dimension::Building => &self.areas[4],
            Dimension::Category => &self.top,
            Dimension::CategoryPath => &self.category,
            Dimension::Source => &self.source,
            Dimension::Type => &self.etype,
            Dimension::Status => &self.status,
            Dimension::Unit => &self.unit,
        }
    }

    /// The key as `Store::aggregate` spells it.
    fn text(&self, d: Dimension, k: u32) -> String {
        match d {
            Dimension::Day | Dimension::Week => date_of(k as i64).format("%Y-%m-%d").to_string(),
            Dimension::Month => format!("{:04}-{:02}", k / 12, k % 12 + 1),
            Dimension::District => self.area_ids[0].text(k).to_string(),
            Dimension::Street => self.area_ids[1].text(k).to_string(),
            Dimension::Community => self.area_ids[2].text(k).to_string(),
            Dimension::Site => self.area_ids[3].text(k).to_string(),
            Dimension::Building => self.area_ids[4].text(k).to_string(),
            Dimension::Category => self.tops.text(k).to_string(),
            Dimension::CategoryPath => self.categories.text(k).to_string(),
            Dimension::Source => self.sources.text(k).to_string(),
            Dimension::Type => self.types.text(k).to_string(),
            Dimension::Status => self.statuses.text(k).to_string(),
            Dimension::Unit => self.units.text(k).to_string(),
        }
    }

    /// The filter as a test on a row.
    fn compile(&self, f: &EventFilter) -> impl Fn(&Cube, usize) -> bool + use<> {
        let set = |dict: &Dict, values: &[String]| -> Option<Vec<bool>> {
            if values.is_empty() {
                return None;
            }
            let mut allowed = vec![false; dict.values.len() + 1];
            for v in values {
                if let Some(c) = dict.find(v) {
                    allowed[c as usize] = true;
                }
            }
            Some(allowed)
        };
        let sources = set(&self.sources, &f.sources);
        let statuses = set(&self.statuses, &f.statuses);
        let types = set(&self.types, &f.types);
        let satisfaction = set(&self.satisfactions, &f.satisfaction);
        let categories = f.category.as_ref().map(|c| {
            let prefix = format!("{c}>");
            (0..=self.categories.values.len() as u32)
                .map(|k| {
                    let t = self.categories.text(k);
                    k != NONE && (t == c || t.starts_with(&prefix))
                })
                .collect::<Vec<bool>>()
        });
        // An unknown unit or area matches nothing (code u32::MAX never occurs).
        let unit = f
            .unit
            .as_ref()
            .map(|u| self.units.find(u).unwrap_or(u32::MAX));
        let area = f.area.map(|a| {
            let col = match a.level {
                AreaLevel::District => 0,
                AreaLevel::Street => 1,
                AreaLevel::Community => 2,
                AreaLevel::Site => 3,
                _ => 4,
            };
            (
                col,
                self.area_ids[col]
                    .find(&a.id.to_string())
                    .unwrap_or(u32::MAX),
            )
        });
        let from = f.from.map(|t| t.and_utc().timestamp_micros());
        let to = f.to.map(|t| t.and_utc().timestamp_micros());
        let overdue = f.overdue_at.map(|t| t.and_utc().timestamp_micros());
        let finished: Vec<bool> = (0..=self.statuses.values.len() as u32)
            .map(|c| FINISHED.contains(&self.statuses.text(c)))
            .collect();
        move |c: &Cube, i: usize| {
            let in_set = |s: &Option<Vec<bool>>, code: u32| {
                s.as_ref()
                    .is_none_or(|s| s.get(code as usize).copied().unwrap_or(false))
            };
            let at = c.at[i];
            from.is_none_or(|t| at >= t)
                && to.is_none_or(|t| at < t)
                && in_set(&sources, c.source[i])
                && in_set(&statuses, c.status[i])
                && in_set(&types, c.etype[i])
                && in_set(&satisfaction, c.satisfaction[i])
                && in_set(&categories, c.category[i])
                && unit.is_none_or(|u| c.unit[i] == u)
                && area.is_none_or(|(col, a)| c.areas[col][i] == a)
                && overdue.is_none_or(|t| c.deadline[i] < t && !finished[c.status[i] as usize])
        }
    }
}

fn date_of(days: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date") + chrono::Duration::days(days)
}
