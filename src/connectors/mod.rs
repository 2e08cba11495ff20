//! Connectors fetch raw records from a source and say how far they got. They never see the
//! database: the sync loop stores each batch together with the checkpoint it carries.

pub mod config;
mod csv_file;
pub mod env_subst;
mod file_drop;
mod file_set;
mod http_cursor;
mod http_paged;
mod json_items;
mod retry;
pub mod tabular;
mod wildcard;

use futures_util::future::BoxFuture;
use serde_json::{Map, Value};

use config::{ConnectorKind, TransportConfig};

/// Connector-specific progress, opaque to everyone else. Stored as JSON beside the data.
pub type Checkpoint = Value;

/// A record as the source sent it: field name → value, plus where it was found.
#[derive(Debug, Clone)]
pub struct RawRecord {
    pub fields: Map<String, Value>,
    /// The record's own JSON text when the source sent it as JSON; otherwise the raw record
    /// is `fields` printed as JSON.
    pub text: Option<String>,
    pub location: String,
}

impl RawRecord {
    /// The record as the store keeps it in its versions: the source's own text, or the fields
    /// as JSON.
    pub fn into_text(self) -> String {
        self.text.unwrap_or_else(|| fields_json(&self.fields))
    }
}

/// Fields as JSON, keys in order: alike for every delivery of the same values, however the
/// source spelt them.
pub fn fields_json(fields: &Map<String, Value>) -> String {
    serde_json::to_string(fields).expect("JSON map serialises")
}

/// Something that could not even be read as a record (broken encoding, wrong column count).
#[derive(Debug, Clone)]
pub struct RawReject {
    pub record_id: Option<String>,
    pub location: String,
    /// The row as text (undecodable bytes replaced).
    pub text: String,
    /// The row's bytes in hex when they could not be decoded.
    pub bytes_hex: Option<String>,
    pub reason: String,
}

/// One fetch: records and rejects to store, and the checkpoint to commit with them.
#[derive(Debug, Clone)]
pub struct Batch {
    pub records: Vec<RawRecord>,
    pub rejects: Vec<RawReject>,
    pub checkpoint: Checkpoint,
    /// What the source says is still waiting after this batch, if it says.
    pub source_behind: Option<i64>,
    /// True when the source has nothing more right now; the run ends after this batch.
    pub done: bool,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ConnectorError {
    /// Retrying cannot help (bad credentials, bad URL, unreadable folder): fix the config.
    #[error("permanent error: {0}")]
    Permanent(String),
    /// Still failing after every retry; the next run tries again.
    #[error("gave up after retries: {0}")]
    Exhausted(String),
}

/// A source of raw records. `checkpoint` is what the last committed (or the previous, still
/// uncommitted) batch carried; `Value::Null` on the first run.
pub trait Connector: Send {
    fn next_batch<'a>(
        &'a mut self,
        checkpoint: &'a Checkpoint,
    ) -> BoxFuture<'a, Result<Batch, ConnectorError>>;
}

/// Builds the connector for a feed's transport section.
pub fn build(config: &TransportConfig) -> Result<Box<dyn Connector>, ConnectorError> {
    Ok(match config.kind {
        ConnectorKind::HttpPaged => Box::new(http_paged::HttpPaged::new(config)?),
        ConnectorKind::HttpCursor => Box::new(http_cursor::HttpCursor::new(config)?),
        ConnectorKind::FileDrop => Box::new(file_drop::FileDrop::new(config)?),
        ConnectorKind::CsvFile => Box::new(csv_file::CsvFile::new(config)?),
    })
}

/// The items of a response: each a JSON object's text, or the error naming what stood at
/// `path` instead of an array.
fn item_texts(
    items: Option<json_items::Items>,
    path: &str,
) -> Result<Vec<Box<serde_json::value::RawValue>>, ConnectorError> {
    match items {
        Some(json_items::Items::Texts(texts)) => Ok(texts),
        other => Err(ConnectorError::Exhausted(format!(
            "response has no array at `{path}` (found {})",
            match other {
                Some(json_items::Items::Other(v)) => v.to_string().chars().take(80).collect(),
                _ => "nothing".to_string(),
            }
        ))),
    }
}

/// Turns the texts of a JSON array's items into raw records located by `prefix` and
/// position; an item that is not an object is a reject.
fn records_from_items(
    items: Vec<Box<serde_json::value::RawValue>>,
    prefix: &str,
) -> (Vec<RawRecord>, Vec<RawReject>) {
    let mut records = Vec::with_capacity(items.len());
    let mut rejects = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let location = format!("{prefix} item {i}");
        let text = String::from(Box::<str>::from(item));
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(fields)) => records.push(RawRecord {
                fields,
                text: Some(text),
                location,
            }),
            _ => rejects.push(RawReject {
                record_id: None,
                location,
                text,
                bytes_hex: None,
                reason: "item is not a JSON object".into(),
            }),
        }
    }
    (records, rejects)
}
