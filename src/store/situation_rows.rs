//! What situation analysis (`analysis::frame`) reads for a time window: the
//! events, their areas, the persons and places they were resolved to, the
//! rooms among those places, and the status history of revised events.
//!
//! A report reads a month or two of a whole county, often every event
//! there is, so each part is one sequential read: events by time (or the
//! whole table when the window holds all of it), the rest by the window's
//! range of event ids through indexes that hold the columns read. Rows of
//! that id range outside the window are dropped by the frame.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::resolution::{ADDRESS, EventAreaRow, PERSON};
use super::schema::{entities, entity_mentions, event_areas, event_versions, events};
use super::sql_time::{MaybeSqlTime, SqlTime};
use super::{AnyConnection, Store, StoreError};

/// One event as situation analysis reads it.
#[derive(Clone, Debug)]
pub struct SituationRow {
    pub id: i64,
    pub source: String,
    pub record_id: String,
    pub occurred_at: NaiveDateTime,
    pub category: String,
    pub event_type: Option<String>,
    /// Only for events from the text window on.
    pub content: Option<String>,
    pub unit: Option<String>,
    pub status: String,
    pub deadline: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub satisfaction: Option<String>,
    pub petitioners: Option<i64>,
    /// Source-specific fields, JSON.
    pub detail: String,
}

/// Everything about the events of one window.
#[derive(Clone, Debug, Default)]
pub struct SituationRows {
    /// Ordered by id.
    pub events: Vec<SituationRow>,
    /// The places of events (district … building), ordered by event id;
    /// events without a row have no resolved place.
    pub areas: Vec<EventAreaRow>,
    /// (event id, person entity id), one per resolved person mention.
    pub persons: Vec<(i64, i64)>,
    /// (event id, address slot, place entity id).
    pub places: Vec<(i64, i64, i64)>,
    /// Place entity ids at room level, ascending.
    pub rooms: Vec<i64>,
    /// (event id, version, lifecycle status) of events with more than one
    /// version, ordered by event and version.
    pub versions: Vec<(i64, i64, String)>,
}

/// An event without its text, as read for the whole window.
#[derive(Queryable, Selectable)]
#[diesel(table_name = events)]
struct Untexted {
    id: i64,
    source: String,
    record_id: String,
    #[diesel(deserialize_as = SqlTime)]
    occurred_at: NaiveDateTime,
    category: String,
    event_type: Option<String>,
    unit: Option<String>,
    status: String,
    #[diesel(deserialize_as = MaybeSqlTime)]
    deadline: Option<NaiveDateTime>,
    #[diesel(deserialize_as = MaybeSqlTime)]
    closed_at: Option<NaiveDateTime>,
    satisfaction: Option<String>,
    petitioners: Option<i64>,
    detail: String,
}

impl Untexted {
    fn without_text(self) -> SituationRow {
        SituationRow {
            id: self.id,
            source: self.source,
            record_id: self.record_id,
            occurred_at: self.occurred_at,
            category: self.category,
            event_type: self.event_type,
            content: None,
            unit: self.unit,
            status: self.status,
            deadline: self.deadline,
            closed_at: self.closed_at,
            satisfaction: self.satisfaction,
            petitioners: self.petitioners,
            detail: self.detail,
        }
    }
}

impl Store {
    /// Events that occurred in [from, to) (UTC) with everything situation
    /// analysis needs of them; their free text only from `text_from` on
    /// (what the hot words compare), the largest column by far. The events
    /// and their links are read on two connections at once.
    pub async fn situation_rows(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
        text_from: NaiveDateTime,
    ) -> Result<SituationRows, StoreError> {
        let t = std::time::Instant::now();
        let (links, (events, texts)) = tokio::try_join!(
            self.run(move |conn| match window_ids(conn, from, to)? {
                Some((lo, hi)) => window_links(conn, lo, hi),
                None => Ok(SituationRows::default()),
            }),
            self.run(move |conn| Ok((
                window_events(conn, from, to)?,
                window_texts(conn, text_from.max(from), to)?
            ))),
        )?;
        let mut rows = links;
        rows.events = events;
        for (id, text) in texts {
            if let Ok(i) = rows.events.binary_search_by_key(&id, |e| e.id) {
                rows.events[i].content = text;
            }
        }
        tracing::debug!(
            events = rows.events.len(),
            total_ms = t.elapsed().as_millis() as u64,
            "situation rows read"
        );
        Ok(rows)
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

/// The lowest and highest id of the events in [from, to).
fn window_ids(
    conn: &mut AnyConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Option<(i64, i64)>, StoreError> {
    let (lo, hi): (Option<i64>, Option<i64>) = events::table
        .filter(events::occurred_at.ge(from).and(events::occurred_at.lt(to)))
        .select((diesel::dsl::min(events::id), diesel::dsl::max(events::id)))
        .first(conn)?;
    Ok(lo.zip(hi))
}

fn window_events(
    conn: &mut AnyConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<SituationRow>, StoreError> {
    let (lo, hi): (Option<NaiveDateTime>, Option<NaiveDateTime>) = events::table
        .select((
            diesel::dsl::min(events::occurred_at),
            diesel::dsl::max(events::occurred_at),
        ))
        .first(conn)?;
    let mut q = events::table
        .select(Untexted::as_select())
        .order(events::id)
        .into_boxed();
    // Through the time index when the window is a small part of the data;
    // when it covers most of it, one pass over the table (dropping the rest
    // here) is cheaper than a lookup per row.
    let most = match (lo, hi) {
        (Some(lo), Some(hi)) if hi > lo => {
            let covered = (to.min(hi) - from.max(lo)).num_seconds().max(0);
            covered * 2 >= (hi - lo).num_seconds()
        }
        _ => true,
    };
    if !most {
        q = q.filter(events::occurred_at.ge(from).and(events::occurred_at.lt(to)));
    }
    Ok(q.load(conn)?
        .into_iter()
        .filter(|e| e.occurred_at >= from && e.occurred_at < to)
        .map(Untexted::without_text)
        .collect())
}

fn window_texts(
    conn: &mut AnyConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<(i64, Option<String>)>, StoreError> {
    Ok(events::table
        .filter(events::occurred_at.ge(from))
        .filter(events::occurred_at.lt(to))
        .select((events::id, events::content))
        .load(conn)?)
}

/// Areas, entity links, rooms and status histories of the events with ids
/// in [lo, hi]; the frame drops those outside its window.
fn window_links(conn: &mut AnyConnection, lo: i64, hi: i64) -> Result<SituationRows, StoreError> {
    let areas: Vec<EventAreaRow> = event_areas::table
        .filter(event_areas::event_id.between(lo, hi))
        .order(event_areas::event_id)
        .load(conn)?;
    let persons: Vec<(i64, i64)> = entity_mentions::table
        .filter(entity_mentions::kind.eq(PERSON))
        .filter(entity_mentions::event_id.between(lo, hi))
        .select((entity_mentions::event_id, entity_mentions::entity_id))
        .load(conn)?;
    let places: Vec<(i64, i64, i64)> = entity_mentions::table
        .filter(entity_mentions::kind.eq(ADDRESS))
        .filter(entity_mentions::event_id.between(lo, hi))
        .select((
            entity_mentions::event_id,
            entity_mentions::slot,
            entity_mentions::entity_id,
        ))
        .load(conn)?;
    let rooms: Vec<i64> = entities::table
        .filter(entities::kind.eq(ADDRESS))
        .filter(entities::level.eq("room"))
        .select(entities::id)
        .order(entities::id)
        .load(conn)?;
    let versions: Vec<(i64, i64, String)> = event_versions::table
        .inner_join(events::table.on(events::id.eq(event_versions::event_id)))
        .filter(events::id.between(lo, hi))
        .filter(events::version.gt(1))
        .select((
            event_versions::event_id,
            event_versions::version,
            event_versions::status,
        ))
        .order((event_versions::event_id, event_versions::version))
        .load(conn)?;
    Ok(SituationRows {
        events: Vec::new(),
        areas,
        persons,
        places,
        rooms,
        versions,
    })
}
