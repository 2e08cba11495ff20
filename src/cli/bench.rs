//! `hub bench sync`: a release-build benchmark, not a test. A simulated city served by a child
//! `hub simulate` process (so its memory is not counted), synced into SQLite and optionally
//! PostgreSQL; prints records/s and the sync process's peak RSS.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::Context;
use diesel::{Connection, RunQueryDsl};
use hub::config::{Overrides, Settings};
use hub::ingest::progress::Progress;
use hub::ingest::sync::sync_all;
use hub::store::Store;

#[derive(clap::Subcommand)]
pub enum BenchCommand {
    /// Sync a simulated city from local HTTP and files into SQLite (and PostgreSQL).
    Sync {
        #[arg(long, default_value_t = 1_000_000)]
        records: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Also into PostgreSQL: a server URL whose user may create a database
        /// (a fresh `hub_bench_*` database is made and dropped).
        #[arg(long, value_name = "URL")]
        postgres_admin_url: Option<String>,
        /// Working folder for the simulator's files and the SQLite database.
        #[arg(long, default_value = "target/bench-sync")]
        dir: PathBuf,
    },
    /// Resolve the persons and places of a simulated city, side by side with Splink.
    Resolve(super::bench_resolve::ResolveBenchArgs),
    /// The GraphQL API under concurrent load, beside the same reads straight from the store.
    Api(super::bench_api::ApiBenchArgs),
    /// The daily situation report of a simulated city, phase by phase.
    Report(super::bench_report::ReportBenchArgs),
}

pub async fn run(overrides: &Overrides, command: BenchCommand) -> anyhow::Result<ExitCode> {
    let (records, seed, postgres_admin_url, dir) = match command {
        BenchCommand::Sync {
            records,
            seed,
            postgres_admin_url,
            dir,
        } => (records, seed, postgres_admin_url, dir),
        BenchCommand::Resolve(args) => return super::bench_resolve::run(overrides, args).await,
        BenchCommand::Api(args) => return super::bench_api::run(overrides, args).await,
        BenchCommand::Report(args) => return super::bench_report::run(overrides, args).await,
    };
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: this is a debug build; run `cargo run --release -- bench sync` for real figures"
        );
    }
    let settings = super::settings(overrides)?;
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let (mut child, env) = start_simulator(&dir, records, seed)?;

    let mut targets = vec![(
        "sqlite",
        format!("sqlite://{}", dir.join("bench.db").display()),
        None,
    )];
    if let Some(admin) = &postgres_admin_url {
        let name = format!("hub_bench_{}", std::process::id());
        let mut c =
            diesel::PgConnection::establish(admin).context("connecting to --postgres-admin-url")?;
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c)?;
        let base = admin
            .rsplit_once('/')
            .map(|(b, _)| b.to_string())
            .context("URL has no database part")?;
        targets.push((
            "postgres",
            format!("{base}/{name}"),
            Some((admin.clone(), name)),
        ));
    }
    let mut failed = false;
    for (label, url, cleanup) in targets {
        reset_peak_rss();
        let settings = Settings {
            database_url: url.clone(),
            ..settings.clone()
        };
        let store = Store::open(&settings.database_url).await?;
        let (feeds, broken) = super::load_feeds(&settings, &env)?;
        anyhow::ensure!(
            broken.is_empty(),
            "connector files need variables the simulator did not give"
        );
        let (_tx, rx) = tokio::sync::watch::channel(false);
        let cpu_before = (cpu_secs("self"), cpu_secs(&child.id().to_string()));
        let t = Instant::now();
        let reports = sync_all(&store, &feeds, false, &Progress::auto(), rx).await;
        let secs = t.elapsed().as_secs_f64();
        let cpu_after = (cpu_secs("self"), cpu_secs(&child.id().to_string()));
        let rows: i64 = reports.iter().map(|r| r.counts.fetched).sum();
        let stored: i64 = reports.iter().map(|r| r.counts.inserted).sum();
        for r in &reports {
            if let Some(e) = &r.error {
                failed = true;
                println!("  {} FAILED: {e}", r.connector);
            }
        }
        println!(
            "{label:<8} {rows} rows delivered ({stored} distinct records) in {secs:.1}s = {:.0} rows/s, {:.0} distinct records/s; peak RSS {:.0} MiB",
            rows as f64 / secs,
            stored as f64 / secs,
            peak_rss_kib().unwrap_or(0) as f64 / 1024.0
        );
        // SQLite's single writer sets the pace: its own time says more than the wall clock,
        // which moves with whatever else the machine runs.
        if let Some((on_cpu, queued)) = thread_times("sqlite-writer") {
            println!(
                "         sqlite-writer thread: {on_cpu:.1}s on a core, {queued:.1}s waiting for one"
            );
        }
        // Both cores are shared with the feed simulator, which stands in for systems that run on
        // machines of their own.
        if let ((Some(h0), Some(s0)), (Some(h1), Some(s1))) = (cpu_before, cpu_after) {
            println!(
                "         CPU time during the sync: hub {:.1}s, feed simulator {:.1}s (of {:.1}s on two cores)",
                h1 - h0,
                s1 - s0,
                2.0 * secs
            );
        }
        for r in &reports {
            let c = &r.counts;
            println!(
                "         {:<12} fetched {:>8} new {:>8} updated {:>7} unchanged {:>8} quarantined {:>5}",
                r.connector, c.fetched, c.inserted, c.updated, c.unchanged, c.quarantined
            );
        }
        drop(store);
        if let Some((admin, name)) = cleanup
            && let Ok(mut c) = diesel::PgConnection::establish(&admin)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut c);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Settings for a benchmark's own SQLite store and simulated feeds in
/// `dir`; unless `reuse`, simulates a city of `records` there and syncs it
/// (not timed as part of any figure).
pub async fn simulated_city(
    overrides: &Overrides,
    dir: &std::path::Path,
    records: usize,
    seed: u64,
    reuse: bool,
) -> anyhow::Result<Settings> {
    let mut settings = super::settings(overrides)?;
    settings.database_url = format!("sqlite://{}", dir.join("bench.db").display());
    settings.resolve.gazetteer = Some(dir.join("feeds").join(hub::simulate::GAZETTEER_FILE));
    if reuse {
        return Ok(settings);
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let (mut child, env) = start_simulator(dir, records, seed)?;
    let store = Store::open(&settings.database_url).await?;
    let (feeds, _) = super::load_feeds(&settings, &env)?;
    let (_tx, rx) = tokio::sync::watch::channel(false);
    let t = Instant::now();
    sync_all(&store, &feeds, false, &Progress::auto(), rx).await;
    println!(
        "synced into SQLite in {:.1}s (not part of the figures below)",
        t.elapsed().as_secs_f64()
    );
    let _ = child.kill();
    let _ = child.wait();
    Ok(settings)
}

/// The synced and resolved city the API and report benchmarks read.
#[derive(clap::Args)]
pub struct CityArgs {
    /// Records (events) in the simulated city.
    #[arg(long, default_value_t = 1_000_000)]
    pub records: usize,
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// The city's folder, shared by `bench api` and `bench report`.
    #[arg(long, default_value = "target/bench-api")]
    pub dir: PathBuf,
    /// Reuse the synced and resolved database of an earlier run in --dir.
    #[arg(long)]
    pub reuse: bool,
}

/// `simulated_city`, opened and resolved up to date (resolution not
/// counted in any figure).
pub async fn resolved_city(
    overrides: &Overrides,
    city: &CityArgs,
) -> anyhow::Result<(Settings, Store)> {
    let (dir, reuse) = (city.dir.as_path(), city.reuse);
    let settings = simulated_city(overrides, dir, city.records, city.seed, reuse).await?;
    let store = Store::open(&settings.database_url).await?;
    // Whatever the store still has to resolve (everything after a fresh sync).
    if !reuse || !store.queued_events(1).await?.is_empty() {
        let t = Instant::now();
        let mut r = hub::ingest::resolution::Resolving::open(&store, &settings.resolve).await?;
        r.drain(&store).await?;
        drop(r);
        println!("resolution up to date in {:.1}s", t.elapsed().as_secs_f64());
    }
    Ok((settings, store))
}

/// Starts `hub simulate --serve` as a child (its memory is not ours) with
/// everything released; returns it and the variables the connectors read.
pub fn start_simulator(
    dir: &std::path::Path,
    records: usize,
    seed: u64,
) -> anyhow::Result<(std::process::Child, Vec<(String, String)>)> {
    let started = Instant::now();
    let mut child = Command::new(std::env::current_exe()?)
        .args([
            "simulate",
            "--serve",
            "--records",
            &records.to_string(),
            "--seed",
            &seed.to_string(),
            "--step",
            "1000000",
        ])
        .arg("--out")
        .arg(dir.join("feeds"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting the simulator")?;
    let mut env = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    for line in lines.by_ref() {
        let line = line?;
        if line == "READY" {
            break;
        }
        if let Some((k, v)) = line.strip_prefix("export ").and_then(|l| l.split_once('=')) {
            env.push((k.to_string(), v.to_string()));
        }
    }
    anyhow::ensure!(env.len() >= 6, "the simulator did not start (got {env:?})");
    // Keep reading so the child never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    println!(
        "simulator ready in {:.1}s ({records} records, seed {seed})",
        started.elapsed().as_secs_f64()
    );
    Ok((child, env))
}

/// Peak resident set size of this process (VmHWM), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Time a thread of this process named `name` has spent on a core and runnable but waiting
/// for one, in seconds (Linux `schedstat`).
fn thread_times(name: &str) -> Option<(f64, f64)> {
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim_end() != name {
            continue;
        }
        let stat = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
        let mut ns = stat.split_whitespace().map(|v| v.parse::<f64>().ok());
        return Some((ns.next()?? / 1e9, ns.next()?? / 1e9));
    }
    None
}

/// User and system CPU time of a process (`self` or a pid) so far, in seconds (Linux
/// `/proc/PID/stat`, in clock ticks).
fn cpu_secs(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let per_sec = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    (per_sec > 0).then(|| ticks / per_sec as f64)
}

/// Lets each target report its own peak (Linux: writing 5 to clear_refs resets VmHWM).
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
