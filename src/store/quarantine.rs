//! Reading the quarantine and recording replays.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::quarantine;
use super::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct QuarantineEntry {
    pub id: i64,
    pub connector: String,
    pub source: String,
    pub record_id: Option<String>,
    pub stage: String,
    pub location: String,
    pub raw: String,
    pub raw_hex: Option<String>,
    pub reason: String,
    pub raw_hash: String,
    pub status: String,
    pub seen_count: i64,
    pub first_seen_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

#[derive(Debug, Clone, Default)]
pub struct QuarantineFilter {
    pub connector: Option<String>,
    /// `open`, `replayed`, `superseded`; all when None.
    pub status: Option<String>,
    pub limit: Option<i64>,
}

impl Store {
    pub async fn quarantine_entries(
        &self,
        filter: QuarantineFilter,
    ) -> Result<Vec<QuarantineEntry>, StoreError> {
        self.run(move |conn| {
            let mut q = quarantine::table.into_boxed();
            if let Some(c) = &filter.connector {
                q = q.filter(quarantine::connector.eq(c.clone()));
            }
            if let Some(s) = &filter.status {
                q = q.filter(quarantine::status.eq(s.clone()));
            }
            if let Some(l) = filter.limit {
                q = q.limit(l);
            }
            Ok(q.order(quarantine::id.asc()).load(conn)?)
        })
        .await
    }

    /// A replay that still fails keeps the entry open with the new reason.
    pub async fn quarantine_still_failing(
        &self,
        id: i64,
        reason: String,
    ) -> Result<(), StoreError> {
        self.run(move |conn| {
            diesel::update(quarantine::table.find(id))
                .set((
                    quarantine::reason.eq(reason),
                    quarantine::last_seen_at.eq(chrono::Utc::now().naive_utc()),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    pub async fn quarantine_mark(
        &self,
        ids: Vec<i64>,
        status: &'static str,
    ) -> Result<(), StoreError> {
        self.run(move |conn| {
            diesel::update(quarantine::table.filter(quarantine::id.eq_any(ids)))
                .set(quarantine::status.eq(status))
                .execute(conn)?;
            Ok(())
        })
        .await
    }
}
