//! What situation analysis (`analysis::situation`) reads for a time window,
//! in four passes: the events with their areas and text, the persons and
//! places they were resolved to, and the status history of revised events.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::resolution::{ADDRESS, PERSON};
use super::schema::{entities, entity_mentions, event_areas, event_versions, events};
use super::{Store, StoreError};

/// One event as situation analysis reads it.
#[derive(Clone, Debug, Queryable)]
pub struct SituationRow {
    pub id: i64,
    pub source: String,
    pub record_id: String,
    pub occurred_at: NaiveDateTime,
    pub category: String,
    pub event_type: Option<String>,
    pub content: Option<String>,
    pub unit: Option<String>,
    pub status: String,
    pub deadline: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub satisfaction: Option<String>,
    pub petitioners: Option<i64>,
    /// Source-specific fields, JSON.
    pub detail: String,
    pub district: Option<i64>,
    pub street: Option<i64>,
    pub community: Option<i64>,
    pub site: Option<i64>,
    pub building: Option<i64>,
}

/// Everything about the events of one window.
#[derive(Clone, Debug, Default)]
pub struct SituationRows {
    /// Ordered by id.
    pub events: Vec<SituationRow>,
    /// (event id, person entity id), one per resolved person mention.
    pub persons: Vec<(i64, i64)>,
    /// (event id, address slot, place entity id, level of the place).
    pub places: Vec<(i64, i64, i64, Option<String>)>,
    /// (event id, version, lifecycle status) of events with more than one
    /// version, ordered by event and version.
    pub versions: Vec<(i64, i64, String)>,
}

impl Store {
    /// Events that occurred in [from, to) (UTC) with everything situation
    /// analysis needs of them.
    pub async fn situation_rows(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<SituationRows, StoreError> {
        self.run(move |conn| {
            macro_rules! in_window {
                () => {
                    events::occurred_at.ge(from).and(events::occurred_at.lt(to))
                };
            }
            let events: Vec<SituationRow> = events::table
                .left_join(event_areas::table)
                .filter(in_window!())
                .select((
                    events::id,
                    events::source,
                    events::record_id,
                    events::occurred_at,
                    events::category,
                    events::event_type,
                    events::content,
                    events::unit,
                    events::status,
                    events::deadline,
                    events::closed_at,
                    events::satisfaction,
                    events::petitioners,
                    events::detail,
                    event_areas::district_id.nullable(),
                    event_areas::street_id.nullable(),
                    event_areas::community_id.nullable(),
                    event_areas::site_id.nullable(),
                    event_areas::building_id.nullable(),
                ))
                .order(events::id)
                .load(conn)?;
            let persons: Vec<(i64, i64)> = entity_mentions::table
                .inner_join(events::table.on(events::id.eq(entity_mentions::event_id)))
                .filter(entity_mentions::kind.eq(PERSON))
                .filter(in_window!())
                .select((entity_mentions::event_id, entity_mentions::entity_id))
                .load(conn)?;
            let places: Vec<(i64, i64, i64, Option<String>)> = entity_mentions::table
                .inner_join(events::table.on(events::id.eq(entity_mentions::event_id)))
                .inner_join(
                    entities::table.on(entities::kind
                        .eq(entity_mentions::kind)
                        .and(entities::id.eq(entity_mentions::entity_id))),
                )
                .filter(entity_mentions::kind.eq(ADDRESS))
                .filter(in_window!())
                .select((
                    entity_mentions::event_id,
                    entity_mentions::slot,
                    entity_mentions::entity_id,
                    entities::level,
                ))
                .load(conn)?;
            let versions: Vec<(i64, i64, String)> = event_versions::table
                .inner_join(events::table.on(events::id.eq(event_versions::event_id)))
                .filter(in_window!())
                .filter(events::version.gt(1))
                .select((
                    event_versions::event_id,
                    event_versions::version,
                    event_versions::status,
                ))
                .order((event_versions::event_id, event_versions::version))
                .load(conn)?;
            Ok(SituationRows {
                events,
                persons,
                places,
                versions,
            })
        })
        .await
    }

    /// Events per source that occurred in [from, to) (UTC).
    pub async fn counts_by_source(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        self.run(move |conn| {
            Ok(events::table
                .filter(events::occurred_at.ge(from).and(events::occurred_at.lt(to)))
                .group_by(events::source)
                .select((events::source, diesel::dsl::count_star()))
                .order(events::source)
                .load(conn)?)
        })
        .await
    }
}
