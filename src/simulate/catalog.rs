//! What people call, report and petition about: categories with their
//! codes, where such things happen, who handles them, and text templates.
//! `{p}` in a template is replaced by a short name of the place, `{n}` by a
//! small number.

/// Where an event of a category takes place, relative to the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Where {
    /// The person's home (room or village house).
    Home,
    /// The person's compound or building.
    HomeSite,
    /// Any compound or yard in the city.
    AnySite,
    /// A landmark whose name contains the given text (医院, 学校, 工地, 市场).
    Landmark(&'static str),
    Crossing,
    Road,
    /// A village (community level), the person's own when rural.
    Village,
}

pub(super) struct HotlineCategory {
    pub(super) sqlx: &'static str,
    pub(super) sqfl: &'static str,
    pub(super) weight: u32,
    pub(super) place: Where,
    /// A department; None means the street office of the place.
    pub(super) unit: Option<&'static str>,
    pub(super) deadline_days: u32,
    pub(super) texts: &'static [&'static str],
}

pub(super) const HOTLINE: &[HotlineCategory] = &[
    HotlineCategory {
        sqlx: "投诉",
        sqfl: "城乡建设>物业管理>物业服务",
        weight: 14,
        place: Where::Home,
        unit: None,
        deadline_days: 10,
        texts: &[
            "来电人反映{p}物业公司服务差，楼道卫生长期无人打扫，垃圾{n}天未清运，要求物业整改。",
            "来电人称{p}物业私自上调物业费，未经业主大会同意，请求相关部门核查。",
        ],
    },
    HotlineCategory {
        sqlx: "求助",
        sqfl: "城乡建设>物业管理>电梯故障",
        weight: 6,
        place: Where::HomeSite,
        unit: None,
        deadline_days: 3,
        texts: &["{p}电梯故障已停运{n}天，家中有老人上下楼困难，请求尽快维修。"],
    },
    HotlineCategory {
        sqlx: "求助",
        sqfl: "城乡建设>供水>停水",
        weight: 6,
        place: Where::HomeSite,
        unit: Some("鹤壁市供水有限公司"),
        deadline_days: 2,
        texts: &[
            "{p}自昨晚起停水，未收到任何通知，请求尽快恢复供水。",
            "{p}水压过低，{n}楼以上用不上水。",
        ],
    },
    HotlineCategory {
        sqlx: "投诉",
        sqfl: "城乡建设>供暖>暖气不热",
        weight: 8,
        place: Where::Home,
        unit: Some("鹤壁市热力有限公司"),
        deadline_days: 3,
        texts: &["来电人家中暖气不热，室温仅{n}度，已缴纳取暖费，请求热力公司上门检修。"],
    },
    HotlineCategory {
        sqlx: "投诉",
        sqfl: "环境保护>噪声污染>施工噪声",
        weight: 5,
        place: Where::Landmark("工地"),
        unit: Some("鹤壁市生态环境局淇滨分局"),
        deadline_days: 5,
        texts: &["{p}夜间施工噪音扰民，持续到凌晨{n}点，严重影响周边居民休息。"],
    },
    HotlineCategory {
        sqlx: "投诉",
        sqfl: "环境保护>大气污染>餐饮油烟",
        weight: 4,
        place: Where::HomeSite,
        unit: Some("鹤壁市生态环境局淇滨分局"),
        deadline_days: 10,
        texts: &["{p}楼下饭店油烟直排，家中无法开窗，请求环保部门处理。"],
    },
    HotlineCategory {
        sqlx: "投诉",
        sqfl: "劳动社保>工资福利>拖欠工资",
        weight: 6,
        place: Where::Landmark("工地"),
        unit: Some("鹤壁市人力资源和社会保障局"),
        deadline_days: 10,
        texts: &["来电人称在{p}务工，被拖欠工资{n}千元，多次讨要未果，请求帮助。"],
    },
    HotlineCategory {
        sqlx: "举报",
        sqfl: "市场监管>食品安全>过期食品",
        weight: 3,
        place: Where::AnySite,
        unit: Some("淇滨区市场监督管理局"),
        deadline_days: 10,
        texts: &["来电人在{p}附近超市购买到过期食品，要求查处。"],
    },
    HotlineCategory {
        sqlx: "求助",
        sqfl: "公安政法>社会治安>家庭纠纷",
        weight: 3,
        place: Where::Home,
        unit: None,
        deadline_days: 5,
        texts: &["来电人称与家人发生矛盾，对方多次辱骂、威胁，请求相关部门介入调解。"],
    },
    HotlineCategory {
        sqlx: "投诉",
        sqfl: "公安政法>社会治安>邻里纠纷",
        weight: 6,
        place: Where::Home,
        unit: None,
        deadline_days: 10,
        texts: &[
            "来电人反映楼上住户长期深夜噪音扰民，多次沟通无果，请求协调处理。",
            "来电人反映邻居在楼道堆放杂物，存在消防隐患。",
        ],
    },
    HotlineCategory {
        sqlx: "咨询",
        sqfl: "教育体育>学校管理>收费问题",
        weight: 3,
        place: Where::Landmark("学校"),
        unit: Some("淇滨区教育局"),
        deadline_days: 5,
        texts: &["来电人咨询{p}收取的课后服务费是否合规。"],
    },
    HotlineCategory {
        sqlx: "咨询",
        sqfl: "民政>社会救助>低保申请",
        weight: 4,
        place: Where::Home,
        unit: None,
        deadline_days: 5,
        texts: &["来电人咨询低保申请条件及办理流程，家中{n}口人，收入较低。"],
    },
    HotlineCategory {
        sqlx: "投诉",
        sqfl: "城市管理>市容环境>占道经营",
        weight: 5,
        place: Where::Crossing,
        unit: Some("淇滨区城市管理局"),
        deadline_days: 5,
        texts: &["{p}附近商贩占道经营，影响通行，请求城管部门处理。"],
    },
    HotlineCategory {
        sqlx: "建议",
        sqfl: "城市管理>市政设施>路灯不亮",
        weight: 3,
        place: Where::Road,
        unit: Some("淇滨区城市管理局"),
        deadline_days: 10,
        texts: &["{p}一带路灯不亮已有{n}天，夜间出行不便，建议尽快维修。"],
    },
    HotlineCategory {
        sqlx: "投诉",
        sqfl: "住房保障>房屋产权>办证难",
        weight: 4,
        place: Where::HomeSite,
        unit: Some("鹤壁市自然资源和规划局"),
        deadline_days: 15,
        texts: &["来电人购买{p}商品房已{n}年，至今无法办理不动产权证，请求协调。"],
    },
    HotlineCategory {
        sqlx: "表扬",
        sqfl: "表扬>工作人员>服务热情",
        weight: 1,
        place: Where::Landmark("中心"),
        unit: None,
        deadline_days: 5,
        texts: &["来电人表扬{p}工作人员服务热情，办事效率高。"],
    },
    HotlineCategory {
        sqlx: "投诉",
        sqfl: "交通运输>道路交通>车辆乱停",
        weight: 4,
        place: Where::HomeSite,
        unit: Some("鹤壁市公安局交通管理支队"),
        deadline_days: 5,
        texts: &["{p}门口车辆乱停乱放，消防通道被堵，请求处理。"],
    },
    HotlineCategory {
        sqlx: "投诉",
        sqfl: "卫生健康>医疗服务>服务态度",
        weight: 2,
        place: Where::Landmark("医院"),
        unit: Some("鹤壁市卫生健康委员会"),
        deadline_days: 10,
        texts: &["来电人反映在{p}就诊时医护人员态度差，排队{n}小时无人引导。"],
    },
];

/// Hotline categories that only make sense in a town compound (物业, 电梯,
/// 暖气...): drawn again for villagers.
pub(super) const HOTLINE_URBAN_ONLY: &[usize] = &[0, 1, 3, 5, 14, 16];
pub(super) const ALARM_URBAN_ONLY: &[usize] = &[10];
pub(super) const PETITION_URBAN_ONLY: &[usize] = &[2, 3];

/// Index of the family-dispute category (planted hotline → 110 → petition cases).
pub(super) const HOTLINE_FAMILY: usize = 8;
/// Index of the category repeat callers call about.
pub(super) const HOTLINE_NEIGHBOUR: usize = 9;
/// Categories planted hotspots and collective clusters are about.
pub(super) const HOTLINE_PROPERTY: usize = 0;
pub(super) const HOTLINE_LIFT: usize = 1;
pub(super) const HOTLINE_WATER: usize = 2;
pub(super) const HOTLINE_WAGES: usize = 6;
pub(super) const HOTLINE_CERTIFICATE: usize = 14;

pub(super) struct AlarmCategory {
    pub(super) dm: &'static str,
    pub(super) mc: &'static str,
    pub(super) xl: &'static str,
    pub(super) weight: u32,
    pub(super) place: Where,
    /// The usual outcome; others are drawn around it.
    pub(super) outcome: u8,
    pub(super) texts: &'static [&'static str],
}

/// 处警结果 values; index 0 means "still open" (null).
pub(super) const OUTCOMES: &[&str] = &["", "已调解", "已处置", "已立案", "移交", "无效警情"];

pub(super) const ALARM: &[AlarmCategory] = &[
    AlarmCategory {
        dm: "01",
        mc: "刑事",
        xl: "盗窃",
        weight: 8,
        place: Where::Home,
        outcome: 3,
        texts: &[
            "报警人称家中被盗，丢失现金约{n}千元及首饰若干。",
            "报警人称停放在楼下的电动车被盗。",
        ],
    },
    AlarmCategory {
        dm: "01",
        mc: "刑事",
        xl: "诈骗",
        weight: 6,
        place: Where::Home,
        outcome: 3,
        texts: &[
            "报警人称接到冒充客服的电话，被骗{n}万元。",
            "报警人称网上刷单被骗{n}千元。",
        ],
    },
    AlarmCategory {
        dm: "02",
        mc: "治安",
        xl: "打架斗殴",
        weight: 6,
        place: Where::AnySite,
        outcome: 2,
        texts: &["{p}有人打架，约{n}人，有人受伤。"],
    },
    AlarmCategory {
        dm: "02",
        mc: "治安",
        xl: "噪音扰民",
        weight: 5,
        place: Where::HomeSite,
        outcome: 2,
        texts: &["报警人称{p}有住户深夜大声喧哗，影响休息。"],
    },
    AlarmCategory {
        dm: "03",
        mc: "交通",
        xl: "交通事故",
        weight: 12,
        place: Where::Crossing,
        outcome: 4,
        texts: &[
            "{p}两车相撞，无人员受伤，请求处理。",
            "{p}电动车与轿车发生剐蹭，双方争执。",
        ],
    },
    AlarmCategory {
        dm: "04",
        mc: "纠纷",
        xl: "家庭纠纷",
        weight: 7,
        place: Where::Home,
        outcome: 1,
        texts: &[
            "报警人称与家人发生争吵，对方有动手行为。",
            "报警人称丈夫酒后打人，请求出警。",
        ],
    },
    AlarmCategory {
        dm: "04",
        mc: "纠纷",
        xl: "邻里纠纷",
        weight: 7,
        place: Where::Home,
        outcome: 1,
        texts: &[
            "报警人称与邻居因噪音问题发生纠纷。",
            "报警人称与邻居因停车位发生争执。",
        ],
    },
    AlarmCategory {
        dm: "04",
        mc: "纠纷",
        xl: "劳资纠纷",
        weight: 4,
        place: Where::Landmark("工地"),
        outcome: 1,
        texts: &["报警人称在{p}务工被拖欠工资，与老板发生争执。"],
    },
    AlarmCategory {
        dm: "05",
        mc: "求助",
        xl: "走失求助",
        weight: 3,
        place: Where::AnySite,
        outcome: 2,
        texts: &["报警人称家中老人走失，患有老年痴呆，穿深色外套。"],
    },
    AlarmCategory {
        dm: "05",
        mc: "求助",
        xl: "开锁求助",
        weight: 3,
        place: Where::Home,
        outcome: 2,
        texts: &["报警人称钥匙锁在家中，家中有小孩，请求帮助。"],
    },
    AlarmCategory {
        dm: "06",
        mc: "火灾",
        xl: "火灾",
        weight: 2,
        place: Where::HomeSite,
        outcome: 4,
        texts: &["{p}楼道有烟冒出，疑似起火。"],
    },
    AlarmCategory {
        dm: "07",
        mc: "举报",
        xl: "涉赌举报",
        weight: 2,
        place: Where::AnySite,
        outcome: 2,
        texts: &["举报{p}有人聚众赌博。"],
    },
    AlarmCategory {
        dm: "08",
        mc: "其他",
        xl: "其他",
        weight: 3,
        place: Where::Road,
        outcome: 4,
        texts: &["报警人称{p}有井盖缺失，存在安全隐患。"],
    },
];

pub(super) const ALARM_FAMILY: usize = 5;
pub(super) const ALARM_FIGHT: usize = 2;
pub(super) const ALARM_NOISE: usize = 3;
pub(super) const ALARM_WAGES: usize = 7;

pub(super) struct PetitionCategory {
    pub(super) nrfl: &'static str,
    pub(super) weight: u32,
    /// Where the problem is (wtsd).
    pub(super) place: Where,
    pub(super) unit: Option<&'static str>,
    /// 信访目的 index into PURPOSES.
    pub(super) purpose: u8,
    /// Suits a collective petition.
    pub(super) collective: bool,
    pub(super) texts: &'static [&'static str],
}

pub(super) const PURPOSES: &[&str] = &["申诉", "求决", "建议", "揭发控告"];
pub(super) const CHANNELS: &[(&str, u32)] =
    &[("来信", 15), ("来访", 40), ("网上信访", 35), ("电话", 10)];
/// 办理状态 in order; a re-export moves a case forward.
pub(super) const PETITION_STATUS: &[&str] = &["受理", "交办", "转送", "办理中", "办结", "不予受理"];
pub(super) const PETITION_DONE: u8 = 4;

pub(super) const PETITION: &[PetitionCategory] = &[
    PetitionCategory {
        nrfl: "劳动社保>拖欠工资",
        weight: 10,
        place: Where::Landmark("工地"),
        unit: Some("鹤壁市人力资源和社会保障局"),
        purpose: 1,
        collective: true,
        texts: &["信访人反映在{p}务工期间被拖欠工资共计{n}万元，要求用工单位支付。"],
    },
    PetitionCategory {
        nrfl: "城乡建设>征地拆迁",
        weight: 8,
        place: Where::Village,
        unit: None,
        purpose: 1,
        collective: true,
        texts: &["信访人反映{p}征地补偿款标准过低且未足额发放，要求依法补偿。"],
    },
    PetitionCategory {
        nrfl: "城乡建设>物业管理",
        weight: 8,
        place: Where::HomeSite,
        unit: None,
        purpose: 1,
        collective: true,
        texts: &["信访人反映{p}物业公司服务不到位、乱收费，多次向社区反映未解决。"],
    },
    PetitionCategory {
        nrfl: "住房保障>房屋产权",
        weight: 6,
        place: Where::HomeSite,
        unit: Some("鹤壁市自然资源和规划局"),
        purpose: 1,
        collective: true,
        texts: &["信访人反映购买的{p}商品房逾期{n}年未办理产权证。"],
    },
    PetitionCategory {
        nrfl: "涉法涉诉>民事纠纷",
        weight: 8,
        place: Where::Home,
        unit: Some("淇滨区人民法院"),
        purpose: 0,
        collective: false,
        texts: &["信访人对民事判决不服，认为认定事实错误，要求重新审理。"],
    },
    PetitionCategory {
        nrfl: "婚姻家庭>家庭纠纷",
        weight: 4,
        place: Where::Home,
        unit: None,
        purpose: 1,
        collective: false,
        texts: &["信访人反映遭受家庭暴力，多次报警未能解决，要求有关部门依法处理。"],
    },
    PetitionCategory {
        nrfl: "农村农业>土地承包",
        weight: 5,
        place: Where::Village,
        unit: None,
        purpose: 1,
        collective: false,
        texts: &["信访人反映{p}土地承包合同到期后被村委会收回，要求继续承包。"],
    },
    PetitionCategory {
        nrfl: "民政>社会救助",
        weight: 6,
        place: Where::Home,
        unit: Some("淇滨区民政局"),
        purpose: 1,
        collective: false,
        texts: &["信访人反映家庭困难，家中{n}口人无固定收入，申请低保未获批准。"],
    },
    PetitionCategory {
        nrfl: "卫生健康>医疗纠纷",
        weight: 3,
        place: Where::Landmark("医院"),
        unit: Some("鹤壁市卫生健康委员会"),
        purpose: 3,
        collective: false,
        texts: &["信访人反映家属在{p}治疗期间发生医疗事故，要求追责赔偿。"],
    },
    PetitionCategory {
        nrfl: "纪检监察>干部作风",
        weight: 3,
        place: Where::Village,
        unit: Some("淇滨区纪委监委"),
        purpose: 3,
        collective: false,
        texts: &["信访人举报{p}村干部优亲厚友，违规分配补助。"],
    },
    PetitionCategory {
        nrfl: "城乡建设>规划建设",
        weight: 3,
        place: Where::AnySite,
        unit: Some("鹤壁市自然资源和规划局"),
        purpose: 2,
        collective: false,
        texts: &["信访人建议在{p}周边增设停车场，缓解停车难。"],
    },
];

pub(super) const PETITION_FAMILY: usize = 5;
pub(super) const PETITION_WAGES: usize = 0;
pub(super) const PETITION_PROPERTY: usize = 2;
pub(super) const PETITION_CERTIFICATE: usize = 3;

/// 工单状态 in order.
pub(super) const ORDER_STATUS: &[&str] =
    &["待受理", "已派单", "办理中", "已办结", "已回访", "已关闭"];
pub(super) const ORDER_DONE: u8 = 3;
pub(super) const ORDER_VISITED: u8 = 4;
pub(super) const ORDER_CLOSED: u8 = 5;
/// 满意度; index 0 means not yet rated (empty while open).
pub(super) const RATINGS: &[&str] = &["", "满意", "基本满意", "不满意", "未评价"];

/// Fills `{p}` and `{n}` in a template.
pub(super) fn fill(template: &str, place: &str, n: u32) -> String {
    template
        .replace("{p}", place)
        .replace("{n}", &n.to_string())
}
