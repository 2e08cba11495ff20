//! What the SQLite writer remembers of the records it stored, so that a batch can be checked
//! against the store without reading it back.
//!
//! Every delivered row used to cost the writer a lookup by key, and every revision three more
//! reads (its time and category, its older versions' hashes, its stored mentions): in the sync
//! of a city, where revisions hit records stored minutes before, a third of the writer's time
//! in that phase. The writer is the one connection that writes events, so after each commit it
//! knows what it stored. It trusts that knowledge only while no other writer committed a batch
//! in between, which the `batch_epoch` counter tells (see `apply`): another store on the same
//! file, or another process, moves it on, and the memory is dropped.
//!
//! A source the store held no record of when first written is *complete* here: a key not in
//! memory is then a new record, and not even the lookup by key is made. Otherwise keys not in
//! memory are looked up as before.

use std::sync::Arc;

use chrono::NaiveDateTime;
use foldhash::HashMap;

use crate::domain::Source;

/// Records remembered at most; past it the memory starts afresh (sources then count as
/// incomplete and are looked up again). About 170 bytes a record with its key and index
/// entry: a city of a million records raised the sync's peak by 150–180 MiB.
const MAX_RECORDS: usize = 2_000_000;

/// A stored record as the writer left it.
#[derive(Debug, Clone)]
pub struct Known {
    pub id: i64,
    /// Digest of the current version; None for a hash stored in another format, which no
    /// delivery matches.
    pub current: Option<u128>,
    pub current_version: i64,
    pub last_version: i64,
    /// Digests of the other versions.
    pub others: Vec<u128>,
    pub updated_at: Option<NaiveDateTime>,
    pub occurred_at: NaiveDateTime,
    pub category: Arc<str>,
    /// Digest of the current version's person and address mentions, when known.
    pub mentions: Option<u128>,
}

/// A record to remember once its batch has committed.
pub struct Learned {
    pub source: Source,
    pub key: Box<str>,
    pub known: Known,
}

/// `Known` as kept: a city's million records are held at once, and the plain form, with its
/// 16-byte-aligned digests and a category per record, took more than twice the room.
struct Packed {
    id: i64,
    current: [u64; 2],
    mentions: [u64; 2],
    others: Option<Box<[[u64; 2]]>>,
    occurred_at: NaiveDateTime,
    updated_at: Option<NaiveDateTime>,
    current_version: u32,
    last_version: u32,
    category: u16,
    has_current: bool,
    has_mentions: bool,
}

fn split(d: u128) -> [u64; 2] {
    [(d >> 64) as u64, d as u64]
}

fn join(d: [u64; 2]) -> u128 {
    ((d[0] as u128) << 64) | d[1] as u128
}

#[derive(Default)]
pub struct KnownRecords {
    /// The `batch_epoch` count this memory is true for.
    epoch: Option<i64>,
    /// Per source: whether every stored record of it is remembered (None: not yet asked).
    complete: [Option<bool>; 3],
    /// Per source: each record id's place in `records`.
    places: [HashMap<Box<str>, u32>; 3],
    records: Vec<Packed>,
    categories: Vec<Arc<str>>,
    category_numbers: HashMap<Arc<str>, u16>,
}

fn slot(source: Source) -> usize {
    match source {
        Source::Hotline => 0,
        Source::Alarm => 1,
        Source::Petition => 2,
    }
}

impl KnownRecords {
    /// Whether this memory is true for a store whose epoch count is `epoch`; if not, it
    /// forgets everything and is true for it from now on.
    pub fn align(&mut self, epoch: i64) -> bool {
        if self.epoch == Some(epoch) {
            return true;
        }
        self.forget();
        self.epoch = Some(epoch);
        false
    }

    pub fn forget(&mut self) {
        *self = KnownRecords::default();
    }

    pub fn get(&self, source: Source, key: &str) -> Option<Known> {
        let p = &self.records[*self.places[slot(source)].get(key)? as usize];
        Some(Known {
            id: p.id,
            current: p.has_current.then(|| join(p.current)),
            current_version: p.current_version.into(),
            last_version: p.last_version.into(),
            others: p.others.iter().flatten().map(|d| join(*d)).collect(),
            updated_at: p.updated_at,
            occurred_at: p.occurred_at,
            category: self.categories[p.category as usize].clone(),
            mentions: p.has_mentions.then(|| join(p.mentions)),
        })
    }

    /// Whether a key not remembered is a new record; None when nobody asked the store yet.
    pub fn complete(&self, source: Source) -> Option<bool> {
        self.complete[slot(source)]
    }

    pub fn set_complete(&mut self, source: Source, complete: bool) {
        self.complete[slot(source)] = Some(complete);
    }

    /// One category text shared by every record that has it.
    pub fn category(&self, category: &str) -> Arc<str> {
        if let Some(n) = self.category_numbers.get(category) {
            return self.categories[*n as usize].clone();
        }
        Arc::from(category)
    }

    /// Takes in what a committed batch stored; `epoch` is the count that batch wrote.
    pub fn learn(&mut self, epoch: i64, learned: Vec<Learned>) {
        self.epoch = Some(epoch);
        if self.records.len() + learned.len() > MAX_RECORDS {
            self.forget();
            self.epoch = Some(epoch);
            return;
        }
        for l in learned {
            let Some(packed) = self.pack(&l.known) else {
                // Beyond what the packed form holds: such a record is read from the store.
                self.forget_one(l.source, &l.key);
                continue;
            };
            match self.places[slot(l.source)].get(&l.key) {
                Some(&at) => self.records[at as usize] = packed,
                None => {
                    let at = self.records.len() as u32;
                    self.records.push(packed);
                    self.places[slot(l.source)].insert(l.key, at);
                }
            }
        }
    }

    fn forget_one(&mut self, source: Source, key: &str) {
        // Its packed entry stays behind, unreachable, until the memory starts afresh.
        self.places[slot(source)].remove(key);
        self.complete[slot(source)] = Some(false);
    }

    fn pack(&mut self, k: &Known) -> Option<Packed> {
        let category = match self.category_numbers.get(&k.category) {
            Some(n) => *n,
            None => {
                let n = u16::try_from(self.categories.len()).ok()?;
                self.categories.push(k.category.clone());
                self.category_numbers.insert(k.category.clone(), n);
                n
            }
        };
        Some(Packed {
            id: k.id,
            current: split(k.current.unwrap_or(0)),
            mentions: split(k.mentions.unwrap_or(0)),
            others: (!k.others.is_empty()).then(|| k.others.iter().map(|d| split(*d)).collect()),
            occurred_at: k.occurred_at,
            updated_at: k.updated_at,
            current_version: u32::try_from(k.current_version).ok()?,
            last_version: u32::try_from(k.last_version).ok()?,
            category,
            has_current: k.current.is_some(),
            has_mentions: k.mentions.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(id: i64) -> Known {
        Known {
            id,
            current: Some(id as u128),
            current_version: 1,
            last_version: 1,
            others: Vec::new(),
            updated_at: None,
            occurred_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
            category: Arc::from("治安"),
            mentions: None,
        }
    }

    #[test]
    fn another_writers_batch_makes_it_forget() {
        let mut m = KnownRecords::default();
        assert!(!m.align(0), "a new memory is true for nothing yet");
        m.set_complete(Source::Alarm, true);
        m.learn(
            1,
            vec![Learned {
                source: Source::Alarm,
                key: "A1".into(),
                known: known(7),
            }],
        );
        assert!(m.align(1), "our own batch moved the count to 1");
        let k = m.get(Source::Alarm, "A1").unwrap();
        assert_eq!((k.id, k.current, &*k.category), (7, Some(7), "治安"));
        assert_eq!(m.get(Source::Hotline, "A1").map(|k| k.id), None);
        assert!(!m.align(3), "somebody else committed batch 2");
        assert!(m.get(Source::Alarm, "A1").is_none());
        assert_eq!(m.complete(Source::Alarm), None);
        assert!(m.align(3));
    }
}
