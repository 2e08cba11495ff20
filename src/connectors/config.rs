//! Transport settings of a connector instance: where and how to fetch. Read from the
//! `[http]`, `[paged]`, `[cursor]`, `[files]` and `[retry]` sections of a connector file.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

/// The connector kinds compiled into the hub. A new feed of an existing kind is a TOML file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectorKind {
    /// Page-numbered HTTP API, incremental on an update time (12345 hotline).
    HttpPaged,
    /// HTTP API with an opaque continuation cursor (110 alarms).
    HttpCursor,
    /// A folder where CSV/XLSX files are dropped, re-read when their content changes (信访).
    FileDrop,
    /// One CSV export file, re-read when its content changes (12345 CSV export).
    CsvFile,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    /// Full URL of the endpoint, without the paging query parameters.
    pub url: String,
    /// Extra request headers, e.g. `Authorization = "Bearer ${HOTLINE_TOKEN}"`.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Per-request timeout, including reading the body.
    #[serde(default = "default_timeout", with = "humantime_serde_compat")]
    pub timeout: Duration,
}

/// Page-numbered, incremental on the update time (`updated_after`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagedConfig {
    #[serde(default = "default_page_param")]
    pub page_param: String,
    #[serde(default = "default_size_param")]
    pub size_param: String,
    #[serde(default = "default_page_size")]
    pub page_size: u32,
    /// Query parameter carrying the update-time lower bound.
    pub since_param: String,
    /// strftime format of that parameter, rendered in `[time] zone`.
    #[serde(default = "default_since_format")]
    pub since_format: String,
    /// The raw field (dotted path) holding the record's update time; also mapped as `updated_at`.
    pub since_field: String,
    /// How far back each request reaches behind the newest update time seen, so records that
    /// share the boundary second are never skipped. Re-fetched records are recognised as unchanged.
    #[serde(default = "default_overlap", with = "humantime_serde_compat")]
    pub overlap: Duration,
    /// Dotted path of the item array in the response.
    pub items: String,
    /// Dotted path of the total count (optional; used for lag).
    pub total: Option<String>,
    #[serde(default)]
    pub envelope: Option<EnvelopeConfig>,
}

/// An in-body status code (`{"code": 0, "msg": "ok"}`) that can signal an error under HTTP 200.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeConfig {
    pub code: String,
    #[serde(default)]
    pub ok: i64,
    pub message: Option<String>,
    /// Codes that retrying cannot fix (bad credentials, bad request): the connector stops.
    #[serde(default = "default_permanent_codes")]
    pub permanent: Vec<i64>,
}

/// Opaque-cursor API.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CursorConfig {
    #[serde(default = "default_cursor_param")]
    pub cursor_param: String,
    #[serde(default = "default_limit_param")]
    pub limit_param: String,
    #[serde(default = "default_limit")]
    pub limit: u32,
    pub items: String,
    pub next_cursor: String,
    pub has_more: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    #[default]
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
    Gb18030,
    Gbk,
}

impl TextEncoding {
    pub fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 => encoding_rs::UTF_8,
            TextEncoding::Gb18030 => encoding_rs::GB18030,
            TextEncoding::Gbk => encoding_rs::GBK,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesConfig {
    /// file_drop: the folder to watch.
    pub dir: Option<PathBuf>,
    /// file_drop: file-name patterns with `*` wildcards, e.g. `["xf_*.csv", "xf_*.xlsx"]`.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// csv_file: the export file.
    pub path: Option<PathBuf>,
    /// Encoding of CSV files (XLSX is always Unicode). A UTF-8 byte-order mark is skipped.
    #[serde(default)]
    pub encoding: TextEncoding,
    #[serde(default = "default_delimiter")]
    pub delimiter: char,
    /// XLSX: the sheet to read; the first sheet when absent.
    pub sheet: Option<String>,
    /// Rows committed per transaction while reading a large file.
    #[serde(default = "default_rows_per_batch")]
    pub rows_per_batch: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryConfig {
    /// Tries per request before the run gives up on this connector.
    #[serde(default = "default_attempts")]
    pub attempts: u32,
    #[serde(default = "default_base_delay", with = "humantime_serde_compat")]
    pub base_delay: Duration,
    #[serde(default = "default_max_delay", with = "humantime_serde_compat")]
    pub max_delay: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            attempts: default_attempts(),
            base_delay: default_base_delay(),
            max_delay: default_max_delay(),
        }
    }
}

/// Everything a connector needs to fetch; mapping is ingest's business.
#[derive(Debug, Clone)]
pub struct TransportConfig {
    pub name: String,
    pub kind: ConnectorKind,
    pub http: Option<HttpConfig>,
    pub paged: Option<PagedConfig>,
    pub cursor: Option<CursorConfig>,
    pub files: Option<FilesConfig>,
    pub retry: RetryConfig,
    /// How the feed writes times: parses `paged.since_field` and renders `since` parameters.
    pub time: crate::time_format::TimeSpec,
    /// Formats of `paged.since_field` when `[fields] updated_at` names it with its own formats.
    pub since_formats: Option<Vec<String>>,
}

fn default_timeout() -> Duration {
    Duration::from_secs(30)
}
fn default_page_param() -> String {
    "page".into()
}
fn default_size_param() -> String {
    "page_size".into()
}
fn default_page_size() -> u32 {
    500
}
fn default_since_format() -> String {
    "%Y-%m-%dT%H:%M:%S%:z".into()
}
fn default_overlap() -> Duration {
    Duration::from_secs(1)
}
fn default_permanent_codes() -> Vec<i64> {
    vec![400, 401, 403, 404]
}
fn default_cursor_param() -> String {
    "cursor".into()
}
fn default_limit_param() -> String {
    "limit".into()
}
fn default_limit() -> u32 {
    1000
}
fn default_delimiter() -> char {
    ','
}
fn default_rows_per_batch() -> usize {
    2000
}
fn default_attempts() -> u32 {
    8
}
fn default_base_delay() -> Duration {
    Duration::from_millis(200)
}
fn default_max_delay() -> Duration {
    Duration::from_secs(30)
}

/// Durations written the human way: `"500ms"`, `"30s"`, `"5m"`.
pub(crate) mod humantime_serde_compat {
    use serde::{Deserialize, Deserializer};
    use std::time::Duration;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        humantime::parse_duration(&text).map_err(|e| {
            serde::de::Error::custom(format!(
                "`{text}` is not a duration like \"500ms\", \"30s\" or \"5m\": {e}"
            ))
        })
    }
}
