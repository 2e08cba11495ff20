//! Timestamps as SQLite text, written and read without chrono's format interpreter.
//!
//! SQLite stores timestamps as text. Diesel formats each one by interpreting `"%F %T%.f"`
//! afresh: with four timestamps an event and two a version, that was a twentieth of the sync
//! writer's time. Reading, it tries its list of formats with the same interpreter: a
//! person's history decodes about a hundred timestamps, and decoding rows took an eighth of
//! the API's CPU. Here the text the hub writes is spelt and read digit by digit; any other
//! text is left to diesel, and PostgreSQL gets and gives diesel's own binary value.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{Nullable, Timestamp};
use diesel::sqlite::Sqlite;

use super::connection::MultiBackend;
use crate::time_format::digits;

#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Timestamp)]
pub struct SqlTime(pub NaiveDateTime);

impl From<SqlTime> for NaiveDateTime {
    fn from(t: SqlTime) -> NaiveDateTime {
        t.0
    }
}

/// A nullable timestamp read the same way; `#[diesel(deserialize_as = MaybeSqlTime)]` on an
/// `Option<NaiveDateTime>` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct MaybeSqlTime(pub Option<NaiveDateTime>);

impl From<MaybeSqlTime> for Option<NaiveDateTime> {
    fn from(t: MaybeSqlTime) -> Option<NaiveDateTime> {
        t.0
    }
}

impl FromSql<Timestamp, Sqlite> for SqlTime {
    fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        if let Some(t) = parse_sqlite_text(value.read_text()) {
            return Ok(SqlTime(t));
        }
        <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value).map(SqlTime)
    }
}

impl FromSql<Timestamp, Pg> for SqlTime {
    fn from_sql(value: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(SqlTime)
    }
}

impl FromSql<Timestamp, MultiBackend> for SqlTime {
    fn from_sql(value: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<SqlTime, Timestamp>()
    }
}

impl<DB> FromSql<Nullable<Timestamp>, DB> for MaybeSqlTime
where
    DB: Backend,
    SqlTime: FromSql<Timestamp, DB>,
{
    fn from_sql(value: DB::RawValue<'_>) -> deserialize::Result<Self> {
        SqlTime::from_sql(value).map(|t| MaybeSqlTime(Some(t.0)))
    }

    fn from_nullable_sql(value: Option<DB::RawValue<'_>>) -> deserialize::Result<Self> {
        match value {
            Some(v) => Self::from_sql(v),
            None => Ok(MaybeSqlTime(None)),
        }
    }
}

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

/// Reads what `sqlite_text` writes (and what SQLite's own `datetime()` gives): `YYYY-MM-DD
/// HH:MM:SS` with an optional fraction of one to nine digits. None for anything else.
pub fn parse_sqlite_text(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        digits(&b[0..4])? as i32,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )?;
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            digits(fraction)? * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    date.and_hms_nano_opt(
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
        nanos,
    )
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

    /// `n` times from 1906 to 2160, seeded: whole seconds and fractions of three, six and
    /// nine digits in equal shares.
    fn random_times(seed: u64, n: usize) -> Vec<NaiveDateTime> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        (0..n)
            .map(|_| {
                let secs = rng.random_range(-2_000_000_000i64..6_000_000_000);
                let nanos = match rng.random_range(0..4) {
                    0 => 0,
                    1 => rng.random_range(0..1000) * 1_000_000,
                    2 => rng.random_range(0..1_000_000) * 1_000,
                    _ => rng.random_range(0..1_000_000_000),
                };
                DateTime::from_timestamp(secs, nanos).unwrap().naive_utc()
            })
            .collect()
    }

    #[test]
    fn the_text_is_what_chrono_writes() {
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
        samples.extend(random_times(11, 20_000));
        for t in samples {
            assert_eq!(sqlite_text(t), t.format("%F %T%.f").to_string(), "{t:?}");
        }
    }

    /// Every text the fast reader accepts reads as chrono reads it, and what it turns
    /// down is left to diesel's formats.
    #[test]
    fn the_text_reads_as_chrono_reads_it() {
        for t in random_times(12, 20_000) {
            let text = sqlite_text(t);
            assert_eq!(parse_sqlite_text(&text), Some(t), "{text}");
        }
        let chrono = |s: &str| NaiveDateTime::parse_from_str(s, "%F %T%.f").ok();
        for text in [
            "2026-12-06 18:01:50",
            "2026-12-06 18:01:50.5",
            "2026-12-06 18:01:50.000000001",
            "2024-02-29 23:59:59.999",
        ] {
            assert_eq!(parse_sqlite_text(text), chrono(text), "{text}");
            assert!(parse_sqlite_text(text).is_some(), "{text}");
        }
        for other in [
            "2026-12-06T18:01:50",
            "2026-12-06 18:01:50Z",
            "2026-12-06 18:01:50+08:00",
            "2026-12-06 18:01",
            "2026-12-06 18:01:50.",
            "2026-12-06 18:01:50.1234567890",
            "2023-02-29 00:00:00",
            "2026-13-06 18:01:50",
            "2026-12-06 24:00:00",
            "2026-1a-06 18:01:50",
            "2459000.5",
            "",
        ] {
            assert_eq!(parse_sqlite_text(other), None, "{other}");
        }
    }
}
