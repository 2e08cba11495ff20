//! Assembling the situation report: load one frame that reaches back far
//! enough for every section's baseline, run the analyses, name the persons
//! and places they found.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::model::SituationReport;
use super::period::Period;
use super::sections::{self, Draft};
use super::{AnalysisSettings, ReportError};
use crate::analysis::calendar::{DaySpan, day_start, local_time};
use crate::analysis::hot_words::Segmenter;
use crate::analysis::{Frame, Themes};
use crate::domain::Source;
use crate::store::resolution::{ADDRESS, PERSON};
use crate::store::{Store, StoreError};

/// Open work received this long before the period's end counts as overdue.
const OPEN_WORK_DAYS: i64 = 90;

pub fn source_name(s: Source) -> &'static str {
    match s {
        Source::Hotline => "12345热线",
        Source::Alarm => "110警情",
        Source::Petition => "信访",
    }
}

/// Everything the analyses of [from, to) need, parsed once.
/// Texts (for hot words) only of events from `text_from` on.
pub async fn load_frame(
    store: &Store,
    from: NaiveDateTime,
    to: NaiveDateTime,
    text_from: NaiveDateTime,
    themes: Themes,
) -> Result<Frame, StoreError> {
    let t = std::time::Instant::now();
    let rows = store.situation_rows(from, to, text_from).await?;
    let read = t.elapsed();
    let frame = tokio::task::spawn_blocking(move || Frame::new(rows, themes))
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?;
    tracing::debug!(
        events = frame.events.len(),
        read_ms = read.as_millis() as u64,
        parse_ms = (t.elapsed() - read).as_millis() as u64,
        "analysis frame loaded"
    );
    Ok(frame)
}

pub(super) fn change(now: i64, before: i64) -> Option<f64> {
    (before > 0).then(|| ((now - before) as f64 * 1000.0 / before as f64).round() / 10.0)
}

pub(super) fn local(at: NaiveDateTime) -> String {
    local_time(at).format("%Y-%m-%d %H:%M").to_string()
}

/// The spans of days the report's sections look at.
pub(super) struct Spans {
    pub(super) span: DaySpan,
    pub(super) previous: DaySpan,
    /// The 7 days ending with the period: hotspots, collective matters.
    pub(super) recent: DaySpan,
    /// The `escalation_days` ending with the period: escalations, key persons.
    pub(super) month: DaySpan,
    pub(super) trend: DaySpan,
}

impl Spans {
    fn new(period: Period, date: NaiveDate, settings: &AnalysisSettings) -> Spans {
        let span = period.span(date);
        let end = span.end();
        let recent = DaySpan::new(end - Duration::days(7), 7);
        let month = DaySpan::new(
            end - Duration::days(settings.escalation_days),
            settings.escalation_days,
        );
        let trend = if period == Period::Monthly {
            span
        } else {
            DaySpan::new(
                end - Duration::days(sections::TREND_DAYS),
                sections::TREND_DAYS,
            )
        };
        Spans {
            span,
            previous: period.previous(date),
            recent,
            month,
            trend,
        }
    }

    /// The first day any section looks at.
    fn reach(&self, settings: &AnalysisSettings) -> NaiveDate {
        [
            self.previous.first,
            self.recent.back(settings.hotspot_baseline as i64).first,
            self.month.first - Duration::days(settings.escalation_days),
            self.trend.first,
            self.span.end() - Duration::days(OPEN_WORK_DAYS),
        ]
        .into_iter()
        .min()
        .expect("non-empty")
    }
}

pub async fn build(
    store: &Store,
    seg: &Segmenter,
    settings: &AnalysisSettings,
    period: Period,
    date: NaiveDate,
    generated_at: DateTime<Utc>,
) -> Result<SituationReport, ReportError> {
    let spans = Spans::new(period, date, settings);
    let frame = load_frame(
        store,
        day_start(spans.reach(settings)),
        spans.span.end_utc(),
        spans.previous.start_utc(),
        settings.themes.clone(),
    )
    .await?;
    let year = period.year_before(date);
    let data_from = store.event_time_span().await?.map(|s| s.0);
    let year_counts = match data_from {
        Some(first) if first <= year.start_utc() => Some(
            store
                .counts_by_source(year.start_utc(), year.end_utc())
                .await?,
        ),
        _ => None,
    };
    let t = std::time::Instant::now();
    let mut r = crate::blocking::compute(|| {
        sections::compute(
            &frame,
            seg,
            settings,
            period,
            &spans,
            year_counts.as_deref(),
        )
    });
    if year_counts.is_none() {
        r.notes.push(format!(
            "同比：数据起于 {}，不含去年同期（{} 至 {}）。",
            data_from.map(local).unwrap_or_else(|| "—".into()),
            year.first,
            year.last()
        ));
    }
    tracing::debug!(
        compute_ms = t.elapsed().as_millis() as u64,
        "report computed"
    );
    name_entities(store, &mut r).await?;
    r.generated_at = generated_at.to_rfc3339();
    Ok(r.report)
}

/// Replaces `{P…}` / `{A…}` placeholders with stored labels.
async fn name_entities(store: &Store, d: &mut Draft) -> Result<(), StoreError> {
    let mut names: HashMap<String, String> = HashMap::new();
    for e in store
        .entities_by_ids(PERSON, d.persons.iter().copied().collect())
        .await?
    {
        names.insert(format!("{{P{}}}", e.id), e.label);
    }
    for e in store
        .entities_by_ids(ADDRESS, d.places.iter().copied().collect())
        .await?
    {
        names.insert(format!("{{A{}}}", e.id), e.label);
    }
    let fix = |s: &mut String| {
        if s.starts_with('{')
            && let Some(n) = names.get(s.as_str())
        {
            *s = n.clone();
        }
    };
    let r = &mut d.report;
    r.areas.iter_mut().for_each(|a| fix(&mut a.name));
    r.hotspots.iter_mut().for_each(|h| fix(&mut h.place));
    for e in &mut r.escalations {
        e.persons.iter_mut().for_each(fix);
        if let Some(h) = &mut e.household {
            fix(h);
        }
    }
    for c in &mut r.collective_petitions {
        if let Some(p) = &mut c.place {
            fix(p);
        }
    }
    r.clusters.iter_mut().for_each(|c| fix(&mut c.place));
    r.hot_words.iter_mut().for_each(|w| fix(&mut w.area));
    r.key_persons.iter_mut().for_each(|k| fix(&mut k.name));
    Ok(())
}
