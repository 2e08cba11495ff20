//! Reading resolved entities for the API: persons and places by id, the
//! links from mentions to them (with why), search keys, first/last seen,
//! places inside places and who appears where. Every call takes a whole
//! batch of ids, so API loaders cost one query per batch.

use chrono::NaiveDateTime;
use diesel::dsl::{count, count_star, max, min};
use diesel::prelude::*;

use super::event_query::{AreaFilter, AreaLevel, escape_like, in_area};
use super::in_list::in_list;
use super::resolution::{ADDRESS, PERSON};
use super::schema::{entities, entity_keys, entity_mentions, event_areas, events};
use super::sql_time::MaybeSqlTime;
use super::{AnyConnection, Store, StoreError};

const CHUNK: usize = 500;

/// A resolved person or place as stored.
#[derive(Clone, Debug, PartialEq, Queryable)]
pub struct EntityRecord {
    pub kind: String,
    pub id: i64,
    pub label: String,
    pub level: Option<String>,
    pub parent_id: Option<i64>,
    pub mention_count: i64,
    /// JSON: persons, the variants seen; places, key and coordinates.
    pub detail: String,
}

/// One mention's link to its entity.
#[derive(Clone, Debug, PartialEq, Queryable)]
pub struct MentionLink {
    pub event_id: i64,
    pub slot: i64,
    pub entity_id: i64,
    /// JSON, `resolve::why`.
    pub why: Option<String>,
}

/// When an entity was first and last named, and in how many events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub entity_id: i64,
    pub first: NaiveDateTime,
    pub last: NaiveDateTime,
    pub events: i64,
}

impl Store {
    pub async fn entities_by_ids(
        &self,
        kind: &'static str,
        ids: Vec<i64>,
    ) -> Result<Vec<EntityRecord>, StoreError> {
        self.run(move |conn| {
            let mut out = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(CHUNK) {
                out.extend(
                    entities::table
                        .filter(entities::kind.eq(kind))
                        .filter(in_list(entities::id, chunk))
                        .select(ENTITY_COLUMNS)
                        .load::<EntityRecord>(conn)?,
                );
            }
            Ok(out)
        })
        .await
    }

    /// One entity, and when `span` its first/last seen, in one checkout.
    pub async fn entity_with_span(
        &self,
        kind: &'static str,
        id: i64,
        span: bool,
    ) -> Result<Option<(EntityRecord, Option<Span>)>, StoreError> {
        self.run(move |conn| {
            let Some(record) = entities::table
                .filter(entities::kind.eq(kind))
                .filter(entities::id.eq(id))
                .select(ENTITY_COLUMNS)
                .first::<EntityRecord>(conn)
                .optional()?
            else {
                return Ok(None);
            };
            let span = if span {
                spans(conn, kind, &[id])?.pop()
            } else {
                None
            };
            Ok(Some((record, span)))
        })
        .await
    }

    /// Links of every mention of these events to entities of one kind.
    pub async fn links_of_events(
        &self,
        kind: &'static str,
        event_ids: Vec<i64>,
    ) -> Result<Vec<MentionLink>, StoreError> {
        self.run(move |conn| {
            let mut out = Vec::new();
            for chunk in event_ids.chunks(CHUNK) {
                out.extend(
                    entity_mentions::table
                        .filter(entity_mentions::kind.eq(kind))
                        .filter(in_list(entity_mentions::event_id, chunk))
                        .select((
                            entity_mentions::event_id,
                            entity_mentions::slot,
                            entity_mentions::entity_id,
                            entity_mentions::why,
                        ))
                        .load::<MentionLink>(conn)?,
                );
            }
            Ok(out)
        })
        .await
    }

    /// Entities with any of these search keys, or a key starting with
    /// `prefix`: (key, entity id), at most `limit` entities.
    pub async fn entities_by_keys(
        &self,
        kind: &'static str,
        keys: Vec<String>,
        prefix: Option<String>,
        limit: i64,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        self.run(move |conn| {
            let mut out: Vec<(String, i64)> = entity_keys::table
                .filter(entity_keys::kind.eq(kind))
                .filter(entity_keys::search_key.eq_any(&keys))
                .select((entity_keys::search_key, entity_keys::entity_id))
                .order(entity_keys::entity_id)
                .limit(limit * 4)
                .load(conn)?;
            if let Some(p) = prefix {
                let q = entity_keys::table
                    .filter(entity_keys::kind.eq(kind))
                    .select((entity_keys::search_key, entity_keys::entity_id))
                    .order(entity_keys::search_key)
                    .limit(limit);
                // SQLite's LIKE ignores ASCII case, so it cannot use the key
                // index; a range on the binary-ordered key can. PostgreSQL's
                // range order follows the database's collation, LIKE does not.
                let rows: Vec<(String, i64)> = match conn {
                    AnyConnection::Sqlite(c) => q
                        .filter(entity_keys::search_key.ge(p.clone()))
                        .filter(entity_keys::search_key.lt(format!("{p}\u{10FFFF}")))
                        .load(c)?,
                    AnyConnection::Postgresql(c) => q
                        .filter(
                            entity_keys::search_key
                                .like(format!("{}%", escape_like(&p)))
                                .escape('\\'),
                        )
                        .load(c)?,
                };
                out.extend(rows);
            }
            Ok(out)
        })
        .await
    }

    /// First and last time each entity was named, and in how many events.
    pub async fn entity_spans(
        &self,
        kind: &'static str,
        ids: Vec<i64>,
    ) -> Result<Vec<Span>, StoreError> {
        self.run(move |conn| {
            let mut out = Vec::new();
            for chunk in ids.chunks(CHUNK) {
                out.extend(spans(conn, kind, chunk)?);
            }
            Ok(out)
        })
        .await
    }

    /// Places directly inside these places: (parent id, child), children by
    /// most mentions first, at most `limit` per call.
    pub async fn children_of(
        &self,
        parents: Vec<i64>,
        limit: i64,
    ) -> Result<Vec<EntityRecord>, StoreError> {
        self.run(move |conn| {
            Ok(entities::table
                .filter(entities::kind.eq(ADDRESS))
                .filter(entities::parent_id.eq_any(parents))
                .order((entities::mention_count.desc(), entities::id))
                .limit(limit)
                .select(ENTITY_COLUMNS)
                .load(conn)?)
        })
        .await
    }

    /// Persons named in events at a place, most events first: (person id,
    /// events).
    pub async fn persons_at(
        &self,
        area: AreaFilter,
        limit: i64,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        macro_rules! persons_in {
            ($conn:expr, $events:expr) => {
                entity_mentions::table
                    .filter(entity_mentions::kind.eq(PERSON))
                    .filter(entity_mentions::event_id.eq_any($events))
                    .group_by(entity_mentions::entity_id)
                    .select((entity_mentions::entity_id, count_star()))
                    .order((count_star().desc(), entity_mentions::entity_id))
                    .limit(limit)
                    .load($conn)
            };
        }
        self.run(move |conn| {
            let id = area.id;
            Ok(match area.level {
                AreaLevel::District => persons_in!(conn, in_area!(district_id, id))?,
                AreaLevel::Street => persons_in!(conn, in_area!(street_id, id))?,
                AreaLevel::Community => persons_in!(conn, in_area!(community_id, id))?,
                AreaLevel::Site => persons_in!(conn, in_area!(site_id, id))?,
                AreaLevel::Building => persons_in!(conn, in_area!(building_id, id))?,
                AreaLevel::Room => {
                    let events: Vec<i64> = entity_mentions::table
                        .filter(entity_mentions::kind.eq(ADDRESS))
                        .filter(entity_mentions::entity_id.eq(id))
                        .select(entity_mentions::event_id)
                        .load(conn)?;
                    persons_in!(conn, events)?
                }
            })
        })
        .await
    }

    /// Up to `limit` entity ids of a kind with at least `min_mentions`
    /// mentions, spread over the id range (for benchmarks and samples).
    pub async fn sample_entities(
        &self,
        kind: &'static str,
        min_mentions: i64,
        limit: i64,
    ) -> Result<Vec<i64>, StoreError> {
        self.run(move |conn| {
            let ids: Vec<i64> = entities::table
                .filter(entities::kind.eq(kind))
                .filter(entities::mention_count.ge(min_mentions))
                .select(entities::id)
                .order(entities::id)
                .load(conn)?;
            let step = (ids.len() / limit.max(1) as usize).max(1);
            Ok(ids.into_iter().step_by(step).take(limit as usize).collect())
        })
        .await
    }

    /// Ids of the events naming one entity.
    pub async fn events_of_entity(
        &self,
        kind: &'static str,
        id: i64,
    ) -> Result<Vec<i64>, StoreError> {
        self.run(move |conn| {
            Ok(entity_mentions::table
                .filter(entity_mentions::kind.eq(kind))
                .filter(entity_mentions::entity_id.eq(id))
                .select(entity_mentions::event_id)
                .distinct()
                .load(conn)?)
        })
        .await
    }
}

fn spans(conn: &mut AnyConnection, kind: &str, ids: &[i64]) -> Result<Vec<Span>, StoreError> {
    let rows: Vec<(i64, MaybeSqlTime, MaybeSqlTime, i64)> = entity_mentions::table
        .inner_join(events::table)
        .filter(entity_mentions::kind.eq(kind))
        .filter(in_list(entity_mentions::entity_id, ids))
        .group_by(entity_mentions::entity_id)
        .select((
            entity_mentions::entity_id,
            min(events::occurred_at),
            max(events::occurred_at),
            count(entity_mentions::event_id).aggregate_distinct(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, first, last, n)| {
            Some(Span {
                entity_id: id,
                first: first.0?,
                last: last.0?,
                events: n,
            })
        })
        .collect())
}

/// The filter for events at a place, by its stored level.
pub fn area_of(record: &EntityRecord) -> Option<AreaFilter> {
    Some(AreaFilter {
        level: AreaLevel::from_stored(record.level.as_deref()?)?,
        id: record.id,
    })
}

pub(super) const ENTITY_COLUMNS: (
    entities::kind,
    entities::id,
    entities::label,
    entities::level,
    entities::parent_id,
    entities::mention_count,
    entities::detail,
) = (
    entities::kind,
    entities::id,
    entities::label,
    entities::level,
    entities::parent_id,
    entities::mention_count,
    entities::detail,
);
