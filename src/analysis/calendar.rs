//! Days and weeks as the centre counts them: China Standard Time (UTC+8,
//! no daylight saving), weeks from Monday. Stored times are UTC.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

const CST_HOURS: i64 = 8;

/// The local wall-clock time of a UTC time.
pub fn local_time(at: NaiveDateTime) -> NaiveDateTime {
    at + Duration::hours(CST_HOURS)
}

/// The local calendar day of a UTC time.
pub fn local_day(at: NaiveDateTime) -> NaiveDate {
    local_time(at).date()
}

/// The UTC instant local midnight of `day` begins at.
pub fn day_start(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).expect("midnight exists") - Duration::hours(CST_HOURS)
}

/// The Monday of the week `day` falls in.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// A half-open span of local days, [first, first + days).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DaySpan {
    pub first: NaiveDate,
    pub days: i64,
}

impl DaySpan {
    pub fn new(first: NaiveDate, days: i64) -> DaySpan {
        DaySpan {
            first,
            days: days.max(1),
        }
    }

    /// The last day inside the span.
    pub fn last(&self) -> NaiveDate {
        self.first + Duration::days(self.days - 1)
    }

    /// The first day after the span.
    pub fn end(&self) -> NaiveDate {
        self.first + Duration::days(self.days)
    }

    pub fn start_utc(&self) -> NaiveDateTime {
        day_start(self.first)
    }

    pub fn end_utc(&self) -> NaiveDateTime {
        day_start(self.end())
    }

    pub fn contains(&self, at: NaiveDateTime) -> bool {
        at >= self.start_utc() && at < self.end_utc()
    }

    /// The span of the same length just before this one.
    pub fn previous(&self) -> DaySpan {
        DaySpan::new(self.first - Duration::days(self.days), self.days)
    }

    /// `n` spans back: 1 is `previous()`.
    pub fn back(&self, n: i64) -> DaySpan {
        DaySpan::new(self.first - Duration::days(self.days * n), self.days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn local_days_begin_at_sixteen_hundred_utc() {
        let at: NaiveDateTime = "2026-11-30T16:00:00".parse().unwrap();
        assert_eq!(local_day(at), d("2026-12-01"));
        assert_eq!(local_day(at - Duration::seconds(1)), d("2026-11-30"));
        assert_eq!(day_start(d("2026-12-01")), at);
    }

    #[test]
    fn weeks_begin_on_monday() {
        assert_eq!(monday_of(d("2026-12-06")), d("2026-11-30"));
        assert_eq!(monday_of(d("2026-11-30")), d("2026-11-30"));
    }

    #[test]
    fn spans_step_back_by_their_length() {
        let s = DaySpan::new(d("2026-11-24"), 7);
        assert_eq!(s.last(), d("2026-11-30"));
        assert_eq!(s.previous().first, d("2026-11-17"));
        assert_eq!(s.back(2).first, d("2026-11-10"));
    }
}
