//! The log of sync runs: one row per connector per run, counters added batch by batch.

use diesel::prelude::*;

use super::connection::per_backend;
use super::schema::sync_runs;
use super::{Store, StoreError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Queryable)]
pub struct RunCounts {
    pub fetched: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub quarantined: i64,
}

impl Store {
    /// Opens a run. Runs of this connector still marked running were cut short (the process
    /// died); they are marked `interrupted`, since their committed batches are all that counts.
    pub async fn start_run(&self, connector: &str) -> Result<i64, StoreError> {
        let connector = connector.to_string();
        self.run(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            diesel::update(
                sync_runs::table
                    .filter(sync_runs::connector.eq(&connector))
                    .filter(sync_runs::status.eq("running")),
            )
            .set((
                sync_runs::status.eq("interrupted"),
                sync_runs::error.eq("the process stopped before the run finished"),
            ))
            .execute(conn)?;
            let values = (
                sync_runs::connector.eq(&connector),
                sync_runs::started_at.eq(now),
                sync_runs::status.eq("running"),
                sync_runs::fetched.eq(0i64),
                sync_runs::inserted.eq(0i64),
                sync_runs::updated.eq(0i64),
                sync_runs::unchanged.eq(0i64),
                sync_runs::quarantined.eq(0i64),
            );
            let id = per_backend!(conn, |c| diesel::insert_into(sync_runs::table)
                .values(values)
                .returning(sync_runs::id)
                .get_result::<i64>(c))?;
            Ok(id)
        })
        .await
    }

    /// Closes a run; `error` None means it succeeded.
    pub async fn finish_run(
        &self,
        run_id: i64,
        error: Option<String>,
    ) -> Result<RunCounts, StoreError> {
        self.run(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            let status = if error.is_some() { "failed" } else { "ok" };
            diesel::update(sync_runs::table.find(run_id))
                .set((
                    sync_runs::finished_at.eq(now),
                    sync_runs::status.eq(status),
                    sync_runs::error.eq(error),
                ))
                .execute(conn)?;
            let counts = sync_runs::table
                .find(run_id)
                .select((
                    sync_runs::fetched,
                    sync_runs::inserted,
                    sync_runs::updated,
                    sync_runs::unchanged,
                    sync_runs::quarantined,
                ))
                .first(conn)?;
            Ok(counts)
        })
        .await
    }
}
