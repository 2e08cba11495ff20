//! Every event's grouping and filtering columns in memory, dictionary
//! coded, so a dashboard's grouped counts over a whole city (a million
//! events) take milliseconds instead of a table scan per request. It
//! answers exactly what `Store::aggregate` answers for the filters it
//! covers (tests compare the two); anything else goes to SQL.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use crate::store::{AreaLevel, CubeRow, Dimension, EventFilter, FINISHED, Group};

mod day_tables;

use day_tables::DAY_TABLE_ROWS;

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
    /// occurredAt, UTC microseconds, ascending: rows are kept in time
    /// order so a time filter is a range of rows, not a test on each.
    at: Vec<i64>,
    /// Days since 1970-01-01 and months since year 0 of occurredAt, China
    /// Standard Time.
    day: Vec<u32>,
    month: Vec<u32>,
    /// Weeks since the one of 1970-01-01 (consecutive weeks, consecutive
    /// codes: a month is five codes wide, not thirty-five).
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
    /// Hours from occurrence to closing; 0 when not closed (the kind
    /// tells), so that sums need no test.
    hours: Vec<f32>,
    /// The kind of each row (`kind_of`), worked out once.
    kinds: Vec<u8>,
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
    /// Whole days of at least this many rows are answered from day tables.
    table_rows: usize,
    tables: day_tables::Kept,
}

/// A row's kind: finished or not, closed or not, and unrated, rated
/// unsatisfied or rated satisfied. A group's figures follow from how many
/// of its rows are of each kind, so counting a row is one increment.
fn kind_of(finished: bool, closed: bool, rated: bool, satisfied: bool) -> u8 {
    u8::from(finished) | u8::from(closed) << 1 | (u8::from(rated) + u8::from(satisfied)) << 2
}

const FINISHED_KIND: u8 = 1;
const CLOSED_KIND: u8 = 2;
const KINDS: usize = 12;

fn is_finished(kind: u8) -> bool {
    kind & FINISHED_KIND != 0
}

fn is_closed(kind: u8) -> bool {
    kind & CLOSED_KIND != 0
}

fn is_rated(kind: u8) -> bool {
    kind >> 2 >= 1
}

fn is_satisfied(kind: u8) -> bool {
    kind >> 2 == 2
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

impl Acc {
    /// Counts `n` rows of one kind.
    #[inline]
    fn add_rows(&mut self, kind: u8, n: u32) {
        let of = |yes: bool| if yes { n } else { 0 };
        self.events += n;
        self.finished += of(is_finished(kind));
        self.closed += of(is_closed(kind));
        self.satisfied += of(is_satisfied(kind));
        self.rated += of(is_rated(kind));
    }
}

/// A group's counters in the dense scan: a row of it touches this one
/// cache line and no other.
#[derive(Default, Clone, Copy)]
#[repr(C, align(64))]
struct Cell {
    rows: [u32; KINDS],
    hours: f64,
}

impl Cell {
    fn is_empty(&self) -> bool {
        self.rows.iter().all(|n| *n == 0)
    }

    /// Counts row `i` of the cube.
    #[inline]
    fn tally(&mut self, cube: &Cube, i: usize) {
        self.rows[cube.kinds[i] as usize] += 1;
        self.hours += f64::from(cube.hours[i]);
    }

    fn add(&mut self, c: &Counted) {
        for (n, m) in self.rows.iter_mut().zip(c.rows) {
            *n += m;
        }
        self.hours += c.hours;
    }

    fn counted(&self, key: [u32; 4]) -> Counted {
        Counted {
            key,
            rows: self.rows,
            hours: self.hours,
        }
    }
}

/// A group's counters with its key, as a scan leaves them and day tables
/// keep them (without the padding that gives a `Cell` its cache line).
#[derive(Clone, Copy)]
struct Counted {
    key: [u32; 4],
    rows: [u32; KINDS],
    hours: f64,
}

impl Counted {
    fn acc(&self) -> Acc {
        let mut a = Acc {
            hours: self.hours,
            ..Acc::default()
        };
        for (kind, n) in self.rows.iter().enumerate() {
            a.add_rows(kind as u8, *n);
        }
        a
    }
}

thread_local! {
    /// The dense counters of the last scan on this thread, kept for the
    /// next: fresh megabytes each time cost page faults and zeroing by the
    /// kernel on top of the scan.
    static SCRATCH: std::cell::RefCell<Vec<Cell>> = Default::default();
}

/// Groups are counted in a flat array when the key space is at most this
/// large (4 MiB of counters), else in a hash map.
const DENSE_KEYS: usize = 1 << 16;

/// One dimension of a request: its codes over the rows scanned, the
/// smallest and largest code among them.
struct Axis<'a> {
    codes: &'a [u32],
    lo: u32,
    width: usize,
}

impl Axis<'_> {
    /// Where row `i` falls along this axis.
    #[inline]
    fn offset(&self, i: usize) -> usize {
        (self.codes[i] - self.lo) as usize
    }
}

/// A filter other than time, as a test on one row.
enum Check<'a> {
    /// The code must be one the request allows.
    In(&'a [u32], Vec<bool>),
    /// Deadline before this instant and not finished.
    Overdue(i64),
}

impl Check<'_> {
    #[inline]
    fn passes(&self, c: &Cube, i: usize) -> bool {
        match self {
            Check::In(codes, allowed) => allowed.get(codes[i] as usize).copied().unwrap_or(false),
            Check::Overdue(t) => c.deadline[i] < *t && !is_finished(c.kinds[i]),
        }
    }
}

impl Cube {
    pub fn from_rows(rows: Vec<CubeRow>) -> Cube {
        let mut order: Vec<u32> = (0..rows.len() as u32).collect();
        order.sort_by_key(|i| (rows[*i as usize].occurred_at, rows[*i as usize].id));
        let mut c = Cube {
            table_rows: DAY_TABLE_ROWS,
            ..Cube::default()
        };
        c.top_of.push(NONE);
        for i in order {
            let r = &rows[i as usize];
            let at = r.occurred_at.and_utc().timestamp_micros();
            c.at.push(at);
            let day = (at.div_euclid(1_000_000) + CST).div_euclid(DAY);
            let date = date_of(day);
            c.day.push(day as u32);
            c.week.push(week_of(day));
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
            c.hours.push(r.closed_at.map_or(0.0, |t| {
                (t.and_utc().timestamp_micros() - r.occurred_at.and_utc().timestamp_micros()) as f32
                    / 3.6e9
            }));
            let satisfaction = r.satisfaction.as_deref();
            c.kinds.push(kind_of(
                FINISHED.contains(&r.status.as_str()),
                r.closed_at.is_some(),
                satisfaction.is_some_and(|s| s != "unrated"),
                matches!(satisfaction, Some("satisfied" | "basically_satisfied")),
            ));
            let areas = [r.district, r.street, r.community, r.site, r.building];
            for ((col, dict), id) in c.areas.iter_mut().zip(&mut c.area_ids).zip(areas) {
                col.push(dict.code(id.map(|i| i.to_string()).as_deref()));
            }
        }
        c
    }

    /// Answers from day tables once whole days hold at least `rows` rows
    /// (tests use this to take the tables' path on small cities).
    pub fn with_day_tables_from(mut self, rows: usize) -> Cube {
        self.table_rows = rows;
        self
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
        let rows = self.rows_in_time(f);
        let checks = self.checks(f);
        let axes: Vec<Axis> = dims.iter().map(|d| self.axis(*d, rows.clone())).collect();
        // Whole days come counted from the day tables when the filter has
        // them; only the rows of the days cut by `from` and `to` are scanned.
        let whole = self
            .whole_days(f, rows.clone())
            .filter(|(_, days_rows)| days_rows.len() >= self.table_rows)
            .and_then(|(days, days_rows)| Some((self.day_tables(f, dims)?, days, days_rows)));
        let counted = match &whole {
            Some((tables, days, days_rows)) => self.count(
                &[rows.start..days_rows.start, days_rows.end..rows.end],
                &checks,
                &axes,
                tables.of(days.clone()),
            ),
            None => self.count(&[rows], &checks, &axes, &[]),
        };
        let groups: Vec<([u32; 4], Acc)> = counted.iter().map(|c| (c.key, c.acc())).collect();
        // Each distinct code is spelt once, however many groups carry it,
        // and ranked by its spelling, so that groups sort on numbers.
        let spelt: Vec<Spelling> = dims
            .iter()
            .enumerate()
            .map(|(n, d)| {
                let mut codes: Vec<u32> = groups.iter().map(|(k, _)| k[n]).collect();
                codes.sort_unstable();
                codes.dedup();
                Spelling::of(codes, |k| self.text(*d, k))
            })
            .collect();
        let mut ranked: Vec<([u32; 4], [u32; 4], Acc)> = groups
            .into_iter()
            .map(|(key, acc)| {
                let mut rank = [0u32; 4];
                for ((r, s), k) in rank.iter_mut().zip(&spelt).zip(key) {
                    *r = s.rank(k);
                }
                (rank, key, acc)
            })
            .collect();
        let order = |(ra, _, a): &([u32; 4], [u32; 4], Acc),
                     (rb, _, b): &([u32; 4], [u32; 4], Acc)| {
            b.events.cmp(&a.events).then(ra.cmp(rb))
        };
        // Only the groups returned need sorting.
        if limit < ranked.len() {
            ranked.select_nth_unstable_by(limit, order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(order);
        Some(
            ranked
                .into_iter()
                .map(|(_, key, a)| Group {
                    keys: spelt
                        .iter()
                        .zip(key)
                        .map(|(s, k)| s.text(k).to_string())
                        .collect(),
                    events: a.events.into(),
                    finished: a.finished.into(),
                    mean_handling_hours: (a.closed > 0).then(|| a.hours / a.closed as f64),
                    satisfied: a.satisfied.into(),
                    rated: a.rated.into(),
                })
                .collect(),
        )
    }

    /// The cells of the groups that the rows of `ranges` passing `checks`
    /// fall in along `axes`, with cells counted before (`counted`, keyed
    /// by codes inside the axes) added in.
    fn count(
        &self,
        ranges: &[std::ops::Range<usize>],
        checks: &[Check],
        axes: &[Axis],
        counted: &[Vec<Counted>],
    ) -> Vec<Counted> {
        let passes = |i: usize| checks.iter().all(|c| c.passes(self, i));
        // Each range is its own loop, so a scan of one range stays the tight
        // loop over a plain range that it was before day tables.
        let rows =
            |r: &std::ops::Range<usize>| r.clone().filter(|i| checks.is_empty() || passes(*i));
        let space = axes
            .iter()
            .try_fold(1usize, |n, a| n.checked_mul(a.width))
            .filter(|n| *n <= DENSE_KEYS);
        let mut groups = Vec::new();
        if let Some(space) = space {
            let mut cells = SCRATCH.with_borrow_mut(std::mem::take);
            cells.clear();
            cells.resize(space, Cell::default());
            let mut count = |at: usize, i: usize| cells[at].tally(self, i);
            // Most dashboards filter by time alone: then no row is tested.
            for r in ranges {
                match axes {
                    [a] => rows(r).for_each(|i| count(a.offset(i), i)),
                    [a, b] => rows(r).for_each(|i| count(a.offset(i) * b.width + b.offset(i), i)),
                    [a, b, c] => rows(r).for_each(|i| {
                        count(
                            (a.offset(i) * b.width + b.offset(i)) * c.width + c.offset(i),
                            i,
                        )
                    }),
                    _ => rows(r).for_each(|i| {
                        count(axes.iter().fold(0, |at, a| at * a.width + a.offset(i)), i)
                    }),
                }
            }
            for c in counted.iter().flatten() {
                let at = axes
                    .iter()
                    .zip(c.key)
                    .fold(0, |at, (a, k)| at * a.width + (k - a.lo) as usize);
                cells[at].add(c);
            }
            for (mut at, cell) in cells.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let mut key = [0u32; 4];
                for (k, a) in key[..axes.len()].iter_mut().zip(axes).rev() {
                    *k = a.lo + (at % a.width) as u32;
                    at /= a.width;
                }
                groups.push(cell.counted(key));
            }
            SCRATCH.set(cells);
        } else {
            // Keys are a few small numbers: a fast hash, not a DoS-proof one.
            let mut map: HashMap<[u32; 4], Cell, Xxh3DefaultBuilder> = HashMap::default();
            for i in ranges.iter().flat_map(rows) {
                let mut key = [0u32; 4];
                for (k, a) in key.iter_mut().zip(axes) {
                    *k = a.codes[i];
                }
                map.entry(key).or_default().tally(self, i);
            }
            for c in counted.iter().flatten() {
                map.entry(c.key).or_default().add(c);
            }
            groups.extend(map.into_iter().map(|(key, cell)| cell.counted(key)));
        }
        groups
    }

    /// The rows a filter's time range covers (rows are in time order).
    fn rows_in_time(&self, f: &EventFilter) -> std::ops::Range<usize> {
        let first_at = |t: chrono::NaiveDateTime| {
            let t = t.and_utc().timestamp_micros();
            self.at.partition_point(|at| *at < t)
        };
        let from = f.from.map_or(0, first_at);
        let to = f.to.map_or(self.len(), first_at);
        from..to.max(from)
    }

    /// A dimension over some rows. Day, week and month rise with time, so
    /// over a time range their bounds are the first and the last row's;
    /// other codes are bounded by their dictionary.
    fn axis(&self, d: Dimension, rows: std::ops::Range<usize>) -> Axis<'_> {
        let (codes, dict) = self.dimension(d);
        let (lo, hi) = match d {
            Dimension::Day | Dimension::Week | Dimension::Month => {
                if rows.is_empty() {
                    (0, 0)
                } else {
                    (codes[rows.start], codes[rows.end - 1])
                }
            }
            _ => (NONE, dict.map_or(0, |dict| dict.values.len() as u32)),
        };
        Axis {
            codes,
            lo,
            width: (hi - lo) as usize + 1,
        }
    }

    /// A dimension's codes, one per event, and the dictionary they index
    /// (time dimensions have none: their codes are days, weeks, months).
    fn dimension(&self, d: Dimension) -> (&[u32], Option<&Dict>) {
        match d {
            Dimension::Day => (&self.day, None),
            Dimension::Week => (&self.week, None),
            Dimension::Month => (&self.month, None),
            Dimension::District => (&self.areas[0], Some(&self.area_ids[0])),
            Dimension::Street => (&self.areas[1], Some(&self.area_ids[1])),
            Dimension::Community => (&self.areas[2], Some(&self.area_ids[2])),
            Dimension::Site => (&self.areas[3], Some(&self.area_ids[3])),
            Dimension::Building => (&self.areas[4], Some(&self.area_ids[4])),
            Dimension::Category => (&self.top, Some(&self.tops)),
            Dimension::CategoryPath => (&self.category, Some(&self.categories)),
            Dimension::Source => (&self.source, Some(&self.sources)),
            Dimension::Type => (&self.etype, Some(&self.types)),
            Dimension::Status => (&self.status, Some(&self.statuses)),
            Dimension::Unit => (&self.unit, Some(&self.units)),
        }
    }

    /// The key as `Store::aggregate` spells it.
    fn text(&self, d: Dimension, k: u32) -> String {
        match d {
            Dimension::Day => date_of(k as i64).format("%Y-%m-%d").to_string(),
            Dimension::Week => date_of(monday_of(k)).format("%Y-%m-%d").to_string(),
            Dimension::Month => format!("{:04}-{:02}", k / 12, k % 12 + 1),
            _ => self
                .dimension(d)
                .1
                .map_or_else(String::new, |dict| dict.text(k).to_string()),
        }
    }

    /// The filter's tests other than time, only those it sets.
    fn checks(&self, f: &EventFilter) -> Vec<Check<'_>> {
        let mut checks = Vec::new();
        let allow = |dict: &Dict, values: &[String]| -> Option<Vec<bool>> {
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
        if let Some(a) = allow(&self.sources, &f.sources) {
            checks.push(Check::In(&self.source, a));
        }
        if let Some(a) = allow(&self.statuses, &f.statuses) {
            checks.push(Check::In(&self.status, a));
        }
        if let Some(a) = allow(&self.types, &f.types) {
            checks.push(Check::In(&self.etype, a));
        }
        if let Some(a) = allow(&self.satisfactions, &f.satisfaction) {
            checks.push(Check::In(&self.satisfaction, a));
        }
        if let Some(c) = &f.category {
            let prefix = format!("{c}>");
            let allowed = (0..=self.categories.values.len() as u32)
                .map(|k| {
                    let t = self.categories.text(k);
                    k != NONE && (t == c || t.starts_with(&prefix))
                })
                .collect();
            checks.push(Check::In(&self.category, allowed));
        }
        // An unknown unit or area allows no code: it matches nothing.
        if let Some(a) = allow(&self.units, f.unit.as_slice()) {
            checks.push(Check::In(&self.unit, a));
        }
        if let Some(a) = f.area {
            let col = match a.level {
                AreaLevel::District => 0,
                AreaLevel::Street => 1,
                AreaLevel::Community => 2,
                AreaLevel::Site => 3,
                _ => 4,
            };
            if let Some(allowed) = allow(&self.area_ids[col], &[a.id.to_string()]) {
                checks.push(Check::In(&self.areas[col], allowed));
            }
        }
        if let Some(t) = f.overdue_at {
            checks.push(Check::Overdue(t.and_utc().timestamp_micros()));
        }
        checks
    }
}

/// The codes of one dimension that a result carries, their spelling and
/// their rank in alphabetical order of it.
struct Spelling {
    /// Ascending.
    codes: Vec<u32>,
    texts: Vec<String>,
    ranks: Vec<u32>,
}

impl Spelling {
    fn of(codes: Vec<u32>, spell: impl Fn(u32) -> String) -> Spelling {
        let texts: Vec<String> = codes.iter().map(|k| spell(*k)).collect();
        let mut order: Vec<usize> = (0..codes.len()).collect();
        order.sort_unstable_by(|a, b| texts[*a].cmp(&texts[*b]));
        let mut ranks = vec![0u32; codes.len()];
        for (rank, at) in order.into_iter().enumerate() {
            ranks[at] = rank as u32;
        }
        Spelling {
            codes,
            texts,
            ranks,
        }
    }

    fn at(&self, code: u32) -> usize {
        self.codes
            .binary_search(&code)
            .expect("a code of the result")
    }

    fn rank(&self, code: u32) -> u32 {
        self.ranks[self.at(code)]
    }

    fn text(&self, code: u32) -> &str {
        &self.texts[self.at(code)]
    }
}

/// 1970-01-01 was a Thursday: its week began 3 days before it.
fn week_of(day: i64) -> u32 {
    (day + 3).div_euclid(7) as u32
}

/// The Monday (days since 1970-01-01) of a week of `week_of`.
fn monday_of(week: u32) -> i64 {
    i64::from(week) * 7 - 3
}

fn date_of(days: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date") + chrono::Duration::days(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_tells_each_flag_back() {
        for bits in 0..16u8 {
            let (finished, closed, rated) = (bits & 1 != 0, bits & 2 != 0, bits & 4 != 0);
            let satisfied = rated && bits & 8 != 0;
            let k = kind_of(finished, closed, rated, satisfied);
            assert!((k as usize) < KINDS);
            assert_eq!(
                (is_finished(k), is_closed(k), is_rated(k), is_satisfied(k)),
                (finished, closed, rated, satisfied)
            );
        }
    }

    #[test]
    fn weeks_are_consecutive_codes_named_by_their_monday() {
        let day = |y, m, d| (NaiveDate::from_ymd_opt(y, m, d).unwrap() - date_of(0)).num_days();
        // 2026-11-23 is a Monday, 2026-11-29 the Sunday of its week.
        let week = week_of(day(2026, 11, 23));
        assert_eq!(week_of(day(2026, 11, 29)), week);
        assert_eq!(week_of(day(2026, 11, 22)), week - 1);
        assert_eq!(week_of(day(2026, 11, 30)), week + 1);
        assert_eq!(
            date_of(monday_of(week)),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        assert_eq!(
            date_of(monday_of(week_of(0))),
            NaiveDate::from_ymd_opt(1969, 12, 29).unwrap()
        );
    }
}
