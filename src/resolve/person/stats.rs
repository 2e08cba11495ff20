//! Live statistics behind the term-frequency adjustments: how common a name
//! is, and how many different people a phone has been seen with.
//!
//! Counts are bucketed to the next power of two before they reach a weight.
//! A weight then only moves when a count crosses a bucket boundary, and only
//! then must the mentions sharing that name or phone be clustered again;
//! that keeps one new record cheap and the incremental path identical to a
//! rebuild.

use std::collections::HashMap;

use super::compare::surname_sound;
use super::features::PersonFeatures;
use crate::resolve::normalize::name::{PersonName, Sex};

/// One full name seen with a phone. Names and surnames are held as
/// hashes of their sound: only equality is asked, and there is one of
/// these per phone and name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Holder {
    pinyin: u64,
    surname: u64,
    mentions: u32,
    /// Bit 0 male, bit 1 female, as far as IDs and honorifics told.
    sexes: u8,
}

#[derive(Default)]
pub struct Stats {
    names: HashMap<String, u32>,
    pinyins: HashMap<String, u32>,
    /// Phone → full names (by pinyin) seen with it: a short list, most
    /// phones have one holder.
    phones: HashMap<String, Vec<Holder>>,
    /// Full name (by pinyin) → phones (hashed) seen with it, and how often.
    name_phones: HashMap<String, Vec<(u64, u32)>>,
}

fn hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Which statistics a mention moved across a bucket boundary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Moved {
    pub name: bool,
    pub pinyin: bool,
    pub phone: bool,
}

pub fn bucket(n: u32) -> u32 {
    if n == 0 { 0 } else { n.next_power_of_two() }
}

fn sex_bit(s: Option<Sex>) -> u8 {
    match s {
        Some(Sex::Male) => 1,
        Some(Sex::Female) => 2,
        None => 0,
    }
}

fn bump(map: &mut HashMap<String, u32>, key: &str, add: bool) -> bool {
    let n = map.get(key).copied().unwrap_or(0);
    let m = if add { n + 1 } else { n.saturating_sub(1) };
    if m == 0 {
        map.remove(key);
    } else {
        map.insert(key.to_string(), m);
    }
    bucket(n) != bucket(m)
}

impl Stats {
    pub fn add(&mut self, f: &PersonFeatures) -> Moved {
        self.apply(f, true)
    }

    pub fn remove(&mut self, f: &PersonFeatures) -> Moved {
        self.apply(f, false)
    }

    fn apply(&mut self, f: &PersonFeatures, add: bool) -> Moved {
        let mut moved = Moved::default();
        let PersonName::Full { name, pinyin, .. } = &f.name else {
            return moved;
        };
        moved.name = bump(&mut self.names, name, add);
        moved.pinyin = bump(&mut self.pinyins, pinyin, add);
        if let Some(phone) = &f.phone {
            let key = phone.canonical();
            let phone_hash = hash(&key);
            let phones = self.name_phones.entry(pinyin.clone()).or_default();
            let before = phones.len();
            let at = phones.iter().position(|(p, _)| *p == phone_hash);
            match (at, add) {
                (Some(i), true) => phones[i].1 += 1,
                (None, true) => phones.push((phone_hash, 1)),
                (Some(i), false) => {
                    phones[i].1 -= 1;
                    if phones[i].1 == 0 {
                        phones.swap_remove(i);
                    }
                }
                (None, false) => {}
            }
            // The number of phones is a weight input: a change re-scores the name.
            moved.pinyin |= before != phones.len();
            if phones.is_empty() {
                self.name_phones.remove(pinyin.as_str());
            }

            let holders = self.phones.entry(key).or_default();
            let name = hash(pinyin);
            let at = holders.iter().position(|h| h.pinyin == name);
            let before = at.map(|i| holders[i].sexes);
            let i = at.unwrap_or_else(|| {
                holders.push(Holder {
                    pinyin: name,
                    surname: hash(surname_sound(&f.name).unwrap_or_default()),
                    ..Holder::default()
                });
                holders.len() - 1
            });
            let h = &mut holders[i];
            if add {
                h.mentions += 1;
                h.sexes |= sex_bit(f.sex);
            } else {
                h.mentions = h.mentions.saturating_sub(1);
            }
            // Removing never clears a sex bit: a stale bit only makes the
            // phone look more ambiguous, which errs towards not merging.
            let after = (h.mentions > 0).then_some(h.sexes);
            if h.mentions == 0 {
                holders.swap_remove(i);
            }
            if holders.is_empty() {
                self.phones.remove(&phone.canonical());
            }
            moved.phone = before != after;
        }
        moved
    }

    /// Bucketed count of mentions with exactly this full name.
    pub fn name_count(&self, name: &str) -> u32 {
        bucket(self.names.get(name).copied().unwrap_or(0))
    }

    /// How many different phones a full name (by sound) has been seen with:
    /// one person rarely has more than two, so more means namesakes.
    pub fn name_phones(&self, pinyin: &str) -> u32 {
        self.name_phones.get(pinyin).map_or(0, |p| p.len() as u32)
    }

    pub fn pinyin_count(&self, pinyin: &str) -> u32 {
        bucket(self.pinyins.get(pinyin).copied().unwrap_or(0))
    }

    /// How many different full names have used this phone (at least 1).
    pub fn phone_holders(&self, phone: &str) -> u32 {
        self.phones.get(phone).map_or(0, |h| h.len() as u32).max(1)
    }

    /// How many of the phone's holders this mention could be: all of them
    /// for a mention without a name, those with the same surname (and a sex
    /// that does not contradict) for 张先生.
    pub fn phone_candidates(&self, phone: &str, f: &PersonFeatures) -> u32 {
        let Some(holders) = self.phones.get(phone) else {
            return 0;
        };
        match &f.name {
            PersonName::Absent => holders.len() as u32,
            PersonName::Full { pinyin, .. } => {
                let name = hash(pinyin);
                u32::from(holders.iter().any(|h| h.pinyin == name))
            }
            PersonName::Honorific { .. } => {
                let surname = hash(surname_sound(&f.name).unwrap_or_default());
                let bit = sex_bit(f.sex);
                holders
                    .iter()
                    .filter(|h| {
                        h.surname == surname && (bit == 0 || h.sexes == 0 || h.sexes & bit != 0)
                    })
                    .count() as u32
            }
        }
    }
}
