//! Joining a compound's name to its door number by where 110 calls were
//! made from. Alarms carry coordinates; when the calls about 平安家园 and
//! the calls about 泰山路8号 cluster at one spot, and each is the other's
//! nearest candidate, the two are one site even if no record names both.
//! Sums are kept in integer micro-degrees so that the result does not
//! depend on the order mentions arrived in.

use std::collections::{BTreeMap, BTreeSet};

/// Mutual nearest neighbours closer than this are one site.
const RADIUS_M: f64 = 90.0;
/// Observations a site key needs before its centroid is trusted.
const MIN_OBS: i64 = 3;

#[derive(Default)]
pub struct Centroids {
    /// Raw site key → (sum of lon, sum of lat in micro-degrees, count).
    sums: BTreeMap<String, (i64, i64, i64)>,
}

fn micro(v: f64) -> i64 {
    (v * 1e6).round() as i64
}

impl Centroids {
    pub fn note(&mut self, key: &str, (lon, lat): (f64, f64), add: bool) {
        let sign = if add { 1 } else { -1 };
        let e = self.sums.entry(key.to_string()).or_insert((0, 0, 0));
        e.0 += sign * micro(lon);
        e.1 += sign * micro(lat);
        e.2 += sign;
        if e.2 <= 0 {
            self.sums.remove(key);
        }
    }

    fn centroid(&self, key: &str) -> Option<(f64, f64)> {
        let (x, y, n) = *self.sums.get(key)?;
        (n >= MIN_OBS).then(|| (x as f64 / n as f64 / 1e6, y as f64 / n as f64 / 1e6))
    }

    /// Name ↔ door-number pairs that are mutual nearest neighbours within
    /// the radius, among keys with no text partner of the other kind.
    pub fn pairs(&self, unpartnered: impl Fn(&str) -> bool) -> BTreeSet<(String, String)> {
        let pick = |door: bool| -> Vec<(&str, (f64, f64))> {
            self.sums
                .keys()
                .filter(|k| k.starts_with("S#:") == door && k.starts_with("S"))
                .filter(|k| unpartnered(k))
                .filter_map(|k| self.centroid(k).map(|c| (k.as_str(), c)))
                .collect()
        };
        let (names, doors) = (pick(false), pick(true));
        let nearest = |from: (f64, f64), among: &[(&str, (f64, f64))]| -> Option<(usize, f64)> {
            among
                .iter()
                .enumerate()
                .map(|(i, (_, c))| (i, metres(from, *c)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
        };
        let mut out = BTreeSet::new();
        for (name, c) in &names {
            let Some((d, dist)) = nearest(*c, &doors) else {
                continue;
            };
            if dist > RADIUS_M {
                continue;
            }
            let back = nearest(doors[d].1, &names).map(|(i, _)| names[i].0);
            if back == Some(*name) {
                let door = doors[d].0.to_string();
                let name = name.to_string();
                out.insert(if door < name {
                    (door, name)
                } else {
                    (name, door)
                });
            }
        }
        out
    }
}

/// Distance on the ground, equirectangular (fine within a county).
fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    let lat = ((a.1 + b.1) / 2.0).to_radians();
    let dx = (a.0 - b.0).to_radians() * lat.cos() * 6_371_000.0;
    let dy = (a.1 - b.1).to_radians() * 6_371_000.0;
    (dx * dx + dy * dy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_and_a_door_number_called_from_one_spot_pair_up() {
        let mut c = Centroids::default();
        for i in 0..3 {
            let d = i as f64 * 0.0001;
            c.note("S:平安家园", (114.2500 + d, 35.7800), true);
            c.note("S#:泰山路|8", (114.2502, 35.7801 + d), true);
            c.note("S#:泰山路|20", (114.2600, 35.7800), true);
        }
        let pairs = c.pairs(|_| true);
        assert_eq!(
            pairs.into_iter().collect::<Vec<_>>(),
            vec![("S#:泰山路|8".to_string(), "S:平安家园".to_string())]
        );
        // Too few observations: nothing.
        c.note("S:平安家园", (114.25, 35.78), false);
        c.note("S:平安家园", (114.25, 35.78), false);
        assert!(c.pairs(|_| true).is_empty());
    }
}
