//! Who contacts which system, where and when: the plan of all events before
//! they become records.
//!
//! Planted cases come first so every city has them; each record of one
//! carries its case, and `situation_truth.rs` writes them out for scoring
//! the analysis' detectors:
//!
//! * escalations: family disputes that go hotline → 110 → petition for the
//!   same victim and home, one chain per household;
//! * repeat callers who call about the same problem at the same home 4–12
//!   times;
//! * collective petitions (信访人数 ≥ 5) by residents of one compound or
//!   village, or workers of one construction site;
//! * hotspots (`events/hotspots.rs`): one residential building whose
//!   hotline calls and alarms about one problem (停水, 电梯故障, noise,
//!   fights) rise by 8–20 (more where the building is busy anyway) in one
//!   Monday–Sunday week that lies wholly in the period and is not its first
//!   full week, reported by different residents;
//! * collective clusters (`events/clusters.rs`): 4–10 different persons
//!   raising one theme about one site across at least two systems within
//!   two weeks (wages owed at a construction site, property certificates or
//!   物业 in the members' compound), one record each.
//!
//! Planted cases count against each source's size like everything else;
//! hotspots and clusters take at most a quarter of what is left of a
//! source. A city of N records (`SimSpec::with_records`: N/2 orders,
//! 0.35 N alarms, 0.15 N petitions, 30 days from 2026-11-01) plans:
//!
//! | kind | how many | N = 2,000 | 20,000 | 100,000 | 1,000,000 |
//! |---|---|---|---|---|---|
//! | escalation | max(2, petitions/40) | 7 | 75 | 375 | 3,750 |
//! | repeat caller | max(2, orders/300) | 3 | 33 | 166 | 1,666 |
//! | collective petition | max(1, petitions/25) | 12 | 120 | ~600 | ~6,000 |
//! | hotspot | max(2, orders/2000) | 2 | 5 | 25 | 250 |
//! | collective cluster | max(2, petitions/100), as sites allow | 3 | 30 | ~130 | ~510 |
//!
//! Cases keep out of each other's way so no two can be mistaken for one: a
//! hotspot building is no repeat caller's home nor another hotspot (and,
//! while others are left, no family chain's home) and it is the quietest of
//! several looked at; a cluster never shares its site with a hotspot's week
//! or another cluster of its theme within its fortnight, nor (while sites
//! are left) with a collective petition of its theme within a week. A big
//! county has about a hundred compounds and a few construction sites, so
//! clusters stop short of their number there.
//!
//! The rest of each source is drawn by the persons' propensity, so active
//! residents show up in all three systems; those background events may by
//! chance look like a planted case but are not in the truth.

mod clusters;
mod hotspots;

use rand::Rng;
use std::collections::{HashMap, HashSet};

use super::cases::{CaseKind, NO_CASE, PlantedCase};
use super::catalog::{self, Where};
use super::places::{Level, PlaceRef, Places, SiteKind};
use super::population::Population;
use super::seeds::pick_weighted;
use super::timeline::{DAY, Timeline};

#[derive(Clone, Copy, Debug)]
pub(super) struct Draft {
    pub(super) person: u32,
    pub(super) place: PlaceRef,
    pub(super) t: u32,
    pub(super) cat: u8,
    /// Index into Plan::cases, or NO_CASE.
    pub(super) case: u32,
}

#[derive(Clone, Debug)]
pub(super) struct PetitionDraft {
    /// Listed petitioners (start, count) in Plan::petition_persons.
    pub(super) persons: (u32, u8),
    pub(super) xfrs: u16,
    pub(super) zz: PlaceRef,
    pub(super) wtsd: PlaceRef,
    pub(super) t: u32,
    pub(super) cat: u8,
    pub(super) channel: u8,
    /// Index into Plan::cases, or NO_CASE.
    pub(super) case: u32,
}

pub(super) struct Plan {
    pub(super) orders: Vec<Draft>,
    pub(super) alarms: Vec<Draft>,
    pub(super) petitions: Vec<PetitionDraft>,
    pub(super) petition_persons: Vec<u32>,
    pub(super) cases: Vec<PlantedCase>,
}

impl Plan {
    /// Starts a planted case; its records carry the returned index.
    fn open_case(&mut self, kind: CaseKind, place: Option<PlaceRef>, week: Option<u32>) -> u32 {
        self.cases.push(PlantedCase { kind, place, week });
        (self.cases.len() - 1) as u32
    }
}

/// What earlier planted cases occupy, so a later case does not blur into
/// them: a hotspot needs a building whose other weeks are ordinary, and a
/// cluster must not be read together with another group's records about the
/// same theme at the same site at the same time. Sites are scarce in a big
/// city (thousands of collective petitions, about a hundred compounds), so
/// they are held for a span of days and, by groups, for one theme only.
#[derive(Default)]
struct Reserved {
    /// Homes of repeat callers and hotspot buildings: for the whole period.
    buildings: HashSet<u32>,
    /// Homes of family chains: three records over weeks lift no week much,
    /// and a big city has more chains than buildings, so these are only
    /// avoided while others are left.
    family_homes: HashSet<u32>,
    sites: HashMap<u32, Vec<Hold>>,
}

/// Inclusive days of a site held, for one petition category or (None) for
/// everything.
#[derive(Clone, Copy)]
struct Hold {
    first: u32,
    last: u32,
    theme: Option<usize>,
    /// Yields when nothing else is left: a collective petition's hold. Only
    /// big cities run out of sites.
    soft: bool,
}

impl Reserved {
    /// The building of a repeat caller's home: the calls would lift the
    /// building's baseline.
    fn caller_home(&mut self, places: &Places, home: PlaceRef) {
        if let Some(b) = places.ancestry(home).building {
            self.buildings.insert(b);
        }
    }

    fn family_home(&mut self, places: &Places, home: PlaceRef) {
        if let Some(b) = places.ancestry(home).building {
            self.family_homes.insert(b);
        }
    }

    /// Whether `want` fits at `site`, with soft holds heeded or not.
    fn site_free(&self, want: Hold, site: u32, heed_soft: bool) -> bool {
        self.sites.get(&site).is_none_or(|holds| {
            holds.iter().all(|h| {
                (h.soft && !heed_soft)
                    || want.last < h.first
                    || h.last < want.first
                    || matches!((want.theme, h.theme), (Some(a), Some(b)) if a != b)
            })
        })
    }

    fn hold_site(&mut self, hold: Hold, site: u32) {
        self.sites.entry(site).or_default().push(hold);
    }
}

/// Relative call volume by hour of day (hotline, petitions: office hours).
const HOURS_HOTLINE: [u32; 24] = [
    3, 2, 1, 1, 1, 2, 6, 15, 30, 40, 42, 38, 30, 32, 38, 40, 38, 32, 26, 24, 20, 16, 10, 6,
];
/// 110 calls peak in the evening.
const HOURS_ALARM: [u32; 24] = [
    12, 9, 7, 5, 4, 4, 6, 10, 14, 16, 17, 18, 18, 17, 17, 18, 19, 21, 24, 26, 26, 24, 20, 16,
];
const HOURS_PETITION: [u32; 24] = [
    0, 0, 0, 0, 0, 0, 0, 1, 20, 30, 30, 25, 8, 10, 25, 28, 25, 10, 2, 1, 1, 1, 0, 0,
];

struct Lookups {
    compounds: Vec<u32>,
    landmarks: Vec<u32>,
    villages: Vec<u32>,
    /// (site, household) sorted by site.
    households_by_site: Vec<(u32, u32)>,
    /// (village community, household) sorted.
    households_by_village: Vec<(u32, u32)>,
    landmark_cache: HashMap<&'static str, Vec<u32>>,
}

impl Lookups {
    fn new(places: &Places, pop: &Population) -> Lookups {
        let mut compounds = Vec::new();
        let mut landmarks = Vec::new();
        for (i, s) in places.sites.iter().enumerate() {
            match s.kind {
                SiteKind::Compound | SiteKind::Yard => compounds.push(i as u32),
                SiteKind::Landmark => landmarks.push(i as u32),
                SiteKind::VillageGroup => {}
            }
        }
        let villages = (0..places.communities.len() as u32)
            .filter(|c| places.communities[*c as usize].village)
            .collect();
        let mut households_by_site = Vec::with_capacity(pop.households.len());
        let mut households_by_village = Vec::new();
        for (h, hh) in pop.households.iter().enumerate() {
            let a = places.ancestry(hh.home);
            if let Some(s) = a.site {
                households_by_site.push((s, h as u32));
                let c = places.sites[s as usize].community;
                if places.communities[c as usize].village {
                    households_by_village.push((c, h as u32));
                }
            }
        }
        households_by_site.sort_unstable();
        households_by_village.sort_unstable();
        let mut landmark_cache = HashMap::new();
        for kw in ["工地", "学校", "医院", "中心", "市场"] {
            let list: Vec<u32> = landmarks
                .iter()
                .copied()
                .filter(|s| places.sites[*s as usize].name.contains(kw))
                .collect();
            landmark_cache.insert(
                kw,
                if list.is_empty() {
                    landmarks.clone()
                } else {
                    list
                },
            );
        }
        Lookups {
            compounds,
            landmarks,
            villages,
            households_by_site,
            households_by_village,
            landmark_cache,
        }
    }

    fn in_range(list: &[(u32, u32)], key: u32) -> &[(u32, u32)] {
        let lo = list.partition_point(|(k, _)| *k < key);
        let hi = list.partition_point(|(k, _)| *k <= key);
        &list[lo..hi]
    }
}

/// Level weights (room, building, site, community) when an address names a
/// home.
#[derive(Clone, Copy)]
struct HomeLevels([u32; 4]);

const HOTLINE_HOME: HomeLevels = HomeLevels([55, 20, 20, 5]);
const ALARM_HOME: HomeLevels = HomeLevels([60, 25, 15, 0]);
const PETITION_HOME: HomeLevels = HomeLevels([65, 25, 10, 0]);

fn home_at<R: Rng + ?Sized>(
    places: &Places,
    home: PlaceRef,
    levels: HomeLevels,
    rng: &mut R,
) -> PlaceRef {
    let level = [Level::Room, Level::Building, Level::Site, Level::Community]
        [pick_weighted(rng, &levels.0)];
    places.truncate(home, level)
}

struct Planner<'a, R: Rng + ?Sized> {
    places: &'a Places,
    pop: &'a Population,
    tl: &'a Timeline,
    look: Lookups,
    rng: &'a mut R,
    hotline_weights: Vec<u32>,
    alarm_weights: Vec<u32>,
    petition_weights: Vec<u32>,
    reserved: Reserved,
}

impl<R: Rng + ?Sized> Planner<'_, R> {
    fn time(&mut self, hours: &[u32; 24], day: u32) -> u32 {
        let h = pick_weighted(self.rng, hours) as u32;
        day * DAY + h * 3600 + self.rng.random_range(0..3600)
    }

    fn random_day(&mut self, weekdays_only: bool) -> u32 {
        loop {
            let d = self.rng.random_range(0..self.tl.days);
            let wd = chrono::Datelike::weekday(&self.tl.date_of_day(d)).number_from_monday();
            if !weekdays_only || wd <= 5 || self.rng.random_bool(0.25) {
                return d;
            }
        }
    }

    fn villager(&self, person: u32) -> bool {
        let home = self.pop.home_of(person);
        self.places
            .ancestry(home)
            .community
            .is_some_and(|c| self.places.communities[c as usize].village)
    }

    /// Draws a category, again (up to a few times) while it is a town-only
    /// one and the person lives in a village.
    fn category(
        &mut self,
        urban_only: &[usize],
        person: u32,
        mut draw: impl FnMut(&mut Self) -> usize,
    ) -> usize {
        let villager = self.villager(person);
        let mut cat = draw(self);
        for _ in 0..8 {
            if !(villager && urban_only.contains(&cat)) {
                break;
            }
            cat = draw(self);
        }
        cat
    }

    fn person(&mut self) -> u32 {
        self.pop.propensity.sample(self.rng) as u32
    }

    fn place(&mut self, w: Where, person: u32, levels: HomeLevels) -> PlaceRef {
        let home = self.pop.home_of(person);
        let rng = &mut *self.rng;
        match w {
            Where::Home => home_at(self.places, home, levels, rng),
            Where::HomeSite => {
                let level = if rng.random_bool(0.7) {
                    Level::Site
                } else {
                    Level::Building
                };
                self.places.truncate(home, level)
            }
            Where::AnySite => {
                let s = self.look.compounds[rng.random_range(0..self.look.compounds.len())];
                let site = &self.places.sites[s as usize];
                if rng.random_bool(0.2) {
                    PlaceRef::new(
                        Level::Building,
                        site.first_building + rng.random_range(0..site.n_buildings),
                    )
                } else {
                    PlaceRef::new(Level::Site, s)
                }
            }
            Where::Landmark(kw) => {
                let list = self
                    .look
                    .landmark_cache
                    .get(kw)
                    .unwrap_or(&self.look.landmarks);
                PlaceRef::new(Level::Site, list[rng.random_range(0..list.len())])
            }
            Where::Crossing => PlaceRef::new(
                Level::Crossing,
                rng.random_range(0..self.places.crossings.len() as u32),
            ),
            Where::Road => PlaceRef::new(
                Level::Road,
                rng.random_range(0..self.places.roads.len() as u32),
            ),
            Where::Village => {
                let own = self
                    .places
                    .ancestry(home)
                    .community
                    .filter(|c| self.places.communities[*c as usize].village);
                let c = own.unwrap_or_else(|| {
                    self.look.villages[rng.random_range(0..self.look.villages.len())]
                });
                PlaceRef::new(Level::Community, c)
            }
        }
    }

    fn hotline(&mut self, person: u32, cat: usize, t: u32) -> Draft {
        let place = self.place(catalog::HOTLINE[cat].place, person, HOTLINE_HOME);
        Draft {
            person,
            place,
            t,
            cat: cat as u8,
            case: NO_CASE,
        }
    }

    fn alarm(&mut self, person: u32, cat: usize, t: u32) -> Draft {
        let place = self.place(catalog::ALARM[cat].place, person, ALARM_HOME);
        Draft {
            person,
            place,
            t,
            cat: cat as u8,
            case: NO_CASE,
        }
    }
}

pub(super) fn plan<R: Rng + ?Sized>(
    rng: &mut R,
    places: &Places,
    pop: &Population,
    tl: &Timeline,
    counts: (usize, usize, usize),
) -> Plan {
    let (n_orders, n_alarms, n_petitions) = counts;
    let mut p = Planner {
        places,
        pop,
        tl,
        look: Lookups::new(places, pop),
        rng,
        hotline_weights: catalog::HOTLINE.iter().map(|c| c.weight).collect(),
        alarm_weights: catalog::ALARM.iter().map(|c| c.weight).collect(),
        petition_weights: catalog::PETITION.iter().map(|c| c.weight).collect(),
        reserved: Reserved::default(),
    };
    let mut plan = Plan {
        orders: Vec::with_capacity(n_orders),
        alarms: Vec::with_capacity(n_alarms),
        petitions: Vec::with_capacity(n_petitions),
        petition_persons: Vec::new(),
        cases: Vec::new(),
    };
    let start = tl.start_date();
    let last_t = tl.period - 1;
    let has_adults = !pop.propensity.is_empty();
    if !has_adults {
        return plan;
    }

    // Family disputes: hotline → 110 → petition, same victim, same home,
    // one chain per household so no two chains share a person or a home.
    let mut family_households: HashSet<u32> = HashSet::new();
    let n_family = (n_petitions / 40)
        .max(2)
        .min(n_orders)
        .min(n_alarms)
        .min(n_petitions);
    let mut tries = 0;
    while plan.petitions.len() < n_family && tries < n_family * 50 {
        tries += 1;
        let hh = p.rng.random_range(0..pop.households.len()) as u32;
        let adults: Vec<u32> = pop.adults(hh, start).collect();
        if adults.len() < 2 || !family_households.insert(hh) {
            continue;
        }
        let victim = adults[p.rng.random_range(0..adults.len())];
        let home = pop.households[hh as usize].home;
        let d0 = p.rng.random_range(0..(tl.days * 6 / 10).max(1));
        let t0 = p.time(&HOURS_HOTLINE, d0);
        let ta = (t0 + p.rng.random_range(DAY..5 * DAY)).min(last_t);
        let tp_day = ((t0 + p.rng.random_range(7 * DAY..20 * DAY)).min(last_t)) / DAY;
        let tp = p.time(&HOURS_PETITION, tp_day);
        let case = plan.open_case(CaseKind::Escalation, None, None);
        p.reserved.family_home(places, home);
        plan.orders.push(Draft {
            person: victim,
            place: home,
            t: t0,
            cat: catalog::HOTLINE_FAMILY as u8,
            case,
        });
        let alarm_place = home_at(places, home, HomeLevels([70, 30, 0, 0]), p.rng);
        plan.alarms.push(Draft {
            person: victim,
            place: alarm_place,
            t: ta,
            cat: catalog::ALARM_FAMILY as u8,
            case,
        });
        let start_idx = plan.petition_persons.len() as u32;
        plan.petition_persons.push(victim);
        plan.petitions.push(PetitionDraft {
            persons: (start_idx, 1),
            xfrs: 1,
            zz: home,
            wtsd: home,
            t: tp,
            cat: catalog::PETITION_FAMILY as u8,
            channel: 1,
            case,
        });
    }

    // Repeat callers: the same problem at the same home, again and again.
    let n_repeat = (n_orders / 300).max(2);
    for _ in 0..n_repeat {
        let person = p.person();
        let cat = if p.villager(person) {
            catalog::HOTLINE_NEIGHBOUR
        } else {
            [catalog::HOTLINE_NEIGHBOUR, 0, 3][p.rng.random_range(0..3)]
        };
        let calls = p.rng.random_range(4..=12);
        let case = plan.open_case(CaseKind::RepeatCaller, None, None);
        p.reserved.caller_home(places, pop.home_of(person));
        for _ in 0..calls {
            if plan.orders.len() >= n_orders {
                break;
            }
            let day = p.random_day(false);
            let t = p.time(&HOURS_HOTLINE, day);
            let mut d = p.hotline(person, cat, t);
            d.case = case;
            plan.orders.push(d);
        }
    }

    // Collective petitions.
    let n_collective = (n_petitions / 25).max(1);
    let collective_cats: Vec<usize> = (0..catalog::PETITION.len())
        .filter(|c| catalog::PETITION[*c].collective)
        .collect();
    for _ in 0..n_collective {
        if plan.petitions.len() >= n_petitions {
            break;
        }
        let cat = collective_cats[p.rng.random_range(0..collective_cats.len())];
        let c = &catalog::PETITION[cat];
        let (wtsd, pool): (PlaceRef, Vec<u32>) = match c.place {
            Where::Village => {
                let v = p.look.villages[p.rng.random_range(0..p.look.villages.len())];
                let hh: Vec<u32> = Lookups::in_range(&p.look.households_by_village, v)
                    .iter()
                    .map(|x| x.1)
                    .collect();
                (PlaceRef::new(Level::Community, v), hh)
            }
            Where::HomeSite => {
                let s = p.look.compounds[p.rng.random_range(0..p.look.compounds.len())];
                let hh: Vec<u32> = Lookups::in_range(&p.look.households_by_site, s)
                    .iter()
                    .map(|x| x.1)
                    .collect();
                (PlaceRef::new(Level::Site, s), hh)
            }
            _ => {
                let place = p.place(c.place, 0, PETITION_HOME);
                (place, Vec::new())
            }
        };
        let xfrs: u16 = 5 + (p.rng.random::<f64>().powi(3) * 55.0) as u16;
        let listed = p.rng.random_range(3..=8usize).min(xfrs as usize);
        let start_idx = plan.petition_persons.len() as u32;
        let mut chosen: Vec<u32> = Vec::new();
        for _ in 0..listed * 4 {
            if chosen.len() >= listed {
                break;
            }
            let person = if !pool.is_empty() && p.rng.random_bool(0.85) {
                let hh = pool[p.rng.random_range(0..pool.len())];
                let adults: Vec<u32> = pop.adults(hh, start).collect();
                if adults.is_empty() {
                    continue;
                }
                adults[p.rng.random_range(0..adults.len())]
            } else {
                p.person()
            };
            if !chosen.contains(&person) {
                chosen.push(person);
            }
        }
        if chosen.is_empty() {
            continue;
        }
        let zz = home_at(places, pop.home_of(chosen[0]), PETITION_HOME, p.rng);
        plan.petition_persons.extend_from_slice(&chosen);
        let case = plan.open_case(CaseKind::CollectivePetition, None, None);
        let day = p.random_day(true);
        let t = p.time(&HOURS_PETITION, day);
        if let Some(s) = places.ancestry(wtsd).site {
            // A group that petitions has been at it for some days.
            let hold = Hold {
                first: day.saturating_sub(6),
                last: day + 6,
                theme: Some(cat),
                soft: true,
            };
            p.reserved.hold_site(hold, s);
        }
        plan.petitions.push(PetitionDraft {
            persons: (start_idx, chosen.len() as u8),
            xfrs,
            zz,
            wtsd,
            t,
            cat: cat as u8,
            channel: if p.rng.random_bool(0.8) { 1 } else { 0 },
            case,
        });
    }

    hotspots::plant(&mut p, &mut plan, counts);
    clusters::plant(&mut p, &mut plan, counts);

    // Everything else, by propensity.
    while plan.orders.len() < n_orders {
        let person = p.person();
        let cat = p.category(catalog::HOTLINE_URBAN_ONLY, person, |pl| {
            pick_weighted(pl.rng, &pl.hotline_weights)
        });
        let day = p.random_day(false);
        let t = p.time(&HOURS_HOTLINE, day);
        let d = p.hotline(person, cat, t);
        plan.orders.push(d);
    }
    while plan.alarms.len() < n_alarms {
        let person = p.person();
        let cat = p.category(catalog::ALARM_URBAN_ONLY, person, |pl| {
            pick_weighted(pl.rng, &pl.alarm_weights)
        });
        let day = p.random_day(false);
        let t = p.time(&HOURS_ALARM, day);
        let d = p.alarm(person, cat, t);
        plan.alarms.push(d);
    }
    let channel_weights: Vec<u32> = catalog::CHANNELS.iter().map(|c| c.1).collect();
    while plan.petitions.len() < n_petitions {
        let person = p.person();
        let cat = p.category(catalog::PETITION_URBAN_ONLY, person, |pl| {
            pick_weighted(pl.rng, &pl.petition_weights)
        });
        let c = &catalog::PETITION[cat];
        let day = p.random_day(true);
        let t = p.time(&HOURS_PETITION, day);
        let start_idx = plan.petition_persons.len() as u32;
        plan.petition_persons.push(person);
        let mut xfrs = 1u16;
        // Small groups: a spouse or neighbour signs too.
        if p.rng.random_bool(0.1) {
            let hh = pop.persons[person as usize].household;
            let other = pop
                .adults(hh, start)
                .find(|a| *a != person)
                .unwrap_or_else(|| p.person());
            if other != person {
                plan.petition_persons.push(other);
                xfrs = 2 + p.rng.random_range(0..3);
            }
        }
        let zz = home_at(places, pop.home_of(person), PETITION_HOME, p.rng);
        let wtsd = match c.place {
            Where::Home => places.truncate(
                pop.home_of(person),
                if p.rng.random_bool(0.5) {
                    Level::Site
                } else {
                    Level::Room
                },
            ),
            w => p.place(w, person, PETITION_HOME),
        };
        let n_listed = plan.petition_persons.len() as u32 - start_idx;
        plan.petitions.push(PetitionDraft {
            persons: (start_idx, n_listed as u8),
            xfrs,
            zz,
            wtsd,
            t,
            cat: cat as u8,
            channel: pick_weighted(p.rng, &channel_weights) as u8,
            case: NO_CASE,
        });
    }
    plan.orders.truncate(n_orders);
    plan.alarms.truncate(n_alarms);
    plan
}
