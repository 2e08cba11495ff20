//! Hotspots: one residential building whose hotline calls and alarms of one
//! Monday–Sunday week rise far above its other weeks — a burst pipe, a lift
//! that stays broken, a neighbour's noise or fights, reported by many
//! residents.

use rand::Rng;
use rand::seq::SliceRandom;

use super::super::cases::CaseKind;
use super::super::catalog;
use super::super::places::{Level, PlaceRef, SiteKind};
use super::{Draft, HOURS_ALARM, HOURS_HOTLINE, Hold, Lookups, Plan, Planner};

/// What a hotspot is about: a hotline and/or an alarm category.
struct Theme {
    hotline: Option<usize>,
    alarm: Option<usize>,
    /// Lifts only break where there are lifts.
    min_floors: u8,
}

const THEMES: &[Theme] = &[
    Theme {
        hotline: Some(catalog::HOTLINE_WATER),
        alarm: None,
        min_floors: 0,
    },
    Theme {
        hotline: Some(catalog::HOTLINE_LIFT),
        alarm: None,
        min_floors: 7,
    },
    Theme {
        hotline: Some(catalog::HOTLINE_NEIGHBOUR),
        alarm: Some(catalog::ALARM_NOISE),
        min_floors: 0,
    },
    Theme {
        hotline: None,
        alarm: Some(catalog::ALARM_FIGHT),
        min_floors: 0,
    },
];

/// Share of a building's residents' ordinary events that happen at home
/// (the rest at crossings, landmarks, elsewhere): an upper bound, so the
/// baseline estimate errs high.
const AT_HOME: f64 = 0.7;

/// How many buildings are looked at for each hotspot; the quietest is
/// taken, so the hotspot rises above a baseline that is ordinary for the
/// city, not above one unusually busy resident.
const LOOKED_AT: usize = 8;

struct Candidate {
    building: u32,
    site: u32,
    /// Adult residents.
    residents: Vec<u32>,
    /// Expected ordinary events of the building per week.
    baseline: f64,
}

/// Plants about max(2, n_orders / 2000) hotspots, each 8–20 extra events
/// (more where the building's baseline is high) in one week that is not
/// the period's first full week, so every hotspot has a week before it.
pub(super) fn plant<R: Rng + ?Sized>(
    p: &mut Planner<'_, R>,
    plan: &mut Plan,
    counts: (usize, usize, usize),
) {
    let (n_orders, n_alarms, n_petitions) = counts;
    let weeks: Vec<u32> = p.tl.full_weeks().into_iter().skip(1).collect();
    if weeks.is_empty() {
        return;
    }
    let per_week = (n_orders + n_alarms + n_petitions) as f64 * 7.0 / p.tl.days as f64;
    for _ in 0..(n_orders / 2000).max(2) {
        let monday = weeks[p.rng.random_range(0..weeks.len())];
        let Some(c) = candidate(p, per_week) else {
            continue;
        };
        let floors = p.places.buildings[c.building as usize].floors;
        let theme = loop {
            let t = &THEMES[p.rng.random_range(0..THEMES.len())];
            if floors >= t.min_floors {
                break t;
            }
        };
        let extra = p
            .rng
            .random_range(8..=20usize)
            .max((3.0 * c.baseline).ceil() as usize + 4);
        let to_hotline: Vec<bool> = (0..extra)
            .map(|_| match (theme.hotline, theme.alarm) {
                (Some(_), Some(_)) => p.rng.random_bool(0.6),
                (h, _) => h.is_some(),
            })
            .collect();
        let hotline = to_hotline.iter().filter(|h| **h).count();
        // A hotspot takes at most a quarter of what is left of a source, so
        // small cities keep their ordinary events.
        if hotline > (n_orders - plan.orders.len()) / 4
            || extra - hotline > (n_alarms - plan.alarms.len()) / 4
        {
            continue;
        }
        let building = PlaceRef::new(Level::Building, c.building);
        let case = plan.open_case(CaseKind::Hotspot, Some(building), Some(monday));
        p.reserved.buildings.insert(c.building);
        let week = Hold {
            first: monday,
            last: monday + 6,
            theme: None,
            soft: false,
        };
        p.reserved.hold_site(week, c.site);
        let mut residents = c.residents;
        residents.shuffle(p.rng);
        for (i, is_hotline) in to_hotline.into_iter().enumerate() {
            // Different residents while there are some, then passers-by.
            let (person, resident) = match residents.get(i) {
                Some(r) => (*r, true),
                None => (p.person(), false),
            };
            let place = if resident && p.rng.random_bool(0.3) {
                p.pop.home_of(person)
            } else {
                building
            };
            let day = monday + p.rng.random_range(0..7);
            let (hours, cat) = if is_hotline {
                (&HOURS_HOTLINE, theme.hotline)
            } else {
                (&HOURS_ALARM, theme.alarm)
            };
            let t = p.time(hours, day);
            let d = Draft {
                person,
                place,
                t,
                cat: cat.expect("the theme has this source") as u8,
                case,
            };
            if is_hotline {
                plan.orders.push(d);
            } else {
                plan.alarms.push(d);
            }
        }
    }
}

/// A residential building no repeat caller or hotspot uses, the quietest of
/// a few, preferring those without a family chain and with at least three
/// adult residents. Groups elsewhere in its compound do not matter: the
/// hotspot is the building's own count.
fn candidate<R: Rng + ?Sized>(p: &mut Planner<'_, R>, per_week: f64) -> Option<Candidate> {
    let mut best: Option<Candidate> = None;
    let mut looked_at = 0;
    for _ in 0..LOOKED_AT * 5 {
        if looked_at == LOOKED_AT {
            break;
        }
        let homes = &p.look.households_by_site;
        if homes.is_empty() {
            return None;
        }
        let (site, hh) = homes[p.rng.random_range(0..homes.len())];
        if !matches!(
            p.places.sites[site as usize].kind,
            SiteKind::Compound | SiteKind::Yard
        ) {
            continue;
        }
        let Some(building) = p
            .places
            .ancestry(p.pop.households[hh as usize].home)
            .building
        else {
            continue;
        };
        if p.reserved.buildings.contains(&building) {
            continue;
        }
        let start = p.tl.start_date();
        let residents: Vec<u32> = Lookups::in_range(&p.look.households_by_site, site)
            .iter()
            .filter(|(_, h)| {
                p.places
                    .ancestry(p.pop.households[*h as usize].home)
                    .building
                    == Some(building)
            })
            .flat_map(|(_, h)| p.pop.adults(*h, start))
            .collect();
        let weight: f64 = residents
            .iter()
            .map(|r| p.pop.propensity.weight(*r as usize))
            .sum();
        let baseline = weight / p.pop.propensity.total() * per_week * AT_HOME;
        looked_at += 1;
        let c = Candidate {
            building,
            site,
            residents,
            baseline,
        };
        let family = |b: u32| p.reserved.family_homes.contains(&b);
        let key = |c: &Candidate| (family(c.building), c.residents.len() < 3, c.baseline);
        if best.as_ref().is_none_or(|b| key(&c) < key(b)) {
            best = Some(c);
        }
    }
    best
}
