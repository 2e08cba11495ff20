//! The person resolver: every person mention in memory, indexed by block,
//! with its current entity. New and revised records are resolved as they
//! come (`upsert`); `rebuild` recomputes everything from scratch.
//!
//! Both paths run the same clustering over whole components of the link
//! graph: `settle` grows the set of touched mentions until it is closed
//! under links at or above the threshold and under current entity
//! membership, then clusters that set anew. Outside it nothing could have
//! changed, so the incremental result equals a rebuild's.

use std::collections::{BTreeMap, BTreeSet};

// Small integer and hash keys looked up millions of times while a component
// is walked: SipHash's DoS resistance buys nothing here, and foldhash took
// the p99 of one new record from 90 to 68 ms (`bench resolve`, 470,000
// records).
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::sync::Arc;

use super::blocks::{self, BlockKey, BlockKind, NAME_BLOCK_LIMIT};
use super::cluster::{self, Edge, Node};
use super::compare::{Comparison, NameLevel, compare};
use super::features::PersonFeatures;
use super::model::{Evidence, Frequencies, PersonModel, Weights};
use super::stats::{Moved, Stats};
use crate::domain::Source;
use crate::resolve::mention::MentionKey;
use crate::resolve::normalize::name::{PersonName, Sex};
use crate::resolve::outcome::Resolution;
use crate::resolve::stable_ids::{self, EntityId};
use crate::resolve::why::{FieldWeight, MentionRef, PersonWhy};

/// Entities up to this size are searched whole for a mention's strongest
/// link; larger ones through the mention's blocks.
const WHY_SCAN_LIMIT: usize = 64;

/// One person mention to resolve.
#[derive(Clone, Debug)]
pub struct PersonInput {
    pub key: MentionKey,
    pub features: PersonFeatures,
}

/// The current person mentions of one record; they replace whatever the
/// record said before.
#[derive(Clone, Debug)]
pub struct RecordPersons {
    pub source: Source,
    pub record_id: Arc<str>,
    pub mentions: Vec<PersonInput>,
}

/// What an entity's mentions say, as stored with it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PersonSummary {
    pub label: String,
    pub mentions: usize,
    pub names: Vec<String>,
    pub phones: Vec<String>,
    pub id_numbers: Vec<String>,
    pub sources: Vec<String>,
    pub sex: Option<Sex>,
    pub birth: Option<chrono::NaiveDate>,
}

/// A held mention. Its block keys are not kept: they are a few hashes of
/// its features, cheaper to compute again than to store a million times.
struct Slot {
    key: MentionKey,
    f: PersonFeatures,
    entity: Option<EntityId>,
}

/// Why two mentions are (or are not) linked.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Explanation {
    pub comparison: Comparison,
    pub evidence: Vec<Evidence>,
    /// log2 odds; the link threshold is in `threshold`.
    pub score: f64,
    pub threshold: f64,
    pub same_entity: bool,
}

pub struct PersonResolver {
    model: PersonModel,
    weights: Weights,
    slots: Vec<Option<Slot>>,
    free: Vec<u32>,
    by_key: HashMap<MentionKey, u32>,
    by_record: HashMap<(Source, Arc<str>), Vec<u32>>,
    blocks: HashMap<BlockKey, Vec<u32>>,
    stats: Stats,
    members: HashMap<EntityId, Vec<u32>>,
    next_id: EntityId,
}

impl PersonResolver {
    pub fn new(model: PersonModel) -> PersonResolver {
        PersonResolver {
            weights: model.compile(),
            model,
            slots: Vec::new(),
            free: Vec::new(),
            by_key: HashMap::new(),
            by_record: HashMap::new(),
            blocks: HashMap::new(),
            stats: Stats::default(),
            members: HashMap::new(),
            next_id: 1,
        }
    }

    pub fn model(&self) -> &PersonModel {
        &self.model
    }

    /// Loads mentions as stored, with the entities they had; mentions
    /// without one are resolved by the next `settle_pending`.
    pub fn restore(
        model: PersonModel,
        mentions: impl IntoIterator<Item = (PersonInput, Option<EntityId>)>,
    ) -> PersonResolver {
        let mut r = PersonResolver::new(model);
        r.load(mentions);
        r
    }

    /// `restore` in parts: loading a large store slice by slice never
    /// holds all its mentions twice.
    pub fn load(&mut self, mentions: impl IntoIterator<Item = (PersonInput, Option<EntityId>)>) {
        let mentions = mentions.into_iter();
        let n = mentions.size_hint().0;
        self.reserve(n, n);
        for (input, entity) in mentions {
            if input.features.is_blank() {
                continue;
            }
            let idx = self.insert(input, &mut HashSet::new());
            if let Some(e) = entity {
                self.set_entity(idx, Some(e));
                self.next_id = self.next_id.max(e + 1);
            }
        }
    }

    /// Room for this many more records and mentions at once: grown one
    /// push at a time, the largest tables of a big city would be copied
    /// while both the old and the new allocation are held. The slots grow
    /// by an eighth at least, not double: loaded slice by slice, doubling
    /// left a city's largest vector with nearly as much room as content.
    fn reserve(&mut self, records: usize, mentions: usize) {
        let fresh = mentions.saturating_sub(self.free.len());
        if self.slots.capacity() - self.slots.len() < fresh {
            self.slots.reserve_exact(fresh.max(self.slots.len() / 8));
        }
        self.by_key.reserve(mentions);
        self.by_record.reserve(records);
    }

    /// Resolves the mentions `restore` found without an entity.
    pub fn settle_pending(&mut self) -> Resolution {
        let pending: HashSet<u32> = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.as_ref().is_some_and(|s| s.entity.is_none()))
            .map(|(i, _)| i as u32)
            .collect();
        self.settle(pending, Vec::new())
    }

    /// Replaces the person mentions of these records and resolves what that
    /// touches.
    pub fn upsert(&mut self, records: Vec<RecordPersons>) -> Resolution {
        self.reserve(
            records.len(),
            records.iter().map(|r| r.mentions.len()).sum(),
        );
        let mut dirty = HashSet::new();
        let mut removed = Vec::new();
        for rec in records {
            let old = self
                .by_record
                .remove(&(rec.source, rec.record_id.clone()))
                .unwrap_or_default();
            let mut kept = Vec::new();
            for idx in old {
                let same = self.slots[idx as usize].as_ref().is_some_and(|s| {
                    rec.mentions
                        .iter()
                        .any(|m| m.key == s.key && m.features == s.f)
                });
                if same {
                    kept.push(idx);
                } else {
                    let key = self.remove(idx, &mut dirty);
                    if !rec
                        .mentions
                        .iter()
                        .any(|m| m.key == key && !m.features.is_blank())
                    {
                        removed.push(key);
                    }
                }
            }
            if !kept.is_empty() {
                self.by_record
                    .insert((rec.source, rec.record_id.clone()), kept.clone());
            }
            for m in rec.mentions {
                let unchanged = kept.iter().any(|i| {
                    self.slots[*i as usize]
                        .as_ref()
                        .is_some_and(|s| s.key == m.key)
                });
                if unchanged || m.features.is_blank() {
                    continue;
                }
                let idx = self.insert(m, &mut dirty);
                dirty.insert(idx);
            }
        }
        self.settle(dirty, removed)
    }

    /// Clusters every mention again from scratch (with the current model).
    /// Entity ids are kept wherever the majority of an entity's mentions
    /// stay together.
    pub fn rebuild(&mut self) -> Resolution {
        let all: HashSet<u32> = (0..self.slots.len() as u32)
            .filter(|i| self.slots[*i as usize].is_some())
            .collect();
        self.settle(all, Vec::new())
    }

    /// Swaps in new parameters; call `rebuild` afterwards.
    pub fn set_model(&mut self, model: PersonModel) {
        self.weights = model.compile();
        self.model = model;
    }

    pub fn entity_of(&self, key: &MentionKey) -> Option<EntityId> {
        let idx = *self.by_key.get(key)?;
        self.slots[idx as usize].as_ref()?.entity
    }

    pub fn features(&self, key: &MentionKey) -> Option<&PersonFeatures> {
        let idx = *self.by_key.get(key)?;
        self.slots[idx as usize].as_ref().map(|s| &s.f)
    }

    /// Every resolved mention with its entity.
    pub fn assignments(&self) -> impl Iterator<Item = (&MentionKey, EntityId)> {
        self.slots
            .iter()
            .flatten()
            .filter_map(|s| s.entity.map(|e| (&s.key, e)))
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Entities holding two different valid ID numbers.
    pub fn id_conflicts(&self) -> usize {
        self.members
            .values()
            .filter(|m| {
                let ids: BTreeSet<&str> = m
                    .iter()
                    .filter_map(|i| self.slot(*i).f.strong_id())
                    .collect();
                ids.len() > 1
            })
            .count()
    }

    pub fn all_features(&self) -> impl Iterator<Item = &PersonFeatures> {
        self.slots.iter().flatten().map(|s| &s.f)
    }

    /// What an entity's mentions say about it, for its stored row.
    pub fn summary(&self, id: EntityId) -> Option<PersonSummary> {
        let members = self.members.get(&id)?;
        let mut names: BTreeMap<String, u32> = BTreeMap::new();
        let mut phones: BTreeSet<String> = BTreeSet::new();
        let mut ids: BTreeSet<String> = BTreeSet::new();
        let mut sources: BTreeSet<&'static str> = BTreeSet::new();
        let mut sex = None;
        let mut birth = None;
        for i in members {
            let s = self.slot(*i);
            let name = match &s.f.name {
                PersonName::Full { name, .. } => Some(name.clone()),
                PersonName::Honorific { surname, sex, .. } => Some(format!(
                    "{surname}{}",
                    match sex {
                        Some(Sex::Male) => "先生",
                        Some(Sex::Female) => "女士",
                        None => "",
                    }
                )),
                PersonName::Absent => None,
            };
            if let Some(n) = name {
                *names.entry(n).or_insert(0) += 1;
            }
            if let Some(p) = &s.f.phone {
                phones.insert(p.canonical());
            }
            if let Some(idc) = &s.f.id {
                if let Some(d) = idc.strong().or(idc.digits()) {
                    ids.insert(d.to_string());
                } else if let Some(k) = idc.masked_key() {
                    ids.insert(k);
                }
            }
            sources.insert(s.key.source.as_str());
            sex = sex.or(s.f.sex);
            birth = birth.or(s.f.birth);
        }
        // The most frequent full name; honorific forms only when there is none.
        let label = names
            .iter()
            .filter(|(n, _)| !n.ends_with("先生") && !n.ends_with("女士"))
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .or_else(|| names.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))))
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| "匿名".to_string());
        Some(PersonSummary {
            label,
            mentions: members.len(),
            names: names.into_keys().collect(),
            phones: phones.into_iter().collect(),
            id_numbers: ids.into_iter().collect(),
            sources: sources.into_iter().map(str::to_string).collect(),
            sex,
            birth,
        })
    }

    /// The mentions of an entity.
    pub fn members(&self, id: EntityId) -> Vec<&MentionKey> {
        self.members
            .get(&id)
            .map(|m| m.iter().map(|i| &self.slot(*i).key).collect())
            .unwrap_or_default()
    }

    /// Search keys of each entity: the union of its mentions' keys.
    pub fn search_keys(&self, ids: &[EntityId]) -> Vec<(EntityId, String)> {
        let mut out = Vec::new();
        for id in ids {
            let Some(members) = self.members.get(id) else {
                continue;
            };
            let keys: BTreeSet<String> = members
                .iter()
                .flat_map(|i| crate::resolve::search_keys::person_keys(&self.slot(*i).f))
                .collect();
            out.extend(keys.into_iter().map(|k| (*id, k)));
        }
        out
    }

    /// The evidence for or against linking two mentions.
    pub fn explain(&self, a: &MentionKey, b: &MentionKey) -> Option<Explanation> {
        let (ia, ib) = (*self.by_key.get(a)?, *self.by_key.get(b)?);
        let (sa, sb) = (self.slot(ia), self.slot(ib));
        let c = compare(&sa.f, &sb.f);
        let freq = self.frequencies(&sa.f, &sb.f, &c);
        Some(Explanation {
            comparison: c,
            evidence: self.weights.explain(&c, &freq),
            score: self.weights.score(&c, &freq),
            threshold: self.weights.threshold,
            same_entity: sa.entity.is_some() && sa.entity == sb.entity,
        })
    }

    /// Why a mention is in its entity: its strongest link to another
    /// member (deterministic: ties go to the smaller key). Large entities
    /// are searched through the mention's blocks only.
    pub fn why(&self, key: &MentionKey) -> Option<PersonWhy> {
        let idx = *self.by_key.get(key)?;
        let entity = self.slot(idx).entity?;
        let members = self.members.get(&entity)?;
        let candidates: Vec<u32> = if members.len() <= WHY_SCAN_LIMIT {
            members.clone()
        } else {
            let mut near: Vec<u32> = blocks::keys(&self.slot(idx).f)
                .iter()
                .filter_map(|b| self.blocks.get(b))
                .flatten()
                .copied()
                .filter(|i| self.slot(*i).entity == Some(entity))
                .collect();
            near.sort_unstable();
            near.dedup();
            near
        };
        let (best, _) = candidates
            .into_iter()
            .filter(|i| *i != idx)
            .map(|i| (i, self.link(idx, i)))
            .max_by(|(ia, (sa, ida)), (ib, (sb, idb))| {
                (ida, sa)
                    .partial_cmp(&(idb, sb))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then_with(|| self.slot(*ib).key.cmp(&self.slot(*ia).key))
            })?;
        let other = &self.slot(best).key;
        let e = self.explain(key, other)?;
        Some(PersonWhy {
            with: MentionRef::from(other),
            score: e.score,
            threshold: e.threshold,
            fields: e
                .evidence
                .into_iter()
                .map(|f| FieldWeight {
                    field: f.field.to_string(),
                    level: f.level,
                    weight: (f.weight * 100.0).round() / 100.0,
                    note: f.note,
                })
                .collect(),
        })
    }

    fn slot(&self, idx: u32) -> &Slot {
        self.slots[idx as usize].as_ref().expect("live slot")
    }

    fn set_entity(&mut self, idx: u32, entity: Option<EntityId>) {
        let slot = self.slots[idx as usize].as_mut().expect("live slot");
        if let Some(old) = slot.entity.take()
            && let Some(m) = self.members.get_mut(&old)
        {
            m.retain(|i| *i != idx);
            if m.is_empty() {
                self.members.remove(&old);
            }
        }
        slot.entity = entity;
        if let Some(e) = entity {
            self.members.entry(e).or_default().push(idx);
        }
    }

    fn mark_moved(&self, moved: Moved, blocks: &[BlockKey], dirty: &mut HashSet<u32>) {
        for b in blocks {
            let (all, some) = match b.kind {
                BlockKind::Name => (moved.name || moved.pinyin, moved.name_share),
                BlockKind::Phone => (moved.phone, moved.phone_share),
                _ => (false, false),
            };
            let Some(m) = self.blocks.get(b) else {
                continue;
            };
            if all {
                dirty.extend(m.iter().copied());
            } else if some {
                // A share weighs only the pairs of a mention the name or
                // phone alone cannot place: re-clustering those mentions
                // re-scores every pair whose weight moved.
                let ambiguous = |f: &PersonFeatures| match b.kind {
                    BlockKind::Name => f.phone.is_none(),
                    _ => f.name.full().is_none(),
                };
                dirty.extend(m.iter().copied().filter(|i| {
                    self.slots[*i as usize]
                        .as_ref()
                        .is_some_and(|s| ambiguous(&s.f))
                }));
            }
        }
    }

    fn insert(&mut self, input: PersonInput, dirty: &mut HashSet<u32>) -> u32 {
        let keys = blocks::keys(&input.features);
        let idx = match self.free.pop() {
            Some(i) => i,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        for k in &keys {
            let members = self.blocks.entry(*k).or_default();
            members.push(idx);
            if k.is_name() && members.len() == NAME_BLOCK_LIMIT + 1 {
                // The block just stopped being compared: its links are gone.
                dirty.extend(members.iter().copied());
            }
        }
        let moved = self.stats.add(&input.features);
        self.mark_moved(moved, &keys, dirty);
        self.by_key.insert(input.key.clone(), idx);
        self.by_record
            .entry((input.key.source, input.key.record_id.clone()))
            .or_default()
            .push(idx);
        self.slots[idx as usize] = Some(Slot {
            key: input.key,
            f: input.features,
            entity: None,
        });
        idx
    }

    /// Takes a mention out; everything its departure could change is marked.
    fn remove(&mut self, idx: u32, dirty: &mut HashSet<u32>) -> MentionKey {
        if let Some(e) = self.slot(idx).entity
            && let Some(m) = self.members.get(&e)
        {
            dirty.extend(m.iter().copied().filter(|i| *i != idx));
        }
        self.set_entity(idx, None);
        let slot = self.slots[idx as usize].take().expect("live slot");
        let keys = blocks::keys(&slot.f);
        for k in &keys {
            if let Some(members) = self.blocks.get_mut(k) {
                let was = members.len();
                members.retain(|i| *i != idx);
                if k.is_name() && was == NAME_BLOCK_LIMIT + 1 {
                    dirty.extend(members.iter().copied());
                }
                if members.is_empty() {
                    self.blocks.remove(k);
                }
            }
        }
        let moved = self.stats.remove(&slot.f);
        self.mark_moved(moved, &keys, dirty);
        dirty.remove(&idx);
        self.by_key.remove(&slot.key);
        self.free.push(idx);
        slot.key
    }

    fn frequencies(&self, a: &PersonFeatures, b: &PersonFeatures, c: &Comparison) -> Frequencies {
        // Two names that only sound alike (王斌 / 王兵 in the local accent)
        // have two readings: the smaller one is asked, whichever side it
        // is on, so the pair scores the same both ways round.
        let sound = a.name.pinyin().min(b.name.pinyin());
        let name = match c.name {
            NameLevel::Exact => a.name.full().map_or(1, |n| self.stats.name_count(n)),
            NameLevel::Phonetic => sound.map_or(1, |p| self.stats.pinyin_count(p)),
            _ => 0,
        };
        let (holders, candidates, share) = match &a.phone {
            Some(p) if c.phone == super::compare::AgreeLevel::Agree => {
                let p = p.key();
                // The share is asked of a full name on one side for the
                // other, ambiguous one.
                let share = match (a.name.full(), b.name.full()) {
                    (Some(_), None) => a
                        .name
                        .pinyin()
                        .and_then(|named| self.stats.phone_share(p, b, named)),
                    (None, Some(_)) => b
                        .name
                        .pinyin()
                        .and_then(|named| self.stats.phone_share(p, a, named)),
                    _ => None,
                };
                (
                    self.stats.phone_holders(p),
                    self.stats
                        .phone_candidates(p, a)
                        .max(self.stats.phone_candidates(p, b)),
                    share,
                )
            }
            _ => (0, 0, None),
        };
        let name_phones = if matches!(c.name, NameLevel::Exact | NameLevel::Phonetic) {
            sound.map_or(0, |p| self.stats.name_phones(p))
        } else {
            0
        };
        // Asked of the side with a phone for the side without one, when
        // both names have one sound: the name's block holds both then, and
        // a moved share re-clusters its mentions without a phone.
        let name_share = match (&a.phone, &b.phone) {
            _ if a.name.full().is_none()
                || b.name.full().is_none()
                || a.name.pinyin() != b.name.pinyin() =>
            {
                None
            }
            (Some(p), None) => a
                .name
                .pinyin()
                .and_then(|n| self.stats.name_share(n, p.key())),
            (None, Some(p)) => b
                .name
                .pinyin()
                .and_then(|n| self.stats.name_share(n, p.key())),
            _ => None,
        };
        Frequencies {
            name_share,
            name,
            name_phones,
            phone_holders: holders,
            phone_candidates: candidates,
            phone_share: share,
        }
    }

    /// Score of a pair, and whether it shares a valid ID. The score must
    /// not depend on which of the two is being scanned, or a link could be
    /// seen from one mention and not from the other: `compare` and
    /// `frequencies` are symmetric.
    fn link(&self, a: u32, b: u32) -> (f64, bool) {
        let (sa, sb) = (self.slot(a), self.slot(b));
        let c = compare(&sa.f, &sb.f);
        let freq = self.frequencies(&sa.f, &sb.f, &c);
        let same_id = sa.f.strong_id().is_some() && sa.f.strong_id() == sb.f.strong_id();
        (self.weights.score(&c, &freq), same_id)
    }

    /// For each merge, the strongest link between a mention that had the
    /// kept id and one that had an absorbed id, described field by field.
    fn merge_evidence(
        &self,
        changes: &[crate::resolve::stable_ids::IdChange],
        clusters: &[Vec<u32>],
        ids: &[EntityId],
        old: &HashMap<u32, EntityId>,
        edges: &[Edge],
    ) -> BTreeMap<EntityId, String> {
        // The edges inside each merged cluster, found in one pass: a full
        // rebuild merges thousands of entities over millions of edges.
        let merged: Vec<(usize, EntityId, &Vec<EntityId>)> = changes
            .iter()
            .filter_map(|c| match c {
                crate::resolve::stable_ids::IdChange::Merged { id, absorbed } => {
                    Some((ids.iter().position(|x| x == id)?, *id, absorbed))
                }
                _ => None,
            })
            .collect();
        let mut cluster_of: HashMap<u32, usize> = HashMap::new();
        for (ci, _, _) in &merged {
            cluster_of.extend(clusters[*ci].iter().map(|m| (*m, *ci)));
        }
        let mut inside: HashMap<usize, Vec<&Edge>> = HashMap::new();
        for e in edges {
            if let (Some(a), Some(b)) = (cluster_of.get(&e.a), cluster_of.get(&e.b))
                && a == b
            {
                inside.entry(*a).or_default().push(e);
            }
        }
        let mut out = BTreeMap::new();
        for (ci, id, absorbed) in merged {
            let side = |m: u32| old.get(&m).copied();
            let best = inside
                .get(&ci)
                .into_iter()
                .flatten()
                .copied()
                // The strongest link between mentions that were in different
                // entities (or in none) before: one of those joined them.
                .filter(|e| side(e.a) != side(e.b))
                .filter(|e| {
                    [side(e.a), side(e.b)]
                        .iter()
                        .any(|s| s.is_some_and(|x| absorbed.contains(&x)))
                })
                .max_by(|x, y| x.weight.total_cmp(&y.weight));
            if let Some(e) = best {
                let (a, b) = (&self.slot(e.a).key, &self.slot(e.b).key);
                if let Some(x) = self.explain(a, b) {
                    let fields: Vec<String> = x
                        .evidence
                        .iter()
                        .filter(|f| f.weight != 0.0)
                        .map(|f| format!("{} {} {:+.1}", f.field, f.level, f.weight))
                        .collect();
                    out.insert(
                        id,
                        format!(
                            "{a} ~ {b}: {} = {:.1} log2 odds",
                            fields.join(", "),
                            x.score
                        ),
                    );
                }
            }
        }
        out
    }

    /// The component of `seed`: every mention reachable through links at
    /// or above the threshold and through current entity membership, with
    /// those links (each pair once). Marks its mentions in `done`.
    fn component(&self, seed: u32, done: &mut HashSet<u32>) -> (Vec<u32>, Vec<Edge>) {
        let mut members = Vec::new();
        let mut queue = vec![seed];
        let mut edges: Vec<Edge> = Vec::new();
        let mut seen: HashSet<u32> = HashSet::new();
        while let Some(x) = queue.pop() {
            if !done.insert(x) {
                continue;
            }
            members.push(x);
            let slot = self.slot(x);
            if let Some(e) = slot.entity
                && let Some(m) = self.members.get(&e)
            {
                queue.extend(m.iter().copied().filter(|i| !done.contains(i)));
            }
            seen.clear();
            for k in &blocks::keys(&slot.f) {
                let Some(block) = self.blocks.get(k) else {
                    continue;
                };
                if k.is_name() && block.len() > NAME_BLOCK_LIMIT {
                    continue;
                }
                for &y in block {
                    // A mention already done was scanned when it was, and
                    // saw x in this same block: the pair was scored then
                    // (links are symmetric), so each pair is scored once.
                    if y == x || done.contains(&y) || !seen.insert(y) {
                        continue;
                    }
                    let (weight, same_id) = self.link(x, y);
                    if weight >= self.weights.threshold || same_id {
                        edges.push(Edge {
                            a: x,
                            b: y,
                            weight,
                            same_id,
                        });
                        queue.push(y);
                    }
                }
            }
        }
        (members, edges)
    }

    /// Clusters one component; appends its clusters (mention indices, each
    /// in key order) and the edges inside clusters that hold mentions of
    /// two or more old entities.
    fn cluster_component(
        &self,
        mut members: Vec<u32>,
        mut edges: Vec<Edge>,
        clusters: &mut Vec<Vec<u32>>,
        joining: &mut Vec<Edge>,
    ) {
        if members.len() == 1 {
            clusters.push(members);
            return;
        }
        members.sort_by(|a, b| self.slot(*a).key.cmp(&self.slot(*b).key));
        let local: HashMap<u32, u32> = members
            .iter()
            .enumerate()
            .map(|(l, g)| (*g, l as u32))
            .collect();
        for e in &mut edges {
            e.a = local[&e.a];
            e.b = local[&e.b];
        }
        drop(local);
        let nodes: Vec<Node<'_>> = members
            .iter()
            .map(|i| {
                let s = self.slot(*i);
                Node {
                    key: &s.key,
                    strong_id: s.f.strong_id(),
                    name: s.f.name.full().zip(s.f.name.pinyin()),
                    sex: s.f.sex,
                }
            })
            .collect();
        let groups = cluster::cluster(&nodes, &mut edges);
        drop(nodes);
        let mut group_of = vec![u32::MAX; members.len()];
        let mut joins = vec![false; groups.len()];
        for (gi, g) in groups.iter().enumerate() {
            let mut entities: Vec<EntityId> = g
                .iter()
                .filter_map(|l| self.slot(members[*l as usize]).entity)
                .collect();
            entities.sort_unstable();
            entities.dedup();
            joins[gi] = entities.len() > 1;
            for l in g {
                group_of[*l as usize] = gi as u32;
            }
        }
        for e in &edges {
            let g = group_of[e.a as usize];
            if g == group_of[e.b as usize] && joins[g as usize] {
                joining.push(Edge {
                    a: members[e.a as usize],
                    b: members[e.b as usize],
                    ..*e
                });
            }
        }
        clusters.extend(
            groups
                .into_iter()
                .map(|g| g.into_iter().map(|l| members[l as usize]).collect()),
        );
    }

    fn settle(&mut self, dirty: HashSet<u32>, removed: Vec<MentionKey>) -> Resolution {
        // Each dirty mention's component (closed under links and current
        // membership) is clustered on its own: clustering never crosses
        // components, and a full rebuild then holds the edges of one
        // component at a time instead of millions at once.
        let mut seeds: Vec<u32> = dirty
            .into_iter()
            .filter(|i| self.slots[*i as usize].is_some())
            .collect();
        seeds.sort_unstable();
        let mut done: HashSet<u32> = HashSet::with_capacity(seeds.len());
        let mut clusters: Vec<Vec<u32>> = Vec::new();
        // Edges inside clusters that join mentions of two old entities:
        // the merge evidence is drawn from these.
        let mut joining: Vec<Edge> = Vec::new();
        let mut reclustered = 0;
        for seed in seeds {
            if done.contains(&seed) {
                continue;
            }
            let (members, edges) = self.component(seed, &mut done);
            reclustered += members.len();
            self.cluster_component(members, edges, &mut clusters, &mut joining);
        }
        clusters.sort_by(|x, y| self.slot(x[0]).key.cmp(&self.slot(y[0]).key));
        let old: HashMap<u32, EntityId> = clusters
            .iter()
            .flatten()
            .filter_map(|i| self.slot(*i).entity.map(|e| (*i, e)))
            .collect();
        let (ids, changes) = stable_ids::assign(&clusters, &old, &mut self.next_id);
        let evidence = self.merge_evidence(&changes, &clusters, &ids, &old, &joining);
        let mut out = Resolution {
            removed,
            changes,
            reclustered,
            evidence,
            ..Resolution::default()
        };
        let mut touched: HashSet<EntityId> = HashSet::new();
        for (members, id) in clusters.iter().zip(&ids) {
            for &m in members {
                let before = self.slot(m).entity;
                if before != Some(*id) {
                    if let Some(b) = before {
                        touched.insert(b);
                    }
                    touched.insert(*id);
                    self.set_entity(m, Some(*id));
                    out.assigned.push((self.slot(m).key.clone(), *id));
                }
            }
        }
        let mut touched: Vec<EntityId> = touched.into_iter().collect();
        touched.sort_unstable();
        out.touched = touched;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(record: &str, name: &str, phone: &str) -> RecordPersons {
        let key = MentionKey::new(Source::Hotline, record, 0);
        RecordPersons {
            source: Source::Hotline,
            record_id: key.record_id.clone(),
            mentions: vec![PersonInput {
                key,
                features: PersonFeatures::parse(Some(name), Some(phone), None, "0392"),
            }],
        }
    }

    /// 王斌 and 王兵 only sound alike in the local accent, and the two
    /// spellings are not equally common: a score looked up from one side
    /// would differ by direction, and a rebuild could then see a link from
    /// one mention that its partner's component never saw.
    fn accent_pair() -> Vec<RecordPersons> {
        let mut records = vec![
            input("H1", "王斌", "13800000001"),
            input("H2", "王兵", "13800000001"),
        ];
        for (i, phone) in ["13800000002", "13800000003", "13800000004"]
            .iter()
            .enumerate()
        {
            records.push(input(&format!("H{}", i + 3), "王斌", phone));
        }
        records
    }

    fn groups(r: &PersonResolver) -> Vec<Vec<String>> {
        let mut by: BTreeMap<EntityId, Vec<String>> = BTreeMap::new();
        for (k, e) in r.assignments() {
            by.entry(e).or_default().push(k.record_id.to_string());
        }
        let mut g: Vec<Vec<String>> = by.into_values().collect();
        g.iter_mut().for_each(|m| m.sort());
        g.sort();
        g
    }

    /// One of the groups is exactly these records.
    fn holds(groups: &[Vec<String>], records: &[&str]) -> bool {
        groups.iter().any(|g| g.iter().eq(records.iter()))
    }

    fn household(zhang: usize, li: usize) -> Vec<RecordPersons> {
        let mut records: Vec<RecordPersons> = (0..zhang)
            .map(|i| input(&format!("Z{i}"), "张伟", "0392-6263425"))
            .chain((0..li).map(|i| input(&format!("L{i}"), "李娜", "0392-6263425")))
            .collect();
        records.push(input("N", "匿名", "0392-6263425"));
        records
    }

    #[test]
    fn a_nameless_call_from_a_shared_line_goes_to_the_member_who_uses_it_most() {
        let mut r = PersonResolver::new(PersonModel::fallback());
        r.upsert(household(6, 2));
        let g = groups(&r);
        assert!(
            holds(&g, &["N", "Z0", "Z1", "Z2", "Z3", "Z4", "Z5"]),
            "{g:?}"
        );
        assert!(holds(&g, &["L0", "L1"]), "{g:?}");
        let key = MentionKey::new(Source::Hotline, "N", 0);
        let why = r.why(&key).expect("linked");
        assert_eq!(why.fields[0].level, "phone_share", "{why:?}");

        // Nobody dominates the line: the call stays on its own.
        let mut even = PersonResolver::new(PersonModel::fallback());
        even.upsert(household(3, 3));
        assert!(
            groups(&even).contains(&vec!["N".to_string()]),
            "{:?}",
            groups(&even)
        );
    }

    #[test]
    fn a_name_given_without_a_phone_goes_to_the_namesake_who_calls_most() {
        let mut records: Vec<RecordPersons> = (0..6)
            .map(|i| input(&format!("A{i}"), "王芳", "13800000001"))
            .collect();
        records.push(input("B0", "王芳", "13900000002"));
        let key = MentionKey::new(Source::Hotline, "X", 0);
        records.push(RecordPersons {
            source: Source::Hotline,
            record_id: key.record_id.clone(),
            mentions: vec![PersonInput {
                key,
                features: PersonFeatures::parse(Some("王芳"), None, None, "0392"),
            }],
        });
        let mut r = PersonResolver::new(PersonModel::fallback());
        r.upsert(records.clone());
        let g = groups(&r);
        assert!(
            holds(&g, &["A0", "A1", "A2", "A3", "A4", "A5", "X"]),
            "{g:?}"
        );
        assert!(holds(&g, &["B0"]), "{g:?}");

        // The same records one at a time, in reverse, then rebuilt.
        let mut one_by_one = PersonResolver::new(PersonModel::fallback());
        for rec in records.into_iter().rev() {
            one_by_one.upsert(vec![rec]);
        }
        assert_eq!(groups(&one_by_one), g);
        one_by_one.rebuild();
        assert_eq!(groups(&one_by_one), g);
    }

    #[test]
    fn a_pair_scores_the_same_from_either_side() {
        let mut r = PersonResolver::new(PersonModel::fallback());
        r.upsert(accent_pair());
        let n = r.slots.len() as u32;
        for a in 0..n {
            for b in 0..n {
                assert_eq!(r.link(a, b), r.link(b, a), "{a} {b}");
            }
        }
    }

    #[test]
    fn a_rebuild_in_any_order_gives_the_incremental_clusters() {
        let mut forward = PersonResolver::new(PersonModel::fallback());
        for rec in accent_pair() {
            forward.upsert(vec![rec]);
        }
        let mut backward = PersonResolver::new(PersonModel::fallback());
        for rec in accent_pair().into_iter().rev() {
            backward.upsert(vec![rec]);
        }
        backward.rebuild();
        assert_eq!(groups(&forward), groups(&backward));
    }
}
