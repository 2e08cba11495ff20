//! Comparing two person mentions field by field into discrete agreement
//! levels: the comparison vector of Fellegi–Sunter. Levels, not scores, so
//! their weights can be estimated from the data (see `model.rs`).

use serde::{Deserialize, Serialize};

use super::features::PersonFeatures;
use crate::resolve::normalize::idcard::IdCard;
use crate::resolve::normalize::name::PersonName;
use crate::resolve::normalize::sound::sounds_alike;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdLevel {
    /// The same 18 characters.
    Exact,
    /// One character apart: a mistyped digit or check character.
    Typo,
    /// A masked number agrees with the other on its visible digits.
    Masked,
    Disagree,
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameLevel {
    /// The same characters (after folding and traditional → simplified).
    Exact,
    /// Other characters, the same sound: 张伟 / 张巍.
    Phonetic,
    /// Only a surname to compare (张先生), and it agrees.
    Surname,
    Disagree,
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreeLevel {
    Agree,
    Disagree,
    Unknown,
}

/// How two mentions compare on every field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Comparison {
    pub id: IdLevel,
    pub name: NameLevel,
    pub phone: AgreeLevel,
    pub sex: AgreeLevel,
    pub birth: AgreeLevel,
    /// Agree when both records place the person at one building; never
    /// Disagree (see `PersonFeatures::buildings`).
    pub place: AgreeLevel,
    /// Two different trustworthy ID numbers: never the same person.
    pub id_conflict: bool,
}

fn agree<T: PartialEq>(a: Option<T>, b: Option<T>) -> AgreeLevel {
    match (a, b) {
        (Some(a), Some(b)) if a == b => AgreeLevel::Agree,
        (Some(_), Some(_)) => AgreeLevel::Disagree,
        _ => AgreeLevel::Unknown,
    }
}

fn compare_ids(a: Option<&IdCard>, b: Option<&IdCard>) -> (IdLevel, bool) {
    let (Some(a), Some(b)) = (a, b) else {
        return (IdLevel::Unknown, false);
    };
    if let (Some(x), Some(y)) = (a.strong(), b.strong()) {
        return if x == y {
            (IdLevel::Exact, false)
        } else {
            (IdLevel::Disagree, true)
        };
    }
    if let (Some(x), Some(y)) = (a.digits(), b.digits()) {
        if x == y {
            return (IdLevel::Exact, false);
        }
        return match a.digit_distance(b) {
            Some(d) if d <= 1 => (IdLevel::Typo, false),
            _ => (IdLevel::Disagree, false),
        };
    }
    match (a.masked_key(), b.masked_key()) {
        (Some(x), Some(y)) if x == y => (IdLevel::Masked, false),
        (Some(_), Some(_)) => (IdLevel::Disagree, false),
        _ => (IdLevel::Unknown, false),
    }
}

fn compare_names(a: &PersonName, b: &PersonName) -> NameLevel {
    use PersonName::*;
    match (a, b) {
        (Absent, _) | (_, Absent) => NameLevel::Unknown,
        (Full { name: x, .. }, Full { name: y, .. }) if x == y => NameLevel::Exact,
        (Full { pinyin: x, .. }, Full { pinyin: y, .. }) if x == y => NameLevel::Phonetic,
        (Full { name: x, .. }, Full { name: y, .. }) if sounds_alike(x, y) => NameLevel::Phonetic,
        (Full { .. }, Full { .. }) => NameLevel::Disagree,
        _ => {
            if a.surname() == b.surname() || surname_sound(a) == surname_sound(b) {
                NameLevel::Surname
            } else {
                NameLevel::Disagree
            }
        }
    }
}

/// The pinyin of the surname alone: the first syllable, or the first two
/// for a compound surname.
pub fn surname_sound(n: &PersonName) -> Option<&str> {
    let (pinyin, surname) = (n.pinyin()?, n.surname()?);
    let syllables = surname.chars().count().max(1);
    let end = pinyin
        .match_indices(' ')
        .nth(syllables - 1)
        .map_or(pinyin.len(), |(i, _)| i);
    Some(&pinyin[..end])
}

pub fn compare(a: &PersonFeatures, b: &PersonFeatures) -> Comparison {
    let (id, id_conflict) = compare_ids(a.id.as_ref(), b.id.as_ref());
    Comparison {
        id,
        name: compare_names(&a.name, &b.name),
        phone: agree(a.phone.as_ref(), b.phone.as_ref()),
        sex: agree(a.sex, b.sex),
        birth: agree(a.birth, b.birth),
        place: if a.buildings.iter().any(|x| b.buildings.contains(x)) {
            AgreeLevel::Agree
        } else {
            AgreeLevel::Unknown
        },
        id_conflict,
    }
}
