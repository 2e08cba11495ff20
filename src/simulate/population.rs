//! Households and the persons living in them.
//!
//! A household shares a home (a room in a compound, or a village house) and
//! often one contact phone; children take the father's surname. Each adult
//! gets a propensity to contact the authorities, heavy-tailed so that a few
//! residents call again and again.

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use std::collections::HashSet;

use super::idcard;
use super::names::{self, Name};
use super::phone::Phone;
use super::places::{Level, PlaceRef, Places, SiteKind};
use super::seeds::{Cumulative, pick_weighted};

#[derive(Clone, Debug)]
pub(super) struct Person {
    pub(super) name: Name,
    pub(super) male: bool,
    pub(super) birth: NaiveDate,
    /// Index into idcard::COUNTIES.
    pub(super) county: u8,
    /// The three-digit order code of the ID number.
    pub(super) order: u16,
    pub(super) household: u32,
    /// Phone(0) when the person has no phone of their own.
    pub(super) mobile: Phone,
}

impl Person {
    pub(super) fn id18(&self) -> String {
        idcard::id18(self.county, self.birth, self.order)
    }

    pub(super) fn id15(&self) -> String {
        idcard::id15(self.county, self.birth, self.order)
    }

    pub(super) fn age_at(&self, day: NaiveDate) -> i32 {
        let mut age = day.year() - self.birth.year();
        if (day.month(), day.day()) < (self.birth.month(), self.birth.day()) {
            age -= 1;
        }
        age
    }
}

#[derive(Clone, Debug)]
pub(super) struct Household {
    pub(super) home: PlaceRef,
    /// The phone the household gives: a landline or one member's mobile.
    pub(super) phone: Phone,
    pub(super) first: u32,
    pub(super) size: u8,
}

pub(super) struct Population {
    pub(super) persons: Vec<Person>,
    pub(super) households: Vec<Household>,
    /// Sampling weights of persons as contacts (zero for children).
    pub(super) propensity: Cumulative,
}

/// Roughly how many persons live in a household, used to size the places.
pub(super) const MEAN_HOUSEHOLD: f64 = 2.7;
pub(super) const URBAN_SHARE: f64 = 0.75;

impl Population {
    pub(super) fn generate<R: Rng + ?Sized>(
        rng: &mut R,
        target: usize,
        places: &Places,
        start: NaiveDate,
    ) -> Population {
        let target = target.max(1);
        // Homes: urban rooms weighted by building size, village houses in
        // random order.
        let urban_buildings: Vec<u32> = (0..places.buildings.len() as u32)
            .filter(|b| {
                places.buildings[*b as usize].units > 0
                    && places.sites[places.buildings[*b as usize].site as usize].kind
                        != SiteKind::Landmark
            })
            .collect();
        let urban_weights = Cumulative::new(
            urban_buildings
                .iter()
                .map(|b| places.buildings[*b as usize].rooms() as f64),
        );
        let mut village_houses: Vec<u32> = (0..places.buildings.len() as u32)
            .filter(|b| {
                places.sites[places.buildings[*b as usize].site as usize].kind
                    == SiteKind::VillageGroup
            })
            .collect();
        // Fisher-Yates with our own generator keeps the order seed-stable.
        for i in (1..village_houses.len()).rev() {
            village_houses.swap(i, rng.random_range(0..=i));
        }
        let mut next_house = 0usize;
        let mut occupied: HashSet<PlaceRef> = HashSet::new();
        let mut ids: HashSet<u64> = HashSet::new();
        let mut phones: HashSet<u64> = HashSet::new();

        let mut persons: Vec<Person> = Vec::with_capacity(target);
        let mut households: Vec<Household> = Vec::with_capacity(target * 10 / 25);
        let mut weights: Vec<f64> = Vec::with_capacity(target);
        let this_year = start.year();

        while persons.len() < target {
            let hh = households.len() as u32;
            let rural = !rng.random_bool(URBAN_SHARE) && next_house < village_houses.len();
            let home = if rural {
                next_house += 1;
                PlaceRef::new(Level::Building, village_houses[next_house - 1])
            } else {
                let mut chosen = None;
                for _ in 0..20 {
                    let b = urban_buildings[urban_weights.sample(rng)];
                    let bd = &places.buildings[b as usize];
                    let r = PlaceRef::room(
                        b,
                        rng.random_range(1..=bd.units),
                        rng.random_range(1..=bd.floors),
                        rng.random_range(1..=bd.per_floor),
                    );
                    chosen = Some(r);
                    if occupied.insert(r) {
                        break;
                    }
                }
                chosen.expect("at least one urban building")
            };
            let home_district = places.ancestry(home).district.unwrap_or(0);

            // Composition: (adults in the couple, children, elderly parent).
            let size_kind = pick_weighted(rng, &[20, 30, 25, 15, 10]);
            let head_age = match size_kind {
                0 => rng.random_range(20..=88),
                1 => rng.random_range(22..=80),
                _ => rng.random_range(26..=58),
            };
            let father_surname = names::random_surname(rng);
            let head_male = rng.random_bool(0.5);
            let mut members: Vec<(bool, i32, u8)> = Vec::new(); // (male, age, surname)
            members.push((
                head_male,
                head_age,
                if head_male {
                    father_surname
                } else {
                    names::random_surname(rng)
                },
            ));
            let couple = size_kind >= 2 || (size_kind == 1 && rng.random_bool(0.7));
            if couple {
                let age = (head_age + rng.random_range(-4..=4)).max(20);
                members.push((
                    !head_male,
                    age,
                    if head_male {
                        names::random_surname(rng)
                    } else {
                        father_surname
                    },
                ));
            }
            let kids = match size_kind {
                1 if !couple => 1,
                2 => 1,
                3 => 1 + rng.random_range(0..=1),
                4 => 2,
                _ => 0,
            };
            for _ in 0..kids {
                let max_age = (head_age - 20).clamp(0, 40);
                let age = rng.random_range(0..=max_age);
                let surname = if rng.random_bool(0.95) {
                    father_surname
                } else {
                    members[0].2
                };
                members.push((rng.random_bool(0.5), age, surname));
            }
            if size_kind >= 3 && members.len() < 5 {
                members.push((
                    rng.random_bool(0.4),
                    (head_age + rng.random_range(24..=32)).min(99),
                    father_surname,
                ));
            }

            let first = persons.len() as u32;
            for (male, age, surname) in members {
                if persons.len() >= target {
                    break;
                }
                let birth_year = this_year - age - 1 + i32::from(rng.random_bool(0.5));
                let birth = (NaiveDate::from_ymd_opt(birth_year, 1, 1).expect("valid year")
                    + Duration::days(rng.random_range(0..365)))
                .min(start - Duration::days(30));
                // Most are registered where they live; the rest come from the
                // other counties of the city.
                let county = if rng.random_bool(0.65) {
                    match home_district {
                        0 => 0,
                        1 => 1,
                        _ => 2,
                    }
                } else {
                    rng.random_range(0..idcard::COUNTIES.len() as u8)
                };
                let mut order;
                loop {
                    order = rng.random_range(0..500u16) * 2 + u16::from(male);
                    let key = (county as u64) << 40
                        | (birth.num_days_from_ce() as u64) << 12
                        | order as u64;
                    if ids.insert(key) {
                        break;
                    }
                }
                // About 15 % of adults have no phone of their own and give
                // the household's; children under 14 never have one.
                let own_phone_p = match age {
                    0..=13 => 0.0,
                    14..=17 => 0.5,
                    18..=69 => 0.91,
                    _ => 0.5,
                };
                let mobile = if rng.random_bool(own_phone_p) {
                    unique_phone(rng, &mut phones, true)
                } else {
                    Phone(0)
                };
                let weight = if age >= 18 {
                    let base = -rng.random::<f64>().max(1e-9).ln();
                    if rng.random_bool(0.04) {
                        base * 6.0
                    } else {
                        base
                    }
                } else {
                    0.0
                };
                persons.push(Person {
                    name: Name {
                        surname,
                        given: names::random_given(rng, male),
                    },
                    male,
                    birth,
                    county,
                    order,
                    household: hh,
                    mobile,
                });
                weights.push(weight);
            }
            let size = (persons.len() as u32 - first) as u8;
            let members = &persons[first as usize..];
            let elderly_head = head_age >= 65;
            let landline = rng.random_bool(if elderly_head { 0.6 } else { 0.25 });
            let phone = match members.iter().find(|p| p.mobile.0 != 0) {
                Some(p) if !landline => p.mobile,
                _ => unique_phone(rng, &mut phones, false),
            };
            households.push(Household {
                home,
                phone,
                first,
                size,
            });
        }
        Population {
            persons,
            households,
            propensity: Cumulative::new(weights),
        }
    }

    pub(super) fn household_of(&self, person: u32) -> &Household {
        &self.households[self.persons[person as usize].household as usize]
    }

    pub(super) fn home_of(&self, person: u32) -> PlaceRef {
        self.household_of(person).home
    }

    /// The members of a household who are adults on `day`.
    pub(super) fn adults(&self, hh: u32, day: NaiveDate) -> impl Iterator<Item = u32> + '_ {
        let h = &self.households[hh as usize];
        (h.first..h.first + h.size as u32)
            .filter(move |p| self.persons[*p as usize].age_at(day) >= 18)
    }
}

fn unique_phone<R: Rng + ?Sized>(rng: &mut R, used: &mut HashSet<u64>, mobile: bool) -> Phone {
    loop {
        let p = if mobile {
            Phone::random_mobile(rng)
        } else {
            Phone::random_landline(rng)
        };
        if used.insert(p.0) {
            return p;
        }
    }
}
