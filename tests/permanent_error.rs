//! Bad credentials stop that connector with a message naming it and the cause; the other
//! connectors finish, and `hub status` shows the error.

mod common;

use std::process::Command;

use common::sim::{SimEnv, no_faults, repo_connectors};
use hub::simulate::SimSpec;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_token_stops_only_its_connector() {
    let sim = SimEnv::start(SimSpec::small(51), no_faults()).await;
    for db in common::databases() {
        let run = |args: &[&str], token: &str| {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_hub"));
            cmd.args(args)
                .env("HUB_DATABASE_URL", &db.url)
                .env("HUB_CONNECTORS_DIR", repo_connectors())
                .env("RUST_LOG", "error");
            for (k, v) in sim.vars() {
                cmd.env(
                    &k,
                    if k == "HOTLINE_TOKEN" {
                        token.to_string()
                    } else {
                        v
                    },
                );
            }
            cmd.output().unwrap()
        };
        let started = std::time::Instant::now();
        let out = run(&["sync"], "expired-token");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            !out.status.success(),
            "{}: a failed connector fails the command",
            db.label
        );
        assert!(
            started.elapsed().as_secs() < 20,
            "a permanent error is not retried for long"
        );
        let line = stdout
            .lines()
            .find(|l| l.starts_with("hotline "))
            .unwrap_or_default();
        assert!(
            line.contains("FAILED")
                && line.contains("`hotline`")
                && line.contains("token expired")
                && line.contains("credentials"),
            "{line}"
        );
        for other in ["alarm", "petition", "hotline_csv"] {
            let l = stdout
                .lines()
                .find(|l| l.starts_with(&format!("{other} ")))
                .unwrap_or_default();
            assert!(
                l.contains(" ok "),
                "{}: {other} still synced: {l}",
                db.label
            );
        }

        let status = run(&["status"], "expired-token");
        let text = String::from_utf8_lossy(&status.stdout);
        let hotline = text
            .lines()
            .find(|l| l.starts_with("hotline "))
            .unwrap_or_default();
        assert!(
            hotline.contains("failed:") && hotline.contains("token expired"),
            "{text}"
        );
        let alarm = text
            .lines()
            .find(|l| l.starts_with("alarm "))
            .unwrap_or_default();
        assert!(alarm.contains(" ok "), "{text}");

        // With the right token it recovers from where it stopped.
        let out = run(&["sync", "--connector", "hotline"], common::sim::TOKEN);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn bad_settings_name_the_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hub.toml");
    std::fs::write(&file, "listen = \"not-an-address\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(["status", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("hub.toml") && err.contains("`listen`") && err.contains("host:port"),
        "{err}"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(["sync", "--connector", "nope"])
        .env(
            "HUB_DATABASE_URL",
            format!("sqlite://{}", dir.path().join("x.db").display()),
        )
        .env("HUB_CONNECTORS_DIR", repo_connectors())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("no connector named `nope`"),
        "{err}"
    );
}
