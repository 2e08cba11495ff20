use std::process::ExitCode;

use anyhow::Context;
use hub::config::Overrides;
use hub::store::QuarantineFilter;

#[derive(clap::Subcommand)]
pub enum QuarantineCommand {
    /// Show quarantined rows with their reasons.
    List {
        #[arg(long)]
        connector: Option<String>,
        /// open, replayed or superseded; all when absent.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Map open rows again with the current connector files; store what now maps.
    Replay {
        #[arg(long)]
        connector: Option<String>,
    },
}

pub async fn run(overrides: &Overrides, command: QuarantineCommand) -> anyhow::Result<ExitCode> {
    let settings = super::settings(overrides)?;
    let store = super::open_store(&settings).await?;
    match command {
        QuarantineCommand::List {
            connector,
            status,
            limit,
        } => {
            let rows = store
                .quarantine_entries(QuarantineFilter {
                    connector,
                    status,
                    limit: Some(limit),
                })
                .await?;
            if rows.is_empty() {
                println!("quarantine is empty");
            }
            for q in rows {
                println!(
                    "#{} [{}] {} {} {} ({}, seen {}x)\n    reason: {}\n    raw:    {}",
                    q.id,
                    q.status,
                    q.connector,
                    q.record_id.as_deref().unwrap_or("(no id)"),
                    q.location,
                    q.stage,
                    q.seen_count,
                    q.reason,
                    q.raw.chars().take(300).collect::<String>()
                );
                if let Some(hex) = &q.raw_hex {
                    println!("    bytes:  {}", hex.chars().take(200).collect::<String>());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        QuarantineCommand::Replay { connector } => {
            let feeds =
                hub::feeds::load_dir_mappings(&settings.connectors_dir).with_context(|| {
                    format!(
                        "loading connector files from {}",
                        settings.connectors_dir.display()
                    )
                })?;
            if let Some(c) = &connector
                && !feeds.iter().any(|f| &f.name == c)
            {
                anyhow::bail!(
                    "no connector named `{c}` in {}",
                    settings.connectors_dir.display()
                );
            }
            let r = hub::ingest::replay::replay(&store, &feeds, connector.as_deref()).await?;
            println!(
                "replayed {} row(s); {} still failing; {} need the source to re-send them (bytes or columns unreadable)",
                r.replayed, r.still_failing, r.needs_resend
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
