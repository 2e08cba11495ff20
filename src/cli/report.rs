//! `hub report daily|weekly|monthly`: the situation report for a period, in
//! the formats asked for, into a folder; `hub report list`: the reports
//! produced so far, by hand or by schedule.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{NaiveDate, Utc};
use hub::analysis::calendar::local_day;
use hub::config::Overrides;
use hub::report::jobs::{Reporter, Request};
use hub::report::{Format, Period};

#[derive(clap::Subcommand)]
pub enum ReportCommand {
    /// The report of one day (default: yesterday, China Standard Time).
    Daily(MakeArgs),
    /// The report of the Monday-to-Sunday week holding --date.
    Weekly(MakeArgs),
    /// The report of the calendar month holding --date.
    Monthly(MakeArgs),
    /// Reports produced so far, newest first.
    List {
        /// Only this job (`manual` for reports made by hand).
        #[arg(long)]
        job: Option<String>,
        #[arg(long, default_value_t = 30)]
        limit: i64,
    },
}

#[derive(clap::Args)]
pub struct MakeArgs {
    /// A day of the period, YYYY-MM-DD (default: the last complete period).
    #[arg(long)]
    date: Option<NaiveDate>,
    /// html, xlsx, json or csv; several separated by commas.
    #[arg(long, value_delimiter = ',', default_value = "html")]
    format: Vec<Format>,
    /// Folder the files are written to.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
}

pub async fn run(overrides: &Overrides, command: ReportCommand) -> anyhow::Result<ExitCode> {
    let settings = super::settings(overrides)?;
    let store = super::open_store(&settings).await?;
    let (period, args) = match command {
        ReportCommand::Daily(a) => (Period::Daily, a),
        ReportCommand::Weekly(a) => (Period::Weekly, a),
        ReportCommand::Monthly(a) => (Period::Monthly, a),
        ReportCommand::List { job, limit } => {
            let runs = store.report_runs(job, limit).await?;
            println!(
                "{:>5}  {:<16} {:<8} {:<10} {:<15} {:<20} {:<8} outputs / error",
                "run", "job", "period", "date", "formats", "started (UTC)", "status"
            );
            for r in runs {
                let detail = r
                    .error
                    .clone()
                    .unwrap_or_else(|| r.outputs.replace('\n', ", "));
                println!(
                    "{:>5}  {:<16} {:<8} {:<10} {:<15} {:<20} {:<8} {}",
                    r.id,
                    r.job,
                    r.period,
                    r.report_date,
                    r.formats,
                    r.started_at.format("%Y-%m-%d %H:%M:%S"),
                    r.status,
                    detail
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    let today = local_day(Utc::now().naive_utc());
    let date = args.date.unwrap_or_else(|| period.last_complete(today));
    let reporter = Reporter::new(store, settings.analysis.clone());
    let started = std::time::Instant::now();
    let files = reporter
        .produce(&Request {
            job: "manual".into(),
            period,
            date,
            formats: args.format,
            out_dir: Some(args.out),
            webhook: None,
            scheduled_for: None,
        })
        .await?;
    for f in &files {
        println!("{f}");
    }
    eprintln!(
        "{} report of {date}: {} file(s) in {:.2} s",
        period.as_str(),
        files.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
