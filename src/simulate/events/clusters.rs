//! Collective clusters: 4–10 different persons raising one theme about one
//! place across the three systems within two weeks — workers of one
//! construction site owed their wages, or residents of one compound without
//! property certificates or at odds with their 物业. No single record is
//! collective; only together do they show a group.

use rand::Rng;
use rand::seq::SliceRandom;

use super::super::cases::CaseKind;
use super::super::catalog;
use super::super::places::{Level, PlaceRef, SiteKind};
use super::super::seeds::pick_weighted;
use super::{
    Draft, HOURS_ALARM, HOURS_HOTLINE, HOURS_PETITION, Hold, Lookups, PETITION_HOME, PetitionDraft,
    Plan, Planner, home_at,
};

struct Theme {
    petition: usize,
    hotline: usize,
    alarm: Option<usize>,
    /// About a construction site (workers from anywhere) rather than the
    /// members' own compound.
    worksite: bool,
}

const WAGES: Theme = Theme {
    petition: catalog::PETITION_WAGES,
    hotline: catalog::HOTLINE_WAGES,
    alarm: Some(catalog::ALARM_WAGES),
    worksite: true,
};
const CERTIFICATES: Theme = Theme {
    petition: catalog::PETITION_CERTIFICATE,
    hotline: catalog::HOTLINE_CERTIFICATE,
    alarm: None,
    worksite: false,
};
const PROPERTY: Theme = Theme {
    petition: catalog::PETITION_PROPERTY,
    hotline: catalog::HOTLINE_PROPERTY,
    alarm: None,
    worksite: false,
};
const THEMES: [&Theme; 3] = [&WAGES, &CERTIFICATES, &PROPERTY];

/// Where a member's record goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum To {
    Hotline,
    Alarm,
    Petition,
}

/// The window the members' records fall in.
const WINDOW_DAYS: u32 = 14;

/// Plants about max(2, n_petitions / 100) clusters.
pub(super) fn plant<R: Rng + ?Sized>(
    p: &mut Planner<'_, R>,
    plan: &mut Plan,
    counts: (usize, usize, usize),
) {
    let (n_orders, n_alarms, n_petitions) = counts;
    for _ in 0..(n_petitions / 100).max(2) {
        let mut theme = THEMES[p.rng.random_range(0..THEMES.len())];
        let wanted = p.rng.random_range(4..=10usize);
        let first_day = p
            .rng
            .random_range(0..p.tl.days.saturating_sub(WINDOW_DAYS - 1).max(1));
        let mut hold = Hold {
            first: first_day,
            last: (first_day + WINDOW_DAYS - 1).min(p.tl.days - 1),
            theme: Some(theme.petition),
            soft: false,
        };
        let mut chosen = None;
        if theme.worksite {
            chosen = worksite(p, wanted, hold);
            if chosen.is_none() {
                theme = &CERTIFICATES;
                hold.theme = Some(theme.petition);
            }
        }
        if !theme.worksite {
            chosen = compound(p, wanted, hold);
        }
        let Some((site, members)) = chosen else {
            continue;
        };
        // Every cluster spans at least two systems: its first member
        // petitions, its second calls the hotline, its third (when the theme
        // has one) calls 110.
        let sources: Vec<To> = (0..members.len())
            .map(|i| match (i, theme.alarm) {
                (0, _) => To::Petition,
                (1, _) => To::Hotline,
                (2, Some(_)) => To::Alarm,
                (_, Some(_)) => {
                    [To::Hotline, To::Petition, To::Alarm][pick_weighted(p.rng, &[45, 35, 20])]
                }
                (_, None) => [To::Hotline, To::Petition][pick_weighted(p.rng, &[55, 45])],
            })
            .collect();
        let need = |to: To| sources.iter().filter(|s| **s == to).count();
        // As hotspots: at most a quarter of what is left of a source.
        if need(To::Hotline) > (n_orders - plan.orders.len()) / 4
            || need(To::Alarm) > (n_alarms - plan.alarms.len()) / 4
            || need(To::Petition) > (n_petitions - plan.petitions.len()) / 4
        {
            continue;
        }
        let place = PlaceRef::new(Level::Site, site);
        let case = plan.open_case(CaseKind::CollectiveCluster, Some(place), None);
        p.reserved.hold_site(hold, site);
        let channel_weights: Vec<u32> = catalog::CHANNELS.iter().map(|c| c.1).collect();
        for (person, to) in members.into_iter().zip(sources) {
            let day = p.rng.random_range(hold.first..=hold.last);
            // A resident often names their own building rather than the
            // compound, unless that would add to a planted building's count.
            let home = p.pop.home_of(person);
            let own = p.places.ancestry(home);
            let at = match own.building {
                Some(b)
                    if !theme.worksite
                        && own.site == Some(site)
                        && !p.reserved.buildings.contains(&b)
                        && p.rng.random_bool(0.3) =>
                {
                    PlaceRef::new(Level::Building, b)
                }
                _ => place,
            };
            match to {
                To::Hotline => {
                    let t = p.time(&HOURS_HOTLINE, day);
                    plan.orders.push(Draft {
                        person,
                        place: at,
                        t,
                        cat: theme.hotline as u8,
                        case,
                    });
                }
                To::Alarm => {
                    let t = p.time(&HOURS_ALARM, day);
                    plan.alarms.push(Draft {
                        person,
                        place: at,
                        t,
                        cat: theme.alarm.expect("only themes with alarms send there") as u8,
                        case,
                    });
                }
                To::Petition => {
                    let t = p.time(&HOURS_PETITION, day);
                    let zz = home_at(p.places, home, PETITION_HOME, p.rng);
                    let start = plan.petition_persons.len() as u32;
                    plan.petition_persons.push(person);
                    plan.petitions.push(PetitionDraft {
                        persons: (start, 1),
                        xfrs: 1,
                        zz,
                        wtsd: place,
                        t,
                        cat: theme.petition as u8,
                        channel: pick_weighted(p.rng, &channel_weights) as u8,
                        case,
                    });
                }
            }
        }
    }
}

/// A construction site no earlier planted case holds as `hold` would, and
/// `wanted` workers drawn from the whole city.
fn worksite<R: Rng + ?Sized>(
    p: &mut Planner<'_, R>,
    wanted: usize,
    hold: Hold,
) -> Option<(u32, Vec<u32>)> {
    let sites = p
        .look
        .landmark_cache
        .get("工地")
        .cloned()
        .unwrap_or_default();
    let free = |heed_soft: bool| -> Vec<u32> {
        sites
            .iter()
            .copied()
            .filter(|s| p.reserved.site_free(hold, *s, heed_soft))
            .collect()
    };
    let mut free = free(true);
    if free.is_empty() {
        free = sites
            .iter()
            .copied()
            .filter(|s| p.reserved.site_free(hold, *s, false))
            .collect();
    }
    if free.is_empty() {
        return None;
    }
    let site = free[p.rng.random_range(0..free.len())];
    let mut workers: Vec<u32> = Vec::with_capacity(wanted);
    for _ in 0..wanted * 10 {
        if workers.len() == wanted {
            break;
        }
        let w = p.person();
        if !workers.contains(&w) {
            workers.push(w);
        }
    }
    (workers.len() >= 4).then_some((site, workers))
}

/// A residential compound no earlier planted case holds as `hold` would,
/// with at least four adult residents, and up to `wanted` of them.
fn compound<R: Rng + ?Sized>(
    p: &mut Planner<'_, R>,
    wanted: usize,
    hold: Hold,
) -> Option<(u32, Vec<u32>)> {
    let start = p.tl.start_date();
    for attempt in 0..80 {
        let heed_soft = attempt < 40;
        let homes = &p.look.households_by_site;
        if homes.is_empty() {
            return None;
        }
        let (site, _) = homes[p.rng.random_range(0..homes.len())];
        if !matches!(
            p.places.sites[site as usize].kind,
            SiteKind::Compound | SiteKind::Yard
        ) || !p.reserved.site_free(hold, site, heed_soft)
        {
            continue;
        }
        let mut residents: Vec<u32> = Lookups::in_range(&p.look.households_by_site, site)
            .iter()
            .flat_map(|(_, h)| p.pop.adults(*h, start))
            .collect();
        if residents.len() < 4 {
            continue;
        }
        residents.shuffle(p.rng);
        residents.truncate(wanted);
        return Some((site, residents));
    }
    None
}
