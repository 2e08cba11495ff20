//! The GraphQL API over HTTP on a synced store: filters, pagination, mentions, revisions,
//! connector status and error codes.

mod common;

use common::sim::{SimEnv, no_faults};
use hub::app::Application;
use hub::graphql::ApiContext;
use hub::ingest::progress::Progress;
use hub::ingest::sync::sync_all;
use hub::simulate::SimSpec;
use hub::store::Store;
use serde_json::{Value, json};

async fn ask(base: &str, query: &str, variables: Value) -> Value {
    reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

const EVENTS: &str = r#"query($filter: EventFilter, $after: String) {
  events(first: 7, filter: $filter, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id source recordId occurredAt category status
                   persons { position name phone idNumber } addresses { field text } } }
  }
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_filters_pages_and_mentions() {
    for db in common::databases() {
        let sim = SimEnv::start(SimSpec::small(61), no_faults()).await;
        let store = Store::open(&db.url).await.unwrap();
        let feeds = sim.feeds();
        for step in 0..=sim.last_step() {
            sim.set_step(step);
            let (_tx, rx) = tokio::sync::watch::channel(false);
            sync_all(&store, &feeds, false, &Progress::Quiet, rx).await;
        }
        let app = Application::build(
            ApiContext::new(
                store.clone(),
                feeds.iter().map(|f| f.name.clone()).collect(),
            ),
            "127.0.0.1:0".parse().unwrap(),
        )
        .await
        .unwrap();
        let base = format!("http://{}", app.local_addr());
        let server = tokio::spawn(app.serve(std::future::pending()));

        // Alarms about disputes in the first ten days, every page walked.
        let filter = json!({"sources": ["ALARM"], "category": "矛盾纠纷", "from": "2026-11-01T00:00:00Z", "to": "2026-11-11T00:00:00Z"});
        let mut after = Value::Null;
        let mut seen = std::collections::HashSet::new();
        let mut total = None;
        let mut last_time = String::from("9999");
        loop {
            let r = ask(&base, EVENTS, json!({"filter": filter, "after": after})).await;
            assert!(r.get("errors").is_none(), "{r}");
            let events = &r["data"]["events"];
            total.get_or_insert(events["totalCount"].as_i64().unwrap());
            for edge in events["edges"].as_array().unwrap() {
                let n = &edge["node"];
                assert_eq!(n["source"], "ALARM");
                assert!(
                    n["category"].as_str().unwrap().starts_with("矛盾纠纷"),
                    "{n}"
                );
                let t = n["occurredAt"].as_str().unwrap().to_string();
                assert!(
                    t.as_str() >= "2026-11-01" && t.as_str() < "2026-11-11",
                    "{t}"
                );
                assert!(t <= last_time, "newest first");
                last_time = t;
                assert_eq!(n["addresses"][0]["field"], "afdd", "{n}");
                assert!(
                    seen.insert(n["id"].as_str().unwrap().to_string()),
                    "a page repeats an event"
                );
            }
            if !events["pageInfo"]["hasNextPage"].as_bool().unwrap() {
                break;
            }
            after = events["pageInfo"]["endCursor"].clone();
        }
        let total = total.unwrap();
        assert!(
            total > 7,
            "{}: the filter spans several pages ({total})",
            db.label
        );
        assert_eq!(
            seen.len() as i64,
            total,
            "{}: pages add up to totalCount",
            db.label
        );

        // Petitions carry every petitioner in order; a revised one shows its status history.
        let r = ask(
            &base,
            r#"{ events(first: 200, filter: {sources: [PETITION]}) { edges { node { id petitioners version
                   persons { position } revisions { version status statusRaw raw } } } } }"#,
            json!({}),
        )
        .await;
        let edges = r["data"]["events"]["edges"].as_array().unwrap();
        assert!(
            edges
                .iter()
                .any(|e| e["node"]["persons"].as_array().unwrap().len() >= 5),
            "{}: a collective petition",
            db.label
        );
        let revised = edges
            .iter()
            .find(|e| e["node"]["version"].as_i64().unwrap() > 1)
            .expect("a revised petition");
        let history = revised["node"]["revisions"].as_array().unwrap();
        assert!(history.len() >= 2);
        assert_eq!(history.last().unwrap()["statusRaw"], "办结", "{}", db.label);
        assert!(
            history[0]["raw"].as_str().unwrap().contains("xfjbh"),
            "the raw record is kept"
        );

        let r = ask(
            &base,
            "{ connectors { name recordsSynced quarantineOpen lastRunStatus } }",
            json!({}),
        )
        .await;
        let connectors = r["data"]["connectors"].as_array().unwrap();
        assert_eq!(connectors.len(), 4, "{r}");
        assert!(connectors.iter().all(|c| c["lastRunStatus"] == "ok"), "{r}");

        // Bad input gets a coded error, never a 500.
        let r = ask(&base, EVENTS, json!({"after": "garbage"})).await;
        assert_eq!(r["errors"][0]["extensions"]["code"], "BAD_CURSOR", "{r}");
        let r = ask(&base, r#"{ event(id: "x1") { id } }"#, json!({})).await;
        assert_eq!(r["errors"][0]["extensions"]["code"], "BAD_ID", "{r}");
        let r = ask(
            &base,
            EVENTS,
            json!({"filter": {"from": "2026-11-10T00:00:00Z", "to": "2026-11-01T00:00:00Z"}}),
        )
        .await;
        assert_eq!(r["errors"][0]["extensions"]["code"], "BAD_ARGUMENT", "{r}");
        server.abort();
    }
}
