//! The identity of a place as a key string, built from a parsed address.
//!
//! A compound is named (建业小区) or numbered on its road (华夏南路108号);
//! both are site keys, and the two are aliases once some mention gives both
//! (`aliases.rs`). Finer keys hang off the site's key, so once aliases are
//! known every building and room of a compound has one key however its
//! address was written.

use std::sync::Arc;

use crate::resolve::address::{AddressLevel, AddressPath};

/// A place key. Shared: a key is held once by its node and by every chain
/// that passes through it, so a million mentions cost a pointer per level
/// instead of a string each.
pub type Key = Arc<str>;

/// The keys a mention names, finest first, each with its level.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chain {
    /// (level, key) from the finest the text names up to the province.
    pub links: Vec<(AddressLevel, Key)>,
    /// Site keys the text names (named and/or numbered), before aliasing.
    pub site_keys: Vec<Key>,
}

pub fn named_site(name: &str) -> String {
    format!("S:{name}")
}

pub fn door_site(road: &str, number: u32) -> String {
    format!("S#:{road}|{number}")
}

/// Builds the chain of a path; `site_rep` maps a raw site key to its
/// alias-class representative.
pub fn chain(path: &AddressPath, site_rep: &dyn Fn(&str) -> String) -> Chain {
    let mut site_keys = Vec::new();
    if let Some(name) = &path.site {
        site_keys.push(named_site(name));
    }
    if let (Some(road), Some(n)) = (&path.road, path.number) {
        site_keys.push(door_site(road, n));
    }
    let site = site_keys.first().map(|k| site_rep(k));
    let group = match (&path.community, path.group) {
        (Some(c), Some(g)) if site.is_none() => Some(format!("G:{c}|{g}")),
        _ => None,
    };
    let mut links: Vec<(AddressLevel, String)> = Vec::new();
    let village_house = site.is_none() && path.building.is_some() && path.community.is_some();
    let building = match (&site, path.building) {
        (Some(s), Some(b)) => Some(format!("{s}/B{b}")),
        (None, Some(b)) if village_house => Some(format!(
            "H:{}|{b}",
            path.community.as_deref().unwrap_or_default()
        )),
        _ => None,
    };
    if let (Some(b), Some(room)) = (&building, path.room) {
        links.push((
            AddressLevel::Room,
            format!("{b}/U{}/R{room}", path.unit.unwrap_or(0)),
        ));
    }
    if let Some(b) = building {
        links.push((AddressLevel::Building, b));
    }
    if let Some(s) = site.or(group) {
        links.push((AddressLevel::Site, s));
    }
    if links.is_empty() {
        if let Some((a, b)) = &path.crossing {
            links.push((AddressLevel::Crossing, format!("X:{a}|{b}")));
        } else if let Some(r) = &path.road {
            links.push((AddressLevel::Road, format!("L:{r}")));
        }
    }
    let upper = [
        (
            AddressLevel::Community,
            path.community.as_ref().map(|c| format!("C:{c}")),
        ),
        (
            AddressLevel::Street,
            path.street.as_ref().map(|s| format!("J:{s}")),
        ),
        (
            AddressLevel::District,
            path.district.as_ref().map(|d| format!("D:{d}")),
        ),
        (
            AddressLevel::City,
            path.city.as_ref().map(|c| format!("M:{c}")),
        ),
        (
            AddressLevel::Province,
            path.province.as_ref().map(|p| format!("V:{p}")),
        ),
    ];
    for (level, key) in upper {
        if let Some(k) = key {
            links.push((level, k));
        }
    }
    Chain {
        links: links.into_iter().map(|(l, k)| (l, Key::from(k))).collect(),
        site_keys: site_keys.into_iter().map(Key::from).collect(),
    }
}

/// The same chain under another site representative: the site key and the
/// building and room keys under it take the new prefix. `chain` may be
/// under any representative (or none), since the raw site key is kept.
pub fn rekey(chain: &Chain, site_rep: &dyn Fn(&str) -> String) -> Chain {
    let current = chain
        .links
        .iter()
        .find(|(l, _)| *l == AddressLevel::Site)
        .map(|(_, k)| &**k);
    let (Some(raw), Some(current)) = (chain.site_keys.first(), current) else {
        return chain.clone();
    };
    let new = site_rep(raw);
    if new == current {
        return chain.clone();
    }
    let links = chain
        .links
        .iter()
        .map(|(l, k)| {
            let renamed = match l {
                AddressLevel::Site | AddressLevel::Building | AddressLevel::Room => {
                    k.strip_prefix(current).map(|rest| format!("{new}{rest}"))
                }
                _ => None,
            };
            (*l, renamed.map_or_else(|| k.clone(), Key::from))
        })
        .collect();
    Chain {
        links,
        site_keys: chain.site_keys.clone(),
    }
}

/// The text a key stands for, without its ancestors: 建业小区, 3号楼,
/// 2单元501室, 华夏南路108号, 九州路与华夏南路交叉口.
pub fn own_label(level: AddressLevel, key: &str) -> String {
    let tail = key.rsplit('/').next().unwrap_or(key);
    match level {
        AddressLevel::Room => {
            let mut parts = key.rsplitn(3, '/');
            let room = parts.next().unwrap_or_default().trim_start_matches('R');
            let unit = parts.next().unwrap_or_default().trim_start_matches('U');
            if unit == "0" {
                format!("{room}室")
            } else {
                format!("{unit}单元{room}室")
            }
        }
        AddressLevel::Building if key.starts_with("H:") => {
            let (_, n) = key[2..].split_once('|').unwrap_or(("", ""));
            format!("{n}号")
        }
        AddressLevel::Building => format!("{}号楼", tail.trim_start_matches('B')),
        AddressLevel::Site => match key.split_once(':') {
            Some(("S#", rest)) => {
                let (road, n) = rest.split_once('|').unwrap_or((rest, ""));
                format!("{road}{n}号")
            }
            Some(("G", rest)) => {
                let (_, g) = rest.split_once('|').unwrap_or(("", rest));
                format!("{g}组")
            }
            Some((_, name)) => name.to_string(),
            None => key.to_string(),
        },
        AddressLevel::Crossing => {
            let (a, b) = key[2..].split_once('|').unwrap_or((&key[2..], ""));
            format!("{a}与{b}交叉口")
        }
        _ => key.split_once(':').map_or(key, |(_, n)| n).to_string(),
    }
}

/// The building (or village house) a path names, as a key without alias
/// resolution: evidence for person resolution, which must not depend on
/// how places were resolved.
pub fn building_key(path: &AddressPath) -> Option<String> {
    chain(path, &|k| k.to_string())
        .links
        .into_iter()
        .find(|(l, _)| *l == AddressLevel::Building)
        .map(|(_, k)| k.to_string())
}
