//! Live statistics behind the term-frequency adjustments: how common a name
//! is, and how many different people a phone has been seen with.
//!
//! Counts are bucketed to the next power of two before they reach a weight.
//! A weight then only moves when a count crosses a bucket boundary, and only
//! then must the mentions sharing that name or phone be clustered again;
//! that keeps one new record cheap and the incremental path identical to a
//! rebuild.

use std::collections::{BTreeMap, HashMap};

use super::compare::surname_sound;
use super::features::PersonFeatures;
use crate::resolve::normalize::name::{PersonName, Sex};

/// One full name seen with a phone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Holder {
    mentions: u32,
    surname: String,
    /// Bit 0 male, bit 1 female, as far as IDs and honorifics told.
    sexes: u8,
}

#[derive(Default)]
pub struct Stats {
    names: HashMap<String, u32>,
    pinyins: HashMap<String, u32>,
    /// Phone → full names (by pinyin) seen with it.
    phones: HashMap<String, BTreeMap<String, Holder>>,
    /// Full name (by pinyin) → phones seen with it, and how often.
    name_phones: HashMap<String, HashMap<String, u32>>,
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
            let phones = self.name_phones.entry(pinyin.clone()).or_default();
            let key = phone.canonical();
            let before = phones.len();
            if add {
                *phones.entry(key).or_insert(0) += 1;
            } else if let Some(n) = phones.get_mut(&key) {
                *n -= 1;
                if *n == 0 {
                    phones.remove(&key);
                }
            }
            // The number of phones is a weight input: a change re-scores the name.
            moved.pinyin |= before != phones.len();
            if phones.is_empty() {
                self.name_phones.remove(pinyin.as_str());
            }
        }
        if let Some(phone) = &f.phone {
            let holders = self.phones.entry(phone.canonical()).or_default();
            let before = holders.get(pinyin).cloned();
            let h = holders.entry(pinyin.clone()).or_insert_with(|| Holder {
                surname: surname_sound(&f.name).unwrap_or_default().to_string(),
                ..Holder::default()
            });
            if add {
                h.mentions += 1;
                h.sexes |= sex_bit(f.sex);
            } else {
                h.mentions = h.mentions.saturating_sub(1);
            }
            // Removing never clears a sex bit: a stale bit only makes the
            // phone look more ambiguous, which errs towards not merging.
            if h.mentions == 0 {
                holders.remove(pinyin);
            }
            let after = holders.get(pinyin).cloned();
            if holders.is_empty() {
                let key = phone.canonical();
                self.phones.remove(&key);
            }
            moved.phone = before.as_ref().map(|h| h.sexes) != after.as_ref().map(|h| h.sexes);
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
            PersonName::Full { pinyin, .. } => u32::from(holders.contains_key(pinyin)),
            PersonName::Honorific { .. } => {
                let surname = surname_sound(&f.name).unwrap_or_default();
                let bit = sex_bit(f.sex);
                holders
                    .values()
                    .filter(|h| {
                        h.surname == surname && (bit == 0 || h.sexes == 0 || h.sexes & bit != 0)
                    })
                    .count() as u32
            }
        }
    }
}
