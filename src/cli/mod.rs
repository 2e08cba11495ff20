//! Subcommands. The only place that uses `anyhow` and prints to the terminal.

pub mod bench;
pub mod bench_api;
pub mod bench_report;
pub mod bench_resolve;
pub mod demo;
pub mod eval;
pub mod export;
pub mod quarantine;
pub mod report;
pub mod resolve;
pub mod serve;
pub mod simulate;
pub mod status;
pub mod sync;

use std::io::IsTerminal;

use anyhow::Context;
use hub::config::{Overrides, Settings};
use hub::feeds::{BrokenFeed, Feed};
use hub::store::Store;
use tracing_subscriber::EnvFilter;

/// Logs to stderr. On a terminal only warnings by default (progress bars show the rest);
/// elsewhere info-level lines. RUST_LOG overrides both.
pub fn init_logging() {
    let default = if std::io::stderr().is_terminal() {
        "warn"
    } else {
        "info"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

pub fn settings(overrides: &Overrides) -> anyhow::Result<Settings> {
    Ok(Settings::load(overrides, |k| std::env::var(k).ok())?)
}

pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    Store::open(&settings.database_url)
        .await
        .with_context(|| "opening the database (HUB_DATABASE_URL / --database-url)")
}

/// Connector files, with `extra` environment values taking precedence over the process's.
pub fn load_feeds(
    settings: &Settings,
    extra: &[(String, String)],
) -> anyhow::Result<(Vec<Feed>, Vec<BrokenFeed>)> {
    let env = |k: &str| {
        extra
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .or_else(|| std::env::var(k).ok())
    };
    hub::feeds::load_dir(&settings.connectors_dir, &env).with_context(|| {
        format!(
            "loading connector files from {} (HUB_CONNECTORS_DIR / --connectors-dir)",
            settings.connectors_dir.display()
        )
    })
}
