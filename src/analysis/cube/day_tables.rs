//! Groups of whole days, counted once per grouping and filter and kept with
//! the cube. A dashboard asks the same aggregate over the last weeks again
//! and again, each time with another `to`; a day's counts cannot change
//! until the cube is loaded again, and merging a month of counted groups
//! reads a fraction of what scanning its million rows does. Only the rows of
//! the days that `from` and `to` cut are scanned.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use super::{Axis, CST, Counted, Cube, DAY};
use crate::store::{Dimension, EventFilter};

/// Whole days holding fewer rows are scanned: below this, counting the
/// tables of every day of the cube would cost more than it saves.
pub const DAY_TABLE_ROWS: usize = 1 << 16;

/// Groupings kept at once; when a new one does not fit they are dropped
/// and counted again as they are asked for.
const KEPT: usize = 8;

/// A grouping whose days carry more groups than this and than a 32nd of the
/// cube's rows is not kept: a counted group is 72 bytes against the 17 or so a
/// scan reads of a row, so larger tables would save little and cost memory
/// (at most a quarter of a group per row over all groupings kept).
const MOST_GROUPS: usize = 1 << 16;
const ROWS_PER_GROUP: usize = 32;

pub struct DayTables {
    first_day: u32,
    /// The counted groups of each day from `first_day` on.
    days: Vec<Vec<Counted>>,
}

impl DayTables {
    /// The tables of these days (days before or after the cube's have none).
    pub(super) fn of(&self, days: Range<u32>) -> &[Vec<Counted>] {
        let at = |d: u32| (d.saturating_sub(self.first_day) as usize).min(self.days.len());
        &self.days[at(days.start)..at(days.end)]
    }
}

type Slot = Arc<OnceLock<Option<Arc<DayTables>>>>;

/// Day tables by grouping and filter: None for a grouping too large to keep.
#[derive(Default)]
pub struct Kept(Mutex<HashMap<String, Slot>>);

impl Cube {
    /// The days (China Standard Time) that `f`'s time range covers whole
    /// and that have rows in `rows`, and their rows.
    pub(super) fn whole_days(
        &self,
        f: &EventFilter,
        rows: Range<usize>,
    ) -> Option<(Range<u32>, Range<usize>)> {
        if rows.is_empty() {
            return None;
        }
        let micros = |t: chrono::NaiveDateTime| t.and_utc().timestamp_micros();
        let day_of = |us: i64| (us.div_euclid(1_000_000) + CST).div_euclid(DAY);
        let start_of = |day: i64| (day * DAY - CST) * 1_000_000;
        let (lo, hi) = (
            i64::from(self.day[rows.start]),
            i64::from(self.day[rows.end - 1]) + 1,
        );
        let first = f.from.map_or(lo, |t| {
            let (t, d) = (micros(t), day_of(micros(t)));
            if start_of(d) < t { d + 1 } else { d }
        });
        // `to` is exclusive: the day it falls in is whole only up to it.
        let end = f.to.map_or(hi, |t| day_of(micros(t)));
        let (first, end) = (first.max(lo) as u32, end.min(hi) as u32);
        if first >= end {
            return None;
        }
        let rows = self.day.partition_point(|d| *d < first)..self.day.partition_point(|d| *d < end);
        Some((first..end, rows))
    }

    /// The day tables of `f` (its time range aside) grouped by `dims`,
    /// counted by the first request that needs them; None when they are
    /// not kept.
    pub(super) fn day_tables(&self, f: &EventFilter, dims: &[Dimension]) -> Option<Arc<DayTables>> {
        // Overdue is a test against an instant that each request brings.
        if f.overdue_at.is_some() {
            return None;
        }
        let untimed = EventFilter {
            from: None,
            to: None,
            ..f.clone()
        };
        let key = format!("{dims:?} {untimed:?}");
        let slot = {
            let mut kept = self.tables.0.lock().expect("day tables");
            if kept.len() >= KEPT && !kept.contains_key(&key) {
                kept.clear();
            }
            kept.entry(key).or_default().clone()
        };
        // Requests that come while the first one counts wait for its tables
        // rather than count them again.
        slot.get_or_init(|| self.count_days(f, dims).map(Arc::new))
            .clone()
    }

    fn count_days(&self, f: &EventFilter, dims: &[Dimension]) -> Option<DayTables> {
        let checks = self.checks(f);
        let first_day = *self.day.first()?;
        let most = MOST_GROUPS.max(self.len() / ROWS_PER_GROUP);
        let (mut days, mut groups) = (Vec::new(), 0);
        let mut start = 0;
        while start < self.len() {
            let day = self.day[start];
            let end = start + self.day[start..].partition_point(|d| *d == day);
            days.resize_with((day - first_day) as usize, Vec::new);
            let axes: Vec<Axis> = dims.iter().map(|d| self.axis(*d, start..end)).collect();
            let counted = self.count(std::slice::from_ref(&(start..end)), &checks, &axes, &[]);
            groups += counted.len();
            if groups > most {
                return None;
            }
            days.push(counted);
            start = end;
        }
        Some(DayTables { first_day, days })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveDate, NaiveDateTime};

    use super::*;
    use crate::store::CubeRow;

    /// Ten days of events every 7 minutes and 13 seconds, in five districts,
    /// three sources, some closed and rated.
    fn rows() -> Vec<CubeRow> {
        let start = NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(3, 0, 0)
            .unwrap();
        (0..2000)
            .map(|i: i64| {
                let at = start + Duration::seconds(i * 433);
                CubeRow {
                    id: i,
                    occurred_at: at,
                    source: ["hotline", "alarm", "petition"][i as usize % 3].into(),
                    category: ["矛盾纠纷>家庭纠纷", "城乡建设>物业管理", "治安"]
                        [i as usize % 5 % 3]
                        .into(),
                    event_type: None,
                    status: ["closed", "in_progress"][i as usize % 2].into(),
                    unit: Some(format!("unit {}", i % 4)),
                    satisfaction: (i % 3 == 0).then(|| "satisfied".into()),
                    deadline: None,
                    closed_at: (i % 2 == 0).then(|| at + Duration::minutes(90 + i % 50)),
                    district: Some(i % 5),
                    street: Some(i % 11),
                    community: Some(i % 17),
                    site: None,
                    building: Some(i % 101),
                }
            })
            .collect()
    }

    fn same(a: &[crate::store::Group], b: &[crate::store::Group]) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                (x.keys.clone(), x.events, x.finished, x.satisfied, x.rated)
                    == (y.keys.clone(), y.events, y.finished, y.satisfied, y.rated)
                    && match (x.mean_handling_hours, y.mean_handling_hours) {
                        (Some(p), Some(q)) => (p - q).abs() < 1e-9,
                        (p, q) => p == q,
                    }
            })
    }

    #[test]
    fn whole_days_from_tables_give_what_scanning_gives() {
        let scanned = Cube::from_rows(rows());
        let tabled = Cube::from_rows(rows()).with_day_tables_from(1);
        let t = |d: u32, h: u32, m: u32| -> NaiveDateTime {
            NaiveDate::from_ymd_opt(2026, 10, 31)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                + Duration::days(i64::from(d))
                + Duration::hours(i64::from(h))
                + Duration::minutes(i64::from(m))
        };
        let dim_sets = [
            vec![Dimension::Community, Dimension::Category, Dimension::Week],
            vec![Dimension::Day, Dimension::Source],
            vec![
                Dimension::Building,
                Dimension::CategoryPath,
                Dimension::Unit,
            ],
        ];
        let mut asked = 0;
        for (from, to) in [
            (None, None),
            (Some(t(1, 16, 0)), Some(t(8, 16, 0))),
            (Some(t(2, 9, 30)), Some(t(9, 2, 15))),
            (Some(t(0, 0, 0)), Some(t(20, 0, 0))),
            (None, Some(t(5, 15, 59))),
            (Some(t(6, 16, 1)), None),
            (Some(t(3, 17, 0)), Some(t(4, 15, 0))),
        ] {
            for sources in [vec![], vec!["alarm".to_string()]] {
                let f = EventFilter {
                    from,
                    to,
                    sources,
                    ..EventFilter::default()
                };
                for dims in &dim_sets {
                    for limit in [5, 10_000] {
                        let a = scanned.aggregate(&f, dims, limit).unwrap();
                        let b = tabled.aggregate(&f, dims, limit).unwrap();
                        assert!(same(&a, &b), "{f:?} by {dims:?}, limit {limit}");
                        asked += usize::from(!a.is_empty());
                    }
                }
            }
        }
        assert!(asked > 60, "the windows select events");
        assert!(
            scanned.tables.0.lock().unwrap().is_empty(),
            "no day tables below the threshold"
        );
        let kept = tabled.tables.0.lock().unwrap();
        assert_eq!(kept.len(), 6, "one set of tables per grouping and filter");
        assert!(
            kept.values()
                .all(|slot| slot.get().is_some_and(|t| t.is_some()))
        );
    }

    #[test]
    fn a_day_is_whole_when_the_range_covers_it_in_china_standard_time() {
        let cube = Cube::from_rows(rows());
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let days = |from: &str, to: &str| {
            let f = EventFilter {
                from: Some(at(from)),
                to: Some(at(to)),
                ..EventFilter::default()
            };
            let (days, rows) = cube.whole_days(&f, cube.rows_in_time(&f))?;
            assert!(
                rows.start >= cube.rows_in_time(&f).start && rows.end <= cube.rows_in_time(&f).end
            );
            Some((days.end - days.start, rows.len()))
        };
        // 2026-11-02 00:00 CST is 2026-11-01 16:00 UTC.
        assert_eq!(
            days("2026-11-01 16:00", "2026-11-02 16:00").map(|d| d.0),
            Some(1)
        );
        assert_eq!(days("2026-11-01 16:01", "2026-11-02 16:00"), None);
        assert_eq!(days("2026-11-01 16:00", "2026-11-02 15:59"), None);
        assert_eq!(
            days("2026-11-01 15:59", "2026-11-04 16:30").map(|d| d.0),
            Some(3)
        );
        // Each whole day of the city holds 86,400 / 433 events, give or take one.
        let (_, rows) = days("2026-11-01 16:00", "2026-11-02 16:00").unwrap();
        assert!((199..=200).contains(&rows), "{rows}");
    }
}
