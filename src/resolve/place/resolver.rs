//! The place resolver: every address mention with the chain of place keys
//! it names, and one entity per key. The partition is a function of the
//! mentions alone (keys come from parsed paths and alias classes), so the
//! incremental path and a rebuild agree by construction; ids stay with a
//! key, and when aliasing renames a key its id moves with the majority of
//! its mentions.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use super::aliases::{AliasStep, Aliases};
use super::geo::Centroids;
use super::keys::{self, Chain, Key};
use crate::domain::Source;
use crate::resolve::address::{AddressLevel, AddressPath};
use crate::resolve::mention::MentionKey;
use crate::resolve::outcome::Resolution;
use crate::resolve::search_keys::place_key;
use crate::resolve::stable_ids::{EntityId, IdChange};
use crate::resolve::why::PlaceWhy;

#[derive(Clone, Debug)]
pub struct AddressInput {
    pub key: MentionKey,
    pub path: AddressPath,
    /// (longitude, latitude) of the event, when the source gave them.
    pub coords: Option<(f64, f64)>,
}

#[derive(Clone, Debug)]
pub struct RecordAddresses {
    pub source: Source,
    pub record_id: Arc<str>,
    pub mentions: Vec<AddressInput>,
}

/// A mention as held: the keys it names (under the current aliases) and
/// the event's coordinates. The parsed path is not kept: the chain carries
/// the raw site keys, which is all re-keying needs.
struct Held {
    coords: Option<(f64, f64)>,
    chain: Chain,
}

/// A mention on its way in, compact: its chain with raw (unaliased) site
/// keys instead of the parsed path. Convert early when loading many.
pub struct Incoming {
    key: MentionKey,
    raw: Chain,
    coords: Option<(f64, f64)>,
}

impl From<AddressInput> for Incoming {
    fn from(m: AddressInput) -> Incoming {
        Incoming {
            raw: keys::chain(&m.path, &|k| k.to_string()),
            key: m.key,
            coords: m.coords,
        }
    }
}

#[derive(Default)]
struct Node {
    id: EntityId,
    level: Option<AddressLevel>,
    /// Chains that pass through this node.
    refs: u32,
    /// Mentions whose finest place this is.
    direct: u32,
    /// Votes for the parent: (level of the parent, its key, mentions). A
    /// short list: most places have one parent candidate or two.
    parents: Vec<(AddressLevel, Key, u32)>,
    lon_sum: f64,
    lat_sum: f64,
    coords: u32,
}

/// Why two address mentions are one place (see `PlaceResolver::explain`).
#[derive(Clone, Debug, serde::Serialize)]
pub struct PlaceExplanation {
    pub same_entity: bool,
    /// The finest key each mention names.
    pub finest_a: Option<String>,
    pub finest_b: Option<String>,
    /// The finest key both chains contain, with its level.
    pub shared: Option<(AddressLevel, String)>,
    /// How the two ways of writing the site were joined.
    pub aliases: Vec<super::aliases::AliasStep>,
}

/// The places an event happened in, one per level of the hierarchy (the
/// store's `event_areas`, for filtering and grouping by area).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AreaIds {
    pub district: Option<EntityId>,
    pub street: Option<EntityId>,
    pub community: Option<EntityId>,
    /// Compound, village group or road number; a road or crossing for an
    /// informal place.
    pub site: Option<EntityId>,
    pub building: Option<EntityId>,
}

/// A place as the store and the API see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub id: EntityId,
    pub level: AddressLevel,
    /// The full canonical text, ancestors first.
    pub label: String,
    pub parent: Option<EntityId>,
    pub mentions: u32,
    pub coords: Option<(f64, f64)>,
}

#[derive(Default)]
pub struct PlaceResolver {
    held: HashMap<MentionKey, Held>,
    by_record: HashMap<(Source, Arc<str>), Vec<MentionKey>>,
    by_site_key: HashMap<Key, BTreeSet<MentionKey>>,
    aliases: Aliases,
    centroids: Centroids,
    nodes: HashMap<Key, Node>,
    by_id: HashMap<EntityId, Key>,
    next_id: EntityId,
}

impl PlaceResolver {
    pub fn new() -> PlaceResolver {
        PlaceResolver {
            next_id: 1,
            ..PlaceResolver::default()
        }
    }

    /// Loads stored mentions; `known` maps place keys to the ids they had
    /// (from the stored entities), so ids survive a restart.
    pub fn restore(
        inputs: impl IntoIterator<Item = Incoming>,
        known: &HashMap<String, EntityId>,
    ) -> (PlaceResolver, Resolution) {
        let mut r = PlaceResolver::new();
        r.next_id = known.values().max().map_or(1, |m| m + 1);
        let mut records: BTreeMap<(Source, Arc<str>), Vec<Incoming>> = BTreeMap::new();
        for input in inputs {
            records
                .entry((input.key.source, input.key.record_id.clone()))
                .or_default()
                .push(input);
        }
        let out = r.upsert_with(by_record(records), known);
        (r, out)
    }

    pub fn upsert(&mut self, records: Vec<RecordAddresses>) -> Resolution {
        self.upsert_with(incoming(records), &HashMap::new())
    }

    /// Recomputes every key from the held chains (raw site keys and all);
    /// ids stay with their keys.
    pub fn rebuild(&mut self) -> Resolution {
        let mut records: BTreeMap<(Source, Arc<str>), Vec<Incoming>> = BTreeMap::new();
        for (key, h) in &self.held {
            records
                .entry((key.source, key.record_id.clone()))
                .or_default()
                .push(Incoming {
                    key: key.clone(),
                    raw: keys::rekey(&h.chain, &|raw| raw.to_string()),
                    coords: h.coords,
                });
        }
        let known: HashMap<String, EntityId> = self
            .nodes
            .iter()
            .map(|(k, n)| (k.to_string(), n.id))
            .collect();
        let old_ids: Vec<EntityId> = self.by_id.keys().copied().collect();
        // The old state goes before the new is built: two resolvers of a
        // large city at once would double the peak.
        *self = PlaceResolver {
            next_id: self.next_id,
            ..PlaceResolver::default()
        };
        let mut out = self.upsert_with(by_record(records), &known);
        // Ids that no key holds any more.
        let mut gone: Vec<EntityId> = old_ids
            .into_iter()
            .filter(|i| !self.by_id.contains_key(i))
            .collect();
        gone.sort_unstable();
        for id in gone {
            out.changes.push(IdChange::Retired {
                id,
                into: Vec::new(),
            });
            out.touched.push(id);
        }
        out.touched.sort_unstable();
        out.touched.dedup();
        out
    }

    fn upsert_with(
        &mut self,
        records: Vec<IncomingRecord>,
        known: &HashMap<String, EntityId>,
    ) -> Resolution {
        let mut out = Resolution::default();
        let mut touched_keys: BTreeSet<Key> = BTreeSet::new();
        let mut alias_changed = false;
        let mut coords_changed = false;
        // Mentions held with a raw chain, not applied yet.
        let mut fresh: BTreeSet<MentionKey> = BTreeSet::new();
        let mut before: HashMap<MentionKey, Option<EntityId>> = HashMap::new();
        for ((source, record_id), mentions) in records {
            let old = self
                .by_record
                .remove(&(source, record_id.clone()))
                .unwrap_or_default();
            for k in old {
                before
                    .entry(k.clone())
                    .or_insert_with(|| self.entity_of(&k));
                if let Some(h) = self.held.remove(&k) {
                    alias_changed |= self.aliases.note(&h.chain.site_keys, false);
                    if let Some(c) = h.coords {
                        for raw in &h.chain.site_keys {
                            self.centroids.note(raw, c, false);
                            coords_changed = true;
                        }
                    }
                    self.unapply(&k, &h, &mut touched_keys);
                }
                if !mentions.iter().any(|m| m.key == k) {
                    out.removed.push(k);
                }
            }
            for m in mentions {
                let probe = m.raw;
                if probe.links.is_empty() {
                    // Nothing placeable (empty, or only words such as 附近).
                    if before.get(&m.key).is_some_and(Option::is_some) {
                        out.removed.push(m.key.clone());
                    }
                    continue;
                }
                alias_changed |= self.aliases.note(&probe.site_keys, true);
                if let Some(c) = m.coords {
                    for raw in &probe.site_keys {
                        self.centroids.note(raw, c, true);
                        coords_changed = true;
                    }
                }
                self.by_record
                    .entry((source, record_id.clone()))
                    .or_default()
                    .push(m.key.clone());
                before.entry(m.key.clone()).or_insert(None);
                fresh.insert(m.key.clone());
                self.held.insert(
                    m.key.clone(),
                    Held {
                        coords: m.coords,
                        chain: probe,
                    },
                );
            }
        }
        // Where alarms were called from may join more names to door numbers;
        // that can only change when calls or text aliases did.
        if coords_changed || alias_changed {
            let partnered = self.aliases.text_partnered();
            let geo = self.centroids.pairs(|k| !partnered.contains(k));
            alias_changed |= self.aliases.set_derived(geo);
        }
        // New alias classes re-key every mention of the sites involved.
        let mut rekey: BTreeSet<MentionKey> = fresh.iter().cloned().collect();
        if alias_changed {
            for raw in self.aliases.recompute() {
                if let Some(ms) = self.by_site_key.get(raw.as_str()) {
                    rekey.extend(ms.iter().cloned());
                }
            }
        }
        let mut moved_from: BTreeMap<Key, BTreeMap<Key, u32>> = BTreeMap::new();
        let mut created: BTreeSet<Key> = BTreeSet::new();
        for k in &rekey {
            let Some(h) = self.held.remove(k) else {
                continue;
            };
            let applied = !fresh.contains(k);
            let old_finest = h
                .chain
                .links
                .first()
                .map(|l| l.1.clone())
                .filter(|_| applied);
            let old_links = if applied {
                h.chain.links.clone()
            } else {
                Vec::new()
            };
            if applied {
                before.entry(k.clone()).or_insert_with(|| {
                    old_finest
                        .as_ref()
                        .and_then(|f| self.nodes.get(f))
                        .map(|n| n.id)
                });
                self.unapply(k, &h, &mut touched_keys);
            }
            let chain = self.shared(keys::rekey(&h.chain, &|s| self.aliases.rep(s)));
            let h = Held { chain, ..h };
            // Keys renamed by aliasing, level by level.
            for (level, new) in &h.chain.links {
                if let Some((_, old)) = old_links.iter().find(|(l, _)| l == level)
                    && old != new
                {
                    *moved_from
                        .entry(new.clone())
                        .or_default()
                        .entry(old.clone())
                        .or_insert(0) += 1;
                }
            }
            self.apply(k, &h, &mut touched_keys, known, &mut created);
            self.held.insert(k.clone(), h);
        }
        // Retire nodes nobody passes through any more.
        let mut retired: Vec<(Key, EntityId)> = Vec::new();
        for key in &touched_keys {
            if self.nodes.get(key).is_some_and(|n| n.refs == 0) {
                let n = self.nodes.remove(key).expect("present");
                self.by_id.remove(&n.id);
                retired.push((key.clone(), n.id));
            }
        }
        for (key, id) in &retired {
            // A key renamed by aliasing hands its id to the new key it went
            // to, when that key is new; otherwise the new key absorbed it.
            let mut targets: Vec<(&Key, u32)> = moved_from
                .iter()
                .filter_map(|(to, from)| from.get(key).map(|n| (to, *n)))
                .filter(|(to, _)| self.nodes.contains_key(*to))
                .collect();
            targets.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let heir = targets
                .iter()
                .find(|(to, _)| created.contains(*to))
                .map(|(to, _)| (*to).clone());
            if let Some(to) = heir {
                created.remove(&to);
                let node = self.nodes.get_mut(&to).expect("checked above");
                self.by_id.remove(&node.id);
                node.id = *id;
                self.by_id.insert(*id, to);
                continue;
            }
            let into: Vec<EntityId> = targets
                .iter()
                .filter_map(|(to, _)| self.nodes.get(*to).map(|n| n.id))
                .collect();
            for (to, _) in &targets {
                let Some(target) = self.nodes.get(*to).map(|n| n.id) else {
                    continue;
                };
                out.changes.push(IdChange::Merged {
                    id: target,
                    absorbed: vec![*id],
                });
                // Keys merge when their sites became aliases: say how.
                let site = |k: &str| k.split('/').next().unwrap_or(k).to_string();
                let steps = self.aliases.why(&site(key), &site(to));
                if !steps.is_empty() {
                    let text: Vec<String> = steps
                        .iter()
                        .map(|s| match s.records {
                            Some(n) => format!("{} = {} ({n} records name both)", s.from, s.to),
                            None => format!("{} = {} (alarms called from one spot)", s.from, s.to),
                        })
                        .collect();
                    out.evidence.insert(target, text.join("; "));
                }
            }
            out.changes.push(IdChange::Retired { id: *id, into });
            out.touched.push(*id);
        }
        for key in &created {
            if let Some(n) = self.nodes.get(key) {
                out.changes.push(IdChange::Created {
                    id: n.id,
                    mentions: n.direct as usize,
                });
            }
        }
        for (k, was) in before {
            let now = self.entity_of(&k);
            if let Some(now) = now
                && was != Some(now)
            {
                out.assigned.push((k, now));
            }
        }
        out.assigned.sort();
        out.reclustered = rekey.len();
        for key in touched_keys {
            if let Some(n) = self.nodes.get(&key) {
                out.touched.push(n.id);
            }
        }
        out.touched.sort_unstable();
        out.touched.dedup();
        out
    }

    fn apply(
        &mut self,
        mention: &MentionKey,
        h: &Held,
        touched: &mut BTreeSet<Key>,
        known: &HashMap<String, EntityId>,
        created: &mut BTreeSet<Key>,
    ) {
        for raw in &h.chain.site_keys {
            self.by_site_key
                .entry(raw.clone())
                .or_default()
                .insert(mention.clone());
        }
        for (i, (level, key)) in h.chain.links.iter().enumerate() {
            touched.insert(key.clone());
            if !self.nodes.contains_key(key) {
                // A key new to the resolver: its id comes from the mention's
                // stored id (restore), the node it was renamed from, or is new.
                let inherited = known
                    .get(&**key)
                    .copied()
                    .filter(|id| !self.by_id.contains_key(id));
                created.insert(key.clone());
                let id = inherited.unwrap_or_else(|| {
                    let id = self.next_id;
                    self.next_id += 1;
                    id
                });
                self.next_id = self.next_id.max(id + 1);
                self.by_id.insert(id, key.clone());
                self.nodes.insert(
                    key.clone(),
                    Node {
                        id,
                        level: Some(*level),
                        ..Node::default()
                    },
                );
            }
            let node = self.nodes.get_mut(key).expect("inserted above");
            node.refs += 1;
            if i == 0 {
                node.direct += 1;
                if let Some((lon, lat)) = h.coords {
                    node.lon_sum += lon;
                    node.lat_sum += lat;
                    node.coords += 1;
                }
            }
            if let Some((plevel, pkey)) = h.chain.links.get(i + 1) {
                match node
                    .parents
                    .iter_mut()
                    .find(|(l, k, _)| l == plevel && k == pkey)
                {
                    Some(v) => v.2 += 1,
                    None => node.parents.push((*plevel, pkey.clone(), 1)),
                }
            }
        }
    }

    /// The chain with each key it shares with a held place replaced by
    /// that place's own copy, so a key is stored once however many
    /// mentions pass through it.
    fn shared(&self, mut chain: Chain) -> Chain {
        for (_, k) in &mut chain.links {
            if let Some((held, _)) = self.nodes.get_key_value(&**k) {
                *k = held.clone();
            }
        }
        for k in &mut chain.site_keys {
            if let Some((held, _)) = self.by_site_key.get_key_value(&**k) {
                *k = held.clone();
            }
        }
        chain
    }

    fn unapply(&mut self, mention: &MentionKey, h: &Held, touched: &mut BTreeSet<Key>) {
        for raw in &h.chain.site_keys {
            if let Some(s) = self.by_site_key.get_mut(raw) {
                s.remove(mention);
                if s.is_empty() {
                    self.by_site_key.remove(raw);
                }
            }
        }
        for (i, (_, key)) in h.chain.links.iter().enumerate() {
            touched.insert(key.clone());
            let Some(node) = self.nodes.get_mut(key) else {
                continue;
            };
            node.refs = node.refs.saturating_sub(1);
            if i == 0 {
                node.direct = node.direct.saturating_sub(1);
                if let Some((lon, lat)) = h.coords {
                    node.lon_sum -= lon;
                    node.lat_sum -= lat;
                    node.coords = node.coords.saturating_sub(1);
                }
            }
            if let Some((plevel, pkey)) = h.chain.links.get(i + 1)
                && let Some(i) = node
                    .parents
                    .iter()
                    .position(|(l, k, _)| l == plevel && k == pkey)
            {
                node.parents[i].2 -= 1;
                if node.parents[i].2 == 0 {
                    node.parents.swap_remove(i);
                }
            }
        }
    }

    /// Why two address mentions are (or are not) one place: the finest key
    /// their chains share and, when they wrote the site differently, the
    /// alias steps that join the two writings.
    pub fn explain(&self, a: &MentionKey, b: &MentionKey) -> Option<PlaceExplanation> {
        let (ha, hb) = (self.held.get(a)?, self.held.get(b)?);
        let shared = ha
            .chain
            .links
            .iter()
            .find(|(_, k)| hb.chain.links.iter().any(|(_, k2)| k2 == k))
            .map(|(l, k)| (*l, k.to_string()));
        let aliases = match (ha.chain.site_keys.first(), hb.chain.site_keys.first()) {
            (Some(x), Some(y)) => self.aliases.why(x, y),
            _ => Vec::new(),
        };
        Some(PlaceExplanation {
            same_entity: self.entity_of(a).is_some() && self.entity_of(a) == self.entity_of(b),
            finest_a: ha.chain.links.first().map(|l| l.1.to_string()),
            finest_b: hb.chain.links.first().map(|l| l.1.to_string()),
            shared,
            aliases,
        })
    }

    /// Why a mention is the place it is (stored with its link): the key it
    /// names and, when its compound was written under another name, the
    /// alias steps. `steps` caches alias paths across calls.
    pub fn why(
        &self,
        mention: &MentionKey,
        steps: &mut HashMap<String, Vec<AliasStep>>,
    ) -> Option<PlaceWhy> {
        let h = self.held.get(mention)?;
        let named = h.chain.links.first()?.1.to_string();
        let aliases = match h.chain.site_keys.first() {
            Some(raw) => steps
                .entry(raw.to_string())
                .or_insert_with(|| self.aliases.why(raw, &self.aliases.rep(raw)))
                .clone(),
            None => Vec::new(),
        };
        Some(PlaceWhy { named, aliases })
    }

    /// Search keys of each place: the key it is stored under.
    pub fn search_keys(&self, ids: &[EntityId]) -> Vec<(EntityId, String)> {
        ids.iter()
            .filter_map(|id| Some((*id, place_key(self.by_id.get(id)?))))
            .collect()
    }

    /// Every place with an id, mentioned directly or only as an ancestor.
    pub fn entity_ids(&self) -> impl Iterator<Item = EntityId> + '_ {
        self.by_id.keys().copied()
    }

    /// Every other way a compound is written (a name for a door number, a
    /// door number for a name), as search keys of the compound it is.
    pub fn alias_keys(&self) -> Vec<(EntityId, String)> {
        let mut out: Vec<(EntityId, String)> = self
            .aliases
            .classes()
            .into_iter()
            .filter_map(|(rep, raws)| Some((self.nodes.get(rep)?.id, raws)))
            .flat_map(|(id, raws)| raws.into_iter().map(move |r| (id, place_key(r))))
            .collect();
        out.sort();
        out
    }

    /// The current address mentions of a record.
    pub fn record_mentions(&self, source: Source, record_id: &Arc<str>) -> &[MentionKey] {
        self.by_record
            .get(&(source, record_id.clone()))
            .map_or(&[], Vec::as_slice)
    }

    /// The places at each level above and at a mention's finest place.
    pub fn areas(&self, mention: &MentionKey) -> Option<AreaIds> {
        let h = self.held.get(mention)?;
        let mut key = h.chain.links.first()?.1.clone();
        let mut out = AreaIds::default();
        for _ in 0..12 {
            let Some(node) = self.nodes.get(&key) else {
                break;
            };
            let slot = match node.level {
                Some(AddressLevel::District) => Some(&mut out.district),
                Some(AddressLevel::Street) => Some(&mut out.street),
                Some(AddressLevel::Community) => Some(&mut out.community),
                Some(AddressLevel::Site | AddressLevel::Road | AddressLevel::Crossing) => {
                    Some(&mut out.site)
                }
                Some(AddressLevel::Building) => Some(&mut out.building),
                _ => None,
            };
            if let Some(slot) = slot {
                slot.get_or_insert(node.id);
            }
            match self.parent_key(node) {
                Some(p) => key = p,
                None => break,
            }
        }
        Some(out)
    }

    /// The entity of the finest place a mention names.
    pub fn entity_of(&self, mention: &MentionKey) -> Option<EntityId> {
        let h = self.held.get(mention)?;
        let finest = &h.chain.links.first()?.1;
        self.nodes.get(finest).map(|n| n.id)
    }

    /// The entity a mention is labelled with at `level`: its finest place
    /// when that is at `level` or coarser, else the ancestor at `level`
    /// (or the nearest coarser one the data knows).
    pub fn entity_at(&self, mention: &MentionKey, level: AddressLevel) -> Option<EntityId> {
        let h = self.held.get(mention)?;
        let mut key = h.chain.links.first()?.1.clone();
        loop {
            let node = self.nodes.get(&key)?;
            let l = node.level?;
            if !finer(l, level) {
                return Some(node.id);
            }
            match self.parent_key(node) {
                Some(p) => key = p,
                None => return Some(node.id),
            }
        }
    }

    fn parent_key(&self, node: &Node) -> Option<Key> {
        // The finest level any mention names above this node, then the
        // most votes, then the smallest key.
        let finest = node
            .parents
            .iter()
            .map(|(l, _, _)| *l)
            .max_by_key(|l| rank(*l))?;
        node.parents
            .iter()
            .filter(|(l, _, _)| *l == finest)
            .max_by(|a, b| a.2.cmp(&b.2).then(b.1.cmp(&a.1)))
            .map(|(_, k, _)| k.clone())
    }

    /// The key a place is known by (stored with the entity, see `restore`).
    pub fn key_of(&self, id: EntityId) -> Option<&str> {
        self.by_id.get(&id).map(|k| &**k)
    }

    /// The id of the place directly above `id`.
    pub fn parent_of(&self, id: EntityId) -> Option<EntityId> {
        let node = self.nodes.get(self.by_id.get(&id)?)?;
        self.nodes.get(&self.parent_key(node)?).map(|n| n.id)
    }

    pub fn place(&self, id: EntityId) -> Option<Place> {
        let key = self.by_id.get(&id)?;
        let node = self.nodes.get(key)?;
        let level = node.level?;
        let mut label = keys::own_label(level, key);
        let mut cur = node;
        let mut guard = 0;
        while let Some(pk) = self.parent_key(cur) {
            let Some(p) = self.nodes.get(&pk) else { break };
            label = format!("{}{label}", keys::own_label(p.level.unwrap_or(level), &pk));
            cur = p;
            guard += 1;
            if guard > 12 {
                break;
            }
        }
        Some(Place {
            id,
            level,
            label,
            parent: self
                .parent_key(node)
                .and_then(|k| self.nodes.get(&k))
                .map(|n| n.id),
            mentions: node.direct,
            coords: (node.coords > 0).then(|| {
                (
                    node.lon_sum / node.coords as f64,
                    node.lat_sum / node.coords as f64,
                )
            }),
        })
    }

    pub fn assignments(&self) -> impl Iterator<Item = (&MentionKey, EntityId)> {
        self.held
            .keys()
            .filter_map(|k| self.entity_of(k).map(|e| (k, e)))
    }

    pub fn mentions(&self) -> impl Iterator<Item = &MentionKey> {
        self.held.keys()
    }

    pub fn len(&self) -> usize {
        self.held.len()
    }

    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }
}

/// A record's mentions on their way in.
type IncomingRecord = ((Source, Arc<str>), Vec<Incoming>);

/// Mentions grouped by record, each group trimmed to its size: grown by
/// pushes, a group keeps room for four, and most records name one place.
fn by_record(records: BTreeMap<(Source, Arc<str>), Vec<Incoming>>) -> Vec<IncomingRecord> {
    records
        .into_iter()
        .map(|(k, mut v)| {
            v.shrink_to_fit();
            (k, v)
        })
        .collect()
}

fn incoming(records: Vec<RecordAddresses>) -> Vec<IncomingRecord> {
    records
        .into_iter()
        .map(|r| {
            let mentions = r.mentions.into_iter().map(Incoming::from).collect();
            ((r.source, r.record_id), mentions)
        })
        .collect()
}

/// True when `a` is a finer level than `b` in the place hierarchy.
fn finer(a: AddressLevel, b: AddressLevel) -> bool {
    rank(a) > rank(b)
}

fn rank(l: AddressLevel) -> u8 {
    match l {
        AddressLevel::Province => 0,
        AddressLevel::City => 1,
        AddressLevel::District => 2,
        AddressLevel::Street => 3,
        AddressLevel::Community => 4,
        AddressLevel::Road | AddressLevel::Crossing | AddressLevel::Site => 5,
        AddressLevel::Building => 6,
        AddressLevel::Room => 7,
    }
}
