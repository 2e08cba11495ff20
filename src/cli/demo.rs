//! `hub demo`: the whole hub on one machine with nothing installed. Starts the simulator
//! (HTTP feeds on 127.0.0.1, petition files and a GB18030 export in a folder), syncs every
//! shipped connector into SQLite, resolves persons and places (scored against the
//! simulator's truth), serves GraphQL, and keeps releasing revisions, syncing and resolving.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use hub::analysis::calendar::local_day;
use hub::app::Application;
use hub::config::{Overrides, Settings};
use hub::evaluation::{evaluate, restrict_to, truth_labels};
use hub::graphql::ApiContext;
use hub::ingest::progress::Progress;
use hub::ingest::resolution::Resolving;
use hub::ingest::sync::sync_all;
use hub::report::jobs::{Reporter, Request};
use hub::report::{Format, Period};
use hub::resolve::address::AddressLevel;
use hub::simulate::{GAZETTEER_FILE, SimCity};

use super::simulate::{SimulateArgs, http_env, serve, spec, write_files};

#[derive(clap::Args)]
pub struct DemoArgs {
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Records in the simulated city.
    #[arg(long, default_value_t = 5000)]
    pub records: usize,
    /// Working folder (recreated on each run): database, petition files, export, truth.
    #[arg(long, default_value = "demo-data")]
    pub data_dir: PathBuf,
    /// Share of HTTP requests the simulator fails, to watch retries work.
    #[arg(long, default_value_t = 0.05)]
    pub faults: f64,
    /// Release the next batch of revisions and sync again this often.
    #[arg(long, default_value = "15s", value_parser = humantime::parse_duration)]
    pub every: Duration,
    /// Sync, ask the API for the sample query once, print the answer and exit.
    #[arg(long)]
    pub check: bool,
}

const SAMPLE_QUERY: &str = r#"{
  events(first: 3, filter: {category: "矛盾纠纷"}) {
    totalCount
    edges { node { source recordId occurredAt category categoryRaw status statusRaw unit
      addresses { field text place { id text level } }
      persons { position name phone idNumber
        why { score threshold with { source recordId } fields { field level weight } }
        person { id name phones sources eventCount
          events(first: 5) { edges { node { source occurredAt category status } } } } } } }
  }
  aggregate(by: [STREET, SOURCE], first: 10) {
    total groups { keys { by label } count closureRate satisfactionRate }
  }
  connectors { name recordsSynced sourceBehind quarantineOpen lastRunStatus lastError }
}"#;

const SITUATION_QUERY: &str = r#"{
  escalations(from: "2026-11-01T00:00:00+08:00", to: "2026-12-01T00:00:00+08:00", minRisk: MEDIUM, first: 5) {
    theme risk score sources persons { name } steps { source recordId occurredAt category status }
  }
  hotspots(lastDay: "2026-11-22", level: BUILDING) { count baseline pValue place { text } }
  unitIndicators(from: "2026-11-01T00:00:00+08:00", to: "2026-12-01T00:00:00+08:00", first: 5) {
    key received responseRate resolutionRate satisfactionRate onTimeRate overdue
  }
}"#;

pub async fn run(overrides: &Overrides, args: DemoArgs) -> anyhow::Result<ExitCode> {
    let mut settings = super::settings(overrides)?;
    if settings.resolve.gazetteer.is_none() {
        settings.resolve.gazetteer = Some(args.data_dir.join("feeds").join(GAZETTEER_FILE));
    }
    if settings.database_url == Settings::default().database_url {
        settings.database_url = format!("sqlite://{}", args.data_dir.join("hub.db").display());
    }
    if args.data_dir.exists() {
        std::fs::remove_dir_all(&args.data_dir)
            .with_context(|| format!("clearing {}", args.data_dir.display()))?;
    }
    std::fs::create_dir_all(&args.data_dir)?;

    let sim_args = SimulateArgs {
        seed: args.seed,
        records: args.records,
        out: args.data_dir.join("feeds"),
        serve: true,
        step: 0,
        advance_every: None,
        faults: args.faults,
        hotline_token: "demo-hotline-token".into(),
        alarm_api_key: "demo-alarm-key".into(),
        dialect: "reference".into(),
    };
    let spec = spec(&sim_args)?;
    println!(
        "1/4 simulating a city of {} records (seed {}) ...",
        args.records, args.seed
    );
    let city = Arc::new(tokio::task::spawn_blocking(move || SimCity::generate(&spec)).await?);
    std::fs::create_dir_all(&sim_args.out)?;
    city.write_truth(&sim_args.out)?;
    city.write_gazetteer(&sim_args.out)?;
    let server = serve(city.clone(), &sim_args).await?;
    let mut env = write_files(&city, &sim_args.out, 0)?;
    env.extend(http_env(&server, &sim_args));
    println!(
        "    feeds: hotline + 110 at {}, petition files and the GB18030 export in {}",
        server.base_url(),
        sim_args.out.display()
    );

    println!(
        "2/4 syncing every connector in {} into {} ...",
        settings.connectors_dir.display(),
        settings.database_url
    );
    let store = super::open_store(&settings).await?;
    let (feeds, broken) = super::load_feeds(&settings, &env)?;
    for b in &broken {
        eprintln!("connector `{}` skipped: {}", b.name, b.error);
    }
    let (_stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let reports = sync_all(&store, &feeds, false, &Progress::auto(), stop_rx.clone()).await;
    for r in &reports {
        let c = &r.counts;
        match &r.error {
            None => println!(
                "    {:<12} {:>6} new {:>6} updated {:>5} quarantined",
                r.connector, c.inserted, c.updated, c.quarantined
            ),
            Some(e) => println!("    {:<12} FAILED: {e}", r.connector),
        }
    }

    let mut resolving = Resolving::open(&store, &settings.resolve).await?;
    let started = std::time::Instant::now();
    let report = resolving.drain(&store).await?;
    let mut truth = truth_labels(&sim_args.out, Some("building"))?;
    restrict_to(&mut truth, &resolving.records());
    let quality = evaluate(&truth, &resolving.labels(Some(AddressLevel::Building)));
    println!(
        "    resolved {} events in {:.1} s: {} person mentions, {} address mentions",
        report.events,
        started.elapsed().as_secs_f64(),
        resolving.persons().len(),
        resolving.places().len()
    );
    println!(
        "    against the simulator's truth: persons pairwise F1 {:.3}, B-cubed F1 {:.3}; addresses (building) pairwise F1 {:.3}",
        quality.persons.pairwise.f1, quality.persons.bcubed.f1, quality.addresses.pairwise.f1
    );
    if let Some((_, last)) = store.event_time_span().await? {
        let day = local_day(last) - chrono::Duration::days(1);
        let files = Reporter::new(store.clone(), settings.analysis.clone())
            .produce(&Request {
                job: "demo".into(),
                period: Period::Daily,
                date: day,
                formats: vec![Format::Html, Format::Xlsx],
                out_dir: Some(args.data_dir.join("reports")),
                webhook: None,
                scheduled_for: None,
            })
            .await?;
        println!(
            "    situation report of {day} (社会治安形势分析报告): {}",
            files.join(", ")
        );
    }

    let names = feeds.iter().map(|f| f.name.clone()).collect();
    let app = Application::build(
        ApiContext::new(store.clone(), names)
            .with_search(
                hub::ingest::resolution::load_gazetteer(&settings.resolve)?,
                &settings.resolve.area_code,
            )
            .with_analysis(&settings.analysis),
        settings.listen,
    )
    .await
    .with_context(|| {
        format!(
            "listening on {} (choose another with --listen 127.0.0.1:0)",
            settings.listen
        )
    })?;
    let addr = app.local_addr();
    let server_task = tokio::spawn(app.serve(async {
        let _ = tokio::signal::ctrl_c().await;
    }));

    if args.check {
        let answer = ask(addr, SAMPLE_QUERY).await?;
        println!("{}", serde_json::to_string_pretty(&answer)?);
        let total = answer
            .pointer("/data/events/totalCount")
            .and_then(|v| v.as_i64())
            .unwrap_or(0);
        server.shutdown().await;
        if answer.get("errors").is_some() || total == 0 {
            anyhow::bail!("the sample query found nothing or failed");
        }
        return Ok(if reports.iter().any(|r| r.error.is_some()) {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }

    println!(
        "3/4 GraphQL at http://{addr}/graphql — open http://{addr}/ for GraphiQL and try:\n{SAMPLE_QUERY}\nor the situation analyses:\n{SITUATION_QUERY}"
    );
    println!(
        "4/4 every {}s the simulator releases revisions (status changes, re-exported petition files) and the hub syncs them; `hub status --database-url {}` shows progress. Ctrl-C stops.",
        args.every.as_secs(),
        settings.database_url
    );
    let steps = city.spec().steps;
    let mut tick = tokio::time::interval(args.every);
    tick.tick().await;
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            _ = tick.tick() => {
                if server.step() + 1 < steps {
                    let next = server.step() + 1;
                    write_files(&city, &sim_args.out, next)?;
                    server.set_step(next);
                    println!("    step {next}/{} released", steps - 1);
                }
                for r in sync_all(&store, &feeds, false, &Progress::Log, stop_rx.clone()).await {
                    if let Some(e) = r.error {
                        println!("    {}: {e}", r.connector);
                    }
                }
                let report = resolving.drain(&store).await?;
                println!("    resolved {} revised events", report.events);
            }
        }
    }
    server.shutdown().await;
    let _ = server_task.await;
    Ok(ExitCode::SUCCESS)
}

async fn ask(addr: std::net::SocketAddr, query: &str) -> anyhow::Result<serde_json::Value> {
    let client = reqwest::Client::new();
    let res = client
        .post(format!("http://{addr}/graphql"))
        .json(&serde_json::json!({ "query": query }))
        .send()
        .await?;
    Ok(res.json().await?)
}
