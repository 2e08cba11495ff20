//! The log of situation reports produced: by hand or by a scheduled job.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::per_backend;
use super::schema::report_runs;
use super::{Store, StoreError};

/// A report run about to start.
#[derive(Clone, Debug)]
pub struct NewReportRun {
    pub job: String,
    pub period: String,
    pub report_date: String,
    pub formats: String,
    pub scheduled_for: Option<NaiveDateTime>,
}

#[derive(Clone, Debug, PartialEq, Queryable)]
pub struct ReportRun {
    pub id: i64,
    pub job: String,
    pub period: String,
    pub report_date: String,
    pub formats: String,
    pub scheduled_for: Option<NaiveDateTime>,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub status: String,
    pub outputs: String,
    pub error: Option<String>,
}

impl Store {
    /// Records the start of a run; runs of the job still marked running
    /// were cut short by a stop and are marked `interrupted`.
    pub async fn start_report_run(&self, run: NewReportRun) -> Result<i64, StoreError> {
        self.run(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            diesel::update(
                report_runs::table
                    .filter(report_runs::job.eq(&run.job))
                    .filter(report_runs::status.eq("running")),
            )
            .set((
                report_runs::status.eq("interrupted"),
                report_runs::error.eq("the process stopped before the report was written"),
            ))
            .execute(conn)?;
            let values = (
                report_runs::job.eq(&run.job),
                report_runs::period.eq(&run.period),
                report_runs::report_date.eq(&run.report_date),
                report_runs::formats.eq(&run.formats),
                report_runs::scheduled_for.eq(run.scheduled_for),
                report_runs::started_at.eq(now),
                report_runs::status.eq("running"),
                report_runs::outputs.eq(""),
            );
            Ok(per_backend!(conn, |c| diesel::insert_into(
                report_runs::table
            )
            .values(values)
            .returning(report_runs::id)
            .get_result::<i64>(c))?)
        })
        .await
    }

    /// Closes a run with what it wrote; `error` None means it succeeded.
    pub async fn finish_report_run(
        &self,
        id: i64,
        outputs: Vec<String>,
        error: Option<String>,
    ) -> Result<(), StoreError> {
        self.run(move |conn| {
            let status = if error.is_some() { "failed" } else { "ok" };
            diesel::update(report_runs::table.find(id))
                .set((
                    report_runs::finished_at.eq(chrono::Utc::now().naive_utc()),
                    report_runs::status.eq(status),
                    report_runs::outputs.eq(outputs.join("\n")),
                    report_runs::error.eq(error),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// The newest runs first, of one job or all.
    pub async fn report_runs(
        &self,
        job: Option<String>,
        limit: i64,
    ) -> Result<Vec<ReportRun>, StoreError> {
        self.run(move |conn| {
            let mut q = report_runs::table.into_boxed();
            if let Some(job) = job {
                q = q.filter(report_runs::job.eq(job));
            }
            Ok(q.order(report_runs::id.desc()).limit(limit).load(conn)?)
        })
        .await
    }

    /// The latest cron time of a job that ran to an end, well or not: the
    /// scheduler catches up from there (a run cut short is run again).
    pub async fn last_scheduled(&self, job: &str) -> Result<Option<NaiveDateTime>, StoreError> {
        let job = job.to_string();
        self.run(move |conn| {
            Ok(report_runs::table
                .filter(report_runs::job.eq(job))
                .filter(report_runs::status.eq_any(["ok", "failed"]))
                .select(diesel::dsl::max(report_runs::scheduled_for))
                .first(conn)?)
        })
        .await
    }
}
