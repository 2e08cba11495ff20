//! `/graphql` follows GraphQL-over-HTTP: the `graphql-http` audit suite passes with no
//! warnings (needs node and `npm ci --prefix scripts/graphql-clients`), and the status
//! codes and media types the hub chose are pinned here too, so a regression shows without node.

mod common;

use std::path::Path;

use hub::app::Application;
use hub::graphql::ApiContext;
use hub::store::Store;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, ALLOW, CONTENT_TYPE};
use serde_json::{Value, json};

const GQL: &str = "application/graphql-response+json";

/// The real server on an empty SQLite store; the database lives as long as the returned guard.
async fn start() -> (String, common::TestDb) {
    let db = common::sqlite();
    let store = Store::open(&db.url).await.unwrap();
    let app = Application::build(
        ApiContext::new(store, vec![]),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let url = format!("http://{}/graphql", app.local_addr());
    tokio::spawn(app.serve(std::future::pending()));
    (url, db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_http_audit_suite_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/graphql-clients");
    assert!(
        dir.join("node_modules/graphql-http").is_dir(),
        "the graphql-http audit is not installed: run `npm ci --prefix scripts/graphql-clients` \
         (needs node ≥ 18 and npm)"
    );
    let (url, _db) = start().await;
    // Async, so this runtime keeps serving the audit's requests while node runs.
    let out = tokio::process::Command::new("node")
        .arg(dir.join("audit.mjs"))
        .arg(&url)
        .output()
        .await
        .unwrap_or_else(|e| panic!("cannot run `node` (is Node.js installed?): {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "graphql-http audit failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}

fn content_type(r: &reqwest::Response) -> String {
    r.headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn post(url: &str, accept: Option<&str>, body: Value) -> reqwest::Response {
    let mut req = reqwest::Client::new().post(url).json(&body);
    if let Some(a) = accept {
        req = req.header(ACCEPT, a);
    }
    req.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_codes_and_media_types() {
    let (url, _db) = start().await;
    let client = reqwest::Client::new();
    let typename = json!({"query": "{ __typename }"});

    // Negotiation: the new media type when named, JSON for legacy clients and wildcards.
    for (accept, want) in [
        (Some(GQL), GQL),
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            GQL,
        ),
        (
            Some("application/graphql-response+json;q=0.5, application/json"),
            "application/json",
        ),
        (Some("application/json"), "application/json"),
        (Some("*/*"), "application/json"),
        (None, "application/json"),
    ] {
        let r = post(&url, accept, typename.clone()).await;
        assert_eq!(r.status(), StatusCode::OK, "{accept:?}");
        assert!(content_type(&r).starts_with(want), "{accept:?}: {r:?}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body, json!({"data": {"__typename": "Query"}}));
    }
    let r = post(&url, Some("application/xml"), typename.clone()).await;
    assert_eq!(r.status(), StatusCode::NOT_ACCEPTABLE);
    let r = post(
        &url,
        Some("application/json;q=0, text/html"),
        typename.clone(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_ACCEPTABLE);

    // Request errors: 400 without `data` under the new media type, 200 for legacy JSON.
    for query in [
        "{",
        "{ noSuchField }",
        "query($v: Int!) { __typename }",
        "query($id: ID!) { event(id: $id) { id } }",
        "query A { __typename } query B { __typename }",
    ] {
        let r = post(&url, Some(GQL), json!({"query": query})).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{query}");
        assert!(content_type(&r).starts_with(GQL));
        let body: Value = r.json().await.unwrap();
        assert!(body.get("data").is_none(), "{body}");
        assert!(body["errors"][0]["message"].is_string(), "{body}");

        let r = post(&url, Some("application/json"), json!({"query": query})).await;
        assert_eq!(r.status(), StatusCode::OK, "{query}");
        let body: Value = r.json().await.unwrap();
        assert!(body["errors"][0]["message"].is_string(), "{body}");
    }

    // A resolver error happens during execution: `data` (here null) and the coded error, with
    // the draft's 294 under the new type.
    let bad_id = json!({"query": r#"{ event(id: "x1") { id } }"#});
    let r = post(&url, Some(GQL), bad_id.clone()).await;
    assert_eq!(r.status().as_u16(), 294);
    let body: Value = r.json().await.unwrap();
    assert!(body.as_object().unwrap().contains_key("data"), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_ID", "{body}");
    let r = post(&url, None, bad_id).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_ID", "{body}");

    // Malformed requests: 400 with a JSON error, never the GraphQL response type.
    for body in [
        "{ \"not json",
        "",
        "[]",
        r#"{"qeury": "{ __typename }"}"#,
        r#"{"query": 1}"#,
        r#"{"query": "{ __typename }", "variables": "x"}"#,
        r#"{"query": "{ __typename }", "extensions": []}"#,
        r#"{"query": "{ __typename }", "operationName": false}"#,
    ] {
        let r = client
            .post(&url)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, GQL)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{body}");
        assert!(content_type(&r).starts_with("application/json"), "{body}");
        let err: Value = r.json().await.unwrap();
        assert!(err["errors"][0]["message"].is_string(), "{body}: {err}");
    }

    // Body media types: JSON in UTF-8 only.
    for ct in [
        None,
        Some("text/plain"),
        Some("application/json; charset=latin1"),
    ] {
        let mut req = client.post(&url).body(r#"{"query": "{ __typename }"}"#);
        if let Some(ct) = ct {
            req = req.header(CONTENT_TYPE, ct);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}");
    }
    let r = client
        .post(&url)
        .header(CONTENT_TYPE, "Application/JSON; Charset=\"UTF-8\"")
        .body(r#"{"query": "{ __typename }"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // GET: queries run, with JSON-encoded variables; anything else is refused with 405.
    let r = client
        .get(&url)
        .query(&[
            (
                "query",
                "query T($n: String!) { __type(name: $n) { name } }",
            ),
            ("variables", r#"{"n": "Query"}"#),
            ("operationName", ""),
            ("extensions", ""),
        ])
        .header(ACCEPT, GQL)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body, json!({"data": {"__type": {"name": "Query"}}}));
    let r = client
        .get(&url)
        .query(&[
            (
                "query",
                "query A { a: __typename } query B { b: __typename }",
            ),
            ("operationName", "B"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body, json!({"data": {"b": "Query"}}));
    for query in [
        "mutation { __typename }",
        "query Q { __typename } mutation M { __typename }",
    ] {
        let mut params = vec![("query", query)];
        if query.contains("mutation M") {
            params.push(("operationName", "M"));
        }
        let r = client
            .get(&url)
            .query(&params)
            .header(ACCEPT, GQL)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED, "{query}");
        assert_eq!(r.headers()[ALLOW], "POST");
    }
    for params in [
        vec![],
        vec![("query", "{ __typename }"), ("variables", "[1]")],
        vec![("query", "{ __typename }"), ("variables", "{")],
        vec![("query", "{ __typename }"), ("query", "{ __typename }")],
    ] {
        let r = client.get(&url).query(&params).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{params:?}");
    }

    // Other methods.
    let r = client.put(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers()[ALLOW], "GET,HEAD,POST");
}

/// Requests the server refuses, and arguments it rejects, get a coded error with a clear
/// message, never a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_and_rejected_requests_carry_codes() {
    let (url, _db) = start().await;
    let deep = format!(
        "{{ person(id: \"P1\") {{ {} }} }}",
        "events(first: 1) { edges { node { persons { person { ".repeat(3)
            + "id"
            + &" } } } } }".repeat(3)
    );
    let costly = r#"{ events(first: 500) { edges { node { persons { person {
        events(first: 200) { edges { node { id } } } } } } } } }"#;
    let cases = [
        (deep.as_str(), "QUERY_TOO_DEEP"),
        (costly, "QUERY_TOO_COMPLEX"),
        ("{ events(", "PARSE_ERROR"),
        ("{ noSuchField }", "INVALID_QUERY"),
        (
            r#"{ events(filter: {from: "2026-11-02T00:00:00Z", to: "2026-11-01T00:00:00Z"}) { totalCount } }"#,
            "BAD_ARGUMENT",
        ),
        (r#"{ events(after: "nope") { totalCount } }"#, "BAD_CURSOR"),
        (r#"{ address(id: "P3") { text } }"#, "BAD_ID"),
        (
            r#"{ aggregate(by: [DAY, SOURCE, UNIT, STATUS, TYPE]) { total } }"#,
            "BAD_ARGUMENT",
        ),
    ];
    for (query, code) in cases {
        let r = post(&url, None, json!({ "query": query })).await;
        assert_eq!(r.status().as_u16(), 200, "{query}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], code,
            "{query}: {body}"
        );
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.len() > 10, "{query}: {message}");
    }
}
