//! The short name of a place used inside free text ("{p}" in templates):
//! what a caller would say, not a postal address.

use super::places::{Level, PlaceRef, Places, SiteKind};

pub(super) fn short_place(places: &Places, p: PlaceRef) -> String {
    let a = places.ancestry(p);
    match p.level() {
        Level::Crossing => {
            let c = &places.crossings[p.index() as usize];
            format!(
                "{}与{}交叉口",
                places.roads[c.a as usize].name, places.roads[c.b as usize].name
            )
        }
        Level::Road => places.roads[p.index() as usize].name.to_string(),
        Level::District => places.districts[p.index() as usize].name.to_string(),
        Level::Street => places.streets[p.index() as usize].name.clone(),
        Level::Community => places.communities[p.index() as usize].name.clone(),
        _ => {
            let s = &places.sites[a.site.unwrap_or(0) as usize];
            match s.kind {
                SiteKind::VillageGroup => places.communities[s.community as usize].name.clone(),
                SiteKind::Yard => format!("{}{}号院", places.roads[s.road as usize].name, s.number),
                _ => s.name.clone(),
            }
        }
    }
}
