//! Field names of each dialect, in one place so the module documentation,
//! the JSON and the files cannot drift apart.

use super::spec::Dialect;

/// Work-order fields in feed order (JSON keys).
pub const HOTLINE_FIELDS_REFERENCE: [&str; 15] = [
    "gdbh", "ldsj", "ldrxm", "lxdh", "sfzh", "sqdz", "sqlx", "sqfl", "sqnr", "cbdw", "zt", "jzsj",
    "bjsj", "myd", "gxsj",
];
pub const HOTLINE_FIELDS_SECOND_CITY: [&str; 15] = [
    "order_no",
    "call_time",
    "caller",
    "phone",
    "id_no",
    "address",
    "req_type",
    "category",
    "content",
    "handler",
    "state",
    "due_time",
    "done_time",
    "rating",
    "update_time",
];
/// Work-order CSV headers, same order.
pub const HOTLINE_CSV_REFERENCE: [&str; 15] = [
    "工单编号",
    "来电时间",
    "来电人",
    "联系电话",
    "身份证号",
    "诉求地址",
    "诉求类型",
    "诉求分类",
    "诉求内容",
    "承办单位",
    "办理状态",
    "办理时限",
    "办结时间",
    "满意度",
    "更新时间",
];
pub const HOTLINE_CSV_SECOND_CITY: [&str; 15] = [
    "单号",
    "受理时间",
    "诉求人",
    "联系方式",
    "证件号码",
    "事发地址",
    "诉求类别",
    "业务分类",
    "诉求描述",
    "责任单位",
    "工单状态",
    "处理期限",
    "完成时间",
    "评价结果",
    "最后更新时间",
];
/// Petition file columns, same order in both dialects.
pub const PETITION_COLUMNS_REFERENCE: [&str; 16] = [
    "xfjbh", "djrq", "xfxs", "xfrs", "xfr", "zz", "wtsd", "nrfl", "xfmd", "zynr", "zrdw", "blzt",
    "sfcf", "sfyj", "bjqx", "bjrq",
];
pub const PETITION_COLUMNS_SECOND_CITY: [&str; 16] = [
    "信访编号",
    "登记日期",
    "信访方式",
    "人数",
    "信访人信息",
    "住址",
    "问题属地",
    "问题分类",
    "诉求目的",
    "信访内容",
    "责任单位",
    "办理状态",
    "是否重复",
    "是否越级",
    "办结期限",
    "办结日期",
];
/// Alarm fields (the same in both dialects).
pub const ALARM_FIELDS: [&str; 14] = [
    "jjdbh", "bjsj", "bjrxm", "bjdh", "bjrzjhm", "afdd", "jd", "wd", "jqlb", "jqxl", "jyaq",
    "cjdw", "cjjg", "cjsj",
];

pub(super) fn hotline_fields(d: Dialect) -> &'static [&'static str; 15] {
    match d {
        Dialect::Reference => &HOTLINE_FIELDS_REFERENCE,
        Dialect::SecondCity => &HOTLINE_FIELDS_SECOND_CITY,
    }
}

pub(super) fn hotline_csv_headers(d: Dialect) -> &'static [&'static str; 15] {
    match d {
        Dialect::Reference => &HOTLINE_CSV_REFERENCE,
        Dialect::SecondCity => &HOTLINE_CSV_SECOND_CITY,
    }
}

pub(super) fn petition_columns(d: Dialect) -> &'static [&'static str; 16] {
    match d {
        Dialect::Reference => &PETITION_COLUMNS_REFERENCE,
        Dialect::SecondCity => &PETITION_COLUMNS_SECOND_CITY,
    }
}
