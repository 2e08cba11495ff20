//! `hub resolve`: bring the entity tables up to date, or rebuild them.

use std::process::ExitCode;

use hub::config::Overrides;
use hub::ingest::resolution::Resolving;

#[derive(clap::Args)]
pub struct ResolveArgs {
    /// Cluster every mention again from scratch (same model).
    #[arg(long)]
    pub rebuild: bool,
    /// Re-estimate the person model from all mentions first (implies --rebuild).
    #[arg(long)]
    pub retrain: bool,
}

pub async fn run(overrides: &Overrides, args: ResolveArgs) -> anyhow::Result<ExitCode> {
    let settings = super::settings(overrides)?;
    let store = super::open_store(&settings).await?;
    let started = std::time::Instant::now();
    let mut r = Resolving::open(&store, &settings.resolve).await?;
    let opened = r.opened();
    if opened.person_links + opened.address_links > 0 {
        println!(
            "at start: {} person links and {} address links written for mentions stored without an entity",
            opened.person_links, opened.address_links
        );
    }
    let report = if args.rebuild || args.retrain {
        r.rebuild(&store, args.retrain).await?
    } else {
        r.drain(&store).await?
    };
    println!(
        "resolved {} queued events in {:.1} s: {} person links and {} address links written, {} entity log entries",
        report.events,
        started.elapsed().as_secs_f64(),
        report.person_links,
        report.address_links,
        report.log_entries
    );
    println!(
        "{} person mentions, {} address mentions; entities with two different valid ID numbers: {}",
        r.persons().len(),
        r.places().len(),
        r.id_conflicts()
    );
    Ok(ExitCode::SUCCESS)
}
