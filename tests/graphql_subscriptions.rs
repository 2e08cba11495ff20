//! Live dashboard updates: the `graphql-ws` client (Node, scripts/graphql-clients) subscribes
//! over graphql-transport-ws to alarms that are new or changed, a sync step lands, and exactly
//! the alarms that step changed arrive, nothing else.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::sim::{SimEnv, no_faults, sync_once};
use hub::app::Application;
use hub::graphql::ApiContext;
use hub::simulate::SimSpec;
use hub::store::{EventFilter, Store};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};

const SUBSCRIPTION: &str = r#"subscription {
  eventsChanged(filter: {sources: [ALARM]}) { id source recordId status persons { name } }
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graphql_ws_client_sees_each_changed_alarm() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/graphql-clients");
    assert!(
        dir.join("node_modules/graphql-ws").exists(),
        "the graphql-ws client is not installed: run `npm ci --prefix scripts/graphql-clients`"
    );
    for db in common::databases() {
        let label = db.label;
        let sim = SimEnv::start(SimSpec::small(83), no_faults()).await;
        let store = Store::open(&db.url).await.unwrap();
        let feeds = sim.feeds();
        let last = sim.last_step();
        for step in 0..last {
            sim.set_step(step);
            sync_once(&store, &feeds).await;
        }
        let app = Application::build(
            ApiContext::new(store.clone(), vec![]),
            "127.0.0.1:0".parse().unwrap(),
        )
        .await
        .unwrap();
        let url = format!("ws://{}/graphql", app.local_addr());
        tokio::spawn(app.serve(std::future::pending()));

        let mut node = tokio::process::Command::new("node")
            .arg(dir.join("subscribe.mjs"))
            .args([url.as_str(), SUBSCRIPTION, "1000000", "120000"])
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs");
        let mut lines = BufReader::new(node.stdout.take().unwrap()).lines();
        let first = lines.next_line().await.unwrap();
        assert_eq!(first.as_deref(), Some("connected"), "{label}");
        // The server has the subscription once it listens for changes.
        let waited = tokio::time::timeout(Duration::from_secs(30), async {
            while store.change_subscribers() == 0 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await;
        assert!(waited.is_ok(), "{label}: the subscription never started");

        // What the last step changes, as the store announces it.
        let mut changes = store.subscribe_changes();
        sim.set_step(last);
        sync_once(&store, &feeds).await;
        let mut changed = Vec::new();
        while let Ok(batch) = changes.try_recv() {
            changed.extend(batch.iter().copied());
        }
        let alarms = store
            .events_page(
                EventFilter {
                    sources: vec!["alarm".into()],
                    ids: Some(changed.clone()),
                    ..EventFilter::default()
                },
                None,
                100_000,
            )
            .await
            .unwrap();
        let expected: BTreeSet<String> = alarms.events.iter().map(|e| e.id.to_string()).collect();
        assert!(!expected.is_empty(), "{label}: the step changes alarms");
        assert!(changed.len() > expected.len(), "{label}: and other events");

        let mut received = BTreeSet::new();
        let got = tokio::time::timeout(Duration::from_secs(60), async {
            while received.len() < expected.len() {
                let line = lines
                    .next_line()
                    .await
                    .unwrap()
                    .expect("the client is alive");
                let v: Value = serde_json::from_str(&line).unwrap();
                assert!(v.get("errors").is_none(), "{label}: {v}");
                let e = &v["data"]["eventsChanged"];
                assert_eq!(
                    e["source"], "ALARM",
                    "{label}: only what the filter asks: {e}"
                );
                received.insert(e["id"].as_str().unwrap().to_string());
            }
        })
        .await;
        assert!(
            got.is_ok(),
            "{label}: {} of {} arrived",
            received.len(),
            expected.len()
        );
        assert_eq!(received, expected, "{label}");
        node.kill().await.ok();
    }
}
