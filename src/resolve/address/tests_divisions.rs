//! End-to-end tests of the division levels: full, short and missing upper
//! levels, filling from the gazetteer, ambiguous names, and the names that
//! look alike (鹤山区 / 鹤山街 / 鹤山街街道).

use super::{AddressLevel, AddressPath, Gazetteer};
use std::sync::LazyLock;

/// A small county list in the shape the simulator writes: a street office
/// missing from the national data, communities under national and local
/// street offices, and a village.
pub(crate) const COUNTY_CSV: &str = "code,level,name,parent\n\
    Q1,street,渠河路街道,410611\n\
    C1,community,华夏社区居委会,410611002\n\
    C2,community,刘庄村委会,410611101\n\
    C3,community,渠河社区,Q1\n\
    C4,community,王庄村,410611200\n";

pub(crate) static COUNTY: LazyLock<Gazetteer> =
    LazyLock::new(|| Gazetteer::national().with_local(COUNTY_CSV).unwrap());

pub(crate) fn national(text: &str) -> AddressPath {
    Gazetteer::national().parse(text)
}

pub(crate) fn county(text: &str) -> AddressPath {
    COUNTY.parse(text)
}

fn upper(p: &AddressPath) -> [Option<&str>; 5] {
    [
        p.province.as_deref(),
        p.city.as_deref(),
        p.district.as_deref(),
        p.street.as_deref(),
        p.community.as_deref(),
    ]
}

const QIBIN: [Option<&str>; 3] = [Some("河南省"), Some("鹤壁市"), Some("淇滨区")];

#[test]
fn full_short_and_missing_upper_levels_agree() {
    for text in [
        "河南省鹤壁市淇滨区建业小区",
        "鹤壁市淇滨区建业小区",
        "淇滨区建业小区",
        "鹤壁淇滨建业小区",
        "河南鹤壁淇滨区建业小区",
        "河南省 鹤壁市 淇滨区 建业小区",
    ] {
        let p = national(text);
        assert_eq!(upper(&p)[..3], QIBIN, "{text}");
        assert_eq!(p.site.as_deref(), Some("建业小区"), "{text}");
    }
    let bare = national("建业小区");
    assert_eq!(upper(&bare), [None; 5]);
    assert_eq!(bare.site.as_deref(), Some("建业小区"));
}

#[test]
fn district_fills_city_and_province_from_national_data() {
    let p = national("淇滨区");
    assert_eq!(upper(&p), [QIBIN[0], QIBIN[1], QIBIN[2], None, None]);
    assert_eq!(p.level(), AddressLevel::District);
    assert_eq!(p.canonical(), "河南省鹤壁市淇滨区");
    assert_eq!(national("鹤壁市").canonical(), "河南省鹤壁市");
    assert_eq!(national("浚县").district.as_deref(), Some("浚县"));
}

#[test]
fn street_office_alone_fills_its_district() {
    for (text, district) in [
        ("钜桥镇", "淇滨区"),
        ("九州路街道", "淇滨区"),
        ("上峪乡", "淇滨区"),
        ("鹤山街街道", "鹤山区"),
    ] {
        let p = national(text);
        assert_eq!(p.street.as_deref(), Some(text));
        assert_eq!(p.district.as_deref(), Some(district), "{text}");
        assert_eq!(p.city.as_deref(), Some("鹤壁市"));
        assert_eq!(p.level(), AddressLevel::Street);
    }
}

#[test]
fn heshan_district_road_and_street_office() {
    let district = national("鹤山区");
    assert_eq!(district.district.as_deref(), Some("鹤山区"));
    assert_eq!(district.road, None);
    let road = national("鹤山街");
    assert_eq!(road.road.as_deref(), Some("鹤山街"));
    assert_eq!(upper(&road), [None; 5]);
    assert_eq!(road.level(), AddressLevel::Road);
    let office = national("鹤山街街道");
    assert_eq!(office.street.as_deref(), Some("鹤山街街道"));
    assert_eq!(office.district.as_deref(), Some("鹤山区"));
    assert_eq!(office.road, None);
    let both = national("鹤山区鹤山街108号");
    assert_eq!(both.district.as_deref(), Some("鹤山区"));
    assert_eq!(
        (both.road.as_deref(), both.number),
        (Some("鹤山街"), Some(108))
    );
}

#[test]
fn short_district_names_do_not_eat_road_names() {
    for road in ["淇滨大道", "山城路", "鹤山街"] {
        let p = national(road);
        assert_eq!(p.road.as_deref(), Some(road));
        assert_eq!(p.district, None, "{road}");
    }
    let p = national("山城区山城路");
    assert_eq!(p.district.as_deref(), Some("山城区"));
    assert_eq!(p.road.as_deref(), Some("山城路"));
    assert_eq!(national("淇滨大道108号").number, Some(108));
}

#[test]
fn road_named_street_office_versus_road() {
    let office = national("九州路街道华夏社区");
    assert_eq!(office.street.as_deref(), Some("九州路街道"));
    assert_eq!(office.community.as_deref(), Some("华夏社区"));
    assert_eq!(office.road, None);
    let road = national("九州路108号");
    assert_eq!(road.street, None);
    assert_eq!(road.road.as_deref(), Some("九州路"));
}

#[test]
fn unknown_street_office_is_accepted_by_suffix() {
    let p = national("淇滨区渠河路街道华夏社区");
    assert_eq!(p.street.as_deref(), Some("渠河路街道"));
    assert_eq!(p.district.as_deref(), Some("淇滨区"));
    assert_eq!(p.community.as_deref(), Some("华夏社区"));
    // The county list knows it, and where it is.
    let p = county("渠河路街道");
    assert_eq!(p.district.as_deref(), Some("淇滨区"));
}

#[test]
fn community_fills_street_through_the_local_list() {
    let p = county("华夏社区建业小区3号楼");
    assert_eq!(
        upper(&p),
        [
            QIBIN[0],
            QIBIN[1],
            QIBIN[2],
            Some("九州路街道"),
            Some("华夏社区")
        ]
    );
    let p = county("渠河社区");
    assert_eq!(p.street.as_deref(), Some("渠河路街道"));
    assert_eq!(p.district.as_deref(), Some("淇滨区"));
    let p = county("刘庄村");
    assert_eq!(p.street.as_deref(), Some("钜桥镇"));
    assert_eq!(p.level(), AddressLevel::Community);
    // Without the local list the community stays, unplaced.
    let p = national("华夏社区");
    assert_eq!(upper(&p), [None, None, None, None, Some("华夏社区")]);
}

#[test]
fn ambiguous_names_prefer_home_city_else_stay_unplaced() {
    // 88 towns are called 城关镇; 浚县 has none, so nothing is filled.
    let p = national("城关镇");
    assert_eq!(upper(&p), [None, None, None, Some("城关镇"), None]);
    // 金山街道 is in 14 districts: the home city decides, or a named district.
    assert_eq!(national("金山街道").district, None);
    assert_eq!(county("金山街道").district.as_deref(), Some("淇滨区"));
    assert_eq!(
        national("淇滨区金山街道").district.as_deref(),
        Some("淇滨区")
    );
    assert_eq!(
        national("鹤壁市红旗街街道").district.as_deref(),
        Some("山城区")
    );
    // 鹤山 alone is 鹤山区 (鹤壁) or 鹤山市 (江门): only a home city decides.
    assert_eq!(national("鹤山").district, None);
    assert_eq!(county("鹤山").district.as_deref(), Some("鹤山区"));
    assert_eq!(COUNTY.home_city(), Some("4106"));
    // With a home city, a lone short name elsewhere starts a local name:
    // 金山区 is in 上海, 金山东苑 a compound here.
    assert_eq!(national("金山东苑").district.as_deref(), Some("金山区"));
    let p = county("金山东苑3栋");
    assert_eq!((p.district, p.site.as_deref()), (None, Some("金山东苑")));
    // A following division decides too.
    assert_eq!(
        national("鹤山中山北路街道").district.as_deref(),
        Some("鹤山区")
    );
}

#[test]
fn divisions_named_under_the_wrong_parent_keep_the_text() {
    let p = national("山城区九州路街道");
    assert_eq!(p.district.as_deref(), Some("山城区"));
    assert_eq!(p.street.as_deref(), Some("九州路街道"));
    assert_eq!(p.city.as_deref(), Some("鹤壁市"));
    let p = county("钜桥镇华夏社区");
    assert_eq!(p.street.as_deref(), Some("钜桥镇"));
    assert_eq!(p.community.as_deref(), Some("华夏社区"));
}

#[test]
fn municipalities_and_cities_without_districts() {
    let p = national("北京市朝阳区");
    assert_eq!(p.province.as_deref(), Some("北京市"));
    assert_eq!(p.city, None);
    assert_eq!(p.district.as_deref(), Some("朝阳区"));
    let p = national("广东省东莞市东城街道");
    assert_eq!(p.city.as_deref(), Some("东莞市"));
    assert_eq!(p.district, None);
    assert_eq!(p.street.as_deref(), Some("东城街道"));
}

#[test]
fn generic_division_names_need_context() {
    // 城区 is a district of 晋城 and of 阳泉 and more; alone it is no division.
    assert_eq!(national("城区建设路").district, None);
    assert_eq!(national("鹤壁市城区建业小区").district, None);
}

#[test]
fn repeated_divisions_and_street_office_words() {
    let p = national("鹤壁市淇滨区淇滨区建业小区");
    assert_eq!(
        (p.district.as_deref(), p.site.as_deref()),
        (Some("淇滨区"), Some("建业小区"))
    );
    let p = county("鹤壁市淇滨区九州路街道办事处华夏社区居委会");
    assert_eq!(p.street.as_deref(), Some("九州路街道"));
    assert_eq!(p.community.as_deref(), Some("华夏社区"));
    assert_eq!(p.nearby, None);
    // The office alone is the office building.
    let p = national("淇滨区天山路街道办事处");
    assert_eq!(p.site.as_deref(), Some("天山路街道办事处"));
    assert_eq!(p.street.as_deref(), Some("天山路街道"));
    assert_eq!(p.road, None);
    assert_eq!(
        national("淇滨区钜桥镇政府").site.as_deref(),
        Some("钜桥镇政府")
    );
}
