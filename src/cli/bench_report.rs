//! `hub bench report`: the daily situation report of a simulated city of a
//! million events, timed phase by phase, with peak memory.

use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use hub::analysis::calendar::local_day;
use hub::analysis::hot_words::Segmenter;
use hub::report::{Format, Period, build, render};

#[derive(clap::Args)]
pub struct ReportBenchArgs {
    #[command(flatten)]
    pub city: super::bench::CityArgs,
    /// The day to report (default: the last full day of the data).
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// Reports built one after another (the first includes cold caches).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
}

pub async fn run(
    overrides: &hub::config::Overrides,
    args: ReportBenchArgs,
) -> anyhow::Result<ExitCode> {
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: debug build; run `cargo run --release -- bench report` for real figures"
        );
    }
    let (settings, store) = super::bench::resolved_city(overrides, &args.city).await?;
    let (_, last) = store
        .event_time_span()
        .await?
        .ok_or_else(|| anyhow::anyhow!("no events in {}", args.city.dir.display()))?;
    let date = args
        .date
        .unwrap_or_else(|| local_day(last) - chrono::Duration::days(1));
    let events = store.max_event_id().await?;
    println!("daily report of {date} over a store of {events} events (SQLite)");

    super::bench::reset_peak_rss();
    let t = Instant::now();
    let seg = Segmenter::default();
    let segmenter_s = t.elapsed().as_secs_f64();
    println!("word segmenter loaded in {segmenter_s:.2}s (once per process)");
    for run in 1..=args.runs {
        let t = Instant::now();
        let report = build(
            &store,
            &seg,
            &settings.analysis,
            Period::Daily,
            date,
            chrono::Utc::now(),
        )
        .await?;
        let built = t.elapsed().as_secs_f64();
        let mut sizes = Vec::new();
        for f in Format::ALL {
            sizes.push((f.extension(), render(&report, f)?.len()));
        }
        let total = t.elapsed().as_secs_f64();
        println!(
            "run {run}: built in {built:.2}s, all four formats rendered by {total:.2}s \
             ({} events that day, {} escalations, {} hotspots; {})",
            report.headline[3].count,
            report.escalations.len(),
            report.hotspots.len(),
            sizes
                .iter()
                .map(|(e, n)| format!("{e} {} KiB", n / 1024))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Some(kib) = super::bench::peak_rss_kib() {
        println!("peak RSS {:.0} MiB", kib as f64 / 1024.0);
    }
    Ok(ExitCode::SUCCESS)
}
