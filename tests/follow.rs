//! `sync --follow`: each connector polls on its own schedule, picks up what the source releases
//! later, and stops cleanly when asked.

mod common;

use std::time::Duration;

use common::dump::dump;
use common::sim::{SimEnv, no_faults};
use hub::ingest::progress::Progress;
use hub::ingest::sync::sync_all;
use hub::simulate::SimSpec;
use hub::store::Store;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_picks_up_later_releases_and_stops_on_request() {
    for db in common::databases() {
        follow_on(db).await;
    }
}

async fn follow_on(db: common::TestDb) {
    let sim = SimEnv::start(SimSpec::small(71), no_faults()).await;
    let mut feeds = sim.feeds();
    for f in &mut feeds {
        f.poll_every = Duration::from_millis(200);
    }
    let store = Store::open(&db.url).await.unwrap();
    let (stop, rx) = tokio::sync::watch::channel(false);
    let following = {
        let (store, feeds) = (store.clone(), feeds.clone());
        tokio::spawn(async move { sync_all(&store, &feeds, true, &Progress::Quiet, rx).await })
    };

    // Release every later step while the hub follows; it must catch up by itself.
    for step in 1..=sim.last_step() {
        tokio::time::sleep(Duration::from_millis(400)).await;
        sim.set_step(step);
    }
    let e = sim.city.expected(sim.last_step());
    let want = e.hotline.records
        + e.hotline.revisions
        + e.alarm.records
        + e.alarm.revisions
        + e.petition.records
        + e.petition.revisions;
    let mut versions = 0;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        versions = dump(&store)
            .await
            .iter()
            .filter(|l| l.starts_with("version "))
            .count();
        if versions >= want {
            break;
        }
    }
    assert_eq!(
        versions, want,
        "{}: every version released while following was stored",
        db.label
    );

    stop.send(true).unwrap();
    let reports = tokio::time::timeout(Duration::from_secs(10), following)
        .await
        .expect("follow stops when asked")
        .unwrap();
    assert_eq!(reports.len(), 4);
    assert!(reports.iter().all(|r| r.error.is_none()), "{reports:?}");
}
