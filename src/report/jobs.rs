//! Producing reports and running the scheduled ones.
//!
//! Every report, by hand or by schedule, is recorded in `report_runs` with
//! its outcome. The scheduler fires each job at its cron times in the job's
//! zone; each firing reports the last complete period. At start it catches
//! up the firings missed while the hub was down since the job's last
//! recorded run (at most `MAX_CATCH_UP`, oldest first), so a night of
//! downtime still leaves yesterday's report in the folder. A job with no
//! recorded run starts from its next firing.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::watch;

use super::{Format, Period, ReportError, render};
use crate::analysis::hot_words::Segmenter;
use crate::config::{AnalysisSettings, ReportJob};
use crate::store::{NewReportRun, Store};

/// Firings caught up at most per job after downtime.
pub const MAX_CATCH_UP: usize = 31;

/// What a report is for and where it goes.
#[derive(Clone, Debug)]
pub struct Request {
    pub job: String,
    pub period: Period,
    pub date: NaiveDate,
    pub formats: Vec<Format>,
    pub out_dir: Option<PathBuf>,
    pub webhook: Option<String>,
    pub scheduled_for: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("writing {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("webhook {url}: {message}")]
    Webhook { url: String, message: String },
}

/// Builds, renders and delivers reports; one per process, cheap to clone.
#[derive(Clone)]
pub struct Reporter {
    store: Store,
    settings: Arc<AnalysisSettings>,
    segmenter: Arc<OnceLock<Segmenter>>,
    http: reqwest::Client,
}

impl Reporter {
    pub fn new(store: Store, settings: AnalysisSettings) -> Reporter {
        Reporter {
            store,
            settings: Arc::new(settings),
            segmenter: Arc::default(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("HTTP client builds"),
        }
    }

    /// The word segmenter, loaded at first use.
    pub async fn segmenter(&self) -> &Segmenter {
        if self.segmenter.get().is_none() {
            let seg = tokio::task::spawn_blocking(Segmenter::default)
                .await
                .expect("the segmenter loads");
            let _ = self.segmenter.set(seg);
        }
        self.segmenter.get().expect("set above")
    }

    /// The report, built now.
    pub async fn build(
        &self,
        period: Period,
        date: NaiveDate,
    ) -> Result<super::SituationReport, ReportError> {
        let seg = self.segmenter().await;
        super::build(&self.store, seg, &self.settings, period, date, Utc::now()).await
    }

    /// Builds, writes and posts one report, recording the run. Returns the
    /// files written and URLs posted to.
    pub async fn produce(&self, req: &Request) -> Result<Vec<String>, JobError> {
        let formats: Vec<&str> = req.formats.iter().map(|f| f.extension()).collect();
        let period_first = req.period.span(req.date).first;
        let run = self
            .store
            .start_report_run(NewReportRun {
                job: req.job.clone(),
                period: req.period.as_str().into(),
                report_date: period_first.to_string(),
                formats: formats.join(","),
                scheduled_for: req.scheduled_for.map(|t| t.naive_utc()),
            })
            .await
            .map_err(ReportError::from)?;
        let mut outputs = Vec::new();
        let result = self.deliver(req, &mut outputs).await;
        let error = result.as_ref().err().map(|e| e.to_string());
        self.store
            .finish_report_run(run, outputs.clone(), error)
            .await
            .map_err(ReportError::from)?;
        result.map(|_| outputs)
    }

    async fn deliver(&self, req: &Request, outputs: &mut Vec<String>) -> Result<(), JobError> {
        let report = self.build(req.period, req.date).await?;
        for format in &req.formats {
            let bytes = render(&report, *format)?;
            let name = super::file_name(&report, *format);
            if let Some(dir) = &req.out_dir {
                let path = dir.join(&name);
                write_file(&path, &bytes).map_err(|source| JobError::Write {
                    path: path.clone(),
                    source,
                })?;
                outputs.push(path.display().to_string());
            }
            if let Some(url) = &req.webhook {
                self.post(url, &name, *format, bytes).await?;
                outputs.push(format!("{url} ({name})"));
            }
        }
        Ok(())
    }

    async fn post(
        &self,
        url: &str,
        name: &str,
        format: Format,
        bytes: Vec<u8>,
    ) -> Result<(), JobError> {
        let fail = |message: String| JobError::Webhook {
            url: url.to_string(),
            message,
        };
        let resp = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, format.media_type())
            .header(
                reqwest::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            )
            .body(bytes)
            .send()
            .await
            .map_err(|e| fail(e.to_string()))?;
        if !resp.status().is_success() {
            return Err(fail(format!("answered {}", resp.status())));
        }
        Ok(())
    }

    /// Runs the jobs until `stop` turns true: first the firings missed
    /// since each job's last run, then each firing as it comes.
    pub async fn run_schedule(&self, jobs: Vec<ReportJob>, mut stop: watch::Receiver<bool>) {
        let mut tasks = tokio::task::JoinSet::new();
        for job in jobs {
            let me = self.clone();
            let mut stop = stop.clone();
            tasks.spawn(async move { me.run_job(job, &mut stop).await });
        }
        let _ = stop.wait_for(|s| *s).await;
        tasks.shutdown().await;
    }

    async fn run_job(&self, job: ReportJob, stop: &mut watch::Receiver<bool>) {
        let cron = match job.schedule() {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(job = %job.name, error = %e, "report job has a bad cron expression");
                return;
            }
        };
        let last = match self.store.last_scheduled(&job.name).await {
            Ok(t) => t.map(|t| t.and_utc()),
            Err(e) => {
                tracing::error!(job = %job.name, error = %e, "cannot read the job's last run");
                None
            }
        };
        let now = Utc::now();
        let mut next = match last {
            Some(last) => {
                let missed = firings(&cron, &job, last, now, MAX_CATCH_UP);
                if !missed.is_empty() {
                    tracing::info!(job = %job.name, missed = missed.len(), "catching up report runs missed while stopped");
                }
                for at in missed {
                    self.fire(&job, at).await;
                }
                next_firing(&cron, &job, Utc::now())
            }
            None => next_firing(&cron, &job, now),
        };
        while let Some(at) = next {
            let wait = (at - Utc::now()).to_std().unwrap_or_default();
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
            self.fire(&job, at).await;
            next = next_firing(&cron, &job, at);
        }
    }

    async fn fire(&self, job: &ReportJob, at: DateTime<Utc>) {
        let local = at.with_timezone(&job.zone).date_naive();
        let req = Request {
            job: job.name.clone(),
            period: job.period,
            date: job.period.last_complete(local),
            formats: job.formats.clone(),
            out_dir: job.out_dir.clone(),
            webhook: job.webhook.clone(),
            scheduled_for: Some(at),
        };
        match self.produce(&req).await {
            Ok(out) => {
                tracing::info!(job = %job.name, date = %req.date, files = out.len(), "report written")
            }
            Err(e) => {
                tracing::error!(job = %job.name, date = %req.date, error = %e, "report failed")
            }
        }
    }
}

/// The firing after `after`.
fn next_firing(
    cron: &croner::Cron,
    job: &ReportJob,
    after: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    cron.find_next_occurrence(&after.with_timezone(&job.zone), false)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Firings in (after, until], the latest `max` of them, oldest first.
pub fn firings(
    cron: &croner::Cron,
    job: &ReportJob,
    after: DateTime<Utc>,
    until: DateTime<Utc>,
    max: usize,
) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut t = after;
    while let Some(n) = next_firing(cron, job, t) {
        if n > until {
            break;
        }
        out.push(n);
        if out.len() > max {
            out.remove(0);
        }
        t = n;
    }
    out
}

/// Written beside, then renamed, so a reader never sees half a report.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(cron: &str, period: Period) -> ReportJob {
        ReportJob {
            name: "t".into(),
            period,
            cron: cron.into(),
            zone: chrono_tz::Asia::Shanghai,
            formats: vec![Format::Json],
            out_dir: Some("x".into()),
            webhook: None,
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn missed_firings_are_counted_in_the_jobs_zone() {
        let j = job("0 7 * * *", Period::Daily);
        let cron = j.schedule().unwrap();
        // 07:00 in Shanghai is 23:00 UTC the day before.
        let missed = firings(
            &cron,
            &j,
            utc("2026-11-28T23:00:00Z"),
            utc("2026-12-01T12:00:00Z"),
            31,
        );
        assert_eq!(
            missed,
            vec![utc("2026-11-29T23:00:00Z"), utc("2026-11-30T23:00:00Z")]
        );
        let capped = firings(
            &cron,
            &j,
            utc("2026-01-01T00:00:00Z"),
            utc("2026-12-01T12:00:00Z"),
            3,
        );
        assert_eq!(capped.len(), 3);
        assert_eq!(capped[2], utc("2026-11-30T23:00:00Z"));
    }

    #[test]
    fn a_firing_reports_the_last_complete_period() {
        let at = utc("2026-11-30T23:00:00Z").with_timezone(&chrono_tz::Asia::Shanghai);
        assert_eq!(
            Period::Daily.last_complete(at.date_naive()),
            "2026-11-30".parse::<NaiveDate>().unwrap()
        );
    }
}
