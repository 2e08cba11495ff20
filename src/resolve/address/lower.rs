//! Everything below the division prefix: community or village, road,
//! crossing, door number, site, village group, then the building tail and
//! whatever vague relation is left (建业小区北门, 九州路中段, 交叉口东50米).

use super::tail::{self, Tail};
use super::vocab::{self, COMMITTEE_WORDS, CONNECTORS, CROSSING_WORDS, ROAD_SUFFIXES};

/// The lower levels of one address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Lower {
    /// A community found by its suffix, normalised (华夏居委会 → 华夏社区).
    pub community: Option<String>,
    pub road: Option<String>,
    pub number: Option<u32>,
    pub site: Option<String>,
    pub group: Option<u32>,
    pub building: Option<u32>,
    pub unit: Option<u32>,
    pub room: Option<u32>,
    pub crossing: Option<(String, String)>,
    pub nearby: Option<String>,
    /// Characters left over that no rule explains; used to rank readings.
    pub junk: usize,
}

/// What the division prefix said about the text that follows it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Context<'a> {
    /// The community the prefix ended with (from the local list), as written.
    pub community: Option<&'a str>,
    /// The last division as written, when the text follows it directly; an
    /// institution right after it carries it in its name (鹤壁市人民医院).
    pub landmark: Option<&'a str>,
}

pub(crate) fn parse_lower(s: &str, ctx: Context<'_>) -> Lower {
    let mut l = Lower::default();
    let mut s = s;
    let mut community_name = ctx.community.map(str::to_string);
    if community_name.is_none()
        && let Some((name, rest)) = community(s)
    {
        l.community = Some(name.clone());
        community_name = Some(name);
        s = rest;
    }
    let in_community = community_name.is_some();
    if in_community {
        s = vocab::prefix_in(s, COMMITTEE_WORDS).map_or(s, |w| &s[w.len()..]);
        // 华夏社区服务中心, 华夏社区广场: a facility of the community.
        if vocab::prefix_in(s, vocab::FACILITY_WORDS).is_some() || vocab::is_vague(s) {
            return l.finish(s);
        }
    }
    if let Some((n, rest)) = group(s) {
        l.group = Some(n);
        return l.finish_tail(tail::tail(rest, true));
    }
    if let Some((pair, rest)) = crossing(s) {
        l.crossing = Some(pair);
        return l.finish(rest);
    }
    if let Some((name, rest)) = road(s) {
        l.road = Some(name.to_string());
        s = rest;
        if let Some((n, rest)) = door_number(s) {
            l.number = Some(n);
            // 华夏南路108号院 is the yard at door 108: the same place.
            s = rest.strip_prefix('院').unwrap_or(rest);
        }
    }
    let landmark = ctx.landmark.filter(|_| l.road.is_none() && !in_community);
    if let Some((name, rest)) = site(s, landmark.is_some() || in_community) {
        let bare = vocab::site_suffix(name).is_some_and(|x| x.len() == name.len());
        l.site = Some(match (landmark, &community_name) {
            (Some(p), _) if vocab::is_institution(name) => format!("{p}{name}"),
            // 刘庄村小学: a bare suffix after a village is named after it.
            (None, Some(c)) if bare && l.road.is_none() => format!("{c}{name}"),
            _ => name.to_string(),
        });
        s = rest;
    }
    let anchored = l.site.is_some() || l.number.is_some() || in_community;
    l.finish_tail(tail::tail(s, anchored))
}

impl Lower {
    fn finish_tail(mut self, t: Tail<'_>) -> Lower {
        self.building = t.building;
        self.unit = t.unit;
        self.room = t.room;
        self.finish(t.rest)
    }

    fn finish(mut self, rest: &str) -> Lower {
        if !rest.is_empty() {
            if !vocab::is_vague(rest) {
                self.junk = rest.chars().count();
            }
            self.nearby = Some(rest.to_string());
        }
        self
    }
}

/// A community or village named by its suffix at the start of `s`; the name
/// never holds digits, and 新村 or 村 before a compound suffix is part of a
/// compound's name.
fn community(s: &str) -> Option<(String, &str)> {
    for (i, c) in s.char_indices().skip(1) {
        if c.is_ascii_digit() || c == '#' || c == '-' {
            return None;
        }
        let Some(&(suffix, kind)) = vocab::COMMUNITY_SUFFIXES
            .iter()
            .find(|(w, _)| s[i..].starts_with(w))
        else {
            continue;
        };
        let (name, rest) = (&s[..i], &s[i + suffix.len()..]);
        // 钜桥镇华夏社区 is a town and a community, not one name.
        if name.contains(['省', '市', '区', '县', '镇', '乡']) || name.contains("街道") {
            return None;
        }
        let village = kind == "村";
        let compound =
            name.ends_with('新') || vocab::prefix_in(rest, vocab::RESIDENTIAL_SUFFIXES).is_some();
        if (village && compound) || vocab::prefix_in(rest, ROAD_SUFFIXES).is_some() {
            continue;
        }
        return Some((format!("{name}{kind}"), rest));
    }
    None
}

/// A village group: 3组, 3队.
fn group(s: &str) -> Option<(u32, &str)> {
    let (n, rest) = tail::number(s)?;
    let rest = rest
        .strip_prefix('组')
        .or_else(|| rest.strip_prefix('队'))?;
    Some((n, rest))
}

/// A road name at the start of `s`: the shortest prefix ending in a road
/// suffix after which something a road can be followed by comes.
pub(crate) fn road(s: &str) -> Option<(&str, &str)> {
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() || c == '#' || c == '-' {
            return None;
        }
        let end = i + c.len_utf8();
        let (name, follow) = (&s[..end], &s[end..]);
        let Some(suffix) = vocab::suffix_in(name, ROAD_SUFFIXES) else {
            continue;
        };
        // 九州路街道 is a street office; 辅路 and 路边 are relations.
        if name.len() == suffix.len() || name.ends_with("街道") || vocab::is_vague(name) {
            continue;
        }
        if road_follow_ok(name, follow) {
            return Some((name, follow));
        }
    }
    None
}

fn road_follow_ok(name: &str, follow: &str) -> bool {
    follow.is_empty()
        || follow.starts_with(|c: char| c.is_ascii_digit())
        || vocab::prefix_in(follow, CONNECTORS).is_some()
        || vocab::prefix_in(follow, CROSSING_WORDS).is_some()
        || (follow.starts_with('口') && name.ends_with(['路', '街']))
        || vocab::is_vague(follow)
        || road(follow).is_some()
        // 九州路建业小区 is a road and a compound; 九州路农贸市场 and 九州路小学
        // are institutions named after their road.
        || site(follow, false).is_some_and(|(name, _)| !vocab::is_institution(name))
}

/// Two roads meeting: 九州路与华夏南路交叉口, 九州路华夏南路十字路口,
/// 九州路与华夏南路口. The pair is sorted so both orders compare equal.
fn crossing(s: &str) -> Option<((String, String), &str)> {
    let (a, rest) = road(s)?;
    let connector = vocab::prefix_in(rest, CONNECTORS);
    let rest = &rest[connector.map_or(0, str::len)..];
    if connector.is_none() && vocab::is_vague(rest) {
        return None;
    }
    let (b, rest) = road(rest)?;
    let word = vocab::prefix_in(rest, CROSSING_WORDS)
        .map(str::len)
        .or_else(|| {
            (rest.starts_with('口') && b.ends_with(['路', '街'])).then_some('口'.len_utf8())
        });
    let rest = &rest[word.unwrap_or(0)..];
    // Two roads with neither a connector nor a crossing word still name a
    // crossing, unless more follows (九州路华夏南路108号 is a door number).
    if connector.is_none() && word.is_none() && !(rest.is_empty() || vocab::is_vague(rest)) {
        return None;
    }
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    Some(((a.to_string(), b.to_string()), rest))
}

/// A door number on a road: 108号, or a bare 108 ending the text. 108号楼 is
/// a building, not a door.
fn door_number(s: &str) -> Option<(u32, &str)> {
    let (n, rest) = tail::number(s)?;
    if tail::marked_building(s) && !rest.starts_with("号院") {
        return None;
    }
    match rest.strip_prefix('号') {
        Some(after) => Some((n, after)),
        None if rest.is_empty() || vocab::is_vague(rest) => Some((n, rest)),
        None => None,
    }
}

/// A named site at the start of `s`: the longest prefix ending in a site
/// suffix after which the building tail parses cleanly, else a name right
/// before a marked building (森林半岛3号楼, 建业壹号城邦3号楼), else the
/// longest prefix ending in a site suffix. `bare_ok` lets the name be the suffix alone (政府, 小学),
/// for sites named after what precedes them.
pub(crate) fn site(s: &str, bare_ok: bool) -> Option<(&str, &str)> {
    let (mut clean, mut any) = (None, None);
    for (i, c) in s.char_indices() {
        let end = i + c.len_utf8();
        let name = &s[..end];
        if !site_name_ok(name) {
            break;
        }
        let Some(suffix) = vocab::site_suffix(name) else {
            continue;
        };
        // 区 ends compound areas (北区), not communities.
        if (name.len() == suffix.len() && !bare_ok) || name.ends_with("社区") {
            continue;
        }
        any = Some(end);
        let t = tail::tail(&s[end..], true);
        if t.rest.is_empty() || vocab::is_vague(t.rest) {
            clean = Some(end);
        }
    }
    let before_building = s.find(|c: char| c.is_ascii_digit()).filter(|&digit| {
        let name = &s[..digit];
        name.chars().count() >= 2 && site_name_ok(name) && tail::marked_building(&s[digit..])
    });
    let end = clean.or(before_building).or(any)?;
    Some((&s[..end], &s[end..]))
}

/// Site names hold no building marks; digits only as a phase or area
/// (建业小区2期, 3区).
fn site_name_ok(name: &str) -> bool {
    if name.starts_with(|c: char| c.is_ascii_digit()) || name.contains(['#', '-']) {
        return false;
    }
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit()
            && let Some(&next) = chars.peek()
            && !next.is_ascii_digit()
            && !matches!(next, '期' | '区')
        {
            return false;
        }
    }
    true
}
