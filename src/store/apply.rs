//! Writing one sync batch: events upserted by natural key (source, record id) with every
//! distinct version kept, mentions replaced with the current version's, rejects quarantined,
//! and the connector's checkpoint, all in one transaction. A crash before commit leaves the
//! database exactly as before the batch; after commit, data and checkpoint agree.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use foldhash::HashMap;

use super::connection::{AnyConnection, per_backend};
use super::hot_rows::NumberedEvent;
use super::in_list::in_list;
use super::insert_rows::insert_rows;
use super::known_records::{Known, KnownRecords, Learned};
use super::models::*;
use super::schema::{
    address_mentions, batch_epoch, event_versions, events, person_mentions, quarantine,
    resolve_queue, sync_checkpoints, sync_runs,
};
use super::sql_time::{MaybeSqlTime, SqlTime};
use super::{Store, StoreError};
use crate::domain::{EventRecord, Source, digest_of, hash_text};

/// Keys per `IN (…)` lookup; keeps bind parameters far below both stores' limits.
const CHUNK: usize = 400;

/// An event mapped from a raw record, with the raw record as JSON text. The hash and the
/// detail JSON are computed by whoever builds it (the fetching task), not by the single writer.
#[derive(Debug, Clone)]
pub struct IncomingEvent {
    pub event: EventRecord,
    pub raw: String,
    pub hash: String,
    /// The hash as a number, as the writer compares it.
    pub digest: u128,
    /// `EventRecord::mentions_digest`.
    pub mentions: u128,
    pub detail_json: String,
}

impl IncomingEvent {
    pub fn new(event: EventRecord, raw: String) -> IncomingEvent {
        let digest = event.content_digest();
        let mentions = event.mentions_digest();
        let detail_json = serde_json::to_string(&event.detail).expect("a JSON map serialises");
        IncomingEvent {
            event,
            raw,
            hash: hash_text(digest),
            digest,
            mentions,
            detail_json,
        }
    }
}

/// Where in the pipeline a record was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The bytes or columns could not be read as a record.
    Decode,
    /// The record was read but its fields do not map (bad date, missing id ...).
    Map,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Decode => "decode",
            Stage::Map => "map",
        }
    }
}

#[derive(Debug, Clone)]
pub struct IncomingReject {
    pub record_id: Option<String>,
    pub stage: Stage,
    pub location: String,
    pub raw: String,
    pub raw_hex: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct BatchWrite {
    pub connector: String,
    pub source: Source,
    pub run_id: i64,
    pub events: Vec<IncomingEvent>,
    pub rejects: Vec<IncomingReject>,
    /// The connector's checkpoint after this batch (JSON); None leaves it as it is (replays).
    pub checkpoint: Option<serde_json::Value>,
    pub source_behind: Option<i64>,
    /// Raw records and rejects the connector delivered in this batch.
    pub fetched: i64,
}

impl BatchWrite {
    /// Appends a later batch of the same run: its rows follow ours and its checkpoint, being
    /// further along, replaces ours. Committed together, the pair is as safe as each alone.
    pub fn absorb(&mut self, later: BatchWrite) {
        debug_assert_eq!(
            (self.run_id, &self.connector),
            (later.run_id, &later.connector)
        );
        self.events.extend(later.events);
        self.rejects.extend(later.rejects);
        self.fetched += later.fetched;
        if later.checkpoint.is_some() {
            self.checkpoint = later.checkpoint;
        }
        self.source_behind = later.source_behind;
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub inserted: i64,
    /// New versions of known records (current or historic).
    pub updated: i64,
    /// Deliveries of a state already stored.
    pub unchanged: i64,
    pub quarantined: i64,
    /// Events whose current state is new or changed, in id order.
    pub changed_events: Vec<i64>,
}

/// What the batch knows about one record id while walking the batch in order.
struct Slot {
    /// The event's id: stored before the batch, or given by the batch's INSERT.
    id: Option<i64>,
    stored: bool,
    /// Digest of the current version (None: none yet, or stored in a format no delivery has).
    current_hash: Option<u128>,
    current_version: i64,
    last_version: i64,
    /// The current version's revision time. Of a record read from the store, read only when
    /// the batch brings it a state other than the stored one.
    updated_at: Option<NaiveDateTime>,
    /// When the stored current version happened and its category, read as `updated_at` is.
    placed: Option<(NaiveDateTime, Arc<str>)>,
    /// Digests of the record's versions other than the current one (few: a handful of
    /// revisions at most, so a list beats a set).
    known: Vec<u128>,
    /// Digest of the stored current version's mentions, when remembered.
    mentions: Option<u128>,
    /// Everything above is known: a new record, a remembered one, or one read in full. Only
    /// such a slot is remembered after the commit.
    whole: bool,
    /// Came from the writer's memory.
    remembered: bool,
    /// Gained a version in this batch.
    touched: bool,
    /// Index into the batch of the event that is current after the batch, if it changed.
    new_current: Option<usize>,
}

impl Slot {
    /// A record the store does not hold.
    fn new() -> Self {
        Slot {
            id: None,
            stored: false,
            current_hash: None,
            current_version: 0,
            last_version: 0,
            updated_at: None,
            placed: None,
            known: Vec::new(),
            mentions: None,
            whole: true,
            remembered: false,
            touched: false,
            new_current: None,
        }
    }

    fn remembered(k: Known) -> Self {
        Slot {
            id: Some(k.id),
            stored: true,
            current_hash: k.current,
            current_version: k.current_version,
            last_version: k.last_version,
            updated_at: k.updated_at,
            placed: Some((k.occurred_at, k.category)),
            known: k.others,
            mentions: k.mentions,
            whole: true,
            remembered: true,
            touched: false,
            new_current: None,
        }
    }

    fn knows(&self, digest: u128) -> bool {
        self.current_hash == Some(digest) || self.known.contains(&digest)
    }
}

impl Store {
    pub async fn apply_batch(&self, batch: BatchWrite) -> Result<BatchOutcome, StoreError> {
        // The batch comes back to be freed here: its thousands of strings were allocated on
        // the threads that mapped them, and freeing them is no work for the single writer.
        let (outcome, _spent) = match &self.writer {
            Some(writer) => {
                writer
                    .run_remembering(move |conn, memory| {
                        let (outcome, learned) =
                            conn.transaction(|conn| apply(conn, &batch, Some(&mut *memory)))?;
                        // Committed: what it stored is now true of the store.
                        if let Some((epoch, learned)) = learned {
                            memory.learn(epoch, learned);
                        }
                        Ok((outcome, batch))
                    })
                    .await?
            }
            None => {
                self.run(move |conn| {
                    let (outcome, _) = conn.transaction(|conn| apply(conn, &batch, None))?;
                    Ok((outcome, batch))
                })
                .await?
            }
        };
        self.announce(&outcome.changed_events);
        Ok(outcome)
    }
}

/// What a committed batch teaches the writer's memory: the epoch count it wrote, and its records.
type Lesson = Option<(i64, Vec<Learned>)>;

fn apply(
    conn: &mut AnyConnection,
    batch: &BatchWrite,
    mut memory: Option<&mut KnownRecords>,
) -> Result<(BatchOutcome, Lesson), StoreError> {
    let now = chrono::Utc::now().naive_utc();
    let source = batch.source.as_str();
    let mut outcome = BatchOutcome::default();

    // Two connectors of one source (the 12345 API and its CSV export) may deliver the same new
    // record at once; on PostgreSQL their batches take turns per source, in any process.
    if let AnyConnection::Postgresql(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(source_lock_key(batch.source))
            .execute(c)?;
    }

    // Write first: SQLite then takes its write lock at the start of the transaction (waiting
    // for another process's writer if need be) instead of failing to upgrade a read later.
    diesel::update(sync_runs::table.find(batch.run_id))
        .set(sync_runs::fetched.eq(sync_runs::fetched + batch.fetched))
        .execute(conn)?;

    // Holding the write lock, the writer's memory is checked against the batch count: equal,
    // no other writer committed since our last batch, and what we remember is still so.
    let epoch = match memory.as_deref_mut() {
        Some(m) => {
            let batches: i64 = batch_epoch::table
                .find(1)
                .select(batch_epoch::batches)
                .first(conn)?;
            if !m.align(batches) {
                tracing::debug!(
                    batches,
                    "another writer committed: the writer's memory starts afresh"
                );
            }
            diesel::update(batch_epoch::table.find(1))
                .set(batch_epoch::batches.eq(batches + 1))
                .execute(conn)?;
            if m.complete(batch.source).is_none() {
                let any: bool = diesel::select(diesel::dsl::exists(
                    events::table.filter(events::source.eq(source)),
                ))
                .get_result(conn)?;
                m.set_complete(batch.source, !any);
            }
            Some(batches + 1)
        }
        None => None,
    };

    let mut keys: Vec<&str> = batch
        .events
        .iter()
        .map(|e| e.event.record_id.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();

    // Remembered records need no reading; nor, in a source remembered whole, do new ones.
    let mut slots: HashMap<&str, Slot> = HashMap::default();
    slots.reserve(keys.len());
    let mut unknown: Vec<&str> = Vec::new();
    for key in keys {
        let slot = match memory.as_deref() {
            Some(m) => match m.get(batch.source, key) {
                Some(k) => Slot::remembered(k),
                None if m.complete(batch.source) == Some(true) => Slot::new(),
                None => {
                    unknown.push(key);
                    Slot::new()
                }
            },
            None => {
                unknown.push(key);
                Slot::new()
            }
        };
        slots.insert(key, slot);
    }
    for chunk in unknown.chunks(CHUNK) {
        let rows: Vec<(i64, String, String, i64)> = events::table
            .filter(events::source.eq(source))
            .filter(in_list(events::record_id, chunk))
            .select((
                events::id,
                events::record_id,
                events::content_hash,
                events::version,
            ))
            .load(conn)?;
        for (id, record_id, hash, version) in rows {
            let slot = slots.get_mut(record_id.as_str()).ok_or_else(|| {
                StoreError::Corrupt(format!("lookup of {source} keys returned {record_id}"))
            })?;
            *slot = Slot {
                id: Some(id),
                stored: true,
                current_hash: digest_of(&hash),
                current_version: version,
                last_version: version,
                whole: false,
                ..Slot::new()
            };
        }
    }

    // Older versions, the revision time and where the current version is placed matter only
    // for existing records that arrive with a different state: a few in a batch, where most
    // records are delivered again as they are.
    let stale: HashMap<i64, &str> = batch
        .events
        .iter()
        .filter_map(|e| {
            let key = e.event.record_id.as_str();
            let slot = slots
                .get(key)
                .filter(|s| !s.whole && s.current_hash != Some(e.digest))?;
            Some((slot.id?, key))
        })
        .collect();
    let stale_ids: Vec<i64> = stale.keys().copied().collect();
    for chunk in stale_ids.chunks(CHUNK) {
        let rows: Vec<(i64, MaybeSqlTime, SqlTime, String)> = events::table
            .filter(in_list(events::id, chunk))
            .select((
                events::id,
                events::source_updated_at,
                events::occurred_at,
                events::category,
            ))
            .load(conn)?;
        for (id, updated_at, occurred_at, category) in rows {
            if let Some(slot) = stale.get(&id).and_then(|k| slots.get_mut(k)) {
                slot.updated_at = updated_at.0;
                slot.placed = Some((occurred_at.0, Arc::from(category)));
                slot.whole = true;
            }
        }
        let rows: Vec<(i64, i64, String)> = event_versions::table
            .filter(in_list(event_versions::event_id, chunk))
            .select((
                event_versions::event_id,
                event_versions::version,
                event_versions::content_hash,
            ))
            .load(conn)?;
        for (id, version, hash) in rows {
            if let Some(slot) = stale.get(&id).and_then(|k| slots.get_mut(k)) {
                // The current version is among them; only the others are kept here.
                if version != slot.current_version
                    && let Some(d) = digest_of(&hash)
                {
                    slot.known.push(d);
                }
                slot.last_version = slot.last_version.max(version);
            }
        }
    }

    // Walk the batch in source order; the versions each record gains, in order.
    let mut versions: Vec<(usize, i64)> = Vec::new();
    for (i, incoming) in batch.events.iter().enumerate() {
        let e = &incoming.event;
        let digest = incoming.digest;
        let slot = slots
            .get_mut(e.record_id.as_str())
            .expect("every key of the batch has a slot");
        if slot.last_version > 0 && slot.knows(digest) {
            outcome.unchanged += 1;
            continue;
        }
        slot.last_version += 1;
        slot.touched = true;
        versions.push((i, slot.last_version));
        if !slot.stored && slot.last_version == 1 {
            outcome.inserted += 1;
        } else {
            outcome.updated += 1;
        }
        // A late delivery of an older state is kept as history but does not replace a newer one.
        let newer = match (e.source_updated_at, slot.updated_at) {
            (Some(a), Some(b)) => a >= b,
            _ => true,
        };
        if slot.current_version == 0 || newer {
            let previous = slot.current_hash.replace(digest);
            if slot.current_version > 0
                && let Some(previous) = previous
            {
                slot.known.push(previous);
            }
            slot.current_version = slot.last_version;
            slot.updated_at = e.source_updated_at;
            slot.new_current = Some(i);
        } else {
            slot.known.push(digest);
        }
    }

    // New records, each with the index of its current event and its version.
    let mut fresh: Vec<(usize, i64)> = slots
        .values()
        .filter(|s| !s.stored)
        .filter_map(|s| s.new_current.map(|i| (i, s.current_version)))
        .collect();
    fresh.sort_unstable_by_key(|(i, _)| *i);
    // Holding the write lock, the SQLite writer numbers them itself, after the largest id
    // ever given: reading ids back (RETURNING, in no promised order, with each row's key to
    // match it by) cost it a string and a lookup per new record.
    let first_id = match conn {
        AnyConnection::Sqlite(c) if !fresh.is_empty() => Some(
            diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)",
            ))
            .get_result::<i64>(c)?
                + 1,
        ),
        _ => None,
    };
    if let Some(first_id) = first_id {
        let rows: Vec<NumberedEvent> = fresh
            .iter()
            .zip(first_id..)
            .map(|((i, version), id)| NumberedEvent {
                id,
                event: new_event(&batch.events[*i], &batch.connector, *version),
            })
            .collect();
        insert_rows!(conn, hot rows);
        for ((i, _), id) in fresh.iter().zip(first_id..) {
            if let Some(slot) = slots.get_mut(batch.events[*i].event.record_id.as_str()) {
                slot.id = Some(id);
            }
        }
    } else {
        let rows: Vec<NewEvent> = fresh
            .iter()
            .map(|(i, version)| new_event(&batch.events[*i], &batch.connector, *version))
            .collect();
        // Each new row's id comes back with its key (in no promised order).
        let mut inserted: Vec<(i64, String)> = Vec::with_capacity(rows.len());
        insert_rows!(conn, hot rows, returning => inserted);
        for (id, key) in inserted {
            if let Some(slot) = slots.get_mut(key.as_str()) {
                slot.id = Some(id);
            }
        }
    }
    let id_of = |i: usize| -> Result<i64, StoreError> {
        let key = batch.events[i].event.record_id.as_str();
        slots.get(key).and_then(|s| s.id).ok_or_else(|| {
            StoreError::Corrupt(format!("event {source}/{key} has no id after insert"))
        })
    };

    // Known records whose current state changed.
    let mut changed: Vec<Changed> = slots
        .values()
        .filter(|s| s.stored)
        .filter_map(|s| {
            let (id, index) = (s.id?, s.new_current?);
            // A revision mostly moves a status on. Naming the time and category in the UPDATE
            // would make SQLite rewrite both time indexes' entries: two more pages dirtied,
            // logged and checkpointed per revision, for entries that stay where they are. So a
            // revision that keeps them does not name them.
            let e = &batch.events[index].event;
            let unmoved = s.placed.as_ref().is_some_and(|(at, category)| {
                *at == e.occurred_at && category.as_ref() == e.category.as_str()
            });
            Some(Changed {
                id,
                index,
                version: s.current_version,
                unmoved,
                mentions: s.mentions,
            })
        })
        .collect();
    changed.sort_unstable_by_key(|c| c.id);
    for change in &changed {
        let changes = new_event(
            &batch.events[change.index],
            &batch.connector,
            change.version,
        );
        // On the backend's own connection: the statement is then found prepared by its type,
        // where the multi-backend connection would write its text out for every row.
        if change.unmoved {
            let changes = changes.state;
            per_backend!(conn, |c| diesel::update(events::table.find(change.id))
                .set(&changes)
                .execute(c))?;
        } else {
            per_backend!(conn, |c| diesel::update(events::table.find(change.id))
                .set(&changes)
                .execute(c))?;
        }
    }

    // Every new version, current or not.
    let mut version_rows = Vec::with_capacity(versions.len());
    for (i, version) in &versions {
        let incoming = &batch.events[*i];
        version_rows.push(NewVersion {
            event_id: id_of(*i)?,
            version: *version,
            connector: &batch.connector,
            source_updated_at: incoming.event.source_updated_at.map(SqlTime),
            status: incoming.event.status.as_str(),
            status_raw: incoming.event.status_raw.as_deref(),
            content_hash: &incoming.hash,
            raw: &incoming.raw,
            observed_at: SqlTime(now),
        });
    }
    insert_rows!(conn, hot version_rows);

    // Mentions follow the current version. A revision mostly changes a status, not who or
    // where: mentions already stored as the revision names them stay, which leaves their old
    // pages clean instead of dirtying pages all over both tables for the same rows.
    // Remembered mentions are compared by digest; the others are read and compared.
    let mut kept: HashSet<i64> = HashSet::new();
    let mut unsure: Vec<&Changed> = Vec::new();
    for c in &changed {
        match c.mentions {
            Some(stored) if stored == batch.events[c.index].mentions => {
                kept.insert(c.id);
            }
            Some(_) => {}
            None => unsure.push(c),
        }
    }
    kept.extend(mentions_kept(conn, &unsure, batch)?);
    let changed_ids: Vec<i64> = changed
        .iter()
        .map(|c| c.id)
        .filter(|id| !kept.contains(id))
        .collect();
    for chunk in changed_ids.chunks(CHUNK) {
        diesel::delete(person_mentions::table.filter(in_list(person_mentions::event_id, chunk)))
            .execute(conn)?;
        diesel::delete(address_mentions::table.filter(in_list(address_mentions::event_id, chunk)))
            .execute(conn)?;
    }
    let mut currents: Vec<usize> = slots.values().filter_map(|s| s.new_current).collect();
    currents.sort_unstable();
    let mut persons = Vec::new();
    let mut addresses = Vec::new();
    let mut currents_new_ids = Vec::with_capacity(currents.len());
    for i in currents {
        let id = id_of(i)?;
        currents_new_ids.push(id);
        if kept.contains(&id) {
            continue;
        }
        let e = &batch.events[i].event;
        persons.extend(e.persons.iter().map(|p| NewPersonMention {
            event_id: id,
            position: p.position,
            name: p.name.as_deref(),
            phone: p.phone.as_deref(),
            id_number: p.id_number.as_deref(),
        }));
        addresses.extend(e.addresses.iter().map(|a| NewAddressMention {
            event_id: id,
            field: a.field.as_str(),
            text: &a.text,
        }));
    }
    insert_rows!(conn, hot persons);
    insert_rows!(conn, hot addresses);
    outcome.changed_events = currents_new_ids.clone();
    outcome.changed_events.sort_unstable();
    // Whatever became current must be resolved again.
    let queued: Vec<_> = currents_new_ids
        .iter()
        .map(|id| resolve_queue::event_id.eq(*id))
        .collect();
    insert_rows!(conn, resolve_queue::table, queued, on_conflict_do_nothing);

    // A record that now landed makes its earlier quarantine entries history.
    let landed: Vec<&str> = versions
        .iter()
        .map(|(i, _)| batch.events[*i].event.record_id.as_str())
        .collect();
    for chunk in landed.chunks(CHUNK) {
        diesel::update(
            quarantine::table
                .filter(quarantine::connector.eq(&batch.connector))
                .filter(quarantine::status.eq("open"))
                .filter(in_list(quarantine::record_id, chunk)),
        )
        .set(quarantine::status.eq("superseded"))
        .execute(conn)?;
    }

    for reject in &batch.rejects {
        // One entry per raw row: delivered again (a re-read file, a re-fetched page), it counts
        // another sighting and takes the reason the current mapping gives. A reject with no
        // text (an unreadable file) is known by where it was and why.
        let identity = match reject.raw.as_str() {
            "" => format!("{}\u{1f}{}", reject.location, reject.reason),
            raw => raw.to_string(),
        };
        let raw_hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(identity.as_bytes()));
        let row = NewQuarantine {
            connector: &batch.connector,
            source,
            record_id: reject.record_id.as_deref(),
            stage: reject.stage.as_str(),
            location: &reject.location,
            raw: &reject.raw,
            raw_hex: reject.raw_hex.as_deref(),
            reason: &reject.reason,
            raw_hash,
            status: "open",
            seen_count: 1,
            first_seen_at: now,
            last_seen_at: now,
        };
        per_backend!(conn, |c| diesel::insert_into(quarantine::table)
            .values(&row)
            .on_conflict((quarantine::connector, quarantine::raw_hash))
            .do_update()
            .set((
                quarantine::seen_count.eq(quarantine::seen_count + 1),
                quarantine::last_seen_at.eq(now),
                quarantine::reason.eq(&reject.reason),
            ))
            .execute(c))?;
        outcome.quarantined += 1;
    }

    if let Some(checkpoint) = &batch.checkpoint {
        write_checkpoint(conn, batch, checkpoint, &outcome, now)?;
    }
    diesel::update(sync_runs::table.find(batch.run_id))
        .set((
            sync_runs::inserted.eq(sync_runs::inserted + outcome.inserted),
            sync_runs::updated.eq(sync_runs::updated + outcome.updated),
            sync_runs::unchanged.eq(sync_runs::unchanged + outcome.unchanged),
            sync_runs::quarantined.eq(sync_runs::quarantined + outcome.quarantined),
        ))
        .execute(conn)?;
    let lesson = match (epoch, memory) {
        (Some(epoch), Some(memory)) => Some((epoch, lesson(slots, batch, memory))),
        _ => None,
    };
    Ok((outcome, lesson))
}

/// The records of the batch the writer can remember after the commit: those whose every
/// detail it knows, unless it remembers them already and the batch left them as they were.
fn lesson(slots: HashMap<&str, Slot>, batch: &BatchWrite, memory: &KnownRecords) -> Vec<Learned> {
    slots
        .into_iter()
        .filter(|(_, s)| s.whole && (s.touched || !s.remembered))
        .filter_map(|(key, s)| {
            let id = s.id?;
            let (occurred_at, category, mentions) = match s.new_current {
                Some(i) => {
                    let e = &batch.events[i];
                    let category = memory.category(&e.event.category);
                    (e.event.occurred_at, category, Some(e.mentions))
                }
                None => {
                    let (at, category) = s.placed?;
                    (at, memory.category(&category), s.mentions)
                }
            };
            Some(Learned {
                source: batch.source,
                key: key.into(),
                known: Known {
                    id,
                    current: s.current_hash,
                    current_version: s.current_version,
                    last_version: s.last_version,
                    others: s.known,
                    updated_at: s.updated_at,
                    occurred_at,
                    category,
                    mentions,
                },
            })
        })
        .collect()
}

/// A known event whose current state changed in this batch.
struct Changed {
    id: i64,
    /// Into the batch: the event that is now current.
    index: usize,
    version: i64,
    /// Its time and category are the ones stored.
    unmoved: bool,
    /// Digest of its stored mentions, when remembered.
    mentions: Option<u128>,
}

/// Of the known events whose current state changed, those whose stored person and address
/// mentions are exactly the ones the new state names.
fn mentions_kept(
    conn: &mut AnyConnection,
    changed: &[&Changed],
    batch: &BatchWrite,
) -> Result<HashSet<i64>, StoreError> {
    type Person = (i64, Option<String>, Option<String>, Option<String>);
    let ids: Vec<i64> = changed.iter().map(|c| c.id).collect();
    let mut persons: HashMap<i64, Vec<Person>> = HashMap::default();
    let mut places: HashMap<i64, Vec<(String, String)>> = HashMap::default();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(i64, Person)> = person_mentions::table
            .filter(in_list(person_mentions::event_id, chunk))
            .order((person_mentions::event_id, person_mentions::position))
            .select((
                person_mentions::event_id,
                (
                    person_mentions::position,
                    person_mentions::name,
                    person_mentions::phone,
                    person_mentions::id_number,
                ),
            ))
            .load(conn)?;
        for (id, person) in rows {
            persons.entry(id).or_default().push(person);
        }
        let rows: Vec<(i64, String, String)> = address_mentions::table
            .filter(in_list(address_mentions::event_id, chunk))
            .select((
                address_mentions::event_id,
                address_mentions::field,
                address_mentions::text,
            ))
            .load(conn)?;
        for (id, field, text) in rows {
            places.entry(id).or_default().push((field, text));
        }
    }
    for stored in places.values_mut() {
        stored.sort_unstable();
    }
    let same = |id: &i64, i: usize| {
        let e = &batch.events[i].event;
        let mut named: Vec<_> = e.persons.iter().collect();
        named.sort_by_key(|p| p.position);
        let mut at: Vec<_> = e
            .addresses
            .iter()
            .map(|a| (a.field.as_str(), a.text.as_str()))
            .collect();
        at.sort_unstable();
        let stored = persons.get(id).map(Vec::as_slice).unwrap_or_default();
        let stored_at = places.get(id).map(Vec::as_slice).unwrap_or_default();
        stored.len() == named.len()
            && stored
                .iter()
                .zip(&named)
                .all(|((position, name, phone, id_number), p)| {
                    *position == p.position
                        && *name == p.name
                        && *phone == p.phone
                        && *id_number == p.id_number
                })
            && stored_at.len() == at.len()
            && stored_at
                .iter()
                .zip(&at)
                .all(|((f, t), (g, u))| f == g && t == u)
    };
    Ok(changed
        .iter()
        .filter(|c| same(&c.id, c.index))
        .map(|c| c.id)
        .collect())
}

fn write_checkpoint(
    conn: &mut AnyConnection,
    batch: &BatchWrite,
    checkpoint: &serde_json::Value,
    outcome: &BatchOutcome,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let previous: Option<(i64, Option<NaiveDateTime>)> = sync_checkpoints::table
        .find(&batch.connector)
        .select((
            sync_checkpoints::records_total,
            sync_checkpoints::last_source_time,
        ))
        .first(conn)
        .optional()?;
    let (total, last_time) = previous.unwrap_or((0, None));
    let newest = batch
        .events
        .iter()
        .map(|e| e.event.source_updated_at.unwrap_or(e.event.occurred_at))
        .max();
    let row = CheckpointRow {
        connector: &batch.connector,
        checkpoint: checkpoint.to_string(),
        records_total: total + outcome.inserted,
        source_behind: batch.source_behind,
        last_source_time: last_time.max(newest),
        updated_at: now,
    };
    per_backend!(conn, |c| diesel::insert_into(sync_checkpoints::table)
        .values(&row)
        .on_conflict(sync_checkpoints::connector)
        .do_update()
        .set(&row)
        .execute(c))?;
    Ok(())
}

/// Advisory-lock key of a source's batch writes (a fixed namespace plus the source).
fn source_lock_key(source: Source) -> i64 {
    const NAMESPACE: i64 = 0x5a48_0000; // "ZH"
    NAMESPACE
        + match source {
            Source::Hotline => 1,
            Source::Alarm => 2,
            Source::Petition => 3,
        }
}

fn new_event<'a>(incoming: &'a IncomingEvent, connector: &'a str, version: i64) -> NewEvent<'a> {
    let e = &incoming.event;
    NewEvent {
        source: e.source.as_str(),
        record_id: &e.record_id,
        occurred_at: SqlTime(e.occurred_at),
        category: &e.category,
        state: EventRevision {
            connector,
            source_updated_at: e.source_updated_at.map(SqlTime),
            event_type: e.event_type.as_deref(),
            category_raw: e.category_raw.as_deref(),
            content: e.content.as_deref(),
            unit: e.unit.as_deref(),
            status: e.status.as_str(),
            status_raw: e.status_raw.as_deref(),
            deadline: e.deadline.map(SqlTime),
            closed_at: e.closed_at.map(SqlTime),
            satisfaction: e.satisfaction.map(|s| s.as_str()),
            longitude: e.longitude,
            latitude: e.latitude,
            petitioners: e.petitioners,
            detail: &incoming.detail_json,
            content_hash: &incoming.hash,
            version,
        },
    }
}
