//! The common category taxonomy (统一事项分类). Every feed's raw categories map onto these
//! paths in its connector file, so counts by category mean the same across 12345, 110 and 信访.
//! A connector file that maps onto a path not listed here is refused when it is loaded.

/// (top level, second levels). A path is `top` or `top>second`.
pub const TAXONOMY: &[(&str, &[&str])] = &[
    (
        "矛盾纠纷",
        &[
            "家庭纠纷",
            "邻里纠纷",
            "婚恋纠纷",
            "物业纠纷",
            "劳资纠纷",
            "土地纠纷",
            "医疗纠纷",
            "债务纠纷",
            "其他纠纷",
        ],
    ),
    (
        "治安",
        &["打架斗殴", "噪音扰民", "涉赌", "扰乱秩序", "其他治安"],
    ),
    ("刑事", &["盗窃", "诈骗", "其他刑事"]),
    ("交通", &["交通事故", "交通秩序", "道路设施"]),
    ("消防", &["火灾", "消防隐患"]),
    ("求助", &["走失求助", "开锁求助", "其他求助"]),
    ("劳动社保", &["拖欠工资", "社会保险", "劳动关系"]),
    (
        "城乡建设",
        &[
            "物业管理",
            "征地拆迁",
            "房屋产权",
            "住房保障",
            "供水供暖",
            "市政设施",
            "规划建设",
            "违章建筑",
        ],
    ),
    ("城市管理", &["市容环境", "占道经营"]),
    ("环境保护", &["噪声污染", "大气污染", "水污染", "垃圾处理"]),
    ("市场监管", &["食品安全", "消费维权", "价格"]),
    ("涉法涉诉", &[]),
    ("纪检监察", &[]),
    ("教育", &[]),
    ("卫生健康", &["医疗服务"]),
    ("农业农村", &["土地承包", "惠农补贴"]),
    ("民政", &["低保救助", "养老服务"]),
    ("其他", &[]),
];

/// Whether `path` (levels joined by `>`) is a node of the taxonomy.
pub fn is_known(path: &str) -> bool {
    let mut levels = path.split('>');
    let top = levels.next().unwrap_or_default();
    let second = levels.next();
    if levels.next().is_some() {
        return false;
    }
    TAXONOMY
        .iter()
        .any(|(t, subs)| *t == top && second.is_none_or(|s| subs.contains(&s)))
}

#[cfg(test)]
mod tests {
    use super::is_known;

    #[test]
    fn known_paths() {
        assert!(is_known("矛盾纠纷"));
        assert!(is_known("矛盾纠纷>家庭纠纷"));
        assert!(!is_known("矛盾纠纷>火灾"));
        assert!(!is_known("矛盾纠纷>家庭纠纷>x"));
        assert!(!is_known("纠纷"));
    }
}
