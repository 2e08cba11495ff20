use std::process::ExitCode;

use hub::config::Overrides;
use hub::ingest::progress::Progress;
use hub::ingest::resolution::{Resolving, follow};
use hub::ingest::sync::sync_all;

#[derive(clap::Args)]
pub struct SyncArgs {
    /// Keep polling each connector on its own schedule until Ctrl-C.
    #[arg(long)]
    pub follow: bool,
    /// Only these connectors (by name); all enabled ones when absent.
    #[arg(long = "connector", value_name = "NAME")]
    pub connectors: Vec<String>,
}

pub async fn run(overrides: &Overrides, args: SyncArgs) -> anyhow::Result<ExitCode> {
    let settings = super::settings(overrides)?;
    let store = super::open_store(&settings).await?;
    let (mut feeds, broken) = super::load_feeds(&settings, &[])?;
    if let Some(unknown) = args
        .connectors
        .iter()
        .find(|n| !feeds.iter().any(|f| &f.name == *n) && !broken.iter().any(|b| &b.name == *n))
    {
        anyhow::bail!(
            "no connector named `{unknown}` in {}",
            settings.connectors_dir.display()
        );
    }
    if !args.connectors.is_empty() {
        feeds.retain(|f| args.connectors.contains(&f.name));
    }
    let mut failed = false;
    for b in broken
        .iter()
        .filter(|b| args.connectors.is_empty() || args.connectors.contains(&b.name))
    {
        eprintln!("connector `{}` skipped: {}", b.name, b.error);
        failed = true;
    }
    let (tx, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = tx.send(true);
        }
    });
    let resolving = args.follow.then(|| {
        tokio::spawn(follow(
            store.clone(),
            settings.resolve.clone(),
            rx.clone(),
            std::time::Duration::from_secs(2),
        ))
    });
    let reports = sync_all(&store, &feeds, args.follow, &Progress::auto(), rx).await;
    for r in &reports {
        let c = &r.counts;
        match &r.error {
            None => println!(
                "{:<16} ok      fetched {:>8}  new {:>8}  updated {:>7}  unchanged {:>8}  quarantined {:>6}",
                r.connector, c.fetched, c.inserted, c.updated, c.unchanged, c.quarantined
            ),
            Some(e) => {
                failed = true;
                println!("{:<16} FAILED  {e}", r.connector);
            }
        }
    }
    match resolving {
        Some(task) => {
            if let Ok(Err(e)) = task.await {
                failed = true;
                println!("resolution FAILED  {e}");
            }
        }
        None => {
            // Resolve what this sync brought in before returning.
            let mut r = Resolving::open(&store, &settings.resolve).await?;
            let report = r.drain(&store).await?;
            println!(
                "resolution       ok      events {:>8}  person links {:>8}  address links {:>8}",
                report.events, report.person_links, report.address_links
            );
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
