//! A feed whose dates the connector file does not know is quarantined row by row; after the
//! file is fixed, `hub quarantine replay` stores them. Rows that are broken at the source stay.

mod common;

use std::process::Command;

use common::dump::event_keys;
use common::sim::{SimEnv, edited_connectors, no_faults, repo_connectors};
use hub::ingest::progress::Progress;
use hub::ingest::sync::sync_all;
use hub::simulate::SimSpec;
use hub::store::{QuarantineFilter, Store};

fn hub(url: &str, connectors: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(args)
        .env("HUB_DATABASE_URL", url)
        .env("HUB_CONNECTORS_DIR", connectors)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quarantined_rows_are_replayed_after_a_config_fix() {
    for db in common::databases() {
        let sim = SimEnv::start(SimSpec::small(41), no_faults()).await;
        // A deployment that forgot the petition system's `2026/11/01` date form.
        let broken =
            edited_connectors(&[("petition.toml", "formats = [\"%Y/%m/%d\", ", "formats = [")]);
        let store = Store::open(&db.url).await.unwrap();
        let (_tx, rx) = tokio::sync::watch::channel(false);
        let reports = sync_all(
            &store,
            &sim.feeds_from(broken.path()),
            false,
            &Progress::Quiet,
            rx,
        )
        .await;
        let petition = reports.iter().find(|r| r.connector == "petition").unwrap();
        assert!(petition.error.is_none());
        let e = sim.city.expected(0);
        assert_eq!(
            petition.counts.inserted, 0,
            "{}: no petition maps without its date format",
            db.label
        );
        assert_eq!(
            petition.counts.quarantined as usize, e.petition.rows,
            "{}: every row kept in quarantine",
            db.label
        );
        let (_, keys) = event_keys(&store).await;
        assert!(keys.iter().all(|(s, _)| s != "petition"));
        assert!(
            keys.iter().any(|(s, _)| s == "alarm"),
            "{}: the other feeds landed",
            db.label
        );

        let (ok, listing) = hub(
            &db.url,
            broken.path(),
            &[
                "quarantine",
                "list",
                "--connector",
                "petition",
                "--limit",
                "3",
            ],
        );
        assert!(ok, "{listing}");
        assert!(
            listing.contains("reason:") && listing.contains("djrq") && listing.contains("xf_"),
            "{listing}"
        );

        // Fixed connector files (the shipped ones): replay.
        let (ok, out) = hub(&db.url, &repo_connectors(), &["quarantine", "replay"]);
        assert!(ok, "{out}");
        assert!(
            out.contains(&format!("replayed {} row(s)", e.petition.records)),
            "{}: {out}",
            db.label
        );
        let (_, keys) = event_keys(&store).await;
        assert_eq!(
            keys.iter().filter(|(s, _)| s == "petition").count(),
            e.petition.records,
            "{}",
            db.label
        );
        let open = store
            .quarantine_entries(QuarantineFilter {
                connector: Some("petition".into()),
                status: Some("open".into()),
                limit: None,
            })
            .await
            .unwrap();
        assert_eq!(
            open.len(),
            e.petition.malformed,
            "{}: rows broken at the source stay open",
            db.label
        );
        // Replaying again is harmless.
        let (ok, out) = hub(&db.url, &repo_connectors(), &["quarantine", "replay"]);
        assert!(ok && out.contains("replayed 0 row(s)"), "{out}");
    }
}
