//! The objects situation queries answer with: repeat contacts, escalation
//! chains, hotspots, collective clusters, indicators and hot words, each
//! leading on to its persons, places and events through the loaders.

use async_graphql::{ComplexObject, Context, Enum, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::ApiContext;
use super::addresses::Address;
use super::events::{Event, events_among};
use super::loaders::{PersonKey, PlaceKey};
use super::persons::Person;
use crate::analysis::escalation::Risk;
use crate::analysis::frame::Level;
use crate::domain::Source;
use crate::store::EventFilter as StoreFilter;

/// 重复类型 Which repeat contacts to list.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum RepeatContactKind {
    /// 多次诉求 `minEvents` or more events of any system in the window.
    Any,
    /// 重复访 Two or more petitions in the window, or one flagged 重复信访.
    RepeatPetition,
    /// 越级访 A petition flagged 越级.
    SkippedLevel,
}

/// 风险等级 Risk level of an escalation chain.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum RiskLevel {
    /// 低 Low: score under 45.
    Low,
    /// 中 Medium: score 45 to 70.
    Medium,
    /// 高 High: score 70 or more.
    High,
}

impl From<Risk> for RiskLevel {
    fn from(r: Risk) -> Self {
        match r {
            Risk::Low => RiskLevel::Low,
            Risk::Medium => RiskLevel::Medium,
            Risk::High => RiskLevel::High,
        }
    }
}

/// 热点层级 The level of place hotspots are counted at.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum HotspotLevel {
    /// 街道 Street office or township.
    Street,
    /// 社区 Community or village.
    Community,
    /// 小区 Compound, village group or road number.
    Site,
    /// 楼栋 Building.
    Building,
}

impl HotspotLevel {
    pub(super) fn level(self) -> Level {
        match self {
            HotspotLevel::Street => Level::Street,
            HotspotLevel::Community => Level::Community,
            HotspotLevel::Site => Level::Site,
            HotspotLevel::Building => Level::Building,
        }
    }
}

/// 指标分组 What work-discipline indicators are grouped by.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum IndicatorGroup {
    /// 承办单位 Handling unit: the league table.
    Unit,
    /// 来源 Source system.
    Source,
    /// 合计 Everything together.
    All,
}

/// 报告周期 Period of a situation report.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReportPeriod {
    /// 日报 The day of `date`.
    Daily,
    /// 周报 The Monday-to-Sunday week holding `date`.
    Weekly,
    /// 月报 The calendar month holding `date`.
    Monthly,
}

/// 重复诉求人 A person with many events in the window.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct RepeatContact {
    #[graphql(skip)]
    pub(super) person_id: i64,
    #[graphql(skip)]
    pub(super) event_ids: Vec<i64>,
    /// 事件数 Events of the person in the window.
    pub event_count: i32,
    /// 来源 Systems the person appears in within the window.
    pub sources: Vec<Source>,
    /// 信访件数 Petitions in the window.
    pub petitions: i32,
    /// 重复访 Petitions flagged as repeat petitions.
    pub repeat_petitions: i32,
    /// 越级访 Petitions flagged as skipping a level.
    pub skipped_level: i32,
    /// 首次 First event in the window.
    pub first: DateTime<Utc>,
    /// 最近 Latest event in the window.
    pub last: DateTime<Utc>,
}

#[ComplexObject]
impl RepeatContact {
    /// 人员 The person.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        person(ctx, self.person_id).await
    }

    /// 事件 The events, newest first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 200))] first: i32,
    ) -> Result<Vec<Event>> {
        events(ctx, &self.event_ids, first).await
    }
}

/// 矛盾升级链 A dispute that moved from the hotline to 110 to a petition (民转刑预警).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Escalation {
    #[graphql(skip)]
    pub(super) step_ids: Vec<i64>,
    #[graphql(skip)]
    pub(super) event_ids: Vec<i64>,
    #[graphql(skip)]
    pub(super) person_ids: Vec<i64>,
    #[graphql(skip)]
    pub(super) household_id: Option<i64>,
    /// 纠纷类型 The dispute theme, e.g. 家庭纠纷.
    pub theme: String,
    /// 经过系统 The systems reached, in order.
    pub sources: Vec<Source>,
    /// 风险分 Risk score 0–100 (reach 40, speed 20, volume 20, unresolved 20; see README).
    pub score: f64,
    /// 风险等级 Risk level.
    pub risk: RiskLevel,
    /// 起 First step.
    pub first: DateTime<Utc>,
    /// 止 Last step.
    pub last: DateTime<Utc>,
    /// 相关事件数 Events of the theme for the same persons or household.
    pub event_count: i32,
}

#[ComplexObject]
impl Escalation {
    /// 升级环节 The steps, oldest first: one event per system reached.
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<Event>> {
        let mut out = events(ctx, &self.step_ids, self.step_ids.len() as i32).await?;
        out.reverse();
        Ok(out)
    }

    /// 相关事件 Every event of the theme for the same persons or household, newest first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 200))] first: i32,
    ) -> Result<Vec<Event>> {
        events(ctx, &self.event_ids, first).await
    }

    /// 当事人 The persons the chain was found through.
    async fn persons(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        let api = ctx.data::<ApiContext>()?;
        let found = api
            .loaders
            .load_many(self.person_ids.iter().map(|p| PersonKey(*p)))
            .await?;
        Ok(self
            .person_ids
            .iter()
            .filter_map(|p| found.get(&PersonKey(*p)).cloned().map(Person::from))
            .collect())
    }

    /// 住户 The household (room) the chain was found through, if any.
    async fn household(&self, ctx: &Context<'_>) -> Result<Option<Address>> {
        match self.household_id {
            Some(h) => place(ctx, h).await,
            None => Ok(None),
        }
    }
}

/// 热点 A place whose event count rose well above its own baseline.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Hotspot {
    #[graphql(skip)]
    pub(super) place_id: i64,
    #[graphql(skip)]
    pub(super) event_ids: Vec<i64>,
    /// 事件数 Events at the place in the span.
    pub count: i32,
    /// 基线 Mean events per span of the same length before it.
    pub baseline: f64,
    /// P值 P(X ≥ count) for a Poisson count at the baseline rate (floored at 1).
    pub p_value: f64,
}

#[ComplexObject]
impl Hotspot {
    /// 地点 The place.
    async fn place(&self, ctx: &Context<'_>) -> Result<Option<Address>> {
        place(ctx, self.place_id).await
    }

    /// 事件 The events in the span, newest first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 200))] first: i32,
    ) -> Result<Vec<Event>> {
        events(ctx, &self.event_ids, first).await
    }
}

/// 群体性诉求 Different persons raising one dispute about one place across systems.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct CollectiveCluster {
    #[graphql(skip)]
    pub(super) place_id: i64,
    #[graphql(skip)]
    pub(super) event_ids: Vec<i64>,
    #[graphql(skip)]
    pub(super) person_ids: Vec<i64>,
    /// 纠纷类型 The dispute theme.
    pub theme: String,
    /// 人数 Different persons named.
    pub person_count: i32,
    /// 来源 Systems the events came from.
    pub sources: Vec<Source>,
    /// 事件数 Events in the cluster.
    pub event_count: i32,
    /// 起 First event.
    pub first: DateTime<Utc>,
    /// 止 Latest event.
    pub last: DateTime<Utc>,
}

#[ComplexObject]
impl CollectiveCluster {
    /// 地点 The site (or community) the events are about.
    async fn place(&self, ctx: &Context<'_>) -> Result<Option<Address>> {
        place(ctx, self.place_id).await
    }

    /// 人员 The persons, at most `first`.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn persons(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 200))] first: i32,
    ) -> Result<Vec<Person>> {
        let api = ctx.data::<ApiContext>()?;
        let ids: Vec<i64> = self
            .person_ids
            .iter()
            .take(first as usize)
            .copied()
            .collect();
        let found = api
            .loaders
            .load_many(ids.iter().map(|p| PersonKey(*p)))
            .await?;
        Ok(ids
            .iter()
            .filter_map(|p| found.get(&PersonKey(*p)).cloned().map(Person::from))
            .collect())
    }

    /// 事件 The events, newest first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 200))] first: i32,
    ) -> Result<Vec<Event>> {
        events(ctx, &self.event_ids, first).await
    }
}

/// 三零指标 Work-discipline figures of one unit, one source or everything (definitions in README).
#[derive(SimpleObject)]
pub struct UnitIndicators {
    /// 名称 The unit or source (lowercase source name); empty for everything together.
    pub key: String,
    /// 受理量 Events received in the window.
    pub received: i32,
    /// 响应率 Share that left "received" (assigned, worked on, dispatched, done).
    pub response_rate: Option<f64>,
    /// 办结率 Share finished (resolved, closed, rejected).
    pub closure_rate: Option<f64>,
    /// 解决率 Share resolved or closed.
    pub resolution_rate: Option<f64>,
    /// 满意率 Satisfied or basically satisfied among rated.
    pub satisfaction_rate: Option<f64>,
    /// 按期办结率 Finished by the deadline among those due by asOf or finished.
    pub on_time_rate: Option<f64>,
    /// 平均办理时长（小时）Mean hours from occurrence to closing.
    pub mean_handling_hours: Option<f64>,
    /// 重启件 Finished, then open again in a later version.
    pub reopened: i32,
    /// 超期件 Open at asOf with the deadline passed (work received up to 180 days before).
    pub overdue: i32,
    /// 临期件 Open at asOf with the deadline within 48 hours.
    pub soon_due: i32,
}

/// 热词 A word of the free text and how often it came up.
#[derive(SimpleObject)]
pub struct HotWord {
    /// 词 The word.
    pub word: String,
    /// 本期 Events of the span that use it.
    pub count: i32,
    /// 上期 Events of the span before that use it.
    pub previous: i32,
    /// 升幅 (count + 1) / (previous scaled to this span's events + 1).
    pub rise: f64,
}

/// 区域热词 The hot words of one area (or the whole county).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AreaHotWords {
    #[graphql(skip)]
    pub(super) area_id: Option<i64>,
    /// 事件数 Events of the area in the span.
    pub events: i32,
    /// 高频词 Most used words.
    pub top: Vec<HotWord>,
    /// 上升词 Words at least twice as common as in the span before, steepest first.
    pub rising: Vec<HotWord>,
}

#[ComplexObject]
impl AreaHotWords {
    /// 区域 The area; null for the whole county or events without a place at the level.
    async fn area(&self, ctx: &Context<'_>) -> Result<Option<Address>> {
        match self.area_id {
            Some(a) => place(ctx, a).await,
            None => Ok(None),
        }
    }
}

async fn person(ctx: &Context<'_>, id: i64) -> Result<Option<Person>> {
    let api = ctx.data::<ApiContext>()?;
    Ok(api.loaders.load_one(PersonKey(id)).await?.map(Person::from))
}

async fn place(ctx: &Context<'_>, id: i64) -> Result<Option<Address>> {
    let api = ctx.data::<ApiContext>()?;
    Ok(api.loaders.load_one(PlaceKey(id)).await?.map(Address::from))
}

pub(super) async fn events(ctx: &Context<'_>, ids: &[i64], first: i32) -> Result<Vec<Event>> {
    let api = ctx.data::<ApiContext>()?;
    let ids: Vec<i64> = ids.iter().take(first.max(0) as usize).copied().collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    events_among(api, StoreFilter::default(), ids).await
}
