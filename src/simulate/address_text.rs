//! Writing a place the many ways people write it (feeds.md, "Addresses").
//!
//! The level of the place is fixed by the record (the truth names it); only
//! the surface varies: province/city prefix, street office and community
//! present or not, the compound by name or by door number, building and room
//! in several notations, full-width digits, stray spaces. The 110 style adds
//! informal places: gates, "downstairs", crossings with an offset.

use rand::Rng;

use super::places::{Level, PlaceRef, Places, SiteKind, room_number};
use super::seeds::{pick, pick_weighted};
use super::text_noise::{chinese_number, full_width, stray_spaces};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AddrStyle {
    /// Hotline sqdz, petition zz and wtsd: a postal-style address.
    Formal,
    /// 110 afdd: how a caller describes where they are.
    Police,
}

/// Share of addresses written with full-width digits and punctuation.
pub(super) const FULL_WIDTH_RATE: f64 = 0.08;
/// Share of addresses with stray spaces.
pub(super) const SPACES_RATE: f64 = 0.06;

pub(super) fn render<R: Rng + ?Sized>(
    places: &Places,
    p: PlaceRef,
    style: AddrStyle,
    rng: &mut R,
) -> String {
    let text = match style {
        AddrStyle::Formal => formal(places, p, rng),
        AddrStyle::Police => police(places, p, rng),
    };
    let text = if rng.random_bool(FULL_WIDTH_RATE) {
        full_width(&text)
    } else {
        text
    };
    if rng.random_bool(SPACES_RATE) {
        stray_spaces(rng, &text)
    } else {
        text
    }
}

/// `河南省鹤壁市淇滨区`, `鹤壁市淇滨区`, `淇滨区`, `鹤壁淇滨` or nothing.
fn prefix<R: Rng + ?Sized>(places: &Places, district: u8, must: bool, rng: &mut R) -> String {
    let d = &places.districts[district as usize];
    let weights: &[u32] = if must {
        &[20, 30, 40, 10, 0]
    } else {
        &[18, 25, 25, 5, 27]
    };
    match pick_weighted(rng, weights) {
        0 => format!("河南省鹤壁市{}", d.name),
        1 => format!("鹤壁市{}", d.name),
        2 => d.name.to_string(),
        3 => format!("鹤壁{}", d.short),
        _ => String::new(),
    }
}

/// The compound itself, by name or by door number.
fn site_text<R: Rng + ?Sized>(places: &Places, site: u32, rng: &mut R) -> String {
    let s = &places.sites[site as usize];
    let door = || {
        let road = places
            .roads
            .get(s.road as usize)
            .map(|r| r.name)
            .unwrap_or("");
        format!("{road}{}号", s.number)
    };
    match s.kind {
        SiteKind::Compound => match pick_weighted(rng, &[45, 35, 20]) {
            0 => s.name.clone(),
            1 => door(),
            _ => format!("{}{}", door(), s.name),
        },
        SiteKind::Yard => match pick_weighted(rng, &[65, 20, 15]) {
            0 => format!("{}院", door()),
            1 => s.name.clone(),
            _ => format!("{}{}", door(), s.name),
        },
        SiteKind::Landmark => {
            if rng.random_bool(0.8) {
                s.name.clone()
            } else {
                door()
            }
        }
        SiteKind::VillageGroup => {
            if rng.random_bool(0.7) {
                format!("{}组", s.number)
            } else {
                format!("{}组", chinese_number(s.number as u32))
            }
        }
    }
}

/// `3号楼`, `三号楼`, `3栋`, `3幢`, `3#楼`; a village house `18号`.
fn building_text<R: Rng + ?Sized>(places: &Places, b: u32, rng: &mut R) -> String {
    let bd = &places.buildings[b as usize];
    if places.sites[bd.site as usize].kind == SiteKind::VillageGroup {
        return format!("{}号", bd.no);
    }
    match pick_weighted(rng, &[45, 10, 20, 12, 5, 8]) {
        0 => format!("{}号楼", bd.no),
        1 => format!("{}号楼", chinese_number(bd.no as u32)),
        2 => format!("{}栋", bd.no),
        3 => format!("{}幢", bd.no),
        4 => format!("{}#楼", bd.no),
        _ => format!("{}楼", chinese_number(bd.no as u32)),
    }
}

/// `2单元501`, `2-501`, `2单元5楼501室`, `2单元501室`, `二单元501`.
fn unit_room_text<R: Rng + ?Sized>(places: &Places, p: PlaceRef, rng: &mut R) -> String {
    let (b, unit, floor, pos) = p.room_parts();
    let room = room_number(floor, pos);
    if places.buildings[b as usize].units == 1 && rng.random_bool(0.5) {
        return if rng.random_bool(0.5) {
            format!("{room}室")
        } else {
            room.to_string()
        };
    }
    match pick_weighted(rng, &[35, 20, 12, 23, 5, 5]) {
        0 => format!("{unit}单元{room}"),
        1 => format!("{unit}-{room}"),
        2 => format!("{unit}单元{floor}楼{room}室"),
        3 => format!("{unit}单元{room}室"),
        4 => format!("{}单元{room}", chinese_number(unit as u32)),
        _ => format!("{unit}单元{room}号"),
    }
}

fn formal<R: Rng + ?Sized>(places: &Places, p: PlaceRef, rng: &mut R) -> String {
    let a = places.ancestry(p);
    let level = p.level();
    match level {
        Level::Crossing => {
            let c = &places.crossings[p.index() as usize];
            let district = a.district.unwrap_or(0);
            let (x, y) = (
                places.roads[c.a as usize].name,
                places.roads[c.b as usize].name,
            );
            let pre = prefix(places, district, false, rng);
            return if rng.random_bool(0.5) {
                format!("{pre}{x}与{y}交叉口")
            } else {
                format!("{pre}{y}{x}交叉口")
            };
        }
        Level::Road => {
            let r = &places.roads[p.index() as usize];
            let pre = prefix(places, r.district, false, rng);
            return format!(
                "{pre}{}{}",
                r.name,
                pick(rng, &["", "沿线", "中段", "一带"])
            );
        }
        _ => {}
    }
    let district = a.district.unwrap_or(0);
    let community = a.community.map(|c| &places.communities[c as usize]);
    let village = community.is_some_and(|c| c.village);
    let mut out = prefix(places, district, level <= Level::Community, rng);
    let street = a.street.map(|s| &places.streets[s as usize]);
    if let Some(st) = street {
        let p_street = match level {
            Level::Street => 1.0,
            Level::Community => 0.7,
            _ if village || st.rural => 0.75,
            _ => 0.25,
        };
        if rng.random_bool(p_street) {
            out.push_str(&st.name);
        }
    }
    if let Some(c) = community {
        let p_comm = if level == Level::Community || village {
            1.0
        } else {
            0.25
        };
        if rng.random_bool(p_comm) {
            out.push_str(&c.name);
        }
    }
    if level <= Level::Community {
        return out;
    }
    let site = a.site.expect("site-level place has a site");
    let is_house = level == Level::Building && village;
    if !is_house || rng.random_bool(0.6) {
        out.push_str(&site_text(places, site, rng));
    }
    if let Some(b) = a.building {
        out.push_str(&building_text(places, b, rng));
    }
    if level == Level::Room {
        out.push_str(&unit_room_text(places, p, rng));
    }
    out
}

fn police<R: Rng + ?Sized>(places: &Places, p: PlaceRef, rng: &mut R) -> String {
    let a = places.ancestry(p);
    match p.level() {
        Level::Crossing => {
            let c = &places.crossings[p.index() as usize];
            let (x, y) = (
                places.roads[c.a as usize].name,
                places.roads[c.b as usize].name,
            );
            let (x, y) = if rng.random_bool(0.7) { (x, y) } else { (y, x) };
            match pick_weighted(rng, &[35, 15, 25, 15, 10]) {
                0 => format!("{x}与{y}交叉口"),
                1 => format!("{x}{y}交叉口"),
                2 => {
                    let dir = pick(rng, &["东", "西", "南", "北"]);
                    format!("{x}与{y}交叉口{dir}{}米", rng.random_range(2..=20) * 10)
                }
                3 => format!("{x}{y}十字路口"),
                _ => format!("{x}与{y}路口"),
            }
        }
        Level::Road => {
            let r = &places.roads[p.index() as usize];
            format!("{}{}", r.name, pick(rng, &["中段", "路边", "上", "辅路"]))
        }
        Level::Community | Level::Street | Level::District => {
            let c = a.community.map(|c| &places.communities[c as usize]);
            match c {
                Some(c) if c.village => {
                    format!("{}村委会{}", c.name, pick(rng, &["门口", "", "附近"]))
                }
                Some(c) => format!(
                    "{}{}",
                    c.name,
                    pick(rng, &["服务中心", "办公室门口", "广场"])
                ),
                None => formal(places, p, rng),
            }
        }
        Level::Site => {
            let s = &places.sites[p.index() as usize];
            if s.kind == SiteKind::VillageGroup {
                let c = &places.communities[s.community as usize];
                return format!("{}{}", c.name, site_text(places, p.index(), rng));
            }
            let base = site_text(places, p.index(), rng);
            let base = if s.kind != SiteKind::Landmark
                && !base.ends_with('院')
                && rng.random_bool(0.3)
                && base.ends_with('号')
            {
                format!("{base}院")
            } else {
                base
            };
            format!(
                "{base}{}",
                pick(
                    rng,
                    &[
                        "门口",
                        "门口",
                        "大门口",
                        "北门",
                        "东门",
                        "",
                        "",
                        "内",
                        "附近",
                        "对面"
                    ]
                )
            )
        }
        Level::Building => {
            let village = a
                .community
                .is_some_and(|c| places.communities[c as usize].village);
            let site = a.site.expect("building has a site");
            if village {
                let c = &places.communities[a.community.unwrap_or(0) as usize];
                return format!("{}{}", c.name, building_text(places, p.index(), rng));
            }
            format!(
                "{}{}{}",
                site_text(places, site, rng),
                building_text(places, p.index(), rng),
                pick(rng, &["楼下", "", "门口", "楼道"])
            )
        }
        Level::Room => {
            let mut s = String::new();
            if rng.random_bool(0.15) {
                s.push_str(&prefix(places, a.district.unwrap_or(0), true, rng));
            }
            let site = a.site.expect("room has a site");
            s.push_str(&site_text(places, site, rng));
            s.push_str(&building_text(places, a.building.unwrap_or(0), rng));
            s.push_str(&unit_room_text(places, p, rng));
            s
        }
    }
}
