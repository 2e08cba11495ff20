//! Situation analysis (综合研判) as queries: repeat contacts, escalation
//! chains, hotspots, collective matters, work-discipline indicators, hot
//! words and the whole situation report. Each reads an analysis frame of
//! the window it needs (`situation_cache`) and runs `crate::analysis`.

use async_graphql::{ComplexObject, Context, Enum, ID, Object, Result, SimpleObject, types::Json};
use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::ApiContext;
use super::addresses::Address;
use super::errors::{ErrorCode, internal};
use super::events::{Event, events_among};
use super::loaders::{PersonKey, PlaceKey};
use super::persons::Person;
use crate::analysis::DaySpan;
use crate::analysis::collective::{self, CollectiveParams};
use crate::analysis::escalation::{self, EscalationParams, Risk};
use crate::analysis::frame::Level;
use crate::analysis::hot_words::{self, HotWordParams};
use crate::analysis::hotspots::{self, HotspotParams};
use crate::analysis::indicators::{self, GroupBy, IndicatorParams};
use crate::analysis::repeat::{self, RepeatKind, RepeatParams};
use crate::domain::Source;
use crate::report::{Period, SituationReport};
use crate::store::EventFilter as StoreFilter;

/// Open work older than this before `asOf` is not counted as overdue by
/// `unitIndicators` (the frame it reads starts there).
const OPEN_WORK_DAYS: i64 = 180;

#[derive(Default)]
pub struct SituationQuery;

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
    fn level(self) -> Level {
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
    person_id: i64,
    #[graphql(skip)]
    event_ids: Vec<i64>,
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
    step_ids: Vec<i64>,
    #[graphql(skip)]
    event_ids: Vec<i64>,
    #[graphql(skip)]
    person_ids: Vec<i64>,
    #[graphql(skip)]
    household_id: Option<i64>,
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
    place_id: i64,
    #[graphql(skip)]
    event_ids: Vec<i64>,
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
    place_id: i64,
    #[graphql(skip)]
    event_ids: Vec<i64>,
    #[graphql(skip)]
    person_ids: Vec<i64>,
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
    area_id: Option<i64>,
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

async fn events(ctx: &Context<'_>, ids: &[i64], first: i32) -> Result<Vec<Event>> {
    let api = ctx.data::<ApiContext>()?;
    let ids: Vec<i64> = ids.iter().take(first.max(0) as usize).copied().collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    events_among(api, StoreFilter::default(), ids).await
}

fn window(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<()> {
    if from >= to {
        return Err(ErrorCode::BadArgument.error("`from` must be before `to`"));
    }
    if to - from > Duration::days(400) {
        return Err(ErrorCode::BadArgument.error("the window may span at most 400 days"));
    }
    Ok(())
}

fn first_of(first: i32) -> usize {
    first.max(0) as usize
}

#[Object]
impl SituationQuery {
    /// 重复诉求人 Persons with many events in [from, to) across the three systems; repeat
    /// and level-skipping petitioners. Most events first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn repeat_contacts(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        #[graphql(default = 3, validator(minimum = 2, maximum = 1000))] min_events: i32,
        #[graphql(default_with = "RepeatContactKind::Any")] kind: RepeatContactKind,
        #[graphql(default = 20, validator(minimum = 1, maximum = 500))] first: i32,
    ) -> Result<Vec<RepeatContact>> {
        window(from, to)?;
        let api = ctx.data::<ApiContext>()?;
        let frame = api
            .frames
            .frame(from.naive_utc(), to.naive_utc())
            .await
            .map_err(internal)?;
        let found = crate::blocking::compute(|| {
            repeat::repeat_contacts(
                &frame,
                &RepeatParams {
                    from: from.naive_utc(),
                    to: to.naive_utc(),
                    min_events: min_events as usize,
                    kind: match kind {
                        RepeatContactKind::Any => RepeatKind::Any,
                        RepeatContactKind::RepeatPetition => RepeatKind::RepeatPetition,
                        RepeatContactKind::SkippedLevel => RepeatKind::SkippedLevel,
                    },
                },
            )
        });
        Ok(found
            .into_iter()
            .take(first_of(first))
            .map(|c| RepeatContact {
                person_id: c.person,
                event_count: c.events.len() as i32,
                event_ids: c.events,
                sources: c.sources,
                petitions: c.petitions as i32,
                repeat_petitions: c.repeat_petitions as i32,
                skipped_level: c.skipped_level as i32,
                first: c.first.and_utc(),
                last: c.last.and_utc(),
            })
            .collect())
    }

    /// 矛盾升级预警 Escalation chains (hotline → 110 → petition, any two steps in order, one
    /// dispute theme, same person or household, first to last within `windowDays`) whose last
    /// step is in [from, to). Highest risk first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn escalations(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        #[graphql(default = 30, validator(minimum = 1, maximum = 365))] window_days: i32,
        #[graphql(default_with = "RiskLevel::Low")] min_risk: RiskLevel,
        #[graphql(default = 20, validator(minimum = 1, maximum = 500))] first: i32,
    ) -> Result<Vec<Escalation>> {
        window(from, to)?;
        let api = ctx.data::<ApiContext>()?;
        let reach = Duration::days(window_days as i64);
        let frame = api
            .frames
            .frame((from - reach).naive_utc(), to.naive_utc())
            .await
            .map_err(internal)?;
        let chains = crate::blocking::compute(|| {
            escalation::escalations(
                &frame,
                &EscalationParams {
                    from: from.naive_utc(),
                    to: to.naive_utc(),
                    window: reach,
                },
            )
        });
        let min = match min_risk {
            RiskLevel::Low => Risk::Low,
            RiskLevel::Medium => Risk::Medium,
            RiskLevel::High => Risk::High,
        };
        Ok(chains
            .into_iter()
            .filter(|c| c.risk >= min)
            .take(first_of(first))
            .map(|c| Escalation {
                event_count: c.events.len() as i32,
                step_ids: c.steps,
                event_ids: c.events,
                person_ids: c.persons,
                household_id: c.household,
                theme: c.theme,
                sources: c.sources,
                score: c.score,
                risk: c.risk.into(),
                first: c.first.and_utc(),
                last: c.last.and_utc(),
            })
            .collect())
    }

    /// 热点 Places whose events in the `days` ending with `lastDay` (China Standard Time) rose
    /// well above their own baseline: the mean of the `baselineSpans` spans before. Poisson
    /// test, p < 0.0001, at least 6 events and 3 × the baseline. Most significant first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn hotspots(
        &self,
        ctx: &Context<'_>,
        last_day: NaiveDate,
        #[graphql(default = 7, validator(minimum = 1, maximum = 92))] days: i32,
        #[graphql(default_with = "HotspotLevel::Building")] level: HotspotLevel,
        #[graphql(default = 4, validator(minimum = 1, maximum = 12))] baseline_spans: i32,
        #[graphql(default = 20, validator(minimum = 1, maximum = 500))] first: i32,
    ) -> Result<Vec<Hotspot>> {
        let api = ctx.data::<ApiContext>()?;
        let span = DaySpan::new(last_day - Duration::days(days as i64 - 1), days as i64);
        let start = span.back(baseline_spans as i64);
        let frame = api
            .frames
            .frame(start.start_utc(), span.end_utc())
            .await
            .map_err(internal)?;
        let mut params = HotspotParams::weekly(span, level.level());
        params.baseline = baseline_spans as u32;
        Ok(
            crate::blocking::compute(|| hotspots::hotspots(&frame, &params))
                .into_iter()
                .take(first_of(first))
                .map(|h| Hotspot {
                    place_id: h.place,
                    count: h.count as i32,
                    event_ids: h.events,
                    baseline: h.baseline,
                    p_value: h.p_value,
                })
                .collect(),
        )
    }

    /// 集体访 Petitions in [from, to) with at least `minPetitioners` petitioners (信访人数),
    /// most petitioners first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn collective_petitions(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        #[graphql(default = 5, validator(minimum = 2, maximum = 10000))] min_petitioners: i32,
        #[graphql(default = 20, validator(minimum = 1, maximum = 500))] first: i32,
    ) -> Result<Vec<Event>> {
        window(from, to)?;
        let api = ctx.data::<ApiContext>()?;
        let frame = api
            .frames
            .frame(from.naive_utc(), to.naive_utc())
            .await
            .map_err(internal)?;
        let mut params = CollectiveParams::new(from.naive_utc(), to.naive_utc());
        params.min_petitioners = min_petitioners as i64;
        let ids: Vec<i64> =
            crate::blocking::compute(|| collective::collective_petitions(&frame, &params))
                .into_iter()
                .take(first_of(first))
                .map(|(id, _)| id)
                .collect();
        let mut found = events(ctx, &ids, ids.len() as i32).await?;
        // Most petitioners first, as the analysis ranked them.
        found.sort_by_key(|e| {
            ids.iter()
                .position(|i| ID::from(i.to_string()) == e.id)
                .unwrap_or(usize::MAX)
        });
        Ok(found)
    }

    /// 群体性诉求 Events in [from, to) of one dispute theme about one site (or community)
    /// naming at least `minPersons` different persons from at least `minSources` systems.
    /// Most persons first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn collective_clusters(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        #[graphql(default = 4, validator(minimum = 2, maximum = 10000))] min_persons: i32,
        #[graphql(default = 2, validator(minimum = 1, maximum = 3))] min_sources: i32,
        #[graphql(default = 20, validator(minimum = 1, maximum = 500))] first: i32,
    ) -> Result<Vec<CollectiveCluster>> {
        window(from, to)?;
        let api = ctx.data::<ApiContext>()?;
        let frame = api
            .frames
            .frame(from.naive_utc(), to.naive_utc())
            .await
            .map_err(internal)?;
        let mut params = CollectiveParams::new(from.naive_utc(), to.naive_utc());
        params.min_persons = min_persons as usize;
        params.min_sources = min_sources as usize;
        Ok(
            crate::blocking::compute(|| collective::clusters(&frame, &params))
                .into_iter()
                .take(first_of(first))
                .map(|c| CollectiveCluster {
                    place_id: c.place,
                    person_count: c.persons.len() as i32,
                    event_count: c.events.len() as i32,
                    event_ids: c.events,
                    person_ids: c.persons,
                    theme: c.theme,
                    sources: c.sources,
                    first: c.first.and_utc(),
                    last: c.last.and_utc(),
                })
                .collect(),
        )
    }

    /// 三零指标 Work discipline of the events received in [from, to): response, closure,
    /// resolution, satisfaction and on-time rates, handling time, re-opened, overdue and
    /// soon-due at `asOf` (default: `to`). Grouped by unit (most received first), source or all.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    #[allow(clippy::too_many_arguments)] // each is a GraphQL argument
    async fn unit_indicators(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        as_of: Option<DateTime<Utc>>,
        #[graphql(default_with = "IndicatorGroup::Unit")] by: IndicatorGroup,
        #[graphql(default)] sources: Vec<Source>,
        #[graphql(default = 100, validator(minimum = 1, maximum = 5000))] first: i32,
    ) -> Result<Vec<UnitIndicators>> {
        window(from, to)?;
        let api = ctx.data::<ApiContext>()?;
        let as_of = as_of.unwrap_or(to);
        let start = from.min(as_of - Duration::days(OPEN_WORK_DAYS));
        let frame = api
            .frames
            .frame(start.naive_utc(), to.max(as_of).naive_utc())
            .await
            .map_err(internal)?;
        let rows = crate::blocking::compute(|| {
            indicators::indicators(
                &frame,
                &IndicatorParams {
                    from: from.naive_utc(),
                    to: to.naive_utc(),
                    as_of: as_of.naive_utc(),
                    soon: Duration::hours(48),
                    by: match by {
                        IndicatorGroup::Unit => GroupBy::Unit,
                        IndicatorGroup::Source => GroupBy::Source,
                        IndicatorGroup::All => GroupBy::All,
                    },
                    sources,
                },
            )
        });
        Ok(rows
            .into_iter()
            .take(first_of(first))
            .map(|r| UnitIndicators {
                response_rate: r.response_rate(),
                closure_rate: r.closure_rate(),
                resolution_rate: r.resolution_rate(),
                satisfaction_rate: r.satisfaction_rate(),
                on_time_rate: r.on_time_rate(),
                mean_handling_hours: r.mean_handling_hours(),
                received: r.received as i32,
                reopened: r.reopened as i32,
                overdue: r.overdue as i32,
                soon_due: r.soon_due as i32,
                key: r.key,
            })
            .collect())
    }

    /// 热词 Words of the free text (诉求内容, 简要案情, 主要内容) in the `days` ending with
    /// `lastDay`, against the span before: for the whole county, or per area at `level`.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn hot_words(
        &self,
        ctx: &Context<'_>,
        last_day: NaiveDate,
        #[graphql(default = 7, validator(minimum = 1, maximum = 92))] days: i32,
        level: Option<HotspotLevel>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 200))] top: i32,
        #[graphql(default = 50, validator(minimum = 1, maximum = 1000))] first: i32,
    ) -> Result<Vec<AreaHotWords>> {
        let api = ctx.data::<ApiContext>()?;
        let span = DaySpan::new(last_day - Duration::days(days as i64 - 1), days as i64);
        let start = span.previous().start_utc();
        let frame = api
            .frames
            .frame_with_text(start, span.end_utc(), start)
            .await
            .map_err(internal)?;
        let seg = api.reporter.segmenter().await;
        let words = crate::blocking::compute(|| {
            hot_words::hot_words(
                seg,
                &frame,
                &HotWordParams {
                    span,
                    level: level.map(HotspotLevel::level),
                    top: top as usize,
                    min_count: 2,
                },
            )
        });
        let conv = |w: &[hot_words::HotWord]| -> Vec<HotWord> {
            w.iter()
                .map(|w| HotWord {
                    word: w.word.clone(),
                    count: w.count as i32,
                    previous: w.previous as i32,
                    rise: w.rise,
                })
                .collect()
        };
        Ok(words
            .iter()
            .take(first_of(first))
            .map(|a| AreaHotWords {
                area_id: a.area,
                events: a.events as i32,
                top: conv(&a.top),
                rising: conv(&a.rising),
            })
            .collect())
    }

    /// 社会治安形势分析报告 The whole situation report of a period as JSON: the same data
    /// `hub report` renders as HTML, XLSX or CSV.
    async fn situation_report(
        &self,
        ctx: &Context<'_>,
        period: ReportPeriod,
        date: NaiveDate,
    ) -> Result<Json<SituationReport>> {
        let api = ctx.data::<ApiContext>()?;
        let period = match period {
            ReportPeriod::Daily => Period::Daily,
            ReportPeriod::Weekly => Period::Weekly,
            ReportPeriod::Monthly => Period::Monthly,
        };
        let report = api.reporter.build(period, date).await.map_err(|e| {
            tracing::error!(error = %e, "situation report failed");
            ErrorCode::Internal.error("the report could not be built (see the server log)")
        })?;
        Ok(Json(report))
    }
}
