//! The README's demo command works: simulator, sync into SQLite, GraphQL answering the sample
//! query (`hub demo --check`), the day's situation report; then, on the demo's database, the
//! report commands and `hub serve` running a scheduled report from `hub.toml`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn hub(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hub"));
    c.current_dir(dir)
        .env_remove("HUB_DATABASE_URL")
        .env_remove("HUB_CONNECTORS_DIR")
        .env_remove("HUB_LISTEN")
        .env("RUST_LOG", "warn");
    c
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

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

    // The demo wrote the last full day's report.
    let reports = files_in(&data.path().join("demo/reports"));
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert!(reports[0].starts_with("situation-daily-") && reports[0].ends_with(".html"));
    assert!(reports[1].ends_with(".xlsx"));

    // By hand, on the demo's database.
    let db = format!("sqlite://{}", data.path().join("demo/hub.db").display());
    let out = hub(data.path())
        .args([
            "report",
            "weekly",
            "--date",
            "2026-11-18",
            "--format",
            "json,csv",
        ])
        .args(["--out", "by-hand", "--database-url", &db])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        files_in(&data.path().join("by-hand")),
        [
            "situation-weekly-2026-11-16.csv",
            "situation-weekly-2026-11-16.json"
        ]
    );
    let weekly: serde_json::Value = serde_json::from_slice(
        &std::fs::read(data.path().join("by-hand/situation-weekly-2026-11-16.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(weekly["last_day"], "2026-11-22");
    assert!(weekly["headline"][3]["count"].as_i64().unwrap() > 0);

    // On a schedule, from hub.toml, run by `hub serve`.
    std::fs::write(
        data.path().join("hub.toml"),
        format!(
            "database_url = \"{db}\"\nlisten = \"127.0.0.1:0\"\nconnectors_dir = \"{}\"\n\n[[reports]]\nname = \"often\"\nperiod = \"daily\"\ncron = \"*/2 * * * * *\"\nformats = [\"json\"]\nout_dir = \"scheduled\"\n",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("connectors").display()
        ),
    )
    .unwrap();
    let serve_log = std::fs::File::create(data.path().join("serve.log")).unwrap();
    let mut serve = hub(data.path())
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(serve_log)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while files_in(&data.path().join("scheduled")).is_empty()
        && started.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = serve.kill();
    let _ = serve.wait();
    let scheduled = files_in(&data.path().join("scheduled"));
    assert_eq!(
        scheduled.len(),
        1,
        "one daily report (yesterday's), rewritten: {scheduled:?}"
    );
    assert!(scheduled[0].starts_with("situation-daily-") && scheduled[0].ends_with(".json"));

    let list = hub(data.path()).args(["report", "list"]).output().unwrap();
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    for want in ["often", "manual", "demo", "weekly", "2026-11-16", " ok "] {
        assert!(listed.contains(want), "`{want}` in:\n{listed}");
    }
}
