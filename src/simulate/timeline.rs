//! The simulated clock and the release steps.
//!
//! Times are kept as seconds since the first simulated day's midnight, China
//! Standard Time, in a `u32`: four bytes per timestamp keeps a million records
//! small. The period is cut into release steps: step 0 holds the first 70% of
//! the period (the bulk of the data), the later steps share the remaining 30%.
//! A version's release step is the step whose window holds its update time, so
//! an incremental client that remembers the largest update time it has seen
//! never misses a version released later.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Timelike};
use std::fmt::Write as _;

pub(super) const DAY: u32 = 86_400;
/// How far the last step reaches when it starts within an hour of the
/// period end.
const TAIL: u32 = DAY;
/// China Standard Time.
pub(super) const CST_SECS: i32 = 8 * 3600;

#[derive(Clone, Debug)]
pub(super) struct Timeline {
    start: NaiveDateTime,
    /// Length of the period in seconds.
    pub(super) period: u32,
    pub(super) days: u32,
    /// bounds[s] is the first second of step s; bounds[steps] = u32::MAX.
    bounds: Vec<u32>,
    /// Epoch seconds of `start` (which is local time).
    start_epoch: i64,
}

impl Timeline {
    pub(super) fn new(start: NaiveDate, days: u32, steps: u32) -> Self {
        let days = days.max(1);
        let steps = steps.clamp(1, u16::MAX as u32);
        let period = days * DAY;
        let mut bounds = vec![0u32];
        if steps > 1 {
            let bulk = (period as f64 * 0.7) as u32;
            for s in 1..steps {
                let frac = (s - 1) as f64 / (steps - 1) as f64;
                bounds.push(bulk + ((period - bulk) as f64 * frac) as u32);
            }
        }
        bounds.push(u32::MAX);
        let start = start.and_hms_opt(0, 0, 0).expect("midnight exists");
        let start_epoch = start.and_utc().timestamp() - CST_SECS as i64;
        Timeline {
            start,
            period,
            days,
            bounds,
            start_epoch,
        }
    }

    pub(super) fn steps(&self) -> u16 {
        (self.bounds.len() - 1) as u16
    }

    /// The release step of something updated at `t`.
    pub(super) fn step_of(&self, t: u32) -> u16 {
        (self.bounds.partition_point(|b| *b <= t) - 1) as u16
    }

    /// The window of a step, with the open-ended last step closed at the
    /// period end plus a tail, for placing generated update times.
    pub(super) fn window(&self, step: u16) -> (u32, u32) {
        let s = step as usize;
        let lo = self.bounds[s];
        // The last step ends with the period, unless it starts so late that
        // a short tail is needed to fit anything in it.
        let hi = if s + 1 == self.bounds.len() - 1 {
            if lo + 3600 < self.period {
                self.period
            } else {
                lo + TAIL
            }
        } else {
            self.bounds[s + 1]
        };
        (lo, hi.max(lo + 1))
    }

    pub(super) fn start_date(&self) -> NaiveDate {
        self.start.date()
    }

    pub(super) fn local(&self, t: u32) -> NaiveDateTime {
        self.start + Duration::seconds(t as i64)
    }

    pub(super) fn date_of_day(&self, day: u32) -> NaiveDate {
        self.start.date() + Duration::days(day as i64)
    }

    /// The day index of the Monday of every Monday–Sunday week that lies
    /// wholly inside the period, in order.
    pub(super) fn full_weeks(&self) -> Vec<u32> {
        let first = (7 - self.start.date().weekday().num_days_from_monday()) % 7;
        (first..)
            .step_by(7)
            .take_while(|m| m + 7 <= self.days)
            .collect()
    }

    /// `2026-11-01 08:23:11`
    pub(super) fn fmt_dash(&self, t: u32) -> String {
        let d = self.local(t);
        let mut s = String::with_capacity(19);
        let _ = write!(
            s,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minute(),
            d.second()
        );
        s
    }

    /// `2026/11/01 08:23` (SecondCity call, deadline and close times).
    pub(super) fn fmt_slash_min(&self, t: u32) -> String {
        let d = self.local(t);
        let mut s = String::with_capacity(16);
        let _ = write!(
            s,
            "{:04}/{:02}/{:02} {:02}:{:02}",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minute()
        );
        s
    }

    /// `2026/11/01 08:23:11` (SecondCity update time: keeps the seconds the
    /// incremental cursor needs).
    pub(super) fn fmt_slash_sec(&self, t: u32) -> String {
        let d = self.local(t);
        let mut s = String::with_capacity(19);
        let _ = write!(
            s,
            "{:04}/{:02}/{:02} {:02}:{:02}:{:02}",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minute(),
            d.second()
        );
        s
    }

    /// `2026-11-01T08:23:11+08:00`
    pub(super) fn fmt_rfc3339(&self, t: u32) -> String {
        let mut s = self.fmt_dash(t);
        s.replace_range(10..11, "T");
        s.push_str("+08:00");
        s
    }

    /// A day as `2026/11/01` (sep '/') or `2026-11-01` (sep '-').
    pub(super) fn fmt_day(&self, day: u32, sep: char) -> String {
        let d = self.date_of_day(day);
        format!("{:04}{sep}{:02}{sep}{:02}", d.year(), d.month(), d.day())
    }

    /// `20261101`, for file names and record ids.
    pub(super) fn compact_day(&self, day: u32) -> String {
        let d = self.date_of_day(day);
        format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
    }

    pub(super) fn epoch_ms(&self, t: u32, ms: u16) -> i64 {
        (self.start_epoch + t as i64) * 1000 + ms as i64
    }

    /// Seconds relative to the period start of an RFC 3339 instant, floored.
    /// Clients often forget to URL-encode the `+` of the offset, which then
    /// arrives as a space; that is accepted too.
    pub(super) fn parse_instant(&self, s: &str) -> Option<i64> {
        let parsed = DateTime::<FixedOffset>::parse_from_rfc3339(s)
            .or_else(|_| DateTime::<FixedOffset>::parse_from_rfc3339(&s.replace(' ', "+")))
            .ok()?;
        Some(parsed.timestamp() - self.start_epoch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_split_bulk_then_rest() {
        let tl = Timeline::new(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), 30, 4);
        assert_eq!(tl.step_of(0), 0);
        assert_eq!(tl.step_of(20 * DAY), 0);
        assert_eq!(tl.step_of(22 * DAY), 1);
        assert_eq!(tl.step_of(29 * DAY), 3);
        assert_eq!(tl.step_of(40 * DAY), 3);
        let one = Timeline::new(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), 30, 1);
        assert_eq!(one.step_of(29 * DAY), 0);
    }

    #[test]
    fn full_weeks_start_on_mondays_inside_the_period() {
        // 2026-11-01 is a Sunday: the weeks start on the 2nd, 9th, 16th and
        // 23rd; the week of the 30th runs past the period.
        let tl = Timeline::new(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), 30, 4);
        assert_eq!(tl.full_weeks(), [1, 8, 15, 22]);
        let monday = Timeline::new(NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(), 14, 4);
        assert_eq!(monday.full_weeks(), [0, 7]);
        let short = Timeline::new(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), 7, 4);
        assert!(short.full_weeks().is_empty());
    }

    #[test]
    fn formats_and_parses_local_time() {
        let tl = Timeline::new(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), 30, 4);
        let t = 8 * 3600 + 23 * 60 + 11;
        assert_eq!(tl.fmt_dash(t), "2026-11-01 08:23:11");
        assert_eq!(tl.fmt_rfc3339(t), "2026-11-01T08:23:11+08:00");
        assert_eq!(tl.fmt_slash_min(t), "2026/11/01 08:23");
        assert_eq!(
            tl.parse_instant("2026-11-01T08:23:11+08:00"),
            Some(t as i64)
        );
        assert_eq!(tl.parse_instant("2026-11-01T00:23:11Z"), Some(t as i64));
        assert_eq!(
            tl.parse_instant("2026-11-01T08:23:11 08:00"),
            Some(t as i64)
        );
        // 2026-11-01 00:00 CST is 2026-10-31 16:00 UTC.
        assert_eq!(tl.epoch_ms(0, 5), 1_793_462_400_000 + 5);
    }
}
