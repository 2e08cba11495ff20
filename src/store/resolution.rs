//! Reading mentions for resolution and writing its results: entity rows,
//! mention → entity links, the entity log, the stored model and the queue
//! of events whose mentions changed. Each resolution step is one
//! transaction, queue rows included, so a crash never loses a change.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::upsert::excluded;

use super::connection::{AnyConnection, per_backend};
use super::schema::{
    address_mentions, entities, entity_keys, entity_log, entity_mentions, event_areas, events,
    person_mentions, resolution_models, resolve_queue,
};
use super::{Store, StoreError};

const CHUNK: usize = 500;

/// `kind` of person entities, their links and keys.
pub const PERSON: &str = "person";
/// `kind` of place entities, their links and keys.
pub const ADDRESS: &str = "address";
/// `entity_keys.kind` of the other writings of a compound (address ids).
pub const ALIAS: &str = "alias";

/// A person mention as stored, with where it came from.
#[derive(Clone, Debug, Queryable)]
pub struct StoredPerson {
    pub event_id: i64,
    pub source: String,
    pub record_id: String,
    pub position: i64,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    /// The event's version when this row was read.
    pub version: i64,
    /// Some (the event id) when the event was queued for resolution when
    /// this row was read: a link stored for it may predate this version.
    pub queued: Option<i64>,
}

/// An address mention as stored, with the event's coordinates.
#[derive(Clone, Debug, Queryable)]
pub struct StoredAddress {
    pub event_id: i64,
    pub source: String,
    pub record_id: String,
    pub field: String,
    pub text: String,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    /// The event's version when this row was read.
    pub version: i64,
}

/// An event waiting for resolution, at the version it has now.
#[derive(Clone, Debug, Queryable)]
pub struct QueuedEvent {
    pub id: i64,
    pub source: String,
    pub record_id: String,
    pub version: i64,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = entities, treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct EntityRow {
    pub kind: String,
    pub id: i64,
    pub label: String,
    pub level: Option<String>,
    pub parent_id: Option<i64>,
    pub mention_count: i64,
    pub detail: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = entity_log)]
pub struct LogRow {
    pub at: NaiveDateTime,
    pub kind: String,
    pub action: String,
    pub entity_id: i64,
    pub others: String,
    pub reason: String,
}

// With a None meaning DEFAULT, diesel inserts a SQLite batch row by row
// inside a savepoint, and every row's statement then walks the savepoint's
// growing in-memory journal: a third of the time of writing a city's links.
#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = entity_mentions, treat_none_as_default_value = false, treat_none_as_null = true)]
struct LinkRow<'a> {
    kind: &'a str,
    event_id: i64,
    slot: i64,
    entity_id: i64,
    why: Option<&'a str>,
}

/// The places one event happened in (see the `event_areas` table).
#[derive(Clone, Debug, Insertable, Queryable)]
#[diesel(table_name = event_areas, treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct EventAreaRow {
    pub event_id: i64,
    pub district_id: Option<i64>,
    pub street_id: Option<i64>,
    pub community_id: Option<i64>,
    pub site_id: Option<i64>,
    pub building_id: Option<i64>,
}

/// A mention's link to its entity, with why (JSON, `resolve::why`).
#[derive(Clone, Debug)]
pub struct LinkWrite {
    pub event_id: i64,
    pub slot: i64,
    pub entity_id: i64,
    pub why: Option<String>,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = entity_keys)]
struct KeyRow<'a> {
    kind: &'a str,
    search_key: &'a str,
    entity_id: i64,
}

/// Runs a bulk read with a small SQLite page cache: reading a whole store
/// through the pooled connections would otherwise leave each holding its
/// full cache (64 MiB) of pages nobody reads again.
fn with_small_cache<T>(
    conn: &mut AnyConnection,
    read: impl FnOnce(&mut AnyConnection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    if !matches!(conn, AnyConnection::Sqlite(_)) {
        return read(conn);
    }
    conn.batch_execute("PRAGMA cache_size = -8192;")?;
    let out = read(conn);
    conn.batch_execute(&format!(
        "PRAGMA cache_size = {};",
        super::connection::SQLITE_CACHE_SIZE
    ))?;
    out
}

/// Which events' mentions to read.
#[derive(Clone, Debug)]
pub enum Events {
    Ids(Vec<i64>),
    /// lo <= id < hi, for reading a large store in slices.
    Between(i64, i64),
}

/// Everything one resolution step writes.
#[derive(Clone, Debug, Default)]
pub struct ResolutionWrite {
    pub kind: &'static str,
    pub links: Vec<LinkWrite>,
    /// (event id, slot) no longer resolved.
    pub unlinked: Vec<(i64, i64)>,
    pub entities: Vec<EntityRow>,
    /// Entity ids with no mentions left.
    pub retired: Vec<i64>,
    /// (entity id, search key): the whole key set of every entity in
    /// `entities`; their old keys are replaced.
    pub keys: Vec<(i64, String)>,
    pub log: Vec<LogRow>,
    /// All alias search keys (kind `alias`), replacing the stored ones.
    pub alias_keys: Option<Vec<(i64, String)>>,
    /// Events whose areas changed: (event id, areas); None deletes the row.
    pub areas: Vec<(i64, Option<EventAreaRow>)>,
    /// Queue rows this step covered: (event id, the version resolved). A
    /// row stays queued when its event has changed since.
    pub dequeue: Vec<(i64, i64)>,
}

impl Store {
    /// Person mentions of some events, in event and position order.
    pub async fn stored_persons(&self, which: Events) -> Result<Vec<StoredPerson>, StoreError> {
        self.run(move |conn| {
            let query = || {
                person_mentions::table
                    .inner_join(events::table)
                    .left_join(
                        resolve_queue::table
                            .on(resolve_queue::event_id.eq(person_mentions::event_id)),
                    )
                    .select((
                        person_mentions::event_id,
                        events::source,
                        events::record_id,
                        person_mentions::position,
                        person_mentions::name,
                        person_mentions::phone,
                        person_mentions::id_number,
                        events::version,
                        resolve_queue::event_id.nullable(),
                    ))
                    .order((person_mentions::event_id, person_mentions::position))
            };
            let mut out = Vec::new();
            match which {
                Events::Between(lo, hi) => {
                    out = with_small_cache(conn, |conn| {
                        Ok(query()
                            .filter(
                                person_mentions::event_id
                                    .ge(lo)
                                    .and(person_mentions::event_id.lt(hi)),
                            )
                            .load(conn)?)
                    })?
                }
                Events::Ids(ids) => {
                    for chunk in ids.chunks(CHUNK) {
                        out.extend(
                            query()
                                .filter(person_mentions::event_id.eq_any(chunk))
                                .load::<StoredPerson>(conn)?,
                        );
                    }
                }
            }
            Ok(out)
        })
        .await
    }

    /// Address mentions of some events, with the events' coordinates.
    pub async fn stored_addresses(&self, which: Events) -> Result<Vec<StoredAddress>, StoreError> {
        self.run(move |conn| {
            let query = || {
                address_mentions::table
                    .inner_join(events::table)
                    .select((
                        address_mentions::event_id,
                        events::source,
                        events::record_id,
                        address_mentions::field,
                        address_mentions::text,
                        events::longitude,
                        events::latitude,
                        events::version,
                    ))
                    .order((address_mentions::event_id, address_mentions::field))
            };
            let mut out = Vec::new();
            match which {
                Events::Between(lo, hi) => {
                    out = with_small_cache(conn, |conn| {
                        Ok(query()
                            .filter(
                                address_mentions::event_id
                                    .ge(lo)
                                    .and(address_mentions::event_id.lt(hi)),
                            )
                            .load(conn)?)
                    })?
                }
                Events::Ids(ids) => {
                    for chunk in ids.chunks(CHUNK) {
                        out.extend(
                            query()
                                .filter(address_mentions::event_id.eq_any(chunk))
                                .load::<StoredAddress>(conn)?,
                        );
                    }
                }
            }
            Ok(out)
        })
        .await
    }

    /// The largest event id (0 for an empty store).
    pub async fn max_event_id(&self) -> Result<i64, StoreError> {
        self.run(|conn| {
            Ok(events::table
                .select(diesel::dsl::max(events::id))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0))
        })
        .await
    }

    /// (event id, slot) → entity id for one kind.
    pub async fn entity_links(
        &self,
        kind: &'static str,
    ) -> Result<HashMap<(i64, i64), i64>, StoreError> {
        self.run(move |conn| {
            let rows: Vec<(i64, i64, i64)> = entity_mentions::table
                .filter(entity_mentions::kind.eq(kind))
                .select((
                    entity_mentions::event_id,
                    entity_mentions::slot,
                    entity_mentions::entity_id,
                ))
                .load(conn)?;
            Ok(rows.into_iter().map(|(e, s, id)| ((e, s), id)).collect())
        })
        .await
    }

    /// Up to `limit` queued events, oldest event first.
    pub async fn queued_events(&self, limit: i64) -> Result<Vec<QueuedEvent>, StoreError> {
        self.run(move |conn| {
            Ok(resolve_queue::table
                .inner_join(events::table.on(events::id.eq(resolve_queue::event_id)))
                .select((
                    events::id,
                    events::source,
                    events::record_id,
                    events::version,
                ))
                .order(resolve_queue::event_id)
                .limit(limit)
                .load(conn)?)
        })
        .await
    }

    pub async fn load_model(&self, kind: &'static str) -> Result<Option<String>, StoreError> {
        self.run(move |conn| {
            Ok(resolution_models::table
                .filter(resolution_models::kind.eq(kind))
                .select(resolution_models::params)
                .first(conn)
                .optional()?)
        })
        .await
    }

    pub async fn save_model(&self, kind: &'static str, params: String) -> Result<(), StoreError> {
        self.run(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            per_backend!(conn, |c| diesel::insert_into(resolution_models::table)
                .values((
                    resolution_models::kind.eq(kind),
                    resolution_models::params.eq(&params),
                    resolution_models::trained_at.eq(now),
                ))
                .on_conflict(resolution_models::kind)
                .do_update()
                .set((
                    resolution_models::params.eq(&params),
                    resolution_models::trained_at.eq(now),
                ))
                .execute(c))?;
            Ok(())
        })
        .await
    }

    /// Writes one resolution step (persons and places) in one transaction,
    /// so a crash never leaves one kind written and its queue rows kept.
    pub async fn write_resolution(&self, writes: Vec<ResolutionWrite>) -> Result<(), StoreError> {
        self.write(move |conn| {
            conn.transaction(|conn| writes.iter().try_for_each(|w| write(conn, w)))
        })
        .await
    }

    /// Entity log rows of one entity, oldest first.
    pub async fn entity_history(
        &self,
        kind: &'static str,
        id: i64,
    ) -> Result<Vec<(NaiveDateTime, String, String, String)>, StoreError> {
        self.run(move |conn| {
            Ok(entity_log::table
                .filter(entity_log::kind.eq(kind))
                .filter(entity_log::entity_id.eq(id))
                .order(entity_log::id)
                .select((
                    entity_log::at,
                    entity_log::action,
                    entity_log::others,
                    entity_log::reason,
                ))
                .load(conn)?)
        })
        .await
    }

    /// Stored place keys → entity ids, so place ids survive a restart.
    pub async fn place_keys(&self) -> Result<HashMap<String, i64>, StoreError> {
        self.run(|conn| {
            let rows: Vec<(i64, String)> = entities::table
                .filter(entities::kind.eq(ADDRESS))
                .select((entities::id, entities::detail))
                .load(conn)?;
            Ok(rows
                .into_iter()
                .filter_map(|(id, detail)| {
                    let v: serde_json::Value = serde_json::from_str(&detail).ok()?;
                    Some((v.get("key")?.as_str()?.to_string(), id))
                })
                .collect())
        })
        .await
    }

    /// (action, reason) of every log row of a kind, oldest first.
    pub async fn entity_log_rows(
        &self,
        kind: &'static str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        self.run(move |conn| {
            Ok(entity_log::table
                .filter(entity_log::kind.eq(kind))
                .order(entity_log::id)
                .select((entity_log::action, entity_log::reason))
                .load(conn)?)
        })
        .await
    }

    /// Links exist but what the API reads beside them does not (a store
    /// resolved before search keys, whys and event areas were written).
    pub async fn resolution_backfill_needed(&self) -> Result<bool, StoreError> {
        self.run(|conn| {
            let linked: i64 = entity_mentions::table.count().get_result(conn)?;
            let keyed: i64 = entity_keys::table.count().get_result(conn)?;
            Ok(linked > 0 && keyed == 0)
        })
        .await
    }

    pub async fn entity_log_len(&self) -> Result<i64, StoreError> {
        self.run(|conn| Ok(entity_log::table.count().get_result(conn)?))
            .await
    }
}

fn write(conn: &mut AnyConnection, w: &ResolutionWrite) -> Result<(), StoreError> {
    for chunk in w.unlinked.chunks(CHUNK) {
        for (event_id, slot) in chunk {
            diesel::delete(
                entity_mentions::table
                    .filter(entity_mentions::kind.eq(w.kind))
                    .filter(entity_mentions::event_id.eq(event_id))
                    .filter(entity_mentions::slot.eq(slot)),
            )
            .execute(conn)?;
        }
    }
    let links: Vec<LinkRow<'_>> = w
        .links
        .iter()
        .map(|l| LinkRow {
            kind: w.kind,
            event_id: l.event_id,
            slot: l.slot,
            entity_id: l.entity_id,
            why: l.why.as_deref(),
        })
        .collect();
    // SQLite cannot batch an ON CONFLICT insert; REPLACE is the same here
    // (no autoincrement key, nothing references these rows).
    for chunk in links.chunks(CHUNK) {
        match conn {
            AnyConnection::Postgresql(c) => diesel::insert_into(entity_mentions::table)
                .values(chunk)
                .on_conflict((
                    entity_mentions::kind,
                    entity_mentions::event_id,
                    entity_mentions::slot,
                ))
                .do_update()
                .set((
                    entity_mentions::entity_id.eq(excluded(entity_mentions::entity_id)),
                    entity_mentions::why.eq(excluded(entity_mentions::why)),
                ))
                .execute(c)?,
            AnyConnection::Sqlite(c) => diesel::replace_into(entity_mentions::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    for chunk in w.retired.chunks(CHUNK) {
        diesel::delete(
            entities::table
                .filter(entities::kind.eq(w.kind))
                .filter(entities::id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    for chunk in w.entities.chunks(CHUNK) {
        match conn {
            AnyConnection::Postgresql(c) => diesel::insert_into(entities::table)
                .values(chunk)
                .on_conflict((entities::kind, entities::id))
                .do_update()
                .set((
                    entities::label.eq(excluded(entities::label)),
                    entities::level.eq(excluded(entities::level)),
                    entities::parent_id.eq(excluded(entities::parent_id)),
                    entities::mention_count.eq(excluded(entities::mention_count)),
                    entities::detail.eq(excluded(entities::detail)),
                    entities::updated_at.eq(excluded(entities::updated_at)),
                ))
                .execute(c)?,
            AnyConnection::Sqlite(c) => diesel::replace_into(entities::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    let rewritten: Vec<i64> = w
        .retired
        .iter()
        .copied()
        .chain(w.entities.iter().map(|e| e.id))
        .collect();
    for chunk in rewritten.chunks(CHUNK) {
        diesel::delete(
            entity_keys::table
                .filter(entity_keys::kind.eq(w.kind))
                .filter(entity_keys::entity_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    let keys: Vec<KeyRow<'_>> = w
        .keys
        .iter()
        .map(|(id, k)| KeyRow {
            kind: w.kind,
            search_key: k,
            entity_id: *id,
        })
        .collect();
    for chunk in keys.chunks(CHUNK) {
        per_backend!(conn, |c| diesel::insert_into(entity_keys::table)
            .values(chunk)
            .execute(c))?;
    }
    if let Some(aliases) = &w.alias_keys {
        diesel::delete(entity_keys::table.filter(entity_keys::kind.eq(ALIAS))).execute(conn)?;
        let rows: Vec<KeyRow<'_>> = aliases
            .iter()
            .map(|(id, k)| KeyRow {
                kind: ALIAS,
                search_key: k,
                entity_id: *id,
            })
            .collect();
        for chunk in rows.chunks(CHUNK) {
            per_backend!(conn, |c| diesel::insert_into(entity_keys::table)
                .values(chunk)
                .execute(c))?;
        }
    }
    // Row by row: SQLite cannot batch-insert rows that leave `id` to its default.
    for row in &w.log {
        diesel::insert_into(entity_log::table)
            .values(row)
            .execute(conn)?;
    }
    let gone: Vec<i64> = w.areas.iter().map(|(e, _)| *e).collect();
    for chunk in gone.chunks(CHUNK) {
        diesel::delete(event_areas::table.filter(event_areas::event_id.eq_any(chunk)))
            .execute(conn)?;
    }
    let rows: Vec<&EventAreaRow> = w.areas.iter().filter_map(|(_, a)| a.as_ref()).collect();
    for chunk in rows.chunks(CHUNK) {
        per_backend!(conn, |c| diesel::insert_into(event_areas::table)
            .values(chunk.iter().copied().cloned().collect::<Vec<_>>())
            .execute(c))?;
    }
    // A revision synced after this step read the event keeps its row, so
    // the next step reads the event again instead of losing the change.
    // Grouped by version (a city's events are mostly at their first), one
    // statement per chunk of ids at one version.
    let mut by_version: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
    for (event_id, version) in &w.dequeue {
        by_version.entry(*version).or_default().push(*event_id);
    }
    for (version, ids) in &by_version {
        for chunk in ids.chunks(CHUNK) {
            diesel::delete(
                resolve_queue::table.filter(
                    resolve_queue::event_id.eq_any(
                        events::table
                            .filter(events::id.eq_any(chunk))
                            .filter(events::version.eq(version))
                            .select(events::id),
                    ),
                ),
            )
            .execute(conn)?;
        }
    }
    Ok(())
}
