//! HTTP feed with an opaque continuation cursor (110 alarms). The cursor is kept exactly as the
//! source gave it; a revised alarm simply comes again later in the stream.

use futures_util::future::BoxFuture;
use serde_json::Value;

use super::config::{CursorConfig, TransportConfig};
use super::retry::JsonClient;
use super::{Batch, Checkpoint, Connector, ConnectorError, records_from_items};

pub struct HttpCursor {
    client: JsonClient,
    cursor: CursorConfig,
}

impl HttpCursor {
    pub fn new(config: &TransportConfig) -> Result<Self, ConnectorError> {
        let http = config
            .http
            .as_ref()
            .ok_or_else(|| ConnectorError::Permanent("missing [http]".into()))?;
        let cursor = config
            .cursor
            .clone()
            .ok_or_else(|| ConnectorError::Permanent("missing [cursor]".into()))?;
        Ok(HttpCursor {
            client: JsonClient::new(&config.name, http, &config.retry)?,
            cursor,
        })
    }

    async fn fetch(&self, checkpoint: &Checkpoint) -> Result<Batch, ConnectorError> {
        let c = &self.cursor;
        let current = checkpoint
            .get("cursor")
            .and_then(Value::as_str)
            .map(str::to_string);
        let mut query = vec![(c.limit_param.clone(), c.limit.to_string())];
        if let Some(cur) = &current {
            query.push((c.cursor_param.clone(), cur.clone()));
        }
        let parsed = self.client.get(&query, &c.items, None).await?;
        let body = &parsed.rest;
        let has_more = crate::json_path::get(body, &c.has_more)
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let next = crate::json_path::get(body, &c.next_cursor)
            .and_then(Value::as_str)
            .map(str::to_string);
        let items = super::item_texts(parsed.items, &c.items)?;
        // Without a new cursor the source has not moved; keep ours so nothing is read twice or skipped.
        let next = next.or(current.clone());
        let location = format!("cursor {}", current.as_deref().unwrap_or("(start)"));
        let (records, rejects) = records_from_items(items, &location);
        Ok(Batch {
            records,
            rejects,
            checkpoint: serde_json::json!({ "cursor": next }),
            source_behind: None,
            done: !has_more,
        })
    }
}

impl Connector for HttpCursor {
    fn next_batch<'a>(
        &'a mut self,
        checkpoint: &'a Checkpoint,
    ) -> BoxFuture<'a, Result<Batch, ConnectorError>> {
        Box::pin(self.fetch(checkpoint))
    }
}
