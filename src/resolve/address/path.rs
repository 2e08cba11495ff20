//! The parsed form of an address: one optional field per level, from the
//! province down to the room, plus the vague relation that was stripped.

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// How fine a place is named, coarsest first (the derived order is the
/// containment order, so `max` of two levels is the finer one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AddressLevel {
    Province,
    City,
    District,
    /// A township-level office: 街道, 镇, 乡.
    Street,
    /// A residents' community (社区) or a village (村).
    Community,
    /// A road or a section of one (九州路中段).
    Road,
    /// Two roads meeting (九州路与华夏南路交叉口); an offset is kept in `nearby`
    /// but never makes it finer.
    Crossing,
    /// A compound, yard, landmark, door number on a road or village group.
    Site,
    /// A building (3号楼) or a village house (刘庄村18号).
    Building,
    /// A room, with or without its unit.
    Room,
}

/// One address, split into levels. Names of divisions are the gazetteer's full
/// names when the gazetteer knows them, else the text as normalised.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AddressPath {
    pub province: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub street: Option<String>,
    pub community: Option<String>,
    pub road: Option<String>,
    pub number: Option<u32>,
    pub site: Option<String>,
    pub group: Option<u32>,
    pub building: Option<u32>,
    pub unit: Option<u32>,
    pub room: Option<u32>,
    /// The two roads of a crossing, sorted so that both orders compare equal.
    pub crossing: Option<(String, String)>,
    /// A vague relation stripped from the text (门口, 东50米, 中段...): kept for
    /// display, never used to go finer.
    pub nearby: Option<String>,
}

impl AddressPath {
    /// The finest level the text names. An empty path reports `Province`, the
    /// coarsest level, since there is no "nothing" level. A unit without a room
    /// stays at `Building`: a stairwell is not a room.
    pub fn level(&self) -> AddressLevel {
        use AddressLevel::*;
        if self.room.is_some() {
            Room
        } else if self.building.is_some() || self.unit.is_some() {
            Building
        } else if self.site.is_some() || self.number.is_some() || self.group.is_some() {
            Site
        } else if self.crossing.is_some() {
            Crossing
        } else if self.road.is_some() {
            Road
        } else if self.community.is_some() {
            Community
        } else if self.street.is_some() {
            Street
        } else if self.district.is_some() {
            District
        } else if self.city.is_some() {
            City
        } else {
            Province
        }
    }

    /// Canonical text of the path, upper levels then lower, e.g.
    /// "河南省鹤壁市淇滨区九州路街道华夏社区建业小区3号楼2单元501室".
    /// `nearby` is left out: it does not change which place is meant.
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        for name in [
            &self.province,
            &self.city,
            &self.district,
            &self.street,
            &self.community,
        ]
        .into_iter()
        .flatten()
        {
            out.push_str(name);
        }
        if let Some((a, b)) = &self.crossing {
            let _ = write!(out, "{a}与{b}交叉口");
        } else if let Some(road) = &self.road {
            out.push_str(road);
        }
        if let Some(n) = self.number {
            let _ = write!(out, "{n}号");
        }
        if let Some(site) = &self.site {
            // A landmark named after the division before it (淇滨区实验小学)
            // writes that name once, as the text would.
            let upper = [
                &self.community,
                &self.street,
                &self.district,
                &self.city,
                &self.province,
            ]
            .into_iter()
            .flatten()
            .next()
            .filter(|_| self.road.is_none() && self.crossing.is_none());
            match upper.and_then(|u| site.strip_prefix(u.as_str())) {
                Some(rest) if !rest.is_empty() => out.push_str(rest),
                _ => out.push_str(site),
            }
        }
        if let Some(g) = self.group {
            let _ = write!(out, "{g}组");
        }
        if let Some(b) = self.building {
            // A house in a village is "18号"; a building in a compound "3号楼".
            let village = self.community.as_deref().is_some_and(|c| c.ends_with('村'));
            let house =
                self.site.is_none() && self.road.is_none() && (village || self.group.is_some());
            let _ = write!(out, "{b}{}", if house { "号" } else { "号楼" });
        }
        if let Some(u) = self.unit {
            let _ = write!(out, "{u}单元");
        }
        if let Some(r) = self.room {
            let _ = write!(out, "{r}室");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn canonical_full_path() {
        let p = AddressPath {
            province: s("河南省"),
            city: s("鹤壁市"),
            district: s("淇滨区"),
            street: s("九州路街道"),
            community: s("华夏社区"),
            site: s("建业小区"),
            building: Some(3),
            unit: Some(2),
            room: Some(501),
            nearby: s("门口"),
            ..Default::default()
        };
        assert_eq!(
            p.canonical(),
            "河南省鹤壁市淇滨区九州路街道华夏社区建业小区3号楼2单元501室"
        );
        assert_eq!(p.level(), AddressLevel::Room);
    }

    #[test]
    fn canonical_village_house_and_road_number() {
        let house = AddressPath {
            community: s("刘庄村"),
            group: Some(3),
            building: Some(18),
            ..Default::default()
        };
        assert_eq!(house.canonical(), "刘庄村3组18号");
        assert_eq!(house.level(), AddressLevel::Building);
        let door = AddressPath {
            road: s("华夏南路"),
            number: Some(108),
            site: s("建业小区"),
            ..Default::default()
        };
        assert_eq!(door.canonical(), "华夏南路108号建业小区");
        assert_eq!(door.level(), AddressLevel::Site);
        let landmark = AddressPath {
            province: s("河南省"),
            city: s("鹤壁市"),
            district: s("淇滨区"),
            site: s("淇滨区实验小学"),
            ..Default::default()
        };
        assert_eq!(landmark.canonical(), "河南省鹤壁市淇滨区实验小学");
    }

    #[test]
    fn levels_of_coarse_paths() {
        let crossing = AddressPath {
            crossing: Some(("九州路".into(), "华夏南路".into())),
            nearby: s("东50米"),
            ..Default::default()
        };
        assert_eq!(crossing.level(), AddressLevel::Crossing);
        assert_eq!(crossing.canonical(), "九州路与华夏南路交叉口");
        let road = AddressPath {
            road: s("九州路"),
            ..Default::default()
        };
        assert_eq!(road.level(), AddressLevel::Road);
        assert_eq!(AddressPath::default().level(), AddressLevel::Province);
        let unit_only = AddressPath {
            site: s("建业小区"),
            building: Some(3),
            unit: Some(2),
            ..Default::default()
        };
        assert_eq!(unit_only.level(), AddressLevel::Building);
        assert!(AddressLevel::Room > AddressLevel::Building);
    }
}
