//! Snapshots of real responses: a small simulated city synced feed by feed (so ids do not
//! depend on timing), resolved, and asked the questions an analyst asks. Both stores must
//! give the same answer, byte for byte. After an intended change, review and accept with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test --test graphql_snapshots`).

mod common;

use common::sim::{SimEnv, no_faults, sync_once};
use hub::app::Application;
use hub::config::ResolveSettings;
use hub::graphql::ApiContext;
use hub::ingest::resolution::{Resolving, load_gazetteer};
use hub::simulate::{GAZETTEER_FILE, SimSpec};
use hub::store::Store;
use serde_json::{Value, json};

const PROFILE: &str = r#"{
  person(id: "P1") {
    id name names phones idNumbers sources sex birthDate mentionCount eventCount firstSeen lastSeen
    events(first: 3) {
      totalCount
      edges { cursor node {
        id source recordId occurredAt category status unit
        sourceDetail { __typename ... on WorkOrderDetail { requestType satisfaction }
                       ... on AlarmDetail { categoryCode outcome dispatchedAt longitude latitude }
                       ... on PetitionDetail { channel purpose petitioners collective repeat skippedLevel } }
        persons { position name phone idNumber person { id name }
                  why { score threshold with { source recordId position } fields { field level weight note } } }
        addresses { field text place { id text level ancestors { id level } } why { named aliases { from to records } } }
      } }
    }
    places(first: 3) { events address { id text level } }
  }
}"#;

const OVERVIEW: &str = r#"{
  aggregate(by: [SOURCE, STATUS]) { total groups { keys { by value label } count finished closureRate satisfied rated satisfactionRate } }
  petitions: events(first: 2, filter: {sources: [PETITION]}) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id recordId petitioners version category categoryRaw status statusRaw deadline
                   revisions { version status statusRaw } persons { position name }
                   sourceDetail { __typename ... on PetitionDetail { channel purpose petitioners collective repeat skippedLevel } } } }
  }
  searchPersons(text: "李", first: 3) { readAs hits { person { id name } matched } }
}"#;

async fn ask(base: &str, query: &str) -> Value {
    let r: Value = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(r.get("errors").is_none(), "{r}");
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_match_their_snapshots_on_both_stores() {
    for db in common::databases() {
        let sim = SimEnv::start(SimSpec::small(91), no_faults()).await;
        sim.city.write_gazetteer(sim.dir.path()).unwrap();
        let settings = ResolveSettings {
            gazetteer: Some(sim.dir.path().join(GAZETTEER_FILE)),
            ..ResolveSettings::default()
        };
        sim.set_step(sim.last_step());
        let store = Store::open(&db.url).await.unwrap();
        let mut feeds = sim.feeds();
        feeds.sort_by(|a, b| a.name.cmp(&b.name));
        for feed in feeds {
            sync_once(&store, std::slice::from_ref(&feed)).await;
        }
        let mut resolving = Resolving::open(&store, &settings).await.unwrap();
        resolving.drain(&store).await.unwrap();
        let ctx = ApiContext::new(store.clone(), vec![])
            .with_search(load_gazetteer(&settings).unwrap(), &settings.area_code);
        let app = Application::build(ctx, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.serve(std::future::pending()));

        insta::assert_json_snapshot!("person_profile", ask(&base, PROFILE).await);
        insta::assert_json_snapshot!("overview", ask(&base, OVERVIEW).await);
    }
}
