//! Situation analysis (综合研判) as queries: repeat contacts, escalation
//! chains, hotspots, collective matters, work-discipline indicators, hot
//! words and the whole situation report. Each reads an analysis frame of
//! the window it needs (`situation_cache`) and runs `crate::analysis`.

use async_graphql::{Context, ID, Object, Result, types::Json};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::ApiContext;
use super::errors::{ErrorCode, internal};
use super::events::Event;
use super::situation_types::{
    AreaHotWords, CollectiveCluster, Escalation, HotWord, Hotspot, HotspotLevel, IndicatorGroup,
    RepeatContact, RepeatContactKind, ReportPeriod, RiskLevel, UnitIndicators, events,
};
use crate::analysis::collective::{self, CollectiveParams};
use crate::analysis::escalation::{self, EscalationParams, Risk};
use crate::analysis::hot_words::{self, HotWordParams};
use crate::analysis::hotspots::{self, HotspotParams};
use crate::analysis::indicators::{self, GroupBy, IndicatorParams};
use crate::analysis::repeat::{self, RepeatKind, RepeatParams};
use crate::analysis::{DaySpan, Frame};
use crate::domain::Source;
use crate::report::{Period, SituationReport};

/// Open work older than this before `asOf` is not counted as overdue by
/// `unitIndicators` (the frame it reads starts there).
const OPEN_WORK_DAYS: i64 = 180;

#[derive(Default)]
pub struct SituationQuery;

fn window(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<()> {
    if from >= to {
        return Err(ErrorCode::BadArgument.error("`from` must be before `to`"));
    }
    if to - from > Duration::days(400) {
        return Err(ErrorCode::BadArgument.error("the window may span at most 400 days"));
    }
    Ok(())
}

/// The analysis frame of the events in [from, to) (UTC), without text.
async fn frame(ctx: &Context<'_>, from: NaiveDateTime, to: NaiveDateTime) -> Result<Arc<Frame>> {
    let api = ctx.data::<ApiContext>()?;
    api.frames.frame(from, to).await.map_err(internal)
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
        let frame = frame(ctx, from.naive_utc(), to.naive_utc()).await?;
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
        let reach = Duration::days(window_days as i64);
        let frame = frame(ctx, (from - reach).naive_utc(), to.naive_utc()).await?;
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
    /// well above their own baseline: the mean of the `baselineSpans` spans before (those the
    /// data covers; none covered, no hotspots). Poisson test, p < 0.0001, at least 6 events
    /// and 3 × the baseline. Most significant first.
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
        let span = DaySpan::new(last_day - Duration::days(days as i64 - 1), days as i64);
        let start = span.back(baseline_spans as i64);
        let frame = frame(ctx, start.start_utc(), span.end_utc()).await?;
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
        let frame = frame(ctx, from.naive_utc(), to.naive_utc()).await?;
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
        let frame = frame(ctx, from.naive_utc(), to.naive_utc()).await?;
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
        let as_of = as_of.unwrap_or(to);
        let start = from.min(as_of - Duration::days(OPEN_WORK_DAYS));
        let frame = frame(ctx, start.naive_utc(), to.max(as_of).naive_utc()).await?;
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
