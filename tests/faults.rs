//! 20% of HTTP requests fail (500, 429 with Retry-After, slower than the timeout, truncated
//! JSON, in-body error code): the database ends exactly as with no faults — nothing lost,
//! nothing duplicated.

mod common;

use std::time::Duration;

use common::dump::{assert_same, dump, event_keys};
use common::sim::{SimEnv, many_small_batches};
use hub::ingest::progress::Progress;
use hub::ingest::sync::sync_all;
use hub::simulate::{Faults, SimSpec};
use hub::store::Store;

const SEED: u64 = 23;

async fn sync_every_step(sim: &SimEnv, feeds: &[hub::feeds::Feed], store: &Store) {
    for step in 0..=sim.last_step() {
        sim.set_step(step);
        let (_tx, rx) = tokio::sync::watch::channel(false);
        for r in sync_all(store, feeds, false, &Progress::Quiet, rx).await {
            assert!(r.error.is_none(), "{}: {:?}", r.connector, r.error);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_percent_faults_lose_and_duplicate_nothing() {
    let connectors = many_small_batches();

    let clean = SimEnv::start(SimSpec::small(SEED), Faults::none()).await;
    let reference_db = common::sqlite();
    let reference = Store::open(&reference_db.url).await.unwrap();
    sync_every_step(&clean, &clean.feeds_from(connectors.path()), &reference).await;
    let expected = dump(&reference).await;

    for db in common::databases() {
        let faults = Faults {
            error_500: 0.04,
            too_many_429: 0.04,
            slow: 0.04,
            truncated: 0.04,
            code_nonzero: 0.04,
            slow_delay: Duration::from_millis(1500),
            retry_after_secs: 1,
        };
        let sim = SimEnv::start(SimSpec::small(SEED), faults).await;
        let mut feeds = sim.feeds_from(connectors.path());
        for f in &mut feeds {
            if let Some(http) = &mut f.transport.http {
                // Slow answers must time out and be retried.
                http.timeout = Duration::from_millis(500);
            }
        }
        let store = Store::open(&db.url).await.unwrap();
        sync_every_step(&sim, &feeds, &store).await;
        let injected = sim.server.faults_injected();
        let requests = sim.server.requests();
        assert!(
            requests > 100,
            "{}: enough requests to matter ({requests})",
            db.label
        );
        let share = injected as f64 / requests as f64;
        assert!(
            (0.12..0.30).contains(&share),
            "{}: {injected} faults in {requests} requests",
            db.label
        );

        let (rows, keys) = event_keys(&store).await;
        assert_eq!(rows, keys.len(), "{}: no duplicates", db.label);
        let got = dump(&store).await;
        assert_same(&expected, &got, db.label);
    }
}
