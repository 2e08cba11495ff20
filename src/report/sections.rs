//! The sections of the situation report computed from one frame: headline,
//! trend and breakdowns, hotspots, collective matters, work discipline, hot
//! words, escalations and key persons. Persons and places are left as
//! `{P…}` / `{A…}` placeholders for `build` to name from the store.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Duration, NaiveDate};

use super::AnalysisSettings;
use super::build::{Spans, change, local, source_name};
use super::model::*;
use super::period::Period;
use crate::analysis::calendar::local_day;
use crate::analysis::collective::{self, CollectiveParams};
use crate::analysis::escalation::{self, EscalationParams, Risk};
use crate::analysis::hot_words::{self, HotWordParams, Segmenter};
use crate::analysis::hotspots::{self, HotspotParams};
use crate::analysis::indicators::{self, GroupBy, IndicatorParams};
use crate::analysis::repeat::{self, RepeatKind};
use crate::analysis::{Frame, Level};
use crate::domain::Source;

/// Days of daily trend a daily or weekly report draws.
pub(super) const TREND_DAYS: i64 = 30;
/// Rows a section lists at most (the JSON and XLSX carry the same).
const TOP: usize = 50;

/// The report with entity ids still to be named.
pub(super) struct Draft {
    pub(super) report: SituationReport,
    pub(super) persons: BTreeSet<i64>,
    pub(super) places: BTreeSet<i64>,
}

impl std::ops::DerefMut for Draft {
    fn deref_mut(&mut self) -> &mut SituationReport {
        &mut self.report
    }
}
impl std::ops::Deref for Draft {
    type Target = SituationReport;
    fn deref(&self) -> &SituationReport {
        &self.report
    }
}

/// Placeholders `{P12}` / `{A34}` are replaced by names in `name_entities`.
fn person_ref(d: &mut Draft, id: i64) -> String {
    d.persons.insert(id);
    format!("{{P{id}}}")
}
fn place_ref(d: &mut Draft, id: i64) -> String {
    d.places.insert(id);
    format!("{{A{id}}}")
}

pub(super) fn compute(
    frame: &Frame,
    seg: &Segmenter,
    settings: &AnalysisSettings,
    period: Period,
    spans: &Spans,
    year_counts: Option<&[(String, i64)]>,
) -> Draft {
    let span = spans.span;
    let as_of = span.end_utc();
    let mut d = Draft {
        report: SituationReport {
            title: format!(
                "{}社会治安形势分析报告（{}）{}",
                settings.county,
                period.chinese(),
                if span.days == 1 {
                    span.first.to_string()
                } else {
                    format!("{} 至 {}", span.first, span.last())
                }
            ),
            period,
            first_day: span.first.to_string(),
            last_day: span.last().to_string(),
            as_of: local(as_of),
            generated_at: String::new(),
            headline: Vec::new(),
            trend: Vec::new(),
            areas: Vec::new(),
            categories: Vec::new(),
            hotspots: Vec::new(),
            escalations: Vec::new(),
            collective_petitions: Vec::new(),
            clusters: Vec::new(),
            overdue_by_unit: Vec::new(),
            overdue: Vec::new(),
            sources: Vec::new(),
            units: Vec::new(),
            hot_words: Vec::new(),
            key_persons: Vec::new(),
            notes: Vec::new(),
        },
        persons: BTreeSet::new(),
        places: BTreeSet::new(),
    };

    std::thread::scope(|scope| {
        // The month's escalations and person tallies on the other core while
        // this one does the rest.
        let month = scope.spawn(|| {
            let chains = escalation::escalations(
                frame,
                &EscalationParams {
                    from: spans.month.start_utc(),
                    to: as_of,
                    window: Duration::days(settings.escalation_days),
                },
            );
            (
                chains,
                repeat::tallies(frame, spans.month.start_utc(), as_of),
            )
        });
        let mut lap = Lap::start();
        // Headline, trend, breakdowns: one pass.
        let mut now = [0i64; 3];
        let mut before = [0i64; 3];
        let mut trend: BTreeMap<NaiveDate, [u32; 3]> = (0..spans.trend.days)
            .map(|i| (spans.trend.first + Duration::days(i), [0; 3]))
            .collect();
        let mut streets: HashMap<Option<i64>, [u32; 2]> = HashMap::new();
        let mut categories: HashMap<&str, [u32; 2]> = HashMap::new();
        for e in &frame.events {
            let s = e.source as usize;
            if let Some(t) = trend.get_mut(&e.day) {
                t[s] += 1;
            }
            let which = if span.contains(e.at) {
                now[s] += 1;
                0
            } else if spans.previous.contains(e.at) {
                before[s] += 1;
                1
            } else {
                continue;
            };
            streets.entry(e.area(Level::Street)).or_default()[which] += 1;
            let top = e.category.split('>').next().unwrap_or("");
            categories.entry(top).or_default()[which] += 1;
        }
        let year_of = |s: Option<Source>| -> Option<i64> {
            let counts = year_counts?;
            Some(
                counts
                    .iter()
                    .filter(|(src, _)| s.is_none_or(|s| s.as_str() == src))
                    .map(|(_, n)| *n)
                    .sum(),
            )
        };
        for (i, s) in Source::ALL.iter().enumerate() {
            let y = year_of(Some(*s));
            d.headline.push(Headline {
                name: source_name(*s).into(),
                count: now[i],
                previous: before[i],
                change_pct: change(now[i], before[i]),
                year_before: y,
                year_change_pct: y.and_then(|y| change(now[i], y)),
            });
        }
        let (n, b) = (now.iter().sum(), before.iter().sum());
        let y = year_of(None);
        d.headline.push(Headline {
            name: "合计".into(),
            count: n,
            previous: b,
            change_pct: change(n, b),
            year_before: y,
            year_change_pct: y.and_then(|y| change(n, y)),
        });
        d.trend = trend
            .into_iter()
            .map(|(day, c)| TrendDay {
                day: day.to_string(),
                hotline: c[0],
                alarm: c[1],
                petition: c[2],
            })
            .collect();
        let mut streets: Vec<_> = streets.into_iter().collect();
        streets.sort_by(|a, b| b.1[0].cmp(&a.1[0]).then(a.0.cmp(&b.0)));
        for (street, c) in streets {
            let name = match street {
                Some(id) => place_ref(&mut d, id),
                None => "（地址未能定位）".to_string(),
            };
            d.areas.push(Breakdown {
                name,
                count: c[0],
                previous: c[1],
            });
        }
        let mut cats: Vec<_> = categories.into_iter().collect();
        cats.sort_by(|a, b| b.1[0].cmp(&a.1[0]).then(a.0.cmp(b.0)));
        d.categories = cats
            .into_iter()
            .map(|(name, c)| Breakdown {
                name: name.to_string(),
                count: c[0],
                previous: c[1],
            })
            .collect();

        lap.mark("breakdowns");
        // Hotspots at three levels, the strongest first.
        let mut spots = Vec::new();
        for level in [Level::Building, Level::Site, Level::Community] {
            let mut p = HotspotParams::weekly(spans.recent, level);
            p.baseline = settings.hotspot_baseline;
            spots.extend(hotspots::hotspots(frame, &p));
        }
        spots.sort_by(|a, b| a.p_value.total_cmp(&b.p_value).then(b.count.cmp(&a.count)));
        spots.truncate(TOP);
        for h in spots {
            let place = place_ref(&mut d, h.place);
            let records = records_of(frame, &h.events, 10);
            d.hotspots.push(HotspotRow {
                level: level_name(h.level).into(),
                place,
                count: h.count,
                baseline: h.baseline,
                p_value: h.p_value,
                records,
            });
        }

        lap.mark("hotspots");
        // Collective petitions of the last week, clusters of the last two.
        let cp = CollectiveParams::new(spans.recent.start_utc(), as_of);
        for (id, n) in collective::collective_petitions(frame, &cp)
            .into_iter()
            .take(TOP)
        {
            let Some(ix) = frame.index_of(id) else {
                continue;
            };
            let e = frame.ev(ix).clone();
            let place = finest_area(&e.areas).map(|a| place_ref(&mut d, a));
            d.collective_petitions.push(CollectivePetitionRow {
                record: e.record_id.clone(),
                day: e.day.to_string(),
                petitioners: n,
                category: e.category.clone(),
                place,
                status: e.status.as_str().into(),
            });
        }
        let cp = CollectiveParams::new(spans.recent.previous().start_utc(), as_of);
        for c in collective::clusters(frame, &cp).into_iter().take(TOP) {
            let place = place_ref(&mut d, c.place);
            d.clusters.push(ClusterRow {
                theme: c.theme.clone(),
                place,
                persons: c.persons.len(),
                sources: c
                    .sources
                    .iter()
                    .map(|s| source_name(*s).to_string())
                    .collect(),
                events: c.events.len(),
                first_day: local_day(c.first).to_string(),
                last_day: local_day(c.last).to_string(),
                records: records_of(frame, &c.events, 10),
            });
        }

        lap.mark("collective");
        // Work discipline.
        let overdue = indicators::overdue(frame, as_of);
        let mut by_unit: BTreeMap<&str, (usize, i64)> = BTreeMap::new();
        for o in &overdue {
            let u = by_unit.entry(o.unit.as_str()).or_default();
            u.0 += 1;
            u.1 = u.1.max(o.hours_over);
        }
        let mut by_unit: Vec<_> = by_unit.into_iter().collect();
        by_unit.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        d.overdue_by_unit = by_unit
            .into_iter()
            .map(|(unit, (n, h))| OverdueByUnit {
                unit: unit_name(unit),
                overdue: n,
                longest_hours: h,
            })
            .collect();
        let mut longest = overdue.clone();
        longest.sort_by(|a, b| b.hours_over.cmp(&a.hours_over).then(a.event.cmp(&b.event)));
        d.overdue = longest
            .iter()
            .take(TOP)
            .filter_map(|o| {
                let e = frame.ev(frame.index_of(o.event)?);
                Some(OverdueRow {
                    unit: unit_name(&o.unit),
                    source: source_name(e.source).into(),
                    record: e.record_id.clone(),
                    category: e.category.clone(),
                    deadline: local(o.deadline),
                    hours_over: o.hours_over,
                })
            })
            .collect();
        let ip = |by| IndicatorParams {
            from: span.start_utc(),
            to: as_of,
            as_of,
            soon: Duration::hours(48),
            by,
            sources: Vec::new(),
        };
        let mut sources = indicators::indicators(frame, &ip(GroupBy::Source));
        sources.sort_by_key(|r| {
            Source::ALL
                .iter()
                .position(|s| s.as_str() == r.key)
                .unwrap_or(9)
        });
        sources.extend(indicators::indicators(frame, &ip(GroupBy::All)));
        d.sources = sources
            .iter()
            .map(|r| {
                let name = match r.key.parse::<Source>() {
                    Ok(s) => source_name(s).to_string(),
                    Err(_) => "合计".to_string(),
                };
                indicator_row(name, r)
            })
            .collect();
        let mut units = indicators::indicators(frame, &ip(GroupBy::Unit));
        units.retain(|u| u.received > 0);
        // League table: the mean of the three assessed rates, best first.
        let score = |u: &indicators::Indicators| {
            [
                u.response_rate(),
                u.resolution_rate(),
                u.satisfaction_rate(),
            ]
            .iter()
            .flatten()
            .sum::<f64>()
        };
        units.sort_by(|a, b| score(b).total_cmp(&score(a)).then(a.key.cmp(&b.key)));
        d.units = units
            .iter()
            .take(TOP)
            .map(|u| indicator_row(unit_name(&u.key), u))
            .collect();

        lap.mark("indicators");
        // Hot words of the period, county-wide and per street office.
        let mut words = hot_words::hot_words(
            seg,
            frame,
            &HotWordParams {
                span,
                level: None,
                top: 20,
                min_count: 2,
            },
        );
        words.extend(
            hot_words::hot_words(
                seg,
                frame,
                &HotWordParams {
                    span,
                    level: Some(Level::Street),
                    top: 5,
                    min_count: 2,
                },
            )
            .into_iter()
            .filter(|a| a.area.is_some()),
        );
        for a in words {
            let area = match a.area {
                Some(id) => place_ref(&mut d, id),
                None => "全县".to_string(),
            };
            let rising: BTreeSet<&str> = a.rising.iter().map(|w| w.word.as_str()).collect();
            let mut rows: Vec<HotWordRow> = a
                .top
                .iter()
                .map(|w| HotWordRow {
                    area: area.clone(),
                    word: w.word.clone(),
                    count: w.count,
                    previous: w.previous,
                    rise: w.rise,
                    rising: rising.contains(w.word.as_str()),
                })
                .collect();
            for w in &a.rising {
                if !rows.iter().any(|r| r.word == w.word) {
                    rows.push(HotWordRow {
                        area: area.clone(),
                        word: w.word.clone(),
                        count: w.count,
                        previous: w.previous,
                        rise: w.rise,
                        rising: true,
                    });
                }
            }
            d.hot_words.extend(rows);
        }

        lap.mark("hot words");
        // Escalations active in the last month.
        let (chains, tally) = month.join().expect("the escalation search does not panic");
        let mut key: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
        for c in chains.iter().take(TOP) {
            let persons: Vec<String> = c.persons.iter().map(|p| person_ref(&mut d, *p)).collect();
            let household = c.household.map(|h| place_ref(&mut d, h));
            let steps = c
                .steps
                .iter()
                .filter_map(|id| frame.index_of(*id))
                .map(|ix| {
                    let e = frame.ev(ix);
                    format!("{} {} {}", source_name(e.source), e.day, e.record_id)
                })
                .collect();
            let open_steps = c
                .steps
                .iter()
                .filter_map(|id| frame.index_of(*id))
                .filter(|ix| !frame.ev(*ix).is_finished())
                .count();
            if c.risk >= Risk::Medium {
                for p in &c.persons {
                    key.entry(*p).or_default().insert(format!(
                        "{}升级（{}）",
                        c.theme,
                        risk_name(c.risk)
                    ));
                }
            }
            d.escalations.push(EscalationRow {
                risk: risk_name(c.risk).into(),
                score: c.score,
                theme: c.theme.clone(),
                persons,
                household,
                steps,
                related_events: c.events.len(),
                open_steps,
            });
        }

        lap.mark("escalations");
        // Key persons: escalations above, frequent contacts, flagged petitioners.
        for (p, t) in &tally {
            for (kind, reason) in [
                (RepeatKind::Any, "近30日多次诉求"),
                (RepeatKind::RepeatPetition, "重复访"),
                (RepeatKind::SkippedLevel, "越级访"),
            ] {
                if t.is(kind, settings.repeat_min_events) {
                    key.entry(*p).or_default().insert(reason.to_string());
                }
            }
        }
        let mut people: Vec<(i64, BTreeSet<String>)> = key.into_iter().collect();
        let events_of = |p: &i64| tally.get(p).map_or(0, |t| t.events);
        people.sort_by(|a, b| {
            b.1.len()
                .cmp(&a.1.len())
                .then(events_of(&b.0).cmp(&events_of(&a.0)))
                .then(a.0.cmp(&b.0))
        });
        for (p, reasons) in people.into_iter().take(TOP) {
            let t = tally.get(&p).cloned().unwrap_or_default();
            let name = person_ref(&mut d, p);
            d.key_persons.push(KeyPersonRow {
                person: format!("P{p}"),
                name,
                events: t.events,
                sources: t
                    .sources()
                    .iter()
                    .map(|s| source_name(*s).to_string())
                    .collect(),
                reasons: reasons.into_iter().collect(),
            });
        }
        lap.mark("key persons");
        d
    })
}

/// Phase timings of `compute`, logged at debug level for `hub bench report`.
struct Lap(std::time::Instant);

impl Lap {
    fn start() -> Lap {
        Lap(std::time::Instant::now())
    }

    fn mark(&mut self, phase: &str) {
        tracing::debug!(
            phase,
            ms = self.0.elapsed().as_millis() as u64,
            "report phase"
        );
        self.0 = std::time::Instant::now();
    }
}

fn indicator_row(name: String, r: &indicators::Indicators) -> IndicatorRow {
    IndicatorRow {
        name,
        received: r.received,
        response_rate: r.response_rate(),
        closure_rate: r.closure_rate(),
        resolution_rate: r.resolution_rate(),
        satisfaction_rate: r.satisfaction_rate(),
        on_time_rate: r.on_time_rate(),
        mean_handling_hours: r.mean_handling_hours(),
        reopened: r.reopened,
        overdue: r.overdue,
        soon_due: r.soon_due,
    }
}

fn unit_name(u: &str) -> String {
    if u.is_empty() {
        "（未填写单位）".into()
    } else {
        u.into()
    }
}

fn records_of(frame: &Frame, ids: &[i64], n: usize) -> Vec<String> {
    ids.iter()
        .take(n)
        .filter_map(|id| frame.index_of(*id))
        .map(|ix| frame.ev(ix).record_id.clone())
        .collect()
}

fn finest_area(areas: &[Option<i64>; 5]) -> Option<i64> {
    areas.iter().rev().find_map(|a| *a)
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::District => "区县",
        Level::Street => "街道",
        Level::Community => "社区",
        Level::Site => "小区/场所",
        Level::Building => "楼栋",
    }
}

fn risk_name(r: Risk) -> &'static str {
    match r {
        Risk::High => "高",
        Risk::Medium => "中",
        Risk::Low => "低",
    }
}
