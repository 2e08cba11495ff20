//! Word lists of address vocabulary: the suffixes that say what kind of place a
//! name is, and the vague relations that are stripped into `nearby`.
//! Lists that are matched as prefixes keep longer words before their own
//! prefixes (交叉路口 before 路口) so the first hit is the longest.

/// Ends of road names. 街道 is not a road but a street office; callers check it.
pub(crate) const ROAD_SUFFIXES: &[&str] = &["大道", "大街", "胡同", "路", "街", "道", "巷"];

/// Words saying two roads meet. A lone 口 after a road ending in 路 is the
/// merged form of 路+路口 (华夏南路口).
pub(crate) const CROSSING_WORDS: &[&str] = &[
    "交叉路口",
    "十字路口",
    "丁字路口",
    "交叉口",
    "交汇处",
    "交会处",
    "交界处",
    "交口",
    "路口",
    "十字",
];

/// Words joining the two roads of a crossing.
pub(crate) const CONNECTORS: &[&str] = &["与", "和", "跟", "同", "及", "/", "&"];

/// Institutions commonly named after the division they serve (鹤壁市人民医院,
/// 淇滨区实验小学): right after a division, the division is part of the name.
pub(crate) const INSTITUTION_SUFFIXES: &[&str] = &[
    "医院",
    "卫生院",
    "保健院",
    "养老院",
    "敬老院",
    "福利院",
    "剧院",
    "研究院",
    "设计院",
    "诊所",
    "中学",
    "小学",
    "学校",
    "大学",
    "学院",
    "幼儿园",
    "中心",
    "车站",
    "站",
    "政府",
    "委员会",
    "办事处",
    "公安局",
    "派出所",
    "局",
    "所",
    "法院",
    "检察院",
    "馆",
    "公园",
    "广场",
    "市场",
    "大楼",
    "大厦",
    "宾馆",
    "酒店",
    "饭店",
    "银行",
    "商场",
    "超市",
    "公司",
    "厂",
    "矿",
    "机场",
    "景区",
];

/// Residential compounds and other named sites.
pub(crate) const COMPOUND_SUFFIXES: &[&str] = &[
    "小区",
    "花园",
    "家园",
    "新村",
    "公寓",
    "名门",
    "华府",
    "雅居",
    "佳苑",
    "苑",
    "家属院",
    "家属楼",
    "大院",
    "院",
    "宿舍",
    "城",
    "园",
    "庄园",
    "山庄",
    "府",
    "公馆",
    "湾",
    "郡",
    "居",
    "坊",
    "期",
    "区",
];

/// Residential suffixes only; a 村 followed by one of these is part of a
/// compound's name rather than a village.
pub(crate) const RESIDENTIAL_SUFFIXES: &[&str] = &[
    "小区",
    "花园",
    "家园",
    "公寓",
    "苑",
    "家属院",
    "新村",
    "庄园",
    "山庄",
    "城",
];

/// Ends of community names, longest first; the committee forms name the
/// community itself (刘庄村委会 = 刘庄村, 华夏居委会 = 华夏社区).
pub(crate) const COMMUNITY_SUFFIXES: &[(&str, &str)] = &[
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("村民委员会", "村"),
    ("社区", "社区"),
    ("居委会", "社区"),
    ("村委会", "村"),
    ("村", "村"),
];

/// Committee words right after a community name, dropped: they name the
/// community itself (刘庄村村委会, and 委会 left after a gazetteer hit on 刘庄村委会).
pub(crate) const COMMITTEE_WORDS: &[&str] = &[
    "村民委员会",
    "居民委员会",
    "民委员会",
    "村委会",
    "居委会",
    "委员会",
    "委会",
    "村委",
    "村部",
    "两委",
];

/// Facilities of a community; after a community they are a vague relation,
/// not a site of their own (华夏社区服务中心).
pub(crate) const FACILITY_WORDS: &[&str] = &[
    "党群服务中心",
    "服务中心",
    "服务站",
    "办公室",
    "办公楼",
    "文化广场",
    "广场",
    "卫生室",
    "卫生所",
    "活动室",
    "活动中心",
    "会议室",
    "警务室",
    "大院",
    "大队部",
    "村部",
    "门卫",
    "物业",
    "停车场",
];

/// Vague relations, matched as prefixes of what is left after the finest
/// level; the whole rest becomes `nearby`.
pub(crate) const VAGUE_WORDS: &[&str] = &[
    "大门口",
    "门口",
    "大门",
    "正门",
    "后门",
    "侧门",
    "东门",
    "西门",
    "南门",
    "北门",
    "门前",
    "门外",
    "楼下",
    "楼道",
    "楼顶",
    "楼上",
    "楼前",
    "楼后",
    "楼梯",
    "楼洞",
    "单元门",
    "附近",
    "对面",
    "对过",
    "旁边",
    "边上",
    "周边",
    "周围",
    "一带",
    "沿线",
    "沿途",
    "中段",
    "东段",
    "西段",
    "南段",
    "北段",
    "路段",
    "路边",
    "路旁",
    "路上",
    "路东",
    "路西",
    "路南",
    "路北",
    "辅路",
    "两侧",
    "院内",
    "院里",
    "里面",
    "内",
    "外面",
    "后面",
    "前面",
    "拐角",
    "交叉口",
    "路口",
    "上",
    "下",
    "旁",
    "边",
    "处",
    "前",
    "后",
    "里",
    "外",
    "口",
];

const DIRECTIONS: &[&str] = &["东北", "东南", "西北", "西南", "东", "西", "南", "北"];
const DIRECTION_TAILS: &[&str] = &["侧", "边", "面", "头", "角", "门", "段", "方向"];
const DISTANCE_UNITS: &[&str] = &["公里", "米", "km", "m"];

/// Division suffixes; a short division name followed by one of them is the
/// start of a longer name.
const DIVISION_SUFFIXES: &[&str] = &["省", "市", "区", "县", "镇", "乡", "旗", "州", "盟"];

pub(crate) fn prefix_in<'a>(s: &str, words: &[&'a str]) -> Option<&'a str> {
    words.iter().copied().find(|w| s.starts_with(w))
}

pub(crate) fn suffix_in<'a>(s: &str, words: &[&'a str]) -> Option<&'a str> {
    words
        .iter()
        .copied()
        .filter(|w| s.ends_with(w))
        .max_by_key(|w| w.len())
}

pub(crate) fn site_suffix(s: &str) -> Option<&'static str> {
    let a = suffix_in(s, INSTITUTION_SUFFIXES);
    let b = suffix_in(s, COMPOUND_SUFFIXES);
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.len() > a.len() { b } else { a }),
        (a, b) => a.or(b),
    }
}

pub(crate) fn is_institution(site: &str) -> bool {
    site_suffix(site).is_some_and(|s| INSTITUTION_SUFFIXES.contains(&s))
}

/// Whether `s` begins with a word that would make a preceding short name the
/// first half of a longer name (淇滨+大道, 鹤山+街, 山城+路, 红旗+小区).
pub(crate) fn starts_with_kind_suffix(s: &str) -> bool {
    prefix_in(s, ROAD_SUFFIXES).is_some()
        || prefix_in(s, INSTITUTION_SUFFIXES).is_some()
        || prefix_in(s, COMPOUND_SUFFIXES).is_some()
        || COMMUNITY_SUFFIXES.iter().any(|(w, _)| s.starts_with(w))
        || prefix_in(s, DIVISION_SUFFIXES).is_some()
}

/// Whether `s` begins with a vague relation: a listed word, a direction with a
/// side (东侧, 东北角) or a direction with a distance (往东50米, 东50米处).
pub(crate) fn is_vague(s: &str) -> bool {
    if prefix_in(s, VAGUE_WORDS).is_some() || prefix_in(s, FACILITY_WORDS).is_some() {
        return true;
    }
    let s = s.trim_start_matches(['往', '向', '朝']);
    let Some(dir) = prefix_in(s, DIRECTIONS) else {
        return false;
    };
    let rest = &s[dir.len()..];
    if prefix_in(rest, DIRECTION_TAILS).is_some() {
        return true;
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && prefix_in(&rest[digits..], DISTANCE_UNITS).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vague_relations() {
        for v in [
            "门口",
            "北门",
            "东50米",
            "往东50米处",
            "东北角",
            "楼下",
            "中段",
            "附近",
            "服务中心",
        ] {
            assert!(is_vague(v), "{v}");
        }
        for v in ["东区", "建业小区", "3号楼", "东"] {
            assert!(!is_vague(v), "{v}");
        }
    }

    #[test]
    fn kind_suffixes() {
        for s in ["大道", "街", "路108号", "区人民医院", "小区", "村"] {
            assert!(starts_with_kind_suffix(s), "{s}");
        }
        for s in ["建业小区", "东站", "人民医院", "淇滨"] {
            assert!(!starts_with_kind_suffix(s), "{s}");
        }
    }

    #[test]
    fn site_suffix_prefers_the_longest() {
        assert_eq!(site_suffix("鹤煤三矿家属院"), Some("家属院"));
        assert_eq!(site_suffix("鹤壁市人民医院"), Some("医院"));
        assert!(is_institution("淇滨区实验小学"));
        assert!(!is_institution("建业小区"));
        assert_eq!(site_suffix("九州路"), None);
    }
}
