//! Keeps the entity tables in step with the events: drains the queue of
//! events whose mentions changed, runs them through the person and place
//! resolvers (pure, in memory) and writes what changed. Also the full
//! rebuild, with or without re-estimating the person model.
//!
//! The resolvers hold every mention in memory, loaded once from the store
//! when the hub starts (about 1.1 GiB at the peak for a million mentions;
//! README, "Resolution benchmark").

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::Utc;

use crate::config::ResolveSettings;
use crate::domain::{AddressField, Source};
use crate::resolve::address::{AddressLevel, Gazetteer};
use crate::resolve::mention::MentionKey;
use crate::resolve::outcome::Resolution;
use crate::resolve::person::{
    PersonFeatures, PersonInput, PersonModel, PersonResolver, RecordPersons,
};
use crate::resolve::place::{AddressInput, Incoming, PlaceResolver, RecordAddresses, building_key};
use crate::resolve::stable_ids::IdChange;
use crate::store::resolution::{
    ADDRESS, EntityRow, EventAreaRow, Events, LinkWrite, LogRow, PERSON, ResolutionWrite,
    StoredAddress, StoredPerson,
};
use crate::store::{Store, StoreError};

/// Person mentions needed before the model is first estimated from the data.
const FIRST_TRAINING: usize = 2_000;

/// Events read per slice when loading a whole store.
const SLICE: i64 = 50_000;

/// Events taken from the queue per step.
const STEP: i64 = 5_000;

#[derive(Debug, thiserror::Error)]
pub enum ResolutionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot read the gazetteer {path}: {message}")]
    Gazetteer { path: String, message: String },
}

/// What a drain or rebuild did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ResolveReport {
    pub events: usize,
    pub person_links: usize,
    pub address_links: usize,
    pub log_entries: usize,
}

impl ResolveReport {
    /// Adds another report's counts.
    fn absorb(&mut self, other: &ResolveReport) {
        self.events += other.events;
        self.person_links += other.person_links;
        self.address_links += other.address_links;
        self.log_entries += other.log_entries;
    }

    /// Counts what one write holds, under its kind.
    fn count(&mut self, w: &ResolutionWrite) {
        if w.kind == PERSON {
            self.person_links += w.links.len();
        } else {
            self.address_links += w.links.len();
        }
        self.log_entries += w.log.len();
    }
}

/// What an entity row says besides its kind and id.
struct EntityFields {
    label: String,
    level: Option<String>,
    parent_id: Option<i64>,
    mentions: i64,
    detail: String,
}

/// A line of `hub export resolution`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    pub kind: &'static str,
    pub source: Source,
    pub record_id: Arc<str>,
    /// Person: position in the record; address: canonical field name.
    pub mention: String,
    pub entity: String,
}

pub struct Resolving {
    settings: ResolveSettings,
    /// The person model came from the store (else the built-in fallback,
    /// replaced by an estimate once there is data enough).
    trained: bool,
    gazetteer: Gazetteer,
    persons: PersonResolver,
    places: PlaceResolver,
    /// (source, record id) → event id, for writing links.
    events: HashMap<(Source, Arc<str>), i64>,
    /// Event id → the version whose mentions opening loaded (-1 when its
    /// persons and places were read at different versions). A queued event
    /// still at that version is already resolved; emptied by the first
    /// drain that finds the queue empty.
    loaded: HashMap<i64, i64>,
    /// What opening wrote: links of mentions stored while no resolver ran.
    opened: ResolveReport,
}

/// The entity log's reason for a rebuild.
fn rebuild_reason(retrain: bool) -> &'static str {
    if retrain {
        "rebuild with a re-estimated model"
    } else {
        "rebuild"
    }
}

pub fn field_slot(field: &str) -> Option<u32> {
    let f: AddressField = field.parse().ok()?;
    Some(match f {
        AddressField::Sqdz => 0,
        AddressField::Afdd => 1,
        AddressField::Zz => 2,
        AddressField::Wtsd => 3,
    })
}

pub fn slot_field(slot: u32) -> &'static str {
    ["sqdz", "afdd", "zz", "wtsd"]
        .get(slot as usize)
        .copied()
        .unwrap_or("?")
}

pub fn load_gazetteer(settings: &ResolveSettings) -> Result<Gazetteer, ResolutionError> {
    let origin = settings.gazetteer.as_ref().map_or_else(
        || "national division data".to_string(),
        |p| p.display().to_string(),
    );
    let err = |message: String| ResolutionError::Gazetteer {
        path: origin.clone(),
        message,
    };
    let base = match &settings.gazetteer {
        None => Gazetteer::national().clone(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
            Gazetteer::national()
                .with_local(&text)
                .map_err(|e| err(e.to_string()))?
        }
    };
    base.with_home_city(&settings.home_city)
        .map_err(|e| err(e.to_string()))
}

impl Resolving {
    /// Loads every mention and the entities they had, and resolves what was
    /// left pending.
    pub async fn open(
        store: &Store,
        settings: &ResolveSettings,
    ) -> Result<Resolving, ResolutionError> {
        let started = std::time::Instant::now();
        let gazetteer = load_gazetteer(settings)?;
        // An unreadable stored model (written by another version, say) is
        // replaced by a fresh estimate at the next drain, not a dead end.
        let stored_model = store.load_model(PERSON).await?.and_then(|json| {
            serde_json::from_str::<PersonModel>(&json)
                .map_err(|e| {
                    tracing::warn!(
                        "stored person model is unreadable ({e}); a new one will be estimated"
                    )
                })
                .ok()
        });
        let trained = stored_model.is_some();
        let model = stored_model
            .unwrap_or_else(|| PersonModel::fallback_with_threshold(settings.threshold));
        // Stored links are taken as their mentions are found; what is left
        // names mentions a revision removed while no resolver ran.
        let mut person_links = store.entity_links(PERSON).await?;
        let never_resolved = person_links.is_empty();
        let known = store.place_keys().await?;
        let mut events = HashMap::new();
        let mut loaded: HashMap<i64, i64> = HashMap::new();
        let mut note = |event: i64, version: i64| {
            let v = loaded.entry(event).or_insert(version);
            if *v != version {
                *v = -1;
            }
        };
        // Read in slices of events so the raw rows of a large store are
        // never all in memory at once.
        let mut persons = PersonResolver::new(model);
        let mut place_inputs: Vec<Incoming> = Vec::new();
        let last = store.max_event_id().await?;
        let mut lo = 0;
        while lo <= last {
            let hi = lo + SLICE;
            let places: Vec<(AddressInput, i64)> = store
                .stored_addresses(Events::Between(lo, hi))
                .await?
                .iter()
                .inspect(|a| note(a.event_id, a.version))
                .filter_map(|a| address_input(a, &gazetteer))
                .collect();
            let buildings = buildings_by_event(&places);
            let mut person_inputs = Vec::new();
            for p in store.stored_persons(Events::Between(lo, hi)).await? {
                note(p.event_id, p.version);
                if let Some((input, event)) = person_input(&p, &settings.area_code, &buildings) {
                    events.insert((input.key.source, input.key.record_id.clone()), event);
                    // A queued event may have been revised since its link
                    // was written: its mentions are resolved afresh.
                    let stored = match input.features.is_blank() {
                        true => None,
                        false => person_links.remove(&(p.event_id, p.position)),
                    };
                    let entity = match p.queued {
                        Some(_) => None,
                        None => stored,
                    };
                    person_inputs.push((input, entity));
                }
            }
            persons.load(person_inputs);
            for (input, event) in places {
                events.insert((input.key.source, input.key.record_id.clone()), event);
                place_inputs.push(Incoming::from(input));
            }
            lo = hi;
        }
        tracing::info!(
            persons = persons.len(),
            addresses = place_inputs.len(),
            seconds = started.elapsed().as_secs_f32(),
            "mentions loaded"
        );
        let inputs = place_inputs;
        let (places, _) = PlaceResolver::restore(inputs, &known);
        drop(known);
        tracing::info!(seconds = started.elapsed().as_secs_f32(), "places restored");
        let mut r = Resolving {
            settings: settings.clone(),
            trained,
            gazetteer,
            persons,
            places,
            events,
            loaded,
            opened: ResolveReport::default(),
        };
        // Mentions stored while no resolver ran (the hub stopped between a
        // sync and its resolution) have no links yet: resolve them now.
        if !r.trained && never_resolved && r.persons.len() >= FIRST_TRAINING {
            // A store synced before it was ever resolved: estimate the
            // model before the first clustering rather than clustering the
            // whole city with the fallback, writing it, and then doing both
            // again once the drain trains.
            r.train(store).await?;
        }
        let stale: Vec<((i64, i64), i64)> = person_links.into_iter().collect();
        let mut pending = r.persons.settle_pending();
        // Entities that lost a mention get their rows again, or retire.
        let mut retired: std::collections::HashSet<i64> = pending
            .changes
            .iter()
            .filter_map(|c| match c {
                IdChange::Retired { id, .. } => Some(*id),
                _ => None,
            })
            .collect();
        for (_, id) in &stale {
            pending.touched.push(*id);
            if r.persons.members(*id).is_empty() && retired.insert(*id) {
                pending.changes.push(IdChange::Retired {
                    id: *id,
                    into: Vec::new(),
                });
            }
        }
        pending.touched.sort_unstable();
        pending.touched.dedup();
        tracing::info!(
            linked = pending.assigned.len(),
            seconds = started.elapsed().as_secs_f32(),
            "pending persons resolved"
        );
        // After a sync of a whole city these are a million links with their
        // evidence: persons, then places, each in parts of `write_part`
        // entities, one transaction each, so that only one part's rows are
        // held at a time. A part carries its entities' links, and merges
        // travel together (`Resolution::into_parts`): a start interrupted
        // between parts leaves stored links that point at stored entities,
        // and the next start writes what is still missing.
        let why = "mentions stored without an entity";
        if !pending.assigned.is_empty() || !stale.is_empty() {
            let mut unlinked: Vec<(i64, i64)> = stale.into_iter().map(|(k, _)| k).collect();
            for part in pending.into_parts(r.settings.write_part) {
                let mut w = r.person_write(&part, why);
                w.unlinked.append(&mut unlinked);
                r.opened.count(&w);
                store.write_resolution(vec![w]).await?;
            }
        }
        // Places are compared with their stored links only now: the
        // persons' parts are written without this held as well.
        let stored_places = store.entity_links(ADDRESS).await?;
        let mut places = Resolution::default();
        for (key, id) in r.places.assignments() {
            let Some(event) = r.event_of(key) else {
                continue;
            };
            if stored_places.get(&(event, key.slot as i64)) != Some(&id) {
                places.assigned.push((key.clone(), id));
                places.touched.push(id);
            }
        }
        drop(stored_places);
        // Their ancestors too: a community no mention names directly gets
        // its row and keys with the first building under it.
        let mut seen: std::collections::HashSet<i64> = places.touched.iter().copied().collect();
        let mut chain = places.touched.clone();
        while let Some(id) = chain.pop() {
            if let Some(parent) = r.places.parent_of(id)
                && seen.insert(parent)
            {
                places.touched.push(parent);
                chain.push(parent);
            }
        }
        drop(seen);
        places.touched.sort_unstable();
        places.touched.dedup();
        if !places.assigned.is_empty() {
            for (n, part) in places
                .into_parts(r.settings.write_part)
                .into_iter()
                .enumerate()
            {
                let mut w = r.address_write(&part, why, false);
                if n > 0 {
                    // The whole alias set went with the first part.
                    w.alias_keys = None;
                }
                r.opened.count(&w);
                store.write_resolution(vec![w]).await?;
            }
        }
        tracing::info!(
            person_links = r.opened.person_links,
            address_links = r.opened.address_links,
            seconds = started.elapsed().as_secs_f32(),
            "opened"
        );
        if store.resolution_backfill_needed().await? {
            r.backfill(store).await?;
        }
        Ok(r)
    }

    /// What opening wrote for mentions stored while no resolver ran (a
    /// sync without resolution, or a stop between the two).
    pub fn opened(&self) -> &ResolveReport {
        &self.opened
    }

    /// Writes every link again with its why, and every entity with its
    /// search keys and every event's areas: once, for a store resolved
    /// before the API read them.
    async fn backfill(&self, store: &Store) -> Result<(), ResolutionError> {
        let all = |assigned: Vec<(MentionKey, i64)>| {
            let mut touched: Vec<i64> = assigned.iter().map(|(_, id)| *id).collect();
            touched.sort_unstable();
            touched.dedup();
            Resolution {
                assigned,
                touched,
                ..Resolution::default()
            }
        };
        let persons = all(self
            .persons
            .assignments()
            .map(|(k, id)| (k.clone(), id))
            .collect());
        let mut places = all(self
            .places
            .assignments()
            .map(|(k, id)| (k.clone(), id))
            .collect());
        // Ancestors no mention names directly have rows and keys too.
        places.touched = self.places.entity_ids().collect();
        places.touched.sort_unstable();
        let why = "search keys, evidence and areas written for the API";
        let writes = vec![
            self.person_write(&persons, why),
            self.address_write(&places, why, true),
        ];
        store.write_resolution(writes).await?;
        tracing::info!("resolution backfilled for the API");
        Ok(())
    }

    pub fn persons(&self) -> &PersonResolver {
        &self.persons
    }

    pub fn places(&self) -> &PlaceResolver {
        &self.places
    }

    /// Resolves every queued event; returns what changed. The first time
    /// the store holds enough person mentions, the model is estimated from
    /// them, stored, and everything re-clustered with it.
    pub async fn drain(&mut self, store: &Store) -> Result<ResolveReport, ResolutionError> {
        let mut report = ResolveReport::default();
        loop {
            let mut queued = store.queued_events(STEP).await?;
            if queued.is_empty() {
                self.loaded = HashMap::new();
                if !self.trained && self.persons.len() >= FIRST_TRAINING {
                    // The model is the persons' alone: places stay as they are.
                    let r = self.recluster_persons(store, true).await?;
                    report.absorb(&r);
                }
                return Ok(report);
            }
            // Events queued by the sync that stored them and loaded since by
            // opening, unchanged: nothing to read again, only to dequeue.
            let mut dequeue = Vec::with_capacity(queued.len());
            queued.retain(|q| {
                let current = self.loaded.remove(&q.id) == Some(q.version);
                if current {
                    dequeue.push((q.id, q.version));
                }
                !current
            });
            report.events += dequeue.len();
            if queued.is_empty() {
                let w = ResolutionWrite {
                    kind: ADDRESS,
                    dequeue,
                    ..ResolutionWrite::default()
                };
                store.write_resolution(vec![w]).await?;
                continue;
            }
            let ids: Vec<i64> = queued.iter().map(|q| q.id).collect();
            let persons = store.stored_persons(Events::Ids(ids.clone())).await?;
            let addresses = store.stored_addresses(Events::Ids(ids.clone())).await?;
            let place_inputs: Vec<(AddressInput, i64)> = addresses
                .iter()
                .filter_map(|a| address_input(a, &self.gazetteer))
                .collect();
            let buildings = buildings_by_event(&place_inputs);
            let mut by_event_p: BTreeMap<i64, Vec<PersonInput>> = BTreeMap::new();
            for p in &persons {
                if let Some((input, event)) = person_input(p, &self.settings.area_code, &buildings)
                {
                    by_event_p.entry(event).or_default().push(input);
                }
            }
            let mut by_event_a: BTreeMap<i64, Vec<AddressInput>> = BTreeMap::new();
            for (input, event) in place_inputs {
                by_event_a.entry(event).or_default().push(input);
            }
            let mut rp = Vec::new();
            let mut ra = Vec::new();
            for q in &queued {
                let event = &q.id;
                let Ok(source) = q.source.parse::<Source>() else {
                    continue;
                };
                let record_id: Arc<str> = Arc::from(q.record_id.as_str());
                self.events.insert((source, record_id.clone()), *event);
                rp.push(RecordPersons {
                    source,
                    record_id: record_id.clone(),
                    mentions: by_event_p.remove(event).unwrap_or_default(),
                });
                ra.push(RecordAddresses {
                    source,
                    record_id,
                    mentions: by_event_a.remove(event).unwrap_or_default(),
                });
            }
            let why = format!("{} new or revised records", queued.len());
            let p = self.persons.upsert(rp);
            let a = self.places.upsert(ra);
            let pw = self.person_write(&p, &why);
            let mut aw = self.address_write(&a, &why, false);
            dequeue.extend(queued.iter().map(|q| (q.id, q.version)));
            aw.dequeue = dequeue;
            report.events += queued.len();
            report.count(&pw);
            report.count(&aw);
            store.write_resolution(vec![pw, aw]).await?;
        }
    }

    /// Clusters everything again; with `retrain`, re-estimates the person
    /// model from all mentions first and stores it.
    pub async fn rebuild(
        &mut self,
        store: &Store,
        retrain: bool,
    ) -> Result<ResolveReport, ResolutionError> {
        // Never train inside the drain that precedes a rebuild.
        let trained = std::mem::replace(&mut self.trained, true);
        self.drain(store).await?;
        self.trained = trained;
        // One kind at a time, each written before the next is rebuilt: a
        // rebuild of a large city rewrites every address link, and holding
        // both resolutions' rows at once set the peak. Interrupted between
        // the two, the next start writes whatever places differ.
        let mut report = self.recluster_persons(store, retrain).await?;
        let a = self.places.rebuild();
        let aw = self.address_write(&a, rebuild_reason(retrain), true);
        drop(a);
        report.count(&aw);
        store.write_resolution(vec![aw]).await?;
        Ok(report)
    }

    /// Re-clusters every person (with `retrain`, after estimating the model
    /// again from all mentions and storing it) and writes the result.
    async fn recluster_persons(
        &mut self,
        store: &Store,
        retrain: bool,
    ) -> Result<ResolveReport, ResolutionError> {
        if retrain {
            self.train(store).await?;
        }
        let p = self.persons.rebuild();
        let pw = self.person_write(&p, rebuild_reason(retrain));
        drop(p);
        let mut report = ResolveReport::default();
        report.count(&pw);
        store.write_resolution(vec![pw]).await?;
        Ok(report)
    }

    /// Estimates the person model from every mention held, stores it and
    /// makes it the resolver's; clustering again is the caller's part.
    async fn train(&mut self, store: &Store) -> Result<(), ResolutionError> {
        self.trained = true;
        let features: Vec<&PersonFeatures> = self.persons.all_features().collect();
        let model = PersonModel::estimate(&features, self.settings.threshold);
        let json = serde_json::to_string(&model).expect("a model serialises");
        store.save_model(PERSON, json).await?;
        self.persons.set_model(model);
        tracing::info!(mentions = self.persons.len(), "person model estimated");
        Ok(())
    }

    /// One row per resolved mention in the evaluation format, sorted;
    /// addresses labelled at `level` (None: the finest each names).
    pub fn export_rows(&self, level: Option<AddressLevel>) -> Vec<ExportRow> {
        let mut rows: Vec<ExportRow> = self
            .persons
            .assignments()
            .map(|(k, id)| ExportRow {
                kind: PERSON,
                source: k.source,
                record_id: k.record_id.clone(),
                mention: k.slot.to_string(),
                entity: format!("P{id}"),
            })
            .collect();
        for k in self.places.mentions() {
            let id = match level {
                Some(l) => self.places.entity_at(k, l),
                None => self.places.entity_of(k),
            };
            if let Some(id) = id {
                rows.push(ExportRow {
                    kind: ADDRESS,
                    source: k.source,
                    record_id: k.record_id.clone(),
                    mention: slot_field(k.slot).to_string(),
                    entity: format!("A{id}"),
                });
            }
        }
        rows.sort_by(|a, b| {
            (a.kind, a.source, &a.record_id, &a.mention).cmp(&(
                b.kind,
                b.source,
                &b.record_id,
                &b.mention,
            ))
        });
        rows
    }

    /// (source, record id) of every stored event with mentions.
    pub fn records(&self) -> std::collections::HashSet<(String, String)> {
        self.events
            .keys()
            .map(|(s, r)| (s.as_str().to_string(), r.to_string()))
            .collect()
    }

    /// Person entities holding two different valid ID numbers (the
    /// clustering forbids it; counted to prove it).
    pub fn id_conflicts(&self) -> usize {
        self.persons.id_conflicts()
    }

    fn event_of(&self, key: &MentionKey) -> Option<i64> {
        self.events
            .get(&(key.source, key.record_id.clone()))
            .copied()
    }

    fn log_rows(&self, kind: &str, r: &Resolution, why: &str) -> Vec<LogRow> {
        let changes = &r.changes;
        let at = Utc::now().naive_utc();
        changes
            .iter()
            .map(|c| {
                let (action, id, others) = match c {
                    IdChange::Created { id, .. } => ("created", *id, Vec::new()),
                    IdChange::Merged { id, absorbed } => ("merged", *id, absorbed.clone()),
                    IdChange::Split { id, into } => ("split", *id, into.clone()),
                    IdChange::Retired { id, into } => ("retired", *id, into.clone()),
                };
                LogRow {
                    at,
                    kind: kind.to_string(),
                    action: action.to_string(),
                    entity_id: id,
                    others: serde_json::to_string(&others).expect("ids serialise"),
                    reason: match (c, r.evidence.get(&id)) {
                        (IdChange::Merged { .. }, Some(link)) => format!("{why}; linked by {link}"),
                        _ => why.to_string(),
                    },
                }
            })
            .collect()
    }

    /// Links, unlinks and log of a step; entity rows come from `row`
    /// (None: the entity has no mentions left), each link's why from `why`
    /// and the search keys of the touched entities from `keys`.
    fn write(
        &self,
        kind: &'static str,
        r: &Resolution,
        reason: &str,
        row: impl Fn(i64) -> Option<EntityFields>,
        mut why: impl FnMut(&MentionKey) -> Option<String>,
        keys: impl FnOnce(&[i64]) -> Vec<(i64, String)>,
    ) -> ResolutionWrite {
        let now = Utc::now().naive_utc();
        let mut w = ResolutionWrite {
            kind,
            ..ResolutionWrite::default()
        };
        w.links = r
            .assigned
            .iter()
            .filter_map(|(k, id)| self.link(k, *id, why(k)))
            .collect();
        w.unlinked = r
            .removed
            .iter()
            .filter_map(|k| Some((self.event_of(k)?, k.slot as i64)))
            .collect();
        for id in &r.touched {
            match row(*id) {
                Some(f) => w.entities.push(EntityRow {
                    kind: kind.into(),
                    id: *id,
                    label: f.label,
                    level: f.level,
                    parent_id: f.parent_id,
                    mention_count: f.mentions,
                    detail: f.detail,
                    updated_at: now,
                }),
                None => w.retired.push(*id),
            }
        }
        let live: Vec<i64> = w.entities.iter().map(|e| e.id).collect();
        w.keys = keys(&live);
        w.log = self.log_rows(kind, r, reason);
        w
    }

    fn person_write(&self, r: &Resolution, reason: &str) -> ResolutionWrite {
        // A member's strongest link may be to a mention that just joined:
        // every member of a touched entity gets its why written again.
        let assigned: std::collections::HashSet<&MentionKey> =
            r.assigned.iter().map(|(k, _)| k).collect();
        let refreshed: Vec<(MentionKey, i64)> = r
            .touched
            .iter()
            .flat_map(|id| self.persons.members(*id).into_iter().map(move |k| (k, *id)))
            .filter(|(k, _)| !assigned.contains(k))
            .map(|(k, id)| (k.clone(), id))
            .collect();
        let why = |k: &MentionKey| {
            let why = self.persons.why(k)?;
            Some(serde_json::to_string(&why).expect("a why serialises"))
        };
        let mut w = self.write(
            PERSON,
            r,
            reason,
            |id| {
                let s = self.persons.summary(id)?;
                let detail = serde_json::to_string(&s).expect("a summary serialises");
                Some(EntityFields {
                    label: s.label,
                    level: None,
                    parent_id: None,
                    mentions: s.mentions as i64,
                    detail,
                })
            },
            why,
            |ids| self.persons.search_keys(ids),
        );
        w.links.extend(
            refreshed
                .into_iter()
                .filter_map(|(k, id)| self.link(&k, id, why(&k))),
        );
        w
    }

    /// A mention's link as written, when its record is known.
    fn link(&self, k: &MentionKey, entity_id: i64, why: Option<String>) -> Option<LinkWrite> {
        Some(LinkWrite {
            event_id: self.event_of(k)?,
            slot: k.slot as i64,
            entity_id,
            why,
        })
    }

    fn address_write(&self, r: &Resolution, reason: &str, all_areas: bool) -> ResolutionWrite {
        let mut steps = HashMap::new();
        let mut w = self.write(
            ADDRESS,
            r,
            reason,
            |id| {
                let p = self.places.place(id)?;
                let detail = serde_json::json!({
                    "key": self.places.key_of(id),
                    "longitude": p.coords.map(|c| c.0),
                    "latitude": p.coords.map(|c| c.1),
                })
                .to_string();
                Some(EntityFields {
                    label: p.label,
                    level: Some(level_name(p.level).to_string()),
                    parent_id: p.parent,
                    mentions: p.mentions as i64,
                    detail,
                })
            },
            |k| {
                let why = self.places.why(k, &mut steps)?;
                Some(serde_json::to_string(&why).expect("a why serialises"))
            },
            |ids| self.places.search_keys(ids),
        );
        w.areas = self.event_areas(r, all_areas);
        w.alias_keys = Some(self.places.alias_keys());
        w
    }

    /// Areas of the events whose address mentions this step changed (all
    /// events with `all`). The incident place counts, the home address
    /// (zz) only when the record names no other.
    fn event_areas(&self, r: &Resolution, all: bool) -> Vec<(i64, Option<EventAreaRow>)> {
        let records: BTreeSet<(Source, Arc<str>)> = if all {
            self.events.keys().cloned().collect()
        } else {
            r.assigned
                .iter()
                .map(|(k, _)| k)
                .chain(&r.removed)
                .map(|k| (k.source, k.record_id.clone()))
                .collect()
        };
        let home = field_slot("zz");
        records
            .into_iter()
            .filter_map(|(source, record_id)| {
                let event_id = *self.events.get(&(source, record_id.clone()))?;
                let primary = self
                    .places
                    .record_mentions(source, &record_id)
                    .iter()
                    .min_by_key(|k| (Some(k.slot) == home, k.slot));
                let row = primary
                    .and_then(|k| self.places.areas(k))
                    .map(|a| EventAreaRow {
                        event_id,
                        district_id: a.district,
                        street_id: a.street,
                        community_id: a.community,
                        site_id: a.site,
                        building_id: a.building,
                    });
                Some((event_id, row))
            })
            .collect()
    }

    /// The current entities as evaluation labels, addresses at `level`.
    pub fn labels(&self, level: Option<AddressLevel>) -> crate::evaluation::Labels {
        self.export_rows(level)
            .into_iter()
            .map(|row| {
                let key = (
                    row.kind.to_string(),
                    row.source.as_str().to_string(),
                    row.record_id.to_string(),
                    row.mention,
                );
                (key, row.entity)
            })
            .collect()
    }
}

pub fn level_name(l: crate::resolve::address::AddressLevel) -> &'static str {
    use crate::resolve::address::AddressLevel::*;
    match l {
        Province => "province",
        City => "city",
        District => "district",
        Street => "street",
        Community => "community",
        Road => "road",
        Crossing => "crossing",
        Site => "site",
        Building => "building",
        Room => "room",
    }
}

/// Event id → the buildings its addresses name (person evidence).
pub fn buildings_by_event(places: &[(AddressInput, i64)]) -> HashMap<i64, Vec<String>> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for (input, event) in places {
        if let Some(k) = building_key(&input.path) {
            out.entry(*event).or_default().push(k);
        }
    }
    out
}

fn person_input(
    p: &StoredPerson,
    area_code: &str,
    buildings: &HashMap<i64, Vec<String>>,
) -> Option<(PersonInput, i64)> {
    let source: Source = p.source.parse().ok()?;
    let features = PersonFeatures::parse(
        p.name.as_deref(),
        p.phone.as_deref(),
        p.id_number.as_deref(),
        area_code,
    )
    .with_buildings(buildings.get(&p.event_id).cloned().unwrap_or_default());
    Some((
        PersonInput {
            key: MentionKey::new(source, &p.record_id, p.position as u32),
            features,
        },
        p.event_id,
    ))
}

pub fn address_input(a: &StoredAddress, gazetteer: &Gazetteer) -> Option<(AddressInput, i64)> {
    let source: Source = a.source.parse().ok()?;
    let slot = field_slot(&a.field)?;
    let coords = match (a.longitude, a.latitude) {
        (Some(lon), Some(lat)) => Some((lon, lat)),
        _ => None,
    };
    Some((
        AddressInput {
            key: MentionKey::new(source, &a.record_id, slot),
            path: gazetteer.parse(&a.text),
            coords,
        },
        a.event_id,
    ))
}

/// Resolves queued events until `stop` turns true, looking every `every`:
/// the resolution side of `hub sync --follow` and `hub serve --sync`.
pub async fn follow(
    store: Store,
    settings: ResolveSettings,
    mut stop: tokio::sync::watch::Receiver<bool>,
    every: std::time::Duration,
) -> Result<(), ResolutionError> {
    let mut r = Resolving::open(&store, &settings).await?;
    loop {
        let report = r.drain(&store).await?;
        if report.events > 0 {
            tracing::info!(
                events = report.events,
                person_links = report.person_links,
                address_links = report.address_links,
                "resolved"
            );
        }
        tokio::select! {
            _ = stop.changed() => if *stop.borrow() { return Ok(()) },
            _ = tokio::time::sleep(every) => {}
        }
    }
}
