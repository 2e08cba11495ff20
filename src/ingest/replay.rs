//! `hub quarantine replay`: open entries re-mapped with the feed's current configuration (after
//! a fix to a date format, a field name or a status list). What now maps is stored like any
//! synced record; what still fails stays open with its new reason.

use crate::feeds::Feed;
use crate::store::{BatchWrite, IncomingEvent, QuarantineFilter, Store, StoreError};

use super::mapping::map_record;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplayReport {
    pub replayed: i64,
    pub still_failing: i64,
    /// Entries refused before mapping (undecodable bytes, wrong column count): only a fixed
    /// re-export of the source can bring them; the connector re-reads changed files.
    pub needs_resend: i64,
}

pub async fn replay(
    store: &Store,
    feeds: &[Feed],
    only: Option<&str>,
) -> Result<ReplayReport, StoreError> {
    let mut report = ReplayReport::default();
    for feed in feeds.iter().filter(|f| only.is_none_or(|n| n == f.name)) {
        let entries = store
            .quarantine_entries(QuarantineFilter {
                connector: Some(feed.name.clone()),
                status: Some("open".into()),
                limit: None,
            })
            .await?;
        if entries.is_empty() {
            continue;
        }
        let mut events = Vec::new();
        let mut ids = Vec::new();
        for entry in entries {
            if entry.stage != "map" {
                report.needs_resend += 1;
                continue;
            }
            let fields: serde_json::Map<String, serde_json::Value> =
                match serde_json::from_str(&entry.raw) {
                    Ok(f) => f,
                    Err(e) => {
                        store
                            .quarantine_still_failing(
                                entry.id,
                                format!("stored raw record is not JSON: {e}"),
                            )
                            .await?;
                        report.still_failing += 1;
                        continue;
                    }
                };
            match map_record(&feed.mapping, &fields) {
                Ok(event) => {
                    events.push(IncomingEvent::new(event, entry.raw.clone()));
                    ids.push(entry.id);
                }
                Err(e) => {
                    if e.reason != entry.reason {
                        store.quarantine_still_failing(entry.id, e.reason).await?;
                    }
                    report.still_failing += 1;
                }
            }
        }
        if events.is_empty() {
            continue;
        }
        let run_id = store.start_run(&feed.name).await?;
        let n = events.len() as i64;
        store
            .apply_batch(BatchWrite {
                connector: feed.name.clone(),
                source: feed.source,
                run_id,
                events,
                rejects: vec![],
                checkpoint: None,
                source_behind: None,
                fetched: n,
            })
            .await?;
        store.finish_run(run_id, None).await?;
        store.quarantine_mark(ids, "replayed").await?;
        report.replayed += n;
    }
    Ok(report)
}
