//! `hub simulate`: a seeded synthetic city in the shapes of the three feeds, with its truth.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use hub::simulate::{Dialect, Faults, FeedServer, ServeOptions, SimCity, SimSpec};

#[derive(clap::Args, Clone)]
pub struct SimulateArgs {
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Records in all three feeds together (distinct ids; revisions come on top).
    #[arg(long, default_value_t = 2000)]
    pub records: usize,
    /// Folder for petition files, the hotline CSV export and the truth files.
    #[arg(long, default_value = "sim-data")]
    pub out: PathBuf,
    /// Serve the hotline and alarm HTTP feeds on 127.0.0.1 until Ctrl-C.
    #[arg(long)]
    pub serve: bool,
    /// Release step to expose first (0 holds the bulk; later steps bring revisions).
    #[arg(long, default_value_t = 0)]
    pub step: u32,
    /// With --serve: move to the next step this often, rewriting the files.
    #[arg(long, value_parser = humantime::parse_duration)]
    pub advance_every: Option<Duration>,
    /// Share of HTTP requests that fail (500, 429, slow, truncated, code != 0).
    #[arg(long, default_value_t = 0.0)]
    pub faults: f64,
    #[arg(long, default_value = "sim-hotline-token")]
    pub hotline_token: String,
    #[arg(long, default_value = "sim-alarm-key")]
    pub alarm_api_key: String,
    /// `reference` (feeds.md) or `second-city` (renamed fields, other date formats, UTF-8).
    #[arg(long, default_value = "reference")]
    pub dialect: String,
}

pub fn spec(args: &SimulateArgs) -> anyhow::Result<SimSpec> {
    let mut spec = SimSpec::with_records(args.seed, args.records);
    spec.dialect = match args.dialect.as_str() {
        "reference" => Dialect::Reference,
        "second-city" => Dialect::SecondCity,
        other => anyhow::bail!("--dialect `{other}`: expected reference or second-city"),
    };
    Ok(spec)
}

/// Writes the file feeds for `step` and returns the environment the shipped connector files read.
pub fn write_files(
    city: &SimCity,
    out: &std::path::Path,
    step: u32,
) -> anyhow::Result<Vec<(String, String)>> {
    let petitions = out.join("petitions");
    std::fs::create_dir_all(&petitions)
        .with_context(|| format!("creating {}", petitions.display()))?;
    city.write_petition_files(&petitions, step)
        .context("writing petition files")?;
    let csv = out.join("hotline_export.csv");
    city.write_hotline_csv(&csv, step)
        .context("writing the hotline CSV export")?;
    Ok(vec![
        ("PETITION_DIR".into(), petitions.display().to_string()),
        ("HOTLINE_CSV".into(), csv.display().to_string()),
    ])
}

/// Serves the city's HTTP feeds with the tokens and fault rate of `args`.
pub async fn serve(city: Arc<SimCity>, args: &SimulateArgs) -> anyhow::Result<FeedServer> {
    let faults = if args.faults > 0.0 {
        Faults::total(args.faults)
    } else {
        Faults::none()
    };
    let options = ServeOptions {
        hotline_token: args.hotline_token.clone(),
        alarm_api_key: args.alarm_api_key.clone(),
        faults,
        fault_seed: args.seed,
    };
    Ok(FeedServer::start(city, options).await?)
}

pub fn http_env(server: &FeedServer, args: &SimulateArgs) -> Vec<(String, String)> {
    vec![
        ("HOTLINE_BASE_URL".into(), server.base_url()),
        ("HOTLINE_TOKEN".into(), args.hotline_token.clone()),
        ("ALARM_BASE_URL".into(), server.base_url()),
        ("ALARM_API_KEY".into(), args.alarm_api_key.clone()),
    ]
}

pub async fn run(args: SimulateArgs) -> anyhow::Result<ExitCode> {
    let spec = spec(&args)?;
    let started = std::time::Instant::now();
    let city = Arc::new(tokio::task::spawn_blocking(move || SimCity::generate(&spec)).await?);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    city.write_truth(&args.out).context("writing truth files")?;
    city.write_gazetteer(&args.out)
        .context("writing the gazetteer")?;
    let mut env = write_files(&city, &args.out, args.step)?;
    eprintln!(
        "generated in {:.1}s; files in {}",
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    if !args.serve {
        for (k, v) in env {
            println!("export {k}={v}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let server = serve(city.clone(), &args).await?;
    server.set_step(args.step);
    env.extend(http_env(&server, &args));
    for (k, v) in &env {
        println!("export {k}={v}");
    }
    // Scripts (the benchmark) wait for this line before they start.
    println!("READY");
    let steps = city.spec().steps;
    let mut ticker = args.advance_every.map(tokio::time::interval);
    if let Some(t) = ticker.as_mut() {
        t.tick().await;
    }
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            _ = async { ticker.as_mut().expect("guarded").tick().await }, if ticker.is_some() && server.step() + 1 < steps => {
                let next = server.step() + 1;
                write_files(&city, &args.out, next)?;
                server.set_step(next);
                eprintln!("step {next} released");
            }
        }
    }
    server.shutdown().await;
    Ok(ExitCode::SUCCESS)
}
