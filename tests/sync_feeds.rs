//! Every connector kind against the simulator: the HTTP feeds on 127.0.0.1, the petition
//! folder (CSV with BOM and XLSX, re-exported files) and the GB18030 CSV export, on both stores.

mod common;

use common::dump::{dump, event_keys};
use common::sim::{SimEnv, no_faults, sync_once};
use hub::ingest::sync::SyncReport;
use hub::simulate::SimSpec;
use hub::store::{QuarantineFilter, Store};

fn report<'a>(reports: &'a [SyncReport], name: &str) -> &'a SyncReport {
    reports.iter().find(|r| r.connector == name).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_connectors_land_every_record_and_every_revision() {
    for db in common::databases() {
        // A fresh folder per store: files released at later steps must not be there yet.
        let sim = SimEnv::start(SimSpec::small(11), no_faults()).await;
        let feeds = sim.feeds();
        let files: Vec<String> = std::fs::read_dir(sim.petition_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            files.iter().any(|f| f.ends_with(".xlsx")) && files.iter().any(|f| f.ends_with(".csv")),
            "{files:?}"
        );
        let store = Store::open(&db.url).await.unwrap();
        let first = sync_once(&store, &feeds).await;
        let e0 = sim.city.expected(0);
        let (_, keys) = event_keys(&store).await;
        let count = |s: &str| keys.iter().filter(|(src, _)| src == s).count();
        assert_eq!(
            count("hotline"),
            e0.hotline.records,
            "{}: hotline records",
            db.label
        );
        assert_eq!(
            count("alarm"),
            e0.alarm.records,
            "{}: alarm records",
            db.label
        );
        assert_eq!(
            count("petition"),
            e0.petition.records,
            "{}: petition records (CSV and XLSX files)",
            db.label
        );
        assert_eq!(
            report(&first, "alarm").counts.quarantined as usize,
            e0.alarm.malformed,
            "{}",
            db.label
        );
        assert_eq!(
            report(&first, "petition").counts.quarantined as usize,
            e0.petition.malformed,
            "{}",
            db.label
        );
        assert_eq!(
            report(&first, "hotline").counts.quarantined as usize,
            e0.hotline.malformed,
            "{}",
            db.label
        );
        // The export holds the orders also pulled over HTTP: together they store each order once,
        // and the same state from either never makes a second version.
        let csv = report(&first, "hotline_csv");
        assert_eq!(
            (csv.counts.inserted + report(&first, "hotline").counts.inserted) as usize,
            e0.hotline.records,
            "{}: HTTP and CSV export together",
            db.label
        );
        assert_eq!(
            csv.counts.quarantined as usize, e0.hotline_csv.malformed,
            "{}: undecodable GB18030 rows",
            db.label
        );
        let lines = dump(&store).await;
        let hotline_versions = lines
            .iter()
            .filter(|l| l.starts_with("version (\"hotline\""))
            .count();
        assert_eq!(
            hotline_versions,
            e0.hotline.records + e0.hotline.revisions,
            "{}",
            db.label
        );

        // Later steps: revised orders and alarms, re-exported petition files.
        for step in 1..=sim.last_step() {
            sim.set_step(step);
            sync_once(&store, &feeds).await;
        }
        let e = sim.city.expected(sim.last_step());
        let (rows, keys) = event_keys(&store).await;
        assert_eq!(rows, keys.len());
        let count = |s: &str| keys.iter().filter(|(src, _)| src == s).count();
        assert_eq!(count("hotline"), e.hotline.records, "{}", db.label);
        assert_eq!(count("alarm"), e.alarm.records, "{}", db.label);
        assert_eq!(count("petition"), e.petition.records, "{}", db.label);
        let lines = dump(&store).await;
        let versions = |s: &str| {
            lines
                .iter()
                .filter(|l| l.starts_with(&format!("version (\"{s}\"")))
                .count()
        };
        assert_eq!(
            versions("hotline"),
            e.hotline.records + e.hotline.revisions,
            "{}: every order version kept",
            db.label
        );
        assert_eq!(
            versions("alarm"),
            e.alarm.records + e.alarm.revisions,
            "{}: every alarm version kept",
            db.label
        );
        assert_eq!(
            versions("petition"),
            e.petition.records + e.petition.revisions,
            "{}: re-exported rows updated in place",
            db.label
        );

        // Nothing new at the source: a further run changes nothing.
        let before = dump(&store).await;
        let again = sync_once(&store, &feeds).await;
        assert!(
            again
                .iter()
                .all(|r| r.counts.inserted == 0 && r.counts.updated == 0),
            "{}: {again:?}",
            db.label
        );
        assert_eq!(dump(&store).await, before, "{}", db.label);

        let q = store
            .quarantine_entries(QuarantineFilter::default())
            .await
            .unwrap();
        assert!(
            q.iter()
                .all(|e| !e.reason.is_empty() && !e.location.is_empty())
        );
        assert!(
            q.iter()
                .any(|e| e.raw_hex.is_some() && e.reason.contains("GB18030")),
            "{}: broken bytes kept in hex",
            db.label
        );
    }
}
