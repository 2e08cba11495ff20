//! A person mention parsed once into the typed evidence resolution compares.
//! A phone or ID that does not parse is no evidence (the text as given stays
//! in `person_mentions`); it never blocks the rest of the mention.

use chrono::NaiveDate;

use crate::resolve::normalize::idcard::IdCard;
use crate::resolve::normalize::name::{PersonName, Sex};
use crate::resolve::normalize::phone::Phone;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonFeatures {
    pub name: PersonName,
    pub phone: Option<Phone>,
    pub id: Option<IdCard>,
    /// From the ID when it tells, else from an honorific.
    pub sex: Option<Sex>,
    pub birth: Option<NaiveDate>,
    /// Buildings (or village houses) the record places the person at, as
    /// place keys: a home address of a petitioner, the address of a
    /// hotline call or an alarm. Only agreement counts as evidence: people
    /// call about many places, but two records at one building under one
    /// name are rarely two people. Kept as 64-bit hashes of the keys:
    /// only equality is ever asked of them, and a million mentions hold
    /// one or two each.
    pub buildings: Vec<u64>,
}

impl PersonFeatures {
    /// `area_code` is the city's telephone area code, for landlines written
    /// without it.
    pub fn parse(
        name: Option<&str>,
        phone: Option<&str>,
        id_number: Option<&str>,
        area_code: &str,
    ) -> PersonFeatures {
        let name = name.map(PersonName::parse).unwrap_or(PersonName::Absent);
        let phone = phone.and_then(|p| Phone::parse(p, area_code).ok());
        let id = id_number.and_then(|i| IdCard::parse(i).ok());
        let sex = id.as_ref().and_then(IdCard::sex).or(name.sex_hint());
        let birth = id.as_ref().and_then(IdCard::birth);
        PersonFeatures {
            name,
            phone,
            id,
            sex,
            birth,
            buildings: Vec::new(),
        }
    }

    /// Adds the building-level place keys of the record's addresses.
    pub fn with_buildings(mut self, keys: Vec<String>) -> PersonFeatures {
        let mut hashes: Vec<u64> = keys
            .iter()
            .map(|k| xxhash_rust::xxh3::xxh3_64(k.as_bytes()))
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        hashes.shrink_to_fit();
        self.buildings = hashes;
        self
    }

    /// The full 18-character number when it is trustworthy (valid or
    /// converted from 15 digits).
    pub fn strong_id(&self) -> Option<&str> {
        self.id.as_ref().and_then(IdCard::strong)
    }

    /// Nothing to go on: no name, phone or ID.
    pub fn is_blank(&self) -> bool {
        self.name == PersonName::Absent && self.phone.is_none() && self.id.is_none()
    }

    /// The first 17 characters of any 18-character form: a number with a
    /// mistyped check character still shares them with the right one.
    pub fn id17(&self) -> Option<&str> {
        self.id.as_ref().and_then(IdCard::digits).map(|d| &d[..17])
    }
}
