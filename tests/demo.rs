//! The README's demo command works: simulator, sync into SQLite, GraphQL answering the sample
//! query (`hub demo --check`).

use std::process::Command;

#[test]
fn demo_check_answers_the_sample_query() {
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hub"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "demo",
            "--check",
            "--records",
            "1500",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(data.path().join("demo"))
        .env_remove("HUB_DATABASE_URL")
        .env_remove("HUB_CONNECTORS_DIR")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json_start = stdout.find('{').expect("the answer is printed");
    let answer: serde_json::Value = serde_json::from_str(&stdout[json_start..]).unwrap();
    assert!(answer["data"]["events"]["totalCount"].as_i64().unwrap() > 0);
    let node = &answer["data"]["events"]["edges"][0]["node"];
    assert!(node["category"].as_str().unwrap().starts_with("矛盾纠纷"));
    assert!(node["addresses"].as_array().is_some() && node["persons"].as_array().is_some());
    // Persons and places come resolved, with the person's history across systems.
    let edges = answer["data"]["events"]["edges"].as_array().unwrap();
    assert!(
        edges
            .iter()
            .flat_map(|e| e["node"]["persons"].as_array().unwrap())
            .any(|p| p["person"]["eventCount"].as_i64().unwrap_or(0) >= 1),
        "{answer}"
    );
    assert!(answer["data"]["aggregate"]["total"].as_i64().unwrap() > 0);
    assert_eq!(answer["data"]["connectors"].as_array().unwrap().len(), 4);
    assert!(
        data.path().join("demo/hub.db").exists(),
        "an embedded SQLite file"
    );
}
