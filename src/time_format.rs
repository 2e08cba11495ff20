//! Source time values to UTC. Feeds write local times in many formats (`2026-11-01 08:23:11`,
//! `2026/11/01`, epoch milliseconds, RFC 3339); the hub stores UTC only.

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
            serde_json::Value::String(s) => s.trim().to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            other => other.to_string(),
        };
        for format in formats {
            if let Some(t) = self.parse_one(&text, format) {
                return Ok(t);
            }
        }
        Err(TimeError {
            value: text,
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
                let local = NaiveDateTime::parse_from_str(text, format)
                    .ok()
                    .or_else(|| {
                        NaiveDate::parse_from_str(text, format)
                            .ok()
                            .and_then(|d| d.and_hms_opt(0, 0, 0))
                    })?;
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
