//! The columns of every event that aggregates group and filter by, with
//! the event's areas, read in one pass for the in-memory cube
//! (`analysis::cube`), and a cheap marker of whether anything changed.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use super::schema::{entity_log, event_areas, events, resolve_queue, sync_checkpoints};
use super::sql_time::{MaybeSqlTime, SqlTime};
use super::{Store, StoreError};

/// One event as the cube holds it.
#[derive(Clone, Debug, PartialEq, Queryable)]
pub struct CubeRow {
    pub id: i64,
    #[diesel(deserialize_as = SqlTime)]
    pub occurred_at: NaiveDateTime,
    pub source: String,
    pub category: String,
    pub event_type: Option<String>,
    pub status: String,
    pub unit: Option<String>,
    pub satisfaction: Option<String>,
    #[diesel(deserialize_as = MaybeSqlTime)]
    pub deadline: Option<NaiveDateTime>,
    #[diesel(deserialize_as = MaybeSqlTime)]
    pub closed_at: Option<NaiveDateTime>,
    pub district: Option<i64>,
    pub street: Option<i64>,
    pub community: Option<i64>,
    pub site: Option<i64>,
    pub building: Option<i64>,
}

/// Changes whenever a sync batch commits or resolution moves on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataMark {
    pub last_batch: Option<NaiveDateTime>,
    pub queued: i64,
    pub last_log: Option<i64>,
}

impl Store {
    pub async fn cube_rows(&self) -> Result<Vec<CubeRow>, StoreError> {
        self.run(|conn| {
            Ok(events::table
                .left_join(event_areas::table)
                .select((
                    events::id,
                    events::occurred_at,
                    events::source,
                    events::category,
                    events::event_type,
                    events::status,
                    events::unit,
                    events::satisfaction,
                    events::deadline,
                    events::closed_at,
                    event_areas::district_id.nullable(),
                    event_areas::street_id.nullable(),
                    event_areas::community_id.nullable(),
                    event_areas::site_id.nullable(),
                    event_areas::building_id.nullable(),
                ))
                .order(events::id)
                .load(conn)?)
        })
        .await
    }

    pub async fn data_mark(&self) -> Result<DataMark, StoreError> {
        self.run(|conn| {
            Ok(DataMark {
                last_batch: sync_checkpoints::table
                    .select(max(sync_checkpoints::updated_at))
                    .first(conn)?,
                queued: resolve_queue::table.select(count_star()).first(conn)?,
                last_log: entity_log::table.select(max(entity_log::id)).first(conn)?,
            })
        })
        .await
    }
}
