//! Source time values to UTC. Feeds write local times in many formats (`2026-11-01 08:23:11`,
//! `2026/11/01`, epoch milliseconds, RFC 3339); the hub stores UTC only.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone};
use serde::Deserialize;

/// How one feed writes times: the zone of times without an offset and the formats to try.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeSpec {
    /// IANA zone of local times, e.g. `Asia/Shanghai`.
    #[serde(default = "default_zone")]
    pub zone: chrono_tz::Tz,
    /// strftime formats tried in order. Date-only formats give local midnight. The keywords
    /// `epoch_ms`, `epoch_s` and `rfc3339` name those encodings.
    #[serde(default = "default_formats")]
    pub formats: Vec<String>,
}

impl Default for TimeSpec {
    fn default() -> Self {
        TimeSpec {
            zone: default_zone(),
            formats: default_formats(),
        }
    }
}

fn default_zone() -> chrono_tz::Tz {
    chrono_tz::Asia::Shanghai
}

fn default_formats() -> Vec<String> {
    vec!["%Y-%m-%d %H:%M:%S".into()]
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a time in any of the formats [{formats}]")]
pub struct TimeError {
    pub value: String,
    pub formats: String,
}

impl TimeSpec {
    /// Parses a JSON value (string or number) into a UTC time. `formats` overrides the feed's
    /// list for one field.
    pub fn parse(
        &self,
        value: &serde_json::Value,
        formats: Option<&[String]>,
    ) -> Result<NaiveDateTime, TimeError> {
        let formats = formats.unwrap_or(&self.formats);
        let text = match value {
            serde_json::Value::String(s) => Cow::Borrowed(s.trim()),
            serde_json::Value::Number(n) => Cow::Owned(n.to_string()),
            other => Cow::Owned(other.to_string()),
        };
        for format in formats {
            if let Some(t) = self.parse_one(&text, format) {
                return Ok(t);
            }
        }
        Err(TimeError {
            value: text.into_owned(),
            formats: formats.join(", "),
        })
    }

    fn parse_one(&self, text: &str, format: &str) -> Option<NaiveDateTime> {
        match format {
            "epoch_ms" => {
                let ms: i64 = text.parse().ok()?;
                DateTime::from_timestamp_millis(ms).map(|t| t.naive_utc())
            }
            "epoch_s" => {
                let s: i64 = text.parse().ok()?;
                DateTime::from_timestamp(s, 0).map(|t| t.naive_utc())
            }
            "rfc3339" => DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| t.naive_utc()),
            _ => {
                if format.contains("%z") || format.contains("%:z") {
                    return DateTime::parse_from_str(text, format)
                        .ok()
                        .map(|t| t.naive_utc());
                }
                // Most feeds write plain digits and separators: read those directly, and
                // leave everything else (and anything that does not fit exactly) to chrono,
                // which interprets the format string anew for every value.
                let local = plain_digits(text, format).or_else(|| chrono_local(text, format))?;
                self.local_to_utc(local)
            }
        }
    }

    pub fn local_to_utc(&self, local: NaiveDateTime) -> Option<NaiveDateTime> {
        self.zone
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.naive_utc())
    }

    /// Renders a UTC time in this feed's zone, for query parameters.
    pub fn render(&self, utc: NaiveDateTime, format: &str) -> String {
        self.zone.from_utc_datetime(&utc).format(format).to_string()
    }
}

/// `text` as a local time by chrono; a date-only format gives midnight.
fn chrono_local(text: &str, format: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, format)
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, format)
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

/// The number ASCII digits spell; None when one is not a digit.
pub(crate) fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

/// `text` read by a format made only of `%Y %m %d %H %M %S`, spaces and ASCII punctuation, when it
/// is written exactly so: four-digit year, two digits for every other field, the same
/// separators, nothing after. None otherwise, and for a format with anything else in it; a
/// date that does not exist is None too. Whatever it reads, chrono reads alike.
fn plain_digits(text: &str, format: &str) -> Option<NaiveDateTime> {
    let (mut text, mut format) = (text.as_bytes(), format.as_bytes());
    let mut fields = [None::<u32>; 6]; // year, month, day, hour, minute, second
    while let Some((&f, rest)) = format.split_first() {
        if f == b'%' {
            let (&spec, rest) = rest.split_first()?;
            let (slot, width) = match spec {
                b'Y' => (0, 4),
                b'm' => (1, 2),
                b'd' => (2, 2),
                b'H' => (3, 2),
                b'M' => (4, 2),
                b'S' => (5, 2),
                _ => return None,
            };
            if fields[slot].is_some() || text.len() < width {
                return None;
            }
            let (number, after) = text.split_at(width);
            fields[slot] = Some(digits(number)?);
            text = after;
            format = rest;
        } else {
            // A separator must be the very same byte; chrono reads that too (a space in its
            // formats also takes runs of whitespace, left to it).
            if !(f.is_ascii_punctuation() || f == b' ') || text.first() != Some(&f) {
                return None;
            }
            text = &text[1..];
            format = rest;
        }
    }
    if !text.is_empty() {
        return None;
    }
    let [year, month, day, hour, minute, second] = fields;
    let date = NaiveDate::from_ymd_opt(year? as i32, month?, day?)?;
    match (hour, minute, second) {
        (None, None, None) => date.and_hms_opt(0, 0, 0),
        (Some(h), Some(m), s) => date.and_hms_opt(h, m, s.unwrap_or(0)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(formats: &[&str]) -> TimeSpec {
        TimeSpec {
            zone: chrono_tz::Asia::Shanghai,
            formats: formats.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn local_times_become_utc() {
        let s = spec(&["%Y-%m-%d %H:%M:%S", "%Y/%m/%d"]);
        let t = s.parse(&json!("2026-11-01 08:23:11"), None).unwrap();
        assert_eq!(t.to_string(), "2026-11-01 00:23:11");
        let d = s.parse(&json!("2026/11/01"), None).unwrap();
        assert_eq!(d.to_string(), "2026-10-31 16:00:00");
    }

    #[test]
    fn epochs_and_offsets() {
        let s = spec(&["epoch_ms"]);
        assert_eq!(
            s.parse(&json!(1_761_956_591_000_i64), None)
                .unwrap()
                .to_string(),
            "2025-11-01 00:23:11"
        );
        let r = spec(&["rfc3339"]);
        assert_eq!(
            r.parse(&json!("2026-11-01T08:23:11+08:00"), None)
                .unwrap()
                .to_string(),
            "2026-11-01 00:23:11"
        );
    }

    #[test]
    fn impossible_dates_are_errors() {
        let s = spec(&["%Y-%m-%d %H:%M:%S", "%Y/%m/%d"]);
        for bad in ["2026-13-45 25:61:00", "2026/02/30", "", "昨天"] {
            let err = s.parse(&json!(bad), None).unwrap_err();
            assert!(err.to_string().contains("%Y/%m/%d"), "{err}");
        }
    }

    #[test]
    fn plain_digits_read_what_chrono_reads() {
        let formats = [
            "%Y-%m-%d %H:%M:%S",
            "%Y/%m/%d %H:%M",
            "%Y/%m/%d",
            "%Y%m%d%H%M%S",
            "%d.%m.%Y",
        ];
        let texts = [
            "2026-11-01 08:23:11",
            "2026/11/01 08:23",
            "2026/11/01",
            "20261101082311",
            "01.11.2026",
            "2026-02-29 00:00:00",
            "2028-02-29 23:59:59",
            "2026-11-01 24:00:00",
            "2026-11-01 08:23:60",
            "2026-11-01  08:23:11",
            "2026-11-1 08:23:11",
            "2026/11/01 8:23",
            "2026-11-01 08:23:11x",
            "２０２６-11-01 08:23:11",
            "2026-11-01",
            "",
        ];
        for format in formats {
            for text in texts {
                let chrono = chrono_local(text, format);
                if let Some(fast) = plain_digits(text, format) {
                    assert_eq!(Some(fast), chrono, "`{text}` as `{format}`");
                }
            }
        }
        // The common shapes take the direct path.
        assert!(plain_digits("2026-11-01 08:23:11", "%Y-%m-%d %H:%M:%S").is_some());
        assert!(plain_digits("2026/11/01", "%Y/%m/%d").is_some());
        assert!(plain_digits("2026/11/01 08:23", "%Y/%m/%d %H:%M").is_some());
        // Formats it does not read are chrono's alone.
        assert_eq!(plain_digits("Nov 01 2026", "%b %d %Y"), None);
        assert_eq!(
            plain_digits("2026-11-01T08:23:11", "%Y-%m-%dT%H:%M:%S"),
            None
        );
    }

    #[test]
    fn render_in_zone() {
        let s = spec(&[]);
        let utc =
            NaiveDateTime::parse_from_str("2026-11-01 00:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(
            s.render(utc, "%Y-%m-%dT%H:%M:%S%:z"),
            "2026-11-01T08:00:00+08:00"
        );
    }
}
