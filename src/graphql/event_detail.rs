//! What only one source records, typed: the hotline work order, the 110
//! alarm, the petition. Read from the event's `detail` fields, whose names
//! are the canonical ones every connector file maps to.

use async_graphql::{SimpleObject, Union};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::domain::{Satisfaction, Source};

/// 来源特有信息 The part of an event only its own system records.
#[derive(Union)]
pub enum EventDetail {
    WorkOrder(WorkOrderDetail),
    Alarm(AlarmDetail),
    Petition(PetitionDetail),
}

/// 12345工单 Hotline work-order specifics.
#[derive(SimpleObject)]
pub struct WorkOrderDetail {
    /// 诉求类型 Request type: 投诉 举报 求助 咨询 建议 表扬.
    pub request_type: Option<String>,
    /// 满意度 Caller satisfaction after handling.
    pub satisfaction: Option<Satisfaction>,
}

/// 110警情 Police alarm specifics.
#[derive(SimpleObject)]
pub struct AlarmDetail {
    /// 警情类别代码 Category code (jqlb.dm).
    pub category_code: Option<String>,
    /// 处警结果 Outcome: 已调解 已处置 已立案 移交 无效警情; null while open.
    pub outcome: Option<String>,
    /// 处警时间 When police were dispatched.
    pub dispatched_at: Option<DateTime<Utc>>,
    /// 经度 WGS-84 longitude of the call.
    pub longitude: Option<f64>,
    /// 纬度 WGS-84 latitude of the call.
    pub latitude: Option<f64>,
}

/// 信访件 Petition specifics.
#[derive(SimpleObject)]
pub struct PetitionDetail {
    /// 信访形式 Channel: 来信 来访 网上信访 电话.
    pub channel: Option<String>,
    /// 信访目的 Purpose: 申诉 求决 建议 揭发控告.
    pub purpose: Option<String>,
    /// 信访人数 Number of petitioners; 5 or more is a collective petition (集体访).
    pub petitioners: Option<i64>,
    /// 集体访 Five or more petitioners.
    pub collective: bool,
    /// 重复访 The petitioner came about this before (是否重复信访).
    pub repeat: Option<bool>,
    /// 越级访 Skipped a level of government (是否越级).
    pub skipped_level: Option<bool>,
}

/// The core fields a detail needs besides the JSON.
pub struct Core<'a> {
    pub source: Source,
    pub event_type: Option<&'a str>,
    pub satisfaction: Option<&'a str>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub petitioners: Option<i64>,
}

pub fn event_detail(core: Core<'_>, detail: &str) -> EventDetail {
    let v: Value = serde_json::from_str(detail).unwrap_or_default();
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let yes_no = |k: &str| match v.get(k).and_then(Value::as_str) {
        Some("是" | "Y" | "y" | "1" | "true") => Some(true),
        Some("否" | "N" | "n" | "0" | "false") => Some(false),
        _ => None,
    };
    match core.source {
        Source::Hotline => EventDetail::WorkOrder(WorkOrderDetail {
            request_type: core.event_type.map(str::to_string),
            satisfaction: core.satisfaction.and_then(|s| s.parse().ok()),
        }),
        Source::Alarm => EventDetail::Alarm(AlarmDetail {
            category_code: text("category_code"),
            outcome: text("outcome"),
            dispatched_at: text("dispatched_at")
                .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&Utc)),
            longitude: core.longitude,
            latitude: core.latitude,
        }),
        Source::Petition => EventDetail::Petition(PetitionDetail {
            channel: text("channel"),
            purpose: text("purpose"),
            petitioners: core.petitioners,
            collective: core.petitioners.is_some_and(|n| n >= 5),
            repeat: yes_no("repeat"),
            skipped_level: yes_no("skipped_level"),
        }),
    }
}
