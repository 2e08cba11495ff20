//! Division names as keys: folded like parsed text, committee forms of
//! communities reduced to the community, and the short forms people write
//! (河南, 鹤壁, 淇滨).

use super::{AddressLevel, fold, numerals};

/// The lookup key of a division name: folded like parsed text, and for
/// communities with the committee forms reduced to the community's own name.
pub(crate) fn key(name: &str, level: AddressLevel) -> String {
    let folded = numerals::arabic(&fold::fold(name));
    if level == AddressLevel::Community {
        community_key(&folded)
    } else {
        folded
    }
}

/// 刘庄村委会 → 刘庄村, 多福巷社区居委会 → 多福巷社区, 华夏居委会 → 华夏社区.
pub(crate) fn community_key(name: &str) -> String {
    for (suffix, kind) in super::vocab::COMMUNITY_SUFFIXES {
        if let Some(stem) = name.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return format!("{stem}{kind}");
        }
    }
    name.to_string()
}

/// The name people write without its suffix: 河南 for 河南省, 鹤壁 for 鹤壁市,
/// 淇滨 for 淇滨区. None below two characters (浚县 has no short form 浚) and
/// for streets and communities, whose stems are road or village names.
pub(crate) fn short_name(full: &str, level: AddressLevel) -> Option<&str> {
    let suffixes: &[&str] = match level {
        AddressLevel::Province => &[
            "壮族自治区",
            "回族自治区",
            "维吾尔自治区",
            "自治区",
            "特别行政区",
            "省",
            "市",
        ],
        AddressLevel::City => &["地区", "市", "盟"],
        AddressLevel::District => &["区", "县", "市", "旗"],
        _ => return None,
    };
    let stem = suffixes.iter().find_map(|s| full.strip_suffix(s))?;
    (stem.chars().count() >= 2 && !stem.ends_with("自治")).then_some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        assert_eq!(short_name("河南省", AddressLevel::Province), Some("河南"));
        assert_eq!(
            short_name("广西壮族自治区", AddressLevel::Province),
            Some("广西")
        );
        assert_eq!(short_name("鹤壁市", AddressLevel::City), Some("鹤壁"));
        assert_eq!(short_name("淇滨区", AddressLevel::District), Some("淇滨"));
        assert_eq!(short_name("浚县", AddressLevel::District), None);
        assert_eq!(short_name("九州路街道", AddressLevel::Street), None);
    }

    #[test]
    fn community_keys() {
        assert_eq!(community_key("刘庄村委会"), "刘庄村");
        assert_eq!(community_key("多福巷社区居委会"), "多福巷社区");
        assert_eq!(community_key("华夏居委会"), "华夏社区");
        assert_eq!(community_key("华夏社区"), "华夏社区");
        assert_eq!(key("三楼村", AddressLevel::Community), "3楼村");
    }
}
