//! `hub sync` killed (SIGKILL) at arbitrary moments and started again ends in exactly the
//! same database as one uninterrupted run: each batch commits with its checkpoint.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::dump::{assert_same, dump};
use common::sim::{SimEnv, many_small_batches};
use diesel::prelude::*;
use hub::simulate::{Faults, SimSpec};
use hub::store::Store;
use hub::store::schema::sync_runs;

fn sync_command(sim: &SimEnv, connectors: &std::path::Path, url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hub"));
    cmd.arg("sync")
        .env("HUB_DATABASE_URL", url)
        .env("HUB_CONNECTORS_DIR", connectors)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in sim.vars() {
        cmd.env(k, v);
    }
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_and_restarted_sync_matches_an_uninterrupted_one() {
    // Slow answers stretch the run so the kills land in the middle of it.
    let faults = Faults {
        slow: 0.5,
        slow_delay: Duration::from_millis(60),
        ..Faults::none()
    };
    let sim = SimEnv::start(SimSpec::small(31), faults).await;
    sim.set_step(sim.last_step());
    let connectors = many_small_batches();

    for db in common::databases() {
        let reference_db = if db.label == "sqlite" {
            common::sqlite()
        } else {
            common::postgres()
        };
        let status = sync_command(&sim, connectors.path(), &reference_db.url)
            .status()
            .unwrap();
        assert!(status.success(), "{}: uninterrupted run", db.label);

        // Kill each run after a short while until one gets to finish by itself.
        let mut kills = 0;
        for delay_ms in [150u64, 260, 180, 320, 140, 240, 200, 280, 170, 300]
            .iter()
            .cycle()
            .take(40)
        {
            let mut child = sync_command(&sim, connectors.path(), &db.url)
                .spawn()
                .unwrap();
            tokio::time::sleep(Duration::from_millis(*delay_ms)).await;
            let finished = child.try_wait().unwrap().is_some();
            if !finished {
                child.kill().unwrap();
                kills += 1;
            }
            child.wait().unwrap();
            if finished {
                break;
            }
        }
        let status = sync_command(&sim, connectors.path(), &db.url)
            .status()
            .unwrap();
        assert!(
            status.success(),
            "{}: the run after the kills completes",
            db.label
        );

        let store = Store::open(&db.url).await.unwrap();
        let interrupted: i64 = store
            .run(|c| {
                Ok(sync_runs::table
                    .filter(sync_runs::status.eq("interrupted"))
                    .count()
                    .get_result(c)?)
            })
            .await
            .unwrap();
        assert!(
            kills >= 3 && interrupted >= 3,
            "{}: {kills} kills, {interrupted} runs cut short",
            db.label
        );
        let reference = Store::open(&reference_db.url).await.unwrap();
        let expected = dump(&reference).await;
        let got = dump(&store).await;
        assert_same(&expected, &got, db.label);
    }
}
