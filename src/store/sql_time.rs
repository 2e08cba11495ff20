//! A timestamp as the sync writer binds it. SQLite stores timestamps as text, and diesel
//! formats each one by interpreting chrono's `"%F %T%.f"` afresh: with four timestamps an event
//! and two a version, that was a twentieth of the writer's time. The same text is written
//! here digit by digit; PostgreSQL gets diesel's own binary value.

use chrono::{Datelike, NaiveDateTime, Timelike};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Timestamp;
use diesel::sqlite::Sqlite;

#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression)]
#[diesel(sql_type = Timestamp)]
pub struct SqlTime(pub NaiveDateTime);

impl ToSql<Timestamp, Sqlite> for SqlTime {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(sqlite_text(self.0));
        Ok(IsNull::No)
    }
}

impl ToSql<Timestamp, Pg> for SqlTime {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <NaiveDateTime as ToSql<Timestamp, Pg>>::to_sql(&self.0, out)
    }
}

/// What `t.format("%F %T%.f")` gives (diesel's text for SQLite): `2024-03-05 08:09:10`, with
/// `.123`, `.123456` or `.123456789` when there is a fraction of a second.
pub fn sqlite_text(t: NaiveDateTime) -> String {
    let year = t.year();
    let nanos = t.nanosecond();
    // Years of other widths and leap seconds are chrono's to spell.
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        return t.format("%F %T%.f").to_string();
    }
    let mut s = String::with_capacity(29);
    push_digits(&mut s, year as u32, 4);
    s.push('-');
    push_digits(&mut s, t.month(), 2);
    s.push('-');
    push_digits(&mut s, t.day(), 2);
    s.push(' ');
    push_digits(&mut s, t.hour(), 2);
    s.push(':');
    push_digits(&mut s, t.minute(), 2);
    s.push(':');
    push_digits(&mut s, t.second(), 2);
    if nanos != 0 {
        s.push('.');
        if nanos.is_multiple_of(1_000_000) {
            push_digits(&mut s, nanos / 1_000_000, 3);
        } else if nanos.is_multiple_of(1_000) {
            push_digits(&mut s, nanos / 1_000, 6);
        } else {
            push_digits(&mut s, nanos, 9);
        }
    }
    s
}

/// `value` in exactly `width` decimal digits, zero-padded (it has no more than that).
fn push_digits(s: &mut String, value: u32, width: u32) {
    let mut unit = 10u32.pow(width - 1);
    while unit > 0 {
        s.push(char::from(b'0' + (value / unit % 10) as u8));
        unit /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate};
    use rand::{Rng, SeedableRng};

    #[test]
    fn the_text_is_what_chrono_writes() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let whole = NaiveDate::from_ymd_opt(2026, 1, 2)
            .unwrap()
            .and_hms_opt(3, 4, 5)
            .unwrap();
        let mut samples = vec![
            whole,
            whole.with_nanosecond(120_000_000).unwrap(),
            whole.with_nanosecond(123_400_000).unwrap(),
            whole.with_nanosecond(1_000).unwrap(),
            whole.with_nanosecond(7).unwrap(),
            whole.with_nanosecond(1_500_000_000).unwrap(), // a leap second
            NaiveDate::from_ymd_opt(1, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
            NaiveDate::from_ymd_opt(12345, 6, 7)
                .unwrap()
                .and_hms_opt(8, 9, 10)
                .unwrap(),
        ];
        for _ in 0..20_000 {
            let secs = rng.random_range(-2_000_000_000i64..6_000_000_000);
            let nanos = match rng.random_range(0..4) {
                0 => 0,
                1 => rng.random_range(0..1000) * 1_000_000,
                2 => rng.random_range(0..1_000_000) * 1_000,
                _ => rng.random_range(0..1_000_000_000),
            };
            samples.push(DateTime::from_timestamp(secs, nanos).unwrap().naive_utc());
        }
        for t in samples {
            assert_eq!(sqlite_text(t), t.format("%F %T%.f").to_string(), "{t:?}");
        }
    }
}
