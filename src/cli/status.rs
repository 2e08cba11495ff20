use std::process::ExitCode;

use hub::config::Overrides;

pub async fn run(overrides: &Overrides) -> anyhow::Result<ExitCode> {
    let settings = super::settings(overrides)?;
    let store = super::open_store(&settings).await?;
    let (feeds, broken) = super::load_feeds(&settings, &[])?;
    let names = feeds
        .iter()
        .map(|f| f.name.clone())
        .chain(broken.iter().map(|b| b.name.clone()))
        .collect();
    let rows = store.connector_status(names).await?;
    let now = chrono::Utc::now().naive_utc();
    println!("database: {}", store.redacted_url());
    println!(
        "{:<14} {:>9} {:>10} {:>11} {:>8}  {:<28} last run / error",
        "connector", "records", "behind", "data lag", "quarant.", "checkpoint"
    );
    for s in rows {
        let cp = s.checkpoint.as_ref();
        let lag = cp
            .and_then(|c| c.last_source_time)
            .map(|t| humanize(now - t))
            .unwrap_or_else(|| "-".into());
        let checkpoint = cp
            .map(|c| c.checkpoint.to_string())
            .unwrap_or_else(|| "(never synced)".into());
        let checkpoint: String = if checkpoint.chars().count() > 28 {
            checkpoint.chars().take(27).collect::<String>() + "…"
        } else {
            checkpoint
        };
        let disabled = feeds.iter().any(|f| f.name == s.connector && !f.enabled);
        let broken_reason = broken
            .iter()
            .find(|b| b.name == s.connector)
            .map(|b| b.error.to_string());
        let run = match (&broken_reason, disabled, &s.last_run_status, &s.last_error) {
            (Some(reason), _, _, _) => format!("not configured: {reason}"),
            (None, true, _, _) => "disabled".into(),
            (None, false, Some(st), Some(err)) if st == "failed" => format!("failed: {err}"),
            (None, false, Some(st), _) => format!(
                "{st} {}",
                s.last_run_finished
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                    .unwrap_or_default()
            ),
            (None, false, None, _) => "never ran".into(),
        };
        println!(
            "{:<14} {:>9} {:>10} {:>11} {:>8}  {:<28} {}",
            s.connector,
            cp.map(|c| c.records_total).unwrap_or(0),
            cp.and_then(|c| c.source_behind)
                .map(|b| b.to_string())
                .unwrap_or_else(|| "-".into()),
            lag,
            s.quarantine_open,
            checkpoint,
            run
        );
    }
    println!(
        "(behind: records the source said were still waiting at the last fetch; data lag: now minus the newest source time stored)"
    );
    Ok(ExitCode::SUCCESS)
}

fn humanize(d: chrono::TimeDelta) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..=119 => format!("{s}s"),
        120..=7199 => format!("{}m", s / 60),
        7200..=172_799 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}
