//! Report periods: a day, the Monday-to-Sunday week, or the calendar month
//! holding a date, with the period before (环比) and the same period a year
//! earlier (同比).

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::Serialize;

use crate::analysis::DaySpan;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Daily,
    Weekly,
    Monthly,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Daily => "daily",
            Period::Weekly => "weekly",
            Period::Monthly => "monthly",
        }
    }

    /// 日报 / 周报 / 月报.
    pub fn chinese(self) -> &'static str {
        match self {
            Period::Daily => "日报",
            Period::Weekly => "周报",
            Period::Monthly => "月报",
        }
    }

    /// The period holding `date`.
    pub fn span(self, date: NaiveDate) -> DaySpan {
        match self {
            Period::Daily => DaySpan::new(date, 1),
            Period::Weekly => DaySpan::new(crate::analysis::calendar::monday_of(date), 7),
            Period::Monthly => month_of(date),
        }
    }

    /// The period just before the one holding `date`.
    pub fn previous(self, date: NaiveDate) -> DaySpan {
        let span = self.span(date);
        match self {
            Period::Monthly => month_of(span.first - Duration::days(1)),
            _ => span.previous(),
        }
    }

    /// The same period one year earlier (for a week: the week holding the
    /// same date a year before).
    pub fn year_before(self, date: NaiveDate) -> DaySpan {
        let then = date
            .checked_sub_months(Months::new(12))
            .unwrap_or(date - Duration::days(365));
        self.span(then)
    }

    /// The date of the last period that is complete on `today` (yesterday,
    /// last week's Sunday, the last day of last month).
    pub fn last_complete(self, today: NaiveDate) -> NaiveDate {
        self.span(today).first - Duration::days(1)
    }
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "daily" => Ok(Period::Daily),
            "weekly" => Ok(Period::Weekly),
            "monthly" => Ok(Period::Monthly),
            other => Err(format!(
                "unknown report period {other:?}: expected daily, weekly or monthly"
            )),
        }
    }
}

fn month_of(date: NaiveDate) -> DaySpan {
    let first = date.with_day(1).expect("day 1 exists");
    let next = first + Months::new(1);
    DaySpan::new(first, (next - first).num_days())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn periods_hold_their_date_and_step_back() {
        let day = d("2026-12-01");
        assert_eq!(Period::Daily.span(day), DaySpan::new(day, 1));
        assert_eq!(Period::Daily.previous(day).first, d("2026-11-30"));
        assert_eq!(Period::Weekly.span(day), DaySpan::new(d("2026-11-30"), 7));
        assert_eq!(Period::Monthly.span(day), DaySpan::new(day, 31));
        assert_eq!(
            Period::Monthly.previous(day),
            DaySpan::new(d("2026-11-01"), 30)
        );
        assert_eq!(
            Period::Monthly.year_before(day),
            DaySpan::new(d("2025-12-01"), 31)
        );
        assert_eq!(
            Period::Daily.year_before(d("2028-02-29")).first,
            d("2027-02-28")
        );
        assert_eq!(Period::Weekly.last_complete(day), d("2026-11-29"));
        assert_eq!(Period::Monthly.last_complete(day), d("2026-11-30"));
    }
}
