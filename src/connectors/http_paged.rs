//! Page-numbered HTTP feed, incremental on the update time (12345 work orders).
//!
//! Page numbers alone lose records when the source changes between two page requests (an
//! update moves a record to the end and every later record shifts back by one). So paging is
//! keyset-like: each request asks for page 1 after the newest update time already received,
//! minus an overlap, and only walks to page 2, 3 ... while one update second fills whole pages.
//! Records re-sent by the overlap are recognised downstream as unchanged.

use chrono::NaiveDateTime;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::config::{PagedConfig, TransportConfig};
use super::json_items::Items;
use super::retry::JsonClient;
use super::{Batch, Checkpoint, Connector, ConnectorError, records_from_items};
use crate::time_format::TimeSpec;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct State {
    /// Lower bound (exclusive, UTC) sent as the `since` parameter; None = from the beginning.
    since: Option<NaiveDateTime>,
    page: u32,
}

pub struct HttpPaged {
    client: JsonClient,
    paged: PagedConfig,
    time: TimeSpec,
    since_formats: Option<Vec<String>>,
}

impl HttpPaged {
    pub fn new(config: &TransportConfig) -> Result<Self, ConnectorError> {
        let http = config
            .http
            .as_ref()
            .ok_or_else(|| ConnectorError::Permanent("missing [http]".into()))?;
        let paged = config
            .paged
            .clone()
            .ok_or_else(|| ConnectorError::Permanent("missing [paged]".into()))?;
        Ok(HttpPaged {
            client: JsonClient::new(&config.name, http, &config.retry)?,
            paged,
            time: config.time.clone(),
            since_formats: config.since_formats.clone(),
        })
    }

    async fn fetch(&self, checkpoint: &Checkpoint) -> Result<Batch, ConnectorError> {
        let state: State = if checkpoint.is_null() {
            State::default()
        } else {
            serde_json::from_value(checkpoint.clone()).map_err(|e| {
                ConnectorError::Permanent(format!(
                    "stored checkpoint {checkpoint} is not a paged checkpoint: {e}"
                ))
            })?
        };
        let page = state.page.max(1);
        let p = &self.paged;
        let mut query = vec![
            (p.page_param.clone(), page.to_string()),
            (p.size_param.clone(), p.page_size.to_string()),
        ];
        if let Some(since) = state.since {
            query.push((
                p.since_param.clone(),
                self.time.render(since, &p.since_format),
            ));
        }
        let parsed = self
            .client
            .get(&query, &p.items, p.envelope.as_ref())
            .await?;
        let total = p
            .total
            .as_deref()
            .and_then(|t| crate::json_path::get(&parsed.rest, t))
            .and_then(Value::as_i64);
        let items = match parsed.items {
            Some(Items::Other(Value::Null)) | None if total == Some(0) => Vec::new(),
            other => super::item_texts(other, &p.items)?,
        };
        let location = format!(
            "page {page} after {}",
            state
                .since
                .map(|s| self.time.render(s, &p.since_format))
                .unwrap_or_else(|| "the beginning".into())
        );
        let received = items.len();
        let (records, rejects) = records_from_items(items, &location);
        let newest = records
            .iter()
            .filter_map(|r| crate::json_path::field(&r.fields, &p.since_field))
            .filter_map(|v| self.time.parse(v, self.since_formats.as_deref()).ok())
            .max();
        if newest.is_none() && received > 0 {
            // Records still land, but the checkpoint cannot move: every run would walk all pages.
            tracing::warn!(
                field = %p.since_field,
                "no item's update time could be read; check [time] formats against `paged.since_field`"
            );
        }
        let full = received as u32 >= p.page_size;
        let overlap = chrono::Duration::from_std(p.overlap).unwrap_or_default();
        let advanced = newest
            .map(|t| t - overlap)
            .filter(|t| state.since.is_none_or(|s| *t > s));
        let next = match (full, advanced) {
            (true, Some(since)) => State {
                since: Some(since),
                page: 1,
            },
            (true, None) => State {
                since: state.since,
                page: page + 1,
            },
            (false, Some(since)) => State {
                since: Some(since),
                page: 1,
            },
            (false, None) => State {
                since: state.since,
                page: 1,
            },
        };
        Ok(Batch {
            records,
            rejects,
            checkpoint: serde_json::to_value(&next).expect("state serialises"),
            source_behind: total
                .map(|t| (t - (page as i64 - 1) * p.page_size as i64 - received as i64).max(0)),
            done: !full,
        })
    }
}

impl Connector for HttpPaged {
    fn next_batch<'a>(
        &'a mut self,
        checkpoint: &'a Checkpoint,
    ) -> BoxFuture<'a, Result<Batch, ConnectorError>> {
        Box::pin(self.fetch(checkpoint))
    }
}
