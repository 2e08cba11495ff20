//! Live statistics behind the term-frequency adjustments: how common a name
//! is, and how many different people a phone has been seen with.
//!
//! Counts are bucketed to the next power of two before they reach a weight.
//! A weight then only moves when a count crosses a bucket boundary, and only
//! then must the mentions sharing that name or phone be clustered again;
//! that keeps one new record cheap and the incremental path identical to a
//! rebuild.

use foldhash::HashMap;

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
    /// Keyed by `Phone::key`.
    phones: HashMap<u64, Vec<Holder>>,
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
    /// Only a share moved: it weighs pairs of a mention without a phone
    /// with one that has it (name) or of an ambiguous mention with a named
    /// one (phone), so only the former of each need clustering again.
    pub name_share: bool,
    pub phone_share: bool,
}

pub fn bucket(n: u32) -> u32 {
    if n == 0 { 0 } else { n.next_power_of_two() }
}

/// A holder's mention count as its share of a phone sees it: exact up to
/// 8, then rounded up to a quarter of its power of two (10, 12, 14, 16,
/// 20, …). Finer than `bucket`, since a share of 54 against 3 and one of 5
/// against 4 must differ, yet a share only moves, and the phone's block is
/// only clustered again, when a count crosses a step.
pub fn share_step(n: u32) -> u32 {
    if n <= 8 {
        return n;
    }
    let quarter = 1u32 << (31 - (n - 1).leading_zeros()).saturating_sub(2);
    n.div_ceil(quarter) * quarter
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
            let phone_hash = phone.key();
            let phones = self.name_phones.entry(pinyin.clone()).or_default();
            let before = phones.len();
            let at = phones.iter().position(|(p, _)| *p == phone_hash);
            let step = at.map(|i| share_step(phones[i].1));
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
            // The number of phones, and each one's share, are weight inputs:
            // a change re-scores the name.
            let now = phones
                .iter()
                .find(|(p, _)| *p == phone_hash)
                .map(|(_, n)| share_step(*n));
            moved.pinyin |= before != phones.len();
            moved.name_share = step != now;
            if phones.is_empty() {
                self.name_phones.remove(pinyin.as_str());
            }

            let holders = self.phones.entry(phone_hash).or_default();
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
            let step = share_step(holders[i].mentions);
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
            moved.phone_share = step != share_step(h.mentions);
            if h.mentions == 0 {
                holders.swap_remove(i);
            }
            if holders.is_empty() {
                self.phones.remove(&phone_hash);
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

    /// Of the mentions of a full name (by sound) that came with a phone,
    /// how many came with this one, of how many (counts in `share_step`s):
    /// a namesake who calls often is the likeliest behind the name given
    /// without a phone. None unless the name has been seen with two phones
    /// or more, this one among them.
    pub fn name_share(&self, pinyin: &str, phone: u64) -> Option<(u32, u32)> {
        let phones = self.name_phones.get(pinyin).filter(|p| p.len() > 1)?;
        let own = phones.iter().find(|(p, _)| *p == phone)?.1;
        let all = phones.iter().map(|(_, n)| share_step(*n)).sum();
        Some((share_step(own), all))
    }

    pub fn pinyin_count(&self, pinyin: &str) -> u32 {
        bucket(self.pinyins.get(pinyin).copied().unwrap_or(0))
    }

    /// How many different full names have used this phone (at least 1).
    pub fn phone_holders(&self, phone: u64) -> u32 {
        self.phones.get(&phone).map_or(0, |h| h.len() as u32).max(1)
    }

    /// How many of the phone's holders this mention could be: all of them
    /// for a mention without a name, those with the same surname (and a sex
    /// that does not contradict) for 张先生.
    pub fn phone_candidates(&self, phone: u64, f: &PersonFeatures) -> u32 {
        self.candidates(phone, f).count() as u32
    }

    /// Of the holders an ambiguous mention (no name, or 张先生) could be,
    /// how many of their mentions on this phone were made under `pinyin`,
    /// of how many (counts in `share_step`s): the household member who
    /// calls most is the likeliest behind a nameless call from the shared
    /// line. None when `pinyin` is not among the candidates.
    pub fn phone_share(&self, phone: u64, f: &PersonFeatures, pinyin: &str) -> Option<(u32, u32)> {
        let name = hash(pinyin);
        let (mut own, mut all) = (None, 0);
        for h in self.candidates(phone, f) {
            let n = share_step(h.mentions);
            all += n;
            if h.pinyin == name {
                own = Some(n);
            }
        }
        own.map(|n| (n, all))
    }

    fn candidates<'a>(
        &'a self,
        phone: u64,
        f: &'a PersonFeatures,
    ) -> impl Iterator<Item = &'a Holder> + 'a {
        let holders = self.phones.get(&phone).map_or(&[][..], Vec::as_slice);
        let surname = hash(surname_sound(&f.name).unwrap_or_default());
        let name = f.name.pinyin().map(hash);
        let bit = sex_bit(f.sex);
        holders.iter().filter(move |h| match &f.name {
            PersonName::Absent => true,
            PersonName::Full { .. } => Some(h.pinyin) == name,
            PersonName::Honorific { .. } => {
                h.surname == surname && (bit == 0 || h.sexes == 0 || h.sexes & bit != 0)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::share_step;

    #[test]
    fn share_steps_are_exact_to_eight_then_quarters_of_a_power_of_two() {
        let steps: Vec<u32> = (1..=21).map(share_step).collect();
        assert_eq!(
            steps,
            [
                1, 2, 3, 4, 5, 6, 7, 8, 10, 10, 12, 12, 14, 14, 16, 16, 20, 20, 20, 20, 24
            ]
        );
        assert_eq!(share_step(0), 0);
        assert_eq!(share_step(54), 56);
    }
}
