use std::process::ExitCode;

use hub::app::Application;
use hub::config::Overrides;
use hub::graphql::ApiContext;
use hub::ingest::progress::Progress;
use hub::report::jobs::Reporter;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Also keep syncing every enabled connector on its schedule. Scheduled
    /// reports (`[[reports]]` in hub.toml) run either way.
    #[arg(long)]
    pub sync: bool,
}

pub async fn run(overrides: &Overrides, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let settings = super::settings(overrides)?;
    let store = super::open_store(&settings).await?;
    let (feeds, broken) = super::load_feeds(&settings, &[])?;
    for b in &broken {
        eprintln!("connector `{}` skipped: {}", b.name, b.error);
    }
    let names = feeds.iter().map(|f| f.name.clone()).collect();
    let ctx = ApiContext::new(store.clone(), names)
        .with_search(
            hub::ingest::resolution::load_gazetteer(&settings.resolve)?,
            &settings.resolve.area_code,
        )
        .with_analysis(&settings.analysis);
    // Aggregates are answered by SQL until the cube is loaded; load it now.
    let warming = ctx.clone();
    tokio::spawn(async move {
        if let Err(e) = warming.warm().await {
            tracing::warn!(error = %e, "the aggregate cube could not be loaded; aggregates use SQL");
        }
    });
    let app = Application::build(ctx, settings.listen).await?;
    println!(
        "GraphQL on http://{}/graphql (GraphiQL at http://{}/)",
        app.local_addr(),
        app.local_addr()
    );
    let (tx, rx) = tokio::sync::watch::channel(false);
    let resolving = args.sync.then(|| {
        tokio::spawn(hub::ingest::resolution::follow(
            store.clone(),
            settings.resolve.clone(),
            rx.clone(),
            std::time::Duration::from_secs(2),
        ))
    });
    let reporting = (!settings.reports.is_empty()).then(|| {
        println!(
            "scheduled reports: {}",
            settings
                .reports
                .iter()
                .map(|j| format!("{} ({}, {})", j.name, j.period.as_str(), j.cron))
                .collect::<Vec<_>>()
                .join("; ")
        );
        let reporter = Reporter::new(store.clone(), settings.analysis.clone());
        let (jobs, rx) = (settings.reports.clone(), rx.clone());
        tokio::spawn(async move { reporter.run_schedule(jobs, rx).await })
    });
    let syncing = args.sync.then(|| {
        let store = store.clone();
        tokio::spawn(async move {
            hub::ingest::sync::sync_all(&store, &feeds, true, &Progress::Log, rx).await
        })
    });
    app.serve(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    let _ = tx.send(true);
    if let Some(task) = reporting {
        let _ = task.await;
    }
    if let Some(task) = syncing {
        let _ = task.await;
    }
    if let Some(task) = resolving
        && let Ok(Err(e)) = task.await
    {
        anyhow::bail!("resolution stopped: {e}");
    }
    Ok(ExitCode::SUCCESS)
}
