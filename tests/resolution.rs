//! Entity resolution end to end: the simulator's feeds synced into each
//! store, resolved as they arrive, and checked against the simulator's
//! truth; the incremental path must equal a rebuild, and ids must hold.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use common::sim::{SimEnv, no_faults, sync_once};
use hub::config::ResolveSettings;
use hub::evaluation::{Labels, evaluate, truth_labels};
use hub::ingest::resolution::{ExportRow, Resolving};
use hub::resolve::address::AddressLevel;
use hub::simulate::{GAZETTEER_FILE, SimSpec};
use hub::store::Store;

fn settings(sim: &SimEnv) -> ResolveSettings {
    sim.city.write_gazetteer(sim.dir.path()).unwrap();
    ResolveSettings {
        gazetteer: Some(sim.dir.path().join(GAZETTEER_FILE)),
        ..ResolveSettings::default()
    }
}

/// The partition of mentions (entity labels dropped), per kind.
fn partition(rows: &[ExportRow]) -> BTreeSet<(String, BTreeSet<String>)> {
    let mut groups: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for r in rows {
        groups
            .entry((r.kind.to_string(), r.entity.clone()))
            .or_default()
            .insert(format!(
                "{}:{}:{}",
                r.source.as_str(),
                r.record_id,
                r.mention
            ));
    }
    groups.into_iter().map(|((k, _), v)| (k, v)).collect()
}

fn labels(rows: Vec<ExportRow>) -> Labels {
    rows.into_iter()
        .map(|r| {
            (
                (
                    r.kind.to_string(),
                    r.source.as_str().to_string(),
                    r.record_id.to_string(),
                    r.mention,
                ),
                r.entity,
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolving_step_by_step_equals_a_rebuild_on_both_stores() {
    let sim = SimEnv::start(SimSpec::with_records(21, 4_000), no_faults()).await;
    let settings = settings(&sim);
    for db in common::databases() {
        let store = Store::open(&db.url).await.unwrap();
        let feeds = sim.feeds();
        sim.set_step(0);
        sync_once(&store, &feeds).await;
        let mut r = Resolving::open(&store, &settings).await.unwrap();
        r.drain(&store).await.unwrap();
        for step in 1..=sim.last_step() {
            sim.set_step(step);
            sync_once(&store, &feeds).await;
            let report = r.drain(&store).await.unwrap();
            assert!(
                report.events > 0,
                "{}: step {step} resolved nothing",
                db.label
            );
        }
        let incremental = r.export_rows(None);
        assert!(
            incremental.len() > 3_000,
            "{}: only {} rows",
            db.label,
            incremental.len()
        );

        // A fresh process loads the same entities from the store.
        let mut reopened = Resolving::open(&store, &settings).await.unwrap();
        assert_eq!(
            reopened.export_rows(None),
            incremental,
            "{}: reload",
            db.label
        );

        reopened.rebuild(&store, false).await.unwrap();
        let rebuilt = reopened.export_rows(None);
        assert_eq!(
            partition(&rebuilt),
            partition(&incremental),
            "{}: rebuild differs",
            db.label
        );
        // Nothing moved, so every id stayed.
        assert_eq!(rebuilt, incremental, "{}: ids changed on rebuild", db.label);
        assert!(store.entity_log_len().await.unwrap() > 0);
        sim.set_step(0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quality_against_the_truth_meets_the_floors() {
    let sim = SimEnv::start(SimSpec::with_records(7, 8_000), no_faults()).await;
    let settings = settings(&sim);
    sim.set_step(sim.last_step());
    let db = common::sqlite();
    let store = Store::open(&db.url).await.unwrap();
    sync_once(&store, &sim.feeds()).await;
    let mut r = Resolving::open(&store, &settings).await.unwrap();
    r.rebuild(&store, true).await.unwrap();
    sim.city.write_truth(sim.dir.path()).unwrap();
    let mut truth = truth_labels(sim.dir.path(), Some("building")).unwrap();
    hub::evaluation::restrict_to(&mut truth, &r.records());
    let q = evaluate(&truth, &labels(r.export_rows(Some(AddressLevel::Building))));
    eprintln!("{q:#?}");
    assert_eq!(r.id_conflicts(), 0);
    assert!(
        q.persons.pairwise.f1 >= 0.95,
        "persons pairwise {:?}",
        q.persons.pairwise
    );
    assert!(
        q.persons.bcubed.f1 >= 0.95,
        "persons B-cubed {:?}",
        q.persons.bcubed
    );
    assert!(
        q.addresses.pairwise.f1 >= 0.93,
        "addresses {:?}",
        q.addresses.pairwise
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_percent_more_records_keeps_ids_of_existing_mentions() {
    // 31 steps: step 0 holds 70 % of the period, each later step about 1 %.
    let spec = SimSpec {
        steps: 31,
        ..SimSpec::with_records(5, 6_000)
    };
    let sim = SimEnv::start(spec, no_faults()).await;
    let settings = settings(&sim);
    let db = common::sqlite();
    let store = Store::open(&db.url).await.unwrap();
    let feeds = sim.feeds();
    sim.set_step(25);
    sync_once(&store, &feeds).await;
    let mut r = Resolving::open(&store, &settings).await.unwrap();
    r.rebuild(&store, true).await.unwrap();
    let before: HashMap<_, _> = labels(r.export_rows(None)).into_iter().collect();
    sim.set_step(26);
    sync_once(&store, &feeds).await;
    let report = r.drain(&store).await.unwrap();
    assert!(report.events > 0);
    let after = labels(r.export_rows(None));
    let added = after.keys().filter(|k| !before.contains_key(*k)).count();
    assert!(
        added > 0 && added * 50 < before.len(),
        "added {added} of {}",
        before.len()
    );
    let kept = before
        .iter()
        .filter(|(k, v)| after.get(*k) == Some(v))
        .count();
    let share = kept as f64 / before.len() as f64;
    assert!(
        share >= 0.999,
        "only {share:.5} of existing mentions kept their entity"
    );
}
