//! The finest part of an address: building, unit, floor and room, in the
//! forms the feeds use (3号楼2单元501室, 3栋2-501, 3#楼, 3-2-501,
//! 2单元5楼501室). Floors are read and dropped: a room number already says
//! its floor.

use super::vocab;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tail<'t> {
    pub building: Option<u32>,
    pub unit: Option<u32>,
    pub room: Option<u32>,
    /// What is left after the room; the caller decides what it is.
    pub rest: &'t str,
}

/// A number of at most nine ASCII digits at the start of `s`.
pub(crate) fn number(s: &str) -> Option<(u32, &str)> {
    let len = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if len == 0 || len > 9 {
        return None;
    }
    Some((s[..len].parse().ok()?, &s[len..]))
}

/// Markers that make a number a building wherever it stands.
const BUILDING_MARKS: &[&str] = &["号楼", "#楼", "号院", "栋", "幢", "座", "#"];

/// Marks after a room number; 号 only where a unit or building precedes.
const ROOM_MARKS: &[&str] = &["室", "户", "房"];

/// Parses building, unit, floor and room from the start of `s`. `anchored`
/// says a site, door number or village precedes, which lets a bare 3号 or
/// 3楼 name a building (建业小区3楼2单元501: building 3; after a unit, 5楼 is
/// a floor).
pub(crate) fn tail(s: &str, anchored: bool) -> Tail<'_> {
    let mut t = Tail {
        rest: s,
        ..Tail::default()
    };
    if let Some((a, b, c, rest)) = triple(s) {
        t.building = Some(a);
        t.unit = Some(b);
        t.room = Some(c);
        t.rest = strip_room_mark(rest, true);
        return t;
    }
    let mut s = s;
    if let Some((n, rest)) = building(s, anchored) {
        t.building = Some(n);
        s = rest;
    }
    if let Some((a, rest)) = number(s)
        && let Some(rest) = rest.strip_prefix('-')
        && let Some((b, rest)) = number(rest)
    {
        // 3栋2-501 is unit 2; 建业小区2-501 is building 2 (the 楼号-室号 form).
        if t.building.is_some() {
            t.unit = Some(a);
        } else {
            t.building = Some(a);
        }
        t.room = Some(b);
        t.rest = strip_room_mark(rest, true);
        return t;
    }
    if let Some((n, rest)) = number(s)
        && let Some(rest) = unit_mark(rest)
    {
        t.unit = Some(n);
        s = rest;
    }
    let placed = t.building.is_some() || t.unit.is_some();
    if placed
        && let Some((_, rest)) = number(s)
        && let Some(rest) = rest.strip_prefix('楼').or_else(|| rest.strip_prefix('层'))
    {
        s = rest;
    }
    if let Some((n, rest)) = number(s) {
        let marked = strip_room_mark(rest, placed);
        if placed || marked.len() != rest.len() {
            t.room = Some(n);
            s = marked;
        }
    }
    t.rest = s;
    t
}

fn triple(s: &str) -> Option<(u32, u32, u32, &str)> {
    let (a, rest) = number(s)?;
    let (b, rest) = number(rest.strip_prefix('-')?)?;
    let (c, rest) = number(rest.strip_prefix('-')?)?;
    Some((a, b, c, rest))
}

/// A building number at the start of `s`.
pub(crate) fn building(s: &str, anchored: bool) -> Option<(u32, &str)> {
    let (n, rest) = number(s)?;
    if let Some(mark) = vocab::prefix_in(rest, BUILDING_MARKS) {
        return Some((n, &rest[mark.len()..]));
    }
    if !anchored {
        return None;
    }
    if let Some(after) = rest.strip_prefix('号') {
        return Some((n, after));
    }
    let after = rest.strip_prefix('楼')?;
    let ends_here = after.is_empty() || vocab::is_vague(after);
    (ends_here || number(after).is_some()).then_some((n, after))
}

/// Whether `s` starts with a number marked as a building whatever precedes
/// it (3号楼, 3栋, 3#), as opposed to a bare 3号 or 3楼.
pub(crate) fn marked_building(s: &str) -> bool {
    building(s, false).is_some()
}

fn unit_mark(s: &str) -> Option<&str> {
    if let Some(rest) = s.strip_prefix("单元") {
        return Some(rest);
    }
    // 2门501: 门 is a unit in northern usage, but only before a room number.
    s.strip_prefix('门').filter(|rest| number(rest).is_some())
}

fn strip_room_mark(s: &str, allow_hao: bool) -> &str {
    if let Some(mark) = vocab::prefix_in(s, ROOM_MARKS) {
        return &s[mark.len()..];
    }
    match s.strip_prefix('号') {
        Some(rest) if allow_hao => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bur(s: &str, anchored: bool) -> (Option<u32>, Option<u32>, Option<u32>, &str) {
        let t = tail(s, anchored);
        (t.building, t.unit, t.room, t.rest)
    }

    #[test]
    fn building_unit_room_forms() {
        let full = (Some(3), Some(2), Some(501), "");
        for s in [
            "3号楼2单元501",
            "3号楼2单元501室",
            "3号楼2单元501号",
            "3栋2-501",
            "3幢2单元5楼501室",
            "3#楼2单元501",
            "3#2单元501",
            "3楼2单元501",
            "3-2-501",
            "3号2单元501",
            "3号楼2门501",
        ] {
            assert_eq!(bur(s, true), full, "{s}");
        }
    }

    #[test]
    fn partial_forms() {
        assert_eq!(bur("3号楼501室", true), (Some(3), None, Some(501), ""));
        assert_eq!(bur("3号楼501", false), (Some(3), None, Some(501), ""));
        assert_eq!(bur("3号楼5层", true), (Some(3), None, None, ""));
        assert_eq!(bur("3号楼楼下", true), (Some(3), None, None, "楼下"));
        assert_eq!(bur("3楼", true), (Some(3), None, None, ""));
        assert_eq!(bur("2-501", true), (Some(2), None, Some(501), ""));
        assert_eq!(bur("501室", true), (None, None, Some(501), ""));
        assert_eq!(bur("2单元501", true), (None, Some(2), Some(501), ""));
    }

    #[test]
    fn bare_numbers_need_an_anchor() {
        assert_eq!(bur("3号", false), (None, None, None, "3号"));
        assert_eq!(bur("3楼", false), (None, None, None, "3楼"));
        assert_eq!(bur("501", false), (None, None, None, "501"));
        assert_eq!(bur("3楼门诊部", true), (None, None, None, "3楼门诊部"));
    }
}
