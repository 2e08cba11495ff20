//! The analyst's API over resolved entities, end to end on both stores: a
//! simulated city synced and resolved, then asked through HTTP for a
//! person's history across systems, the evidence behind each mention,
//! search in other spellings, a place's hierarchy and events, grouped
//! counts that agree with the event lists, and a fixed query count per
//! page.

mod common;

use std::collections::BTreeSet;

use common::sim::{SimEnv, no_faults, sync_once};
use hub::app::Application;
use hub::config::ResolveSettings;
use hub::graphql::ApiContext;
use hub::ingest::resolution::{Resolving, load_gazetteer};
use hub::simulate::{GAZETTEER_FILE, SimSpec};
use hub::store::Store;
use serde_json::{Value, json};

struct Api {
    base: String,
    store: Store,
    _sim: SimEnv,
    _db: common::TestDb,
}

impl Api {
    async fn ask(&self, query: &str, variables: Value) -> Value {
        reqwest::Client::new()
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Data of a query that must succeed.
    async fn data(&self, query: &str, variables: Value) -> Value {
        let r = self.ask(query, variables).await;
        assert!(r.get("errors").is_none(), "{r}");
        r["data"].clone()
    }

    /// The coded error of a query that must fail.
    async fn error_code(&self, query: &str, variables: Value) -> String {
        let r = self.ask(query, variables).await;
        r["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no coded error: {r}"))
            .to_string()
    }
}

/// A city synced and resolved into `db`, served on port 0, and a person
/// the resolver found in at least two systems.
async fn serve(db: common::TestDb) -> (Api, i64) {
    let sim = SimEnv::start(SimSpec::small(71), no_faults()).await;
    sim.city.write_gazetteer(sim.dir.path()).unwrap();
    let settings = ResolveSettings {
        gazetteer: Some(sim.dir.path().join(GAZETTEER_FILE)),
        ..ResolveSettings::default()
    };
    sim.set_step(sim.last_step());
    let store = Store::open(&db.url).await.unwrap();
    sync_once(&store, &sim.feeds()).await;
    let mut resolving = Resolving::open(&store, &settings).await.unwrap();
    resolving.drain(&store).await.unwrap();
    let persons = resolving.persons();
    let person = persons
        .assignments()
        .map(|(_, id)| id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|id| Some((id, persons.summary(id)?)))
        .filter(|(_, s)| s.sources.len() >= 2 && s.mentions >= 3 && !s.phones.is_empty())
        .filter(|(_, s)| !s.label.ends_with("先生") && !s.label.ends_with("女士"))
        .map(|(id, _)| id)
        .next()
        .expect("the city has a person seen in two systems");
    let ctx = ApiContext::new(store.clone(), vec![])
        .with_search(load_gazetteer(&settings).unwrap(), &settings.area_code);
    // Aggregates answer from the in-memory cube once it is loaded.
    ctx.warm().await.unwrap();
    let app = Application::build(ctx, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.serve(std::future::pending()));
    (
        Api {
            base,
            store,
            _sim: sim,
            _db: db,
        },
        person,
    )
}

const PERSON: &str = r#"query($id: ID!) {
  person(id: $id) {
    id name phones sources eventCount firstSeen lastSeen
    events(first: 200) {
      totalCount
      edges { node { id source occurredAt
        persons { position person { id } why { score threshold with { source recordId position } fields { field level weight } } } } }
    }
    places(first: 5) { events address { id level text ancestors { level } } }
    changes { action }
  }
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_their_evidence_their_places_and_search() {
    for db in common::databases() {
        let label = db.label;
        let (api, person) = serve(db).await;
        let id = format!("P{person}");
        let p = api.data(PERSON, json!({"id": id})).await["person"].clone();
        assert_eq!(p["id"], id.as_str());
        assert!(p["sources"].as_array().unwrap().len() >= 2, "{label}: {p}");
        let events = &p["events"];
        let total = events["totalCount"].as_i64().unwrap();
        assert_eq!(total, p["eventCount"].as_i64().unwrap(), "{label}");
        let edges = events["edges"].as_array().unwrap();
        assert_eq!(edges.len() as i64, total, "{label}: one page holds them");
        let sources: BTreeSet<&str> = edges
            .iter()
            .map(|e| e["node"]["source"].as_str().unwrap())
            .collect();
        assert!(sources.len() >= 2, "{label}: the timeline spans systems");
        let times: Vec<&str> = edges
            .iter()
            .map(|e| e["node"]["occurredAt"].as_str().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
        assert_eq!(p["lastSeen"].as_str(), times.first().copied(), "{label}");
        assert_eq!(p["firstSeen"].as_str(), times.last().copied(), "{label}");
        for e in edges {
            let mine: Vec<&Value> = e["node"]["persons"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["person"]["id"] == id.as_str())
                .collect();
            assert!(
                !mine.is_empty(),
                "{label}: each event names the person: {e}"
            );
            let why = &mine[0]["why"];
            assert!(
                why.is_object(),
                "{label}: a mention of a person seen thrice has evidence: {e}"
            );
            assert!(!why["fields"].as_array().unwrap().is_empty());
            let with = &why["with"];
            let same = with["recordId"] == e["node"]["id"];
            assert!(
                !same || with["position"] != mine[0]["position"],
                "linked to itself"
            );
        }
        assert!(
            p["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["action"] == "created"),
            "{label}: {p}"
        );

        // Search: the phone in another format, the name in pinyin.
        let phone = p["phones"][0].as_str().unwrap();
        let spaced = if phone.len() == 11 {
            format!("+86 {}-{}-{}", &phone[..3], &phone[3..7], &phone[7..])
        } else {
            phone.to_string()
        };
        let search = r#"query($t: String!) { searchPersons(text: $t, first: 50) { readAs hits { person { id } matched } } }"#;
        let r = api.data(search, json!({"t": spaced})).await;
        assert_eq!(r["searchPersons"]["readAs"], "phone", "{label}");
        let hit = |r: &Value| {
            r["searchPersons"]["hits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["person"]["id"] == id.as_str())
        };
        assert!(hit(&r), "{label}: {spaced} finds {id}: {r}");
        let pinyin = hub::resolve::normalize::name::pinyin_of(p["name"].as_str().unwrap());
        let r = api.data(search, json!({"t": pinyin})).await;
        assert!(hit(&r), "{label}: {pinyin} finds {id}: {r}");

        // A place of theirs: its chain up, its events, the person among its people.
        let place = p["places"]
            .as_array()
            .unwrap()
            .iter()
            .find(|pl| {
                matches!(
                    pl["address"]["level"].as_str(),
                    Some("building" | "site" | "room")
                )
            })
            .unwrap_or_else(|| panic!("{label}: a placed person: {p}"));
        let levels: Vec<&str> = place["address"]["ancestors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["level"].as_str())
            .collect();
        assert!(levels.contains(&"community"), "{label}: {levels:?}");
        assert!(levels.contains(&"district"), "{label}: {levels:?}");
        let address = r#"query($id: ID!) { address(id: $id) { text level
            events(first: 1) { totalCount } persons(first: 200) { events person { id } } parent { id children(first: 500) { id } } } }"#;
        let a = api
            .data(address, json!({"id": place["address"]["id"]}))
            .await["address"]
            .clone();
        assert!(
            a["events"]["totalCount"].as_i64().unwrap() >= place["events"].as_i64().unwrap(),
            "{label}: {a}"
        );
        assert!(
            a["persons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["person"]["id"] == id.as_str()),
            "{label}: the person is among the place's people"
        );
        assert!(
            a["parent"]["children"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == place["address"]["id"]),
            "{label}: navigable both ways"
        );
        // The same place found from its text.
        let r = api
            .data(
                r#"query($t: String!) { searchAddresses(text: $t) { hits { id } } }"#,
                json!({"t": a["text"]}),
            )
            .await;
        assert_eq!(
            r["searchAddresses"]["hits"][0]["id"], place["address"]["id"],
            "{label}: {r}"
        );

        // Coded errors for ids of the wrong kind or shape.
        assert_eq!(
            api.error_code(PERSON, json!({"id": place["address"]["id"]}))
                .await,
            "BAD_ID"
        );
        assert_eq!(
            api.error_code(
                r#"{ events(filter: {area: "A999999999"}) { totalCount } }"#,
                json!({})
            )
            .await,
            "BAD_ID"
        );
        assert_eq!(
            api.error_code(r#"{ searchPersons(text: "  ") { readAs } }"#, json!({}))
                .await,
            "BAD_ARGUMENT"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aggregates_agree_with_event_lists() {
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    for db in common::databases() {
        let label = db.label;
        let (api, _) = serve(db).await;
        let district = api
            .data(
                r#"{ aggregate(by: [DISTRICT]) { groups { keys { value label } count } } }"#,
                json!({}),
            )
            .await["aggregate"]["groups"][0]["keys"][0]["value"]
            .as_str()
            .expect("events have districts")
            .to_string();
        let filters = [
            json!({}),
            json!({"sources": ["HOTLINE"], "category": "矛盾纠纷"}),
            json!({"area": district}),
            json!({"overdue": true}),
            json!({"satisfaction": ["SATISFIED", "BASICALLY_SATISFIED"]}),
            json!({"statuses": ["CLOSED", "RESOLVED"], "from": "2026-11-05T00:00:00Z"}),
            // Free text is answered by SQL, not the cube.
            json!({"textContains": "小区"}),
        ];
        let mut nonzero = 0;
        for f in filters {
            let r = api
                .data(
                    r#"query($f: EventFilter) {
                        events(filter: $f, first: 1) { totalCount }
                        bySource: aggregate(filter: $f, by: [SOURCE]) { total groups { count finished closureRate } }
                        cross: aggregate(filter: $f, by: [COMMUNITY, CATEGORY, WEEK], first: 10000) { total groups { keys { by value label address { level } } count } }
                    }"#,
                    json!({"f": f}),
                )
                .await;
            let total = r["events"]["totalCount"].as_i64().unwrap();
            assert_eq!(
                r["bySource"]["total"].as_i64().unwrap(),
                total,
                "{label}: {f}"
            );
            assert_eq!(r["cross"]["total"].as_i64().unwrap(), total, "{label}: {f}");
            for g in r["bySource"]["groups"].as_array().unwrap() {
                let rate = g["closureRate"].as_f64().unwrap();
                let expect = g["finished"].as_f64().unwrap() / g["count"].as_f64().unwrap();
                assert!((rate - expect).abs() < 1e-9);
            }
            for g in r["cross"]["groups"].as_array().unwrap() {
                let keys = g["keys"].as_array().unwrap();
                assert_eq!(keys.len(), 3);
                if let Some(week) = keys[2]["value"].as_str() {
                    let day = chrono::NaiveDate::parse_from_str(week, "%Y-%m-%d").unwrap();
                    assert_eq!(day.format("%a").to_string(), "Mon", "{label}: {week}");
                }
                if keys[0]["value"].is_string() {
                    assert_eq!(keys[0]["address"]["level"], "community", "{g}");
                }
            }
            nonzero += (total > 0) as usize;
        }
        assert!(nonzero >= 6, "{label}: the filters select something");
        // Groups read straight off the rows (plain fields) and resolved the
        // general way (behind a fragment) are the same, aliases included.
        for f in [
            json!({}),
            json!({"sources": ["ALARM"], "from": "2026-11-05T09:30:00Z"}),
        ] {
            let fields = "__typename n: count keys { __typename by value label } count finished
                closureRate meanHandlingHours satisfied rated satisfactionRate";
            let r = api
                .data(
                    &format!(
                        r#"query($f: EventFilter) {{
                            plain: aggregate(filter: $f, by: [COMMUNITY, SOURCE, WEEK], first: 10000) {{ total groups {{ {fields} }} }}
                            general: aggregate(filter: $f, by: [COMMUNITY, SOURCE, WEEK], first: 10000) {{ total groups {{ ... on AggregateGroup {{ {fields} }} }} }}
                        }}"#
                    ),
                    json!({"f": f}),
                )
                .await;
            assert!(
                r["plain"]["groups"].as_array().unwrap().len() > 10,
                "{label}: {f}"
            );
            assert_eq!(r["plain"], r["general"], "{label}: {f}");
        }
        assert_eq!(
            api.error_code(r#"{ aggregate(by: []) { total } }"#, json!({}))
                .await,
            "BAD_ARGUMENT"
        );
        assert_eq!(
            api.error_code(r#"{ aggregate(by: [DAY, DAY]) { total } }"#, json!({}))
                .await,
            "BAD_ARGUMENT"
        );
    }
}

const PAGE: &str = r#"query($n: Int!) { events(first: $n) { edges { node { id handlingUnit { name }
  persons { name person { id name eventCount } why { score } }
  addresses { text why { named } place { id text level } } } } } }"#;

/// A page's cost in SQL statements does not grow with its length.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_costs_the_same_queries_whatever_its_length() {
    for db in common::databases() {
        let label = db.label;
        let (api, _) = serve(db).await;
        let mut costs = Vec::new();
        for n in [10, 100, 100] {
            let before = api.store.statements();
            let r = api.data(PAGE, json!({"n": n})).await;
            costs.push(api.store.statements() - before);
            let edges = r["events"]["edges"].as_array().unwrap();
            assert_eq!(edges.len(), n as usize);
            assert!(
                edges
                    .iter()
                    .any(|e| e["node"]["persons"][0]["person"]["id"].is_string()),
                "{label}: persons are resolved"
            );
        }
        assert_eq!(
            costs[0], costs[1],
            "{label}: 10 and 100 events cost alike: {costs:?}"
        );
        assert_eq!(costs[1], costs[2], "{label}: {costs:?}");
        assert!(costs[0] <= 20, "{label}: {costs:?}");
        // The total is counted only for a page that shows it.
        let counted = PAGE.replacen("events(first: $n) {", "events(first: $n) { totalCount", 1);
        assert_ne!(counted, PAGE);
        let before = api.store.statements();
        let r = api.data(&counted, json!({"n": 100})).await;
        assert!(
            r["events"]["totalCount"].as_i64().unwrap() >= 100,
            "{label}: {r}"
        );
        assert_eq!(
            api.store.statements() - before,
            costs[1] + 1,
            "{label}: one statement counts the total"
        );
    }
}

/// The in-memory cube gives the groups SQL gives, for every filter it answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aggregate_cube_agrees_with_sql() {
    use hub::analysis::cube::Cube;
    use hub::store::{AreaFilter, AreaLevel, Dimension, EventFilter};

    for db in common::databases() {
        let label = db.label;
        let (api, _) = serve(db).await;
        let store = &api.store;
        let cube = Cube::from_rows(store.cube_rows().await.unwrap());
        // The same cube answering whole days from its day tables, however few rows they hold.
        let tabled = Cube::from_rows(store.cube_rows().await.unwrap()).with_day_tables_from(1);
        let by_district = store
            .aggregate(EventFilter::default(), vec![Dimension::District], 1)
            .await
            .unwrap();
        let district: i64 = by_district[0].keys[0].parse().unwrap();
        let t = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        let filters = [
            EventFilter::default(),
            EventFilter {
                sources: vec!["alarm".into(), "petition".into()],
                category: Some("矛盾纠纷".into()),
                ..EventFilter::default()
            },
            EventFilter {
                from: Some(t("2026-11-03 16:00:00")),
                to: Some(t("2026-11-17 16:00:00")),
                statuses: vec!["closed".into(), "in_progress".into()],
                ..EventFilter::default()
            },
            EventFilter {
                area: Some(AreaFilter {
                    level: AreaLevel::District,
                    id: district,
                }),
                satisfaction: vec!["satisfied".into(), "dissatisfied".into()],
                ..EventFilter::default()
            },
            EventFilter {
                overdue_at: Some(t("2026-11-20 00:00:00")),
                ..EventFilter::default()
            },
            // Days cut by both ends (China Standard Time days start at 16:00 UTC).
            EventFilter {
                from: Some(t("2026-11-04 09:30:00")),
                to: Some(t("2026-11-19 02:15:00")),
                sources: vec!["hotline".into(), "alarm".into()],
                ..EventFilter::default()
            },
            EventFilter {
                to: Some(t("2026-11-12 16:00:00")),
                ..EventFilter::default()
            },
        ];
        let dim_sets = [
            vec![Dimension::Source],
            vec![Dimension::Day, Dimension::Status],
            vec![Dimension::Community, Dimension::Category, Dimension::Week],
            vec![
                Dimension::Month,
                Dimension::Street,
                Dimension::Type,
                Dimension::Unit,
            ],
            vec![
                Dimension::Building,
                Dimension::CategoryPath,
                Dimension::Site,
                Dimension::District,
            ],
        ];
        for f in &filters {
            for dims in &dim_sets {
                let sql = store
                    .aggregate(f.clone(), dims.clone(), 100_000)
                    .await
                    .unwrap();
                // The same largest groups first, ties in the same order.
                let top = |groups: &[hub::store::Group]| {
                    groups
                        .iter()
                        .take(7)
                        .map(|g| (g.events, g.keys.clone()))
                        .collect::<Vec<_>>()
                };
                let sql_top = store.aggregate(f.clone(), dims.clone(), 7).await.unwrap();
                let index = |groups: &[hub::store::Group]| {
                    groups
                        .iter()
                        .map(|g| (g.keys.clone(), g.clone()))
                        .collect::<std::collections::BTreeMap<_, _>>()
                };
                let sql_groups = index(&sql);
                for (how, cube) in [("cube", &cube), ("day tables", &tabled)] {
                    let mem = cube.aggregate(f, dims, 100_000).expect("the cube answers");
                    let mem_top = cube.aggregate(f, dims, 7).expect("the cube answers");
                    assert_eq!(
                        top(&sql_top),
                        top(&mem_top),
                        "{label} {how}: {f:?} by {dims:?}"
                    );
                    assert_eq!(top(&sql), top(&mem), "{label} {how}: {f:?} by {dims:?}");
                    let mem = index(&mem);
                    assert_eq!(
                        sql_groups.keys().collect::<Vec<_>>(),
                        mem.keys().collect::<Vec<_>>(),
                        "{label} {how}: {f:?} by {dims:?}"
                    );
                    for (k, s) in &sql_groups {
                        let m = &mem[k];
                        assert_eq!(
                            (s.events, s.finished, s.satisfied, s.rated),
                            (m.events, m.finished, m.satisfied, m.rated),
                            "{label} {how}: {k:?}"
                        );
                        match (s.mean_handling_hours, m.mean_handling_hours) {
                            (Some(a), Some(b)) => {
                                assert!((a - b).abs() < 1e-3, "{label} {how}: {a} vs {b}")
                            }
                            (a, b) => assert_eq!(a, b, "{label} {how}: {k:?}"),
                        }
                    }
                }
            }
        }
    }
}

/// A page reads the mentions it shows, through `nodes` as through `edges`,
/// and no others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_reads_only_the_mentions_it_shows() {
    for db in common::databases() {
        let label = db.label;
        let (api, _) = serve(db).await;
        let cost = |query: &'static str| {
            let api = &api;
            async move {
                let before = api.store.statements();
                let r = api.data(query, json!({})).await;
                (api.store.statements() - before, r)
            }
        };
        let (both, edges) = cost(
            r#"{ events(first: 30) { edges { node { id persons { name } addresses { text } } } } }"#,
        )
        .await;
        let (_, nodes) =
            cost(r#"{ events(first: 30) { nodes { id persons { name } addresses { text } } } }"#)
                .await;
        let edges: Vec<&serde_json::Value> = edges["events"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["node"])
            .collect();
        let nodes: Vec<&serde_json::Value> = nodes["events"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(edges, nodes, "{label}");
        assert!(
            edges
                .iter()
                .any(|e| !e["addresses"].as_array().unwrap().is_empty())
                && edges
                    .iter()
                    .any(|e| !e["persons"].as_array().unwrap().is_empty()),
            "{label}: the page shows mentions"
        );
        let (persons_only, _) =
            cost(r#"{ events(first: 30) { edges { node { id persons { name } } } } }"#).await;
        let (neither, _) = cost(r#"{ events(first: 30) { edges { node { id } } } }"#).await;
        assert_eq!(persons_only + 1, both, "{label}: no address mentions read");
        assert_eq!(neither + 2, both, "{label}: no mentions read");
    }
}

/// A history opened plainly (the newest page, no filter) is read with the
/// person in one checkout; it is the same page, cursors included, as the
/// general event list gives, and its cursor leads on to the next page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_history_is_read_with_the_person_and_agrees_with_the_general_page() {
    const HISTORY: &str = r#"query(VARS) { person(id: $id) { name eventCount
      events(ARGS) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id occurredAt persons { position name } addresses { field text } } } } } }"#;
    let query = |vars: &str, args: &str| HISTORY.replace("VARS", vars).replace("ARGS", args);
    for db in common::databases() {
        let label = db.label;
        let (api, person) = serve(db).await;
        let id = format!("P{person}");
        let plain = query("$id: ID!", "first: 2");
        // An empty filter takes the general path.
        let general = query("$id: ID!", "first: 2, filter: {}");
        let cost = |query: String| {
            let (api, id) = (&api, id.clone());
            async move {
                let before = api.store.statements();
                let r = api.data(&query, json!({"id": id})).await;
                (api.store.statements() - before, r)
            }
        };
        let (plain_cost, a) = cost(plain).await;
        let (general_cost, b) = cost(general).await;
        assert_eq!(a, b, "{label}");
        let p = &a["person"];
        assert!(
            p["events"]["totalCount"].as_i64().unwrap() >= 3,
            "{label}: {p}"
        );
        assert_eq!(p["events"]["totalCount"], p["eventCount"], "{label}");
        assert_eq!(p["events"]["pageInfo"]["hasNextPage"], true, "{label}");
        // PostgreSQL's pool checks a connection with a statement as it is
        // taken out, so there the one checkout shows as one more.
        let checkouts = if label == "postgres" { 1 } else { 0 };
        assert_eq!(
            plain_cost,
            5 + checkouts,
            "{label}: person, their events' times, the page's rows, its person and address mentions"
        );
        assert!(general_cost > plain_cost, "{label}: {general_cost}");
        // The next page, through the general path, follows on.
        let next = query("$id: ID!, $after: String", "first: 2, after: $after");
        let after = p["events"]["pageInfo"]["endCursor"].clone();
        let r = api.data(&next, json!({"id": id, "after": after})).await;
        let first: Vec<&Value> = p["events"]["edges"].as_array().unwrap().iter().collect();
        let second = r["person"]["events"]["edges"].as_array().unwrap();
        assert!(!second.is_empty(), "{label}");
        assert!(
            second
                .iter()
                .all(|e| first.iter().all(|f| f["node"]["id"] != e["node"]["id"])),
            "{label}: no event on both pages"
        );
        assert!(
            first.last().unwrap()["node"]["occurredAt"].as_str()
                >= second[0]["node"]["occurredAt"].as_str(),
            "{label}: newest first across pages"
        );
    }
}

/// Events read plainly off their rows answer exactly as async-graphql's
/// own resolvers do: the same page with every stored field, once plain and
/// once through an inline fragment (which takes the general way), through
/// `edges` and `nodes`, alone and in a person's history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_read_plainly_answer_as_the_general_resolvers_do() {
    const FIELDS: &str = "id source recordId occurredAt sourceUpdatedAt eventType category \
        categoryRaw content unit status statusRaw deadline closedAt satisfaction longitude \
        latitude petitioners detail version __typename \
        persons { position name phone idNumber __typename } addresses { field text }";
    for db in common::databases() {
        let label = db.label;
        let (api, person) = serve(db).await;
        let id = format!("P{person}");
        for shape in [
            "{ events(first: 60) { edges { node { SEL } } } }".to_string(),
            "{ events(first: 60) { nodes { SEL } } }".to_string(),
            format!(
                "{{ person(id: \"{id}\") {{ events(first: 30) {{ edges {{ node {{ SEL }} }} }} }} }}"
            ),
        ] {
            let plain = api.data(&shape.replace("SEL", FIELDS), json!({})).await;
            let general = api
                .data(
                    &shape.replace("SEL", &format!("... on Event {{ {FIELDS} }}")),
                    json!({}),
                )
                .await;
            assert_eq!(plain, general, "{label}: {shape}");
            let text = plain.to_string();
            for field in [
                "\"deadline\":\"",
                "\"longitude\":",
                "\"phone\":\"",
                "\"text\":\"",
            ] {
                assert!(text.contains(field), "{label}: {shape} shows {field}");
            }
        }
    }
}
