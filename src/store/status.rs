//! What `hub status` and the API show per connector.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{quarantine, sync_checkpoints, sync_runs};
use super::{Store, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct StoredCheckpoint {
    pub checkpoint: serde_json::Value,
    pub records_total: i64,
    pub source_behind: Option<i64>,
    pub last_source_time: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConnectorStatus {
    pub connector: String,
    pub checkpoint: Option<StoredCheckpoint>,
    pub last_run_status: Option<String>,
    pub last_run_started: Option<NaiveDateTime>,
    pub last_run_finished: Option<NaiveDateTime>,
    /// The error of the newest failed run, if no run succeeded after it.
    pub last_error: Option<String>,
    pub quarantine_open: i64,
}

impl Store {
    pub async fn checkpoint(
        &self,
        connector: &str,
    ) -> Result<Option<StoredCheckpoint>, StoreError> {
        let connector = connector.to_string();
        self.run(move |conn| load_checkpoint(conn, &connector))
            .await
    }

    /// Status of the named connectors, plus any the database knows that are not named.
    pub async fn connector_status(
        &self,
        names: Vec<String>,
    ) -> Result<Vec<ConnectorStatus>, StoreError> {
        self.run(move |conn| {
            let mut all = names;
            let known: Vec<String> = sync_checkpoints::table
                .select(sync_checkpoints::connector)
                .load(conn)?;
            let ran: Vec<String> = sync_runs::table
                .select(sync_runs::connector)
                .distinct()
                .load(conn)?;
            for n in known.into_iter().chain(ran) {
                if !all.contains(&n) {
                    all.push(n);
                }
            }
            let mut out = Vec::with_capacity(all.len());
            for name in all {
                let checkpoint = load_checkpoint(conn, &name)?;
                let last: Option<(String, NaiveDateTime, Option<NaiveDateTime>, Option<String>)> =
                    sync_runs::table
                        .filter(sync_runs::connector.eq(&name))
                        .order(sync_runs::id.desc())
                        .select((
                            sync_runs::status,
                            sync_runs::started_at,
                            sync_runs::finished_at,
                            sync_runs::error,
                        ))
                        .first(conn)
                        .optional()?;
                let quarantine_open: i64 = quarantine::table
                    .filter(quarantine::connector.eq(&name))
                    .filter(quarantine::status.eq("open"))
                    .count()
                    .get_result(conn)?;
                let (status, started, finished, error) = match last {
                    Some((s, st, f, e)) => (Some(s), Some(st), f, e),
                    None => (None, None, None, None),
                };
                out.push(ConnectorStatus {
                    connector: name,
                    checkpoint,
                    last_run_status: status,
                    last_run_started: started,
                    last_run_finished: finished,
                    last_error: error,
                    quarantine_open,
                });
            }
            Ok(out)
        })
        .await
    }
}

/// checkpoint, records_total, source_behind, last_source_time, updated_at
type CheckpointColumns = (
    String,
    i64,
    Option<i64>,
    Option<NaiveDateTime>,
    NaiveDateTime,
);

fn load_checkpoint(
    conn: &mut super::AnyConnection,
    connector: &str,
) -> Result<Option<StoredCheckpoint>, StoreError> {
    let row: Option<CheckpointColumns> = sync_checkpoints::table
        .find(connector)
        .select((
            sync_checkpoints::checkpoint,
            sync_checkpoints::records_total,
            sync_checkpoints::source_behind,
            sync_checkpoints::last_source_time,
            sync_checkpoints::updated_at,
        ))
        .first(conn)
        .optional()?;
    row.map(|(cp, total, behind, last, updated)| {
        let checkpoint = serde_json::from_str(&cp)
            .map_err(|e| StoreError::Corrupt(format!("checkpoint of {connector}: {e}")))?;
        Ok(StoredCheckpoint {
            checkpoint,
            records_total: total,
            source_behind: behind,
            last_source_time: last,
            updated_at: updated,
        })
    })
    .transpose()
}
