//! End-to-end tests of the levels below the divisions: one building written
//! many ways, door numbers, villages, the informal 110 forms, roads and
//! crossings, and that a canonical text parses back to the same path.

use super::tests_divisions::{county, national};
use super::{AddressLevel, AddressPath};

fn lower(p: &AddressPath) -> (Option<&str>, Option<u32>, Option<u32>, Option<u32>) {
    (p.site.as_deref(), p.building, p.unit, p.room)
}

#[test]
fn one_building_written_many_ways() {
    let want = (Some("建业小区"), Some(3), Some(2), Some(501));
    for text in [
        "河南省鹤壁市淇滨区建业小区3号楼2单元501",
        "淇滨区 建业小区三号楼二单元501室",
        "鹤壁淇滨建业小区3栋2-501",
        "建业小区３幢２单元５楼５０１室",
        "鹤壁市淇滨区九州路街道华夏社区建业小区3#楼2单元501号",
        "建业小区三楼2单元501",
        "建业小区3-2-501",
        "建业小区3#2单元501",
        "建业小区 三号楼 二单元 五零一",
        "建业小区第3栋2单元501室",
    ] {
        let p = national(text);
        assert_eq!(lower(&p), want, "{text}");
        assert_eq!(p.level(), AddressLevel::Room, "{text}");
        assert_eq!(p.nearby, None, "{text}");
    }
}

#[test]
fn one_door_written_several_ways() {
    for text in [
        "华夏南路108号",
        "华夏南路108号院",
        "淇滨区华夏南路一百零八号",
        "华夏南路 108",
    ] {
        let p = national(text);
        assert_eq!(
            (p.road.as_deref(), p.number),
            (Some("华夏南路"), Some(108)),
            "{text}"
        );
        assert_eq!((p.site.as_deref(), p.building), (None, None), "{text}");
        assert_eq!(p.level(), AddressLevel::Site, "{text}");
    }
    let p = national("华夏南路108号建业小区3号楼2单元501");
    assert_eq!((p.road.as_deref(), p.number), (Some("华夏南路"), Some(108)));
    assert_eq!(lower(&p), (Some("建业小区"), Some(3), Some(2), Some(501)));
}

#[test]
fn floors_are_not_buildings_after_a_unit() {
    let p = national("建业小区3号楼2单元5楼501室");
    assert_eq!(lower(&p), (Some("建业小区"), Some(3), Some(2), Some(501)));
    let p = national("建业小区3号楼5层");
    assert_eq!(lower(&p), (Some("建业小区"), Some(3), None, None));
    // 三楼 right after the site is the building.
    assert_eq!(national("建业小区三楼").building, Some(3));
}

#[test]
fn room_without_unit_and_partial_tails() {
    assert_eq!(
        lower(&national("建业小区3号楼501室")),
        (Some("建业小区"), Some(3), None, Some(501))
    );
    assert_eq!(
        lower(&national("建业小区3号楼501")),
        (Some("建业小区"), Some(3), None, Some(501))
    );
    let p = national("建业小区3号楼2单元");
    assert_eq!(lower(&p), (Some("建业小区"), Some(3), Some(2), None));
    assert_eq!(p.level(), AddressLevel::Building);
    assert_eq!(national("建业小区十二号楼").building, Some(12));
}

#[test]
fn compounds_yards_and_landmarks() {
    for (text, site) in [
        ("鹤煤三矿家属院", "鹤煤三矿家属院"),
        ("建业城市花园3号楼", "建业城市花园"),
        ("建业小区二期3号楼", "建业小区2期"),
        ("建业小区北区3号楼", "建业小区北区"),
        ("建设新村3号楼", "建设新村"),
        ("森林半岛3号楼", "森林半岛"),
        ("建业壹号城邦3号楼", "建业壹号城邦"),
        ("红旗街小区", "红旗街小区"),
        ("九州路小学", "九州路小学"),
        ("九州路农贸市场", "九州路农贸市场"),
        ("鹤壁东站", "鹤壁东站"),
    ] {
        assert_eq!(national(text).site.as_deref(), Some(site), "{text}");
        assert_eq!(national(text).road, None, "{text}");
    }
    for (text, site, district) in [
        ("鹤壁市人民医院", "鹤壁市人民医院", None),
        ("淇滨区实验小学", "淇滨区实验小学", Some("淇滨区")),
        ("淇滨区政务服务中心", "淇滨区政务服务中心", Some("淇滨区")),
        (
            "河南省鹤壁市淇滨区人民医院",
            "淇滨区人民医院",
            Some("淇滨区"),
        ),
        ("鹤壁市妇幼保健院", "鹤壁市妇幼保健院", None),
        ("鹤壁市中山公园", "鹤壁市中山公园", None),
        ("鹤壁市鹤壁东站", "鹤壁东站", None),
        ("淇滨区汽车站", "淇滨区汽车站", Some("淇滨区")),
    ] {
        let p = national(text);
        assert_eq!(p.site.as_deref(), Some(site), "{text}");
        assert_eq!(p.district.as_deref(), district, "{text}");
        assert_eq!(p.city.as_deref(), Some("鹤壁市"), "{text}");
        assert_eq!(p.level(), AddressLevel::Site);
    }
    assert_eq!(
        national("鹤壁市人民医院").canonical(),
        "河南省鹤壁市人民医院"
    );
}

#[test]
fn villages_groups_and_houses() {
    let p = county("刘庄村18号");
    assert_eq!(
        (p.community.as_deref(), p.building, p.group),
        (Some("刘庄村"), Some(18), None)
    );
    assert_eq!(p.street.as_deref(), Some("钜桥镇"));
    assert_eq!(p.level(), AddressLevel::Building);
    for text in [
        "刘庄村3组18号",
        "刘庄村三组十八号",
        "淇滨区钜桥镇刘庄村第三组18号",
    ] {
        let p = county(text);
        assert_eq!(
            (p.community.as_deref(), p.group, p.building),
            (Some("刘庄村"), Some(3), Some(18)),
            "{text}"
        );
    }
    let p = county("刘庄村三组");
    assert_eq!(
        (p.group, p.building, p.level()),
        (Some(3), None, AddressLevel::Site)
    );
    assert_eq!(p.canonical(), "河南省鹤壁市淇滨区钜桥镇刘庄村3组");
    // A village the county list lacks is still a village, by its suffix.
    let p = national("大河涧乡李家村5组");
    assert_eq!(p.street.as_deref(), Some("大河涧乡"));
    assert_eq!((p.community.as_deref(), p.group), (Some("李家村"), Some(5)));
}

#[test]
fn committee_forms_name_the_community() {
    for text in ["刘庄村村委会门口", "刘庄村委会门口", "刘庄村民委员会门口"]
    {
        for p in [county(text), national(text)] {
            assert_eq!(p.community.as_deref(), Some("刘庄村"), "{text}");
            assert_eq!(p.nearby.as_deref(), Some("门口"), "{text}");
            assert_eq!(p.level(), AddressLevel::Community, "{text}");
        }
    }
    let p = county("华夏居委会");
    assert_eq!(p.community.as_deref(), Some("华夏社区"));
    assert_eq!(p.street.as_deref(), Some("九州路街道"));
    assert_eq!(
        county("华夏社区居委会").community.as_deref(),
        Some("华夏社区")
    );
}

#[test]
fn informal_places_strip_the_vague_part() {
    for (text, nearby) in [
        ("建业小区门口", "门口"),
        ("建业小区北门", "北门"),
        ("建业小区对面", "对面"),
        ("建业小区东50米", "东50米"),
    ] {
        let p = national(text);
        assert_eq!(lower(&p), (Some("建业小区"), None, None, None), "{text}");
        assert_eq!(p.nearby.as_deref(), Some(nearby), "{text}");
    }
    let p = national("华夏南路108号院门口");
    assert_eq!(
        (p.road.as_deref(), p.number, p.nearby.as_deref()),
        (Some("华夏南路"), Some(108), Some("门口"))
    );
    for (text, nearby) in [("建业小区3号楼楼下", "楼下"), ("建业小区3号楼楼道", "楼道")]
    {
        let p = national(text);
        assert_eq!(lower(&p), (Some("建业小区"), Some(3), None, None), "{text}");
        assert_eq!(p.nearby.as_deref(), Some(nearby));
    }
}

#[test]
fn community_facilities_are_vague_relations() {
    for (text, nearby) in [
        ("华夏社区服务中心", "服务中心"),
        ("华夏社区办公室门口", "办公室门口"),
        ("华夏社区广场", "广场"),
    ] {
        for p in [county(text), national(text)] {
            assert_eq!(p.community.as_deref(), Some("华夏社区"), "{text}");
            assert_eq!(p.site, None, "{text}");
            assert_eq!(p.nearby.as_deref(), Some(nearby), "{text}");
            assert_eq!(p.level(), AddressLevel::Community);
        }
    }
}

#[test]
fn crossings_in_every_form_and_order() {
    let pair = Some(("九州路".to_string(), "华夏南路".to_string()));
    for text in [
        "九州路与华夏南路交叉口",
        "华夏南路与九州路交叉口",
        "九州路华夏南路交叉口",
        "九州路华夏南路十字路口",
        "九州路与华夏南路路口",
        "华夏南路和九州路交汇处",
        "九州路与华夏南路口",
        "淇滨区九州路与华夏南路交叉口",
    ] {
        let p = national(text);
        assert_eq!(p.crossing, pair, "{text}");
        assert_eq!((p.road.clone(), p.nearby.clone()), (None, None), "{text}");
        assert_eq!(p.level(), AddressLevel::Crossing, "{text}");
    }
    let p = national("九州路与华夏南路交叉口东50米");
    assert_eq!(p.crossing, pair);
    assert_eq!(p.nearby.as_deref(), Some("东50米"));
    assert_eq!(p.level(), AddressLevel::Crossing);
    assert_eq!(p.canonical(), "九州路与华夏南路交叉口");
}

#[test]
fn road_level_places() {
    for (text, nearby) in [
        ("九州路中段", Some("中段")),
        ("九州路路边", Some("路边")),
        ("九州路上", Some("上")),
        ("九州路辅路", Some("辅路")),
        ("九州路沿线", Some("沿线")),
        ("九州路一带", Some("一带")),
        ("九州路路北", Some("路北")),
        ("九州路口", Some("口")),
        ("九州路", None),
    ] {
        let p = national(text);
        assert_eq!(p.road.as_deref(), Some("九州路"), "{text}");
        assert_eq!(p.nearby.as_deref(), nearby, "{text}");
        assert_eq!(
            (p.crossing.clone(), p.level()),
            (None, AddressLevel::Road),
            "{text}"
        );
    }
    for road in [
        "红旗街",
        "新华街",
        "兴鹤大街",
        "淇滨大道",
        "鹤山街",
        "黎阳路",
    ] {
        let p = national(road);
        assert_eq!(p.road.as_deref(), Some(road));
        assert_eq!(p.level(), AddressLevel::Road);
    }
}

#[test]
fn never_finer_than_the_text() {
    assert_eq!(national("建业小区").level(), AddressLevel::Site);
    assert_eq!(national("九州路街道").level(), AddressLevel::Street);
    assert_eq!(national("").level(), AddressLevel::Province);
    assert_eq!(national(""), AddressPath::default());
    let p = national("有人在这里打架");
    assert_eq!(p.nearby.as_deref(), Some("有人在这里打架"));
    assert_eq!(p.level(), AddressLevel::Province);
}

#[test]
fn canonical_text_parses_back_to_the_same_path() {
    for text in [
        "鹤壁市淇滨区九州路街道华夏社区建业小区3#楼2单元501号",
        "鹤壁淇滨建业小区3栋2-501",
        "淇滨区实验小学",
        "鹤壁东站",
        "华夏南路108号院",
        "华夏南路108号建业小区3号楼",
        "刘庄村3组18号",
        "刘庄村18号",
        "九州路与华夏南路交叉口东50米",
        "九州路中段",
        "华夏社区服务中心",
        "3号楼2单元501",
        "华夏社区3号楼",
        "鹤壁市淇滨区淇滨区实验小学",
    ] {
        let p = county(text);
        let back = county(&p.canonical());
        assert_eq!(
            back,
            AddressPath {
                nearby: None,
                ..p.clone()
            },
            "{text} → {}",
            p.canonical()
        );
    }
}

#[test]
fn any_text_parses_without_panicking() {
    let pieces = [
        "河南省",
        "鹤壁",
        "淇滨区",
        "九州路街道",
        "华夏社区",
        "刘庄村",
        "村委会",
        "建业小区",
        "九州路",
        "与",
        "华夏南路",
        "交叉口",
        "108号",
        "院",
        "3号楼",
        "三楼",
        "2单元",
        "5楼",
        "501室",
        "2-501",
        "3组",
        "门口",
        "东50米",
        "中段",
        "#",
        "-",
        "号",
        "楼",
        "１２３",
        "  ",
        "😀",
        "x",
        "99999999999号",
        "第",
        "十",
        "街道",
        "社区",
    ];
    for a in pieces {
        for b in pieces {
            let text = format!("{a}{b}{a}");
            let p = national(&text);
            // The finest field set is the level reported.
            if p.room.is_some() {
                assert_eq!(p.level(), AddressLevel::Room, "{text}");
            }
            assert!(p.canonical().len() <= 4 * text.len() + 64, "{text}");
        }
    }
}
