//! The 社会治安形势分析报告 as data: what every format renders. Field names
//! are the JSON keys; `sections` names each table for CSV and XLSX.

use serde::Serialize;

use super::period::Period;

#[derive(Clone, Debug, Serialize)]
pub struct SituationReport {
    pub title: String,
    pub period: Period,
    pub first_day: String,
    pub last_day: String,
    /// Local time the counts were taken at (the end of the period).
    pub as_of: String,
    pub generated_at: String,
    pub headline: Vec<Headline>,
    pub trend: Vec<TrendDay>,
    pub areas: Vec<Breakdown>,
    pub categories: Vec<Breakdown>,
    pub hotspots: Vec<HotspotRow>,
    pub escalations: Vec<EscalationRow>,
    pub collective_petitions: Vec<CollectivePetitionRow>,
    pub clusters: Vec<ClusterRow>,
    pub overdue_by_unit: Vec<OverdueByUnit>,
    pub overdue: Vec<OverdueRow>,
    pub sources: Vec<IndicatorRow>,
    pub units: Vec<IndicatorRow>,
    pub hot_words: Vec<HotWordRow>,
    pub key_persons: Vec<KeyPersonRow>,
    /// What the figures do not cover (no data a year back, ...).
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Headline {
    /// 12345热线 / 110警情 / 信访 / 合计.
    pub name: String,
    pub count: i64,
    pub previous: i64,
    /// Change against the previous period, percent; None when it had none.
    pub change_pct: Option<f64>,
    /// None when the data does not reach a year back.
    pub year_before: Option<i64>,
    pub year_change_pct: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TrendDay {
    pub day: String,
    pub hotline: u32,
    pub alarm: u32,
    pub petition: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Breakdown {
    pub name: String,
    pub count: u32,
    pub previous: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct HotspotRow {
    pub level: String,
    pub place: String,
    pub count: u32,
    pub baseline: f64,
    pub p_value: f64,
    /// Source record ids, newest first (at most ten).
    pub records: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EscalationRow {
    pub risk: String,
    pub score: f64,
    pub theme: String,
    pub persons: Vec<String>,
    pub household: Option<String>,
    /// "12345 2026-11-03 GD…" per step, oldest first.
    pub steps: Vec<String>,
    pub related_events: usize,
    pub open_steps: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct CollectivePetitionRow {
    pub record: String,
    pub day: String,
    pub petitioners: i64,
    pub category: String,
    pub place: Option<String>,
    pub status: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ClusterRow {
    pub theme: String,
    pub place: String,
    pub persons: usize,
    pub sources: Vec<String>,
    pub events: usize,
    pub first_day: String,
    pub last_day: String,
    pub records: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct OverdueByUnit {
    pub unit: String,
    pub overdue: usize,
    pub longest_hours: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct OverdueRow {
    pub unit: String,
    pub source: String,
    pub record: String,
    pub category: String,
    pub deadline: String,
    pub hours_over: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct IndicatorRow {
    pub name: String,
    pub received: u32,
    pub response_rate: Option<f64>,
    pub closure_rate: Option<f64>,
    pub resolution_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub on_time_rate: Option<f64>,
    pub mean_handling_hours: Option<f64>,
    pub reopened: u32,
    pub overdue: u32,
    pub soon_due: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct HotWordRow {
    /// 全县 or a street office.
    pub area: String,
    pub word: String,
    pub count: u32,
    pub previous: u32,
    pub rise: f64,
    pub rising: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct KeyPersonRow {
    pub person: String,
    pub name: String,
    pub events: usize,
    pub sources: Vec<String>,
    pub reasons: Vec<String>,
}

/// A report section as a table: title, header, rows of cells.
pub struct Table {
    pub key: &'static str,
    pub title: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Num(f64),
    /// A share, 0–1, shown as percent.
    Pct(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}
impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Int(n as i64)
    }
}
impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}
impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Int(n as i64)
    }
}

fn pct(v: Option<f64>) -> Cell {
    v.map(Cell::Pct).unwrap_or(Cell::Empty)
}
fn num(v: Option<f64>) -> Cell {
    v.map(|x| Cell::Num((x * 10.0).round() / 10.0))
        .unwrap_or(Cell::Empty)
}
fn opt_text(v: &Option<String>) -> Cell {
    v.clone().map(Cell::Text).unwrap_or(Cell::Empty)
}

fn indicator_rows(rows: &[IndicatorRow]) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|r| {
            vec![
                r.name.clone().into(),
                r.received.into(),
                pct(r.response_rate),
                pct(r.closure_rate),
                pct(r.resolution_rate),
                pct(r.satisfaction_rate),
                pct(r.on_time_rate),
                num(r.mean_handling_hours),
                r.reopened.into(),
                r.overdue.into(),
                r.soon_due.into(),
            ]
        })
        .collect()
}

const INDICATOR_HEADER: [&str; 11] = [
    "名称",
    "受理量",
    "响应率",
    "办结率",
    "解决率",
    "满意率",
    "按期办结率",
    "平均办理时长(小时)",
    "重启件",
    "超期件",
    "临期件",
];

impl SituationReport {
    /// Every section as a table, in report order.
    pub fn tables(&self) -> Vec<Table> {
        vec![
            Table {
                key: "headline",
                title: "总体情况",
                header: vec!["类别", "本期", "上期", "环比%", "去年同期", "同比%"],
                rows: self
                    .headline
                    .iter()
                    .map(|h| {
                        vec![
                            h.name.clone().into(),
                            h.count.into(),
                            h.previous.into(),
                            num(h.change_pct),
                            h.year_before.map(Cell::Int).unwrap_or(Cell::Empty),
                            num(h.year_change_pct),
                        ]
                    })
                    .collect(),
            },
            Table {
                key: "trend",
                title: "每日走势",
                header: vec!["日期", "12345热线", "110警情", "信访"],
                rows: self
                    .trend
                    .iter()
                    .map(|t| {
                        vec![
                            t.day.clone().into(),
                            t.hotline.into(),
                            t.alarm.into(),
                            t.petition.into(),
                        ]
                    })
                    .collect(),
            },
            breakdown_table("areas", "分区域（街道）", "街道", &self.areas),
            breakdown_table("categories", "分类别", "类别", &self.categories),
            Table {
                key: "hotspots",
                title: "热点地区",
                header: vec!["层级", "地点", "近7日事件", "基线(周均)", "P值", "相关事件"],
                rows: self
                    .hotspots
                    .iter()
                    .map(|h| {
                        vec![
                            h.level.clone().into(),
                            h.place.clone().into(),
                            h.count.into(),
                            Cell::Num((h.baseline * 10.0).round() / 10.0),
                            Cell::Text(format!("{:.1e}", h.p_value)),
                            h.records.join(" ").into(),
                        ]
                    })
                    .collect(),
            },
            Table {
                key: "escalations",
                title: "矛盾升级预警（民转刑）",
                header: vec![
                    "风险",
                    "分值",
                    "纠纷类型",
                    "当事人",
                    "住址",
                    "升级过程",
                    "相关事件",
                    "未办结环节",
                ],
                rows: self
                    .escalations
                    .iter()
                    .map(|e| {
                        vec![
                            e.risk.clone().into(),
                            Cell::Num(e.score),
                            e.theme.clone().into(),
                            e.persons.join("、").into(),
                            opt_text(&e.household),
                            e.steps.join(" → ").into(),
                            e.related_events.into(),
                            e.open_steps.into(),
                        ]
                    })
                    .collect(),
            },
            Table {
                key: "collective_petitions",
                title: "集体访",
                header: vec![
                    "信访件编号",
                    "登记日期",
                    "信访人数",
                    "内容分类",
                    "问题属地",
                    "办理状态",
                ],
                rows: self
                    .collective_petitions
                    .iter()
                    .map(|c| {
                        vec![
                            c.record.clone().into(),
                            c.day.clone().into(),
                            c.petitioners.into(),
                            c.category.clone().into(),
                            opt_text(&c.place),
                            c.status.clone().into(),
                        ]
                    })
                    .collect(),
            },
            Table {
                key: "clusters",
                title: "群体性诉求",
                header: vec![
                    "诉求类型",
                    "地点",
                    "人数",
                    "来源",
                    "事件数",
                    "始于",
                    "止于",
                    "相关事件",
                ],
                rows: self
                    .clusters
                    .iter()
                    .map(|c| {
                        vec![
                            c.theme.clone().into(),
                            c.place.clone().into(),
                            c.persons.into(),
                            c.sources.join("、").into(),
                            c.events.into(),
                            c.first_day.clone().into(),
                            c.last_day.clone().into(),
                            c.records.join(" ").into(),
                        ]
                    })
                    .collect(),
            },
            Table {
                key: "overdue_by_unit",
                title: "超期件（按单位）",
                header: vec!["单位", "超期件数", "最长超期(小时)"],
                rows: self
                    .overdue_by_unit
                    .iter()
                    .map(|o| {
                        vec![
                            o.unit.clone().into(),
                            o.overdue.into(),
                            o.longest_hours.into(),
                        ]
                    })
                    .collect(),
            },
            Table {
                key: "overdue",
                title: "超期件清单",
                header: vec!["单位", "来源", "编号", "类别", "期限", "超期(小时)"],
                rows: self
                    .overdue
                    .iter()
                    .map(|o| {
                        vec![
                            o.unit.clone().into(),
                            o.source.clone().into(),
                            o.record.clone().into(),
                            o.category.clone().into(),
                            o.deadline.clone().into(),
                            o.hours_over.into(),
                        ]
                    })
                    .collect(),
            },
            Table {
                key: "sources",
                title: "三零指标（分来源）",
                header: INDICATOR_HEADER.to_vec(),
                rows: indicator_rows(&self.sources),
            },
            Table {
                key: "units",
                title: "承办单位考核排名",
                header: INDICATOR_HEADER.to_vec(),
                rows: indicator_rows(&self.units),
            },
            Table {
                key: "hot_words",
                title: "热词",
                header: vec!["区域", "词", "本期", "上期", "升幅", "上升"],
                rows: self
                    .hot_words
                    .iter()
                    .map(|w| {
                        vec![
                            w.area.clone().into(),
                            w.word.clone().into(),
                            w.count.into(),
                            w.previous.into(),
                            Cell::Num((w.rise * 10.0).round() / 10.0),
                            if w.rising { "是" } else { "" }.into(),
                        ]
                    })
                    .collect(),
            },
            Table {
                key: "key_persons",
                title: "重点人员",
                header: vec!["人员编号", "姓名", "事件数", "涉及系统", "列管原因"],
                rows: self
                    .key_persons
                    .iter()
                    .map(|k| {
                        vec![
                            k.person.clone().into(),
                            k.name.clone().into(),
                            k.events.into(),
                            k.sources.join("、").into(),
                            k.reasons.join("；").into(),
                        ]
                    })
                    .collect(),
            },
        ]
    }
}

fn breakdown_table(
    key: &'static str,
    title: &'static str,
    what: &'static str,
    rows: &[Breakdown],
) -> Table {
    Table {
        key,
        title,
        header: vec![what, "本期", "上期"],
        rows: rows
            .iter()
            .map(|b| vec![b.name.clone().into(), b.count.into(), b.previous.into()])
            .collect(),
    }
}
