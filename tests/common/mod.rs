//! Helpers shared by the integration tests: a fresh database per test on each store, the
//! simulator wired to connector files, and a canonical dump of what a sync stored.
#![allow(dead_code)]

pub mod dump;
pub mod sim;

use std::sync::atomic::{AtomicU32, Ordering};

use diesel::{Connection, PgConnection, RunQueryDsl};

/// A database that exists for one test and is removed afterwards.
pub struct TestDb {
    pub url: String,
    pub label: &'static str,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg
            && let Ok(mut c) = PgConnection::establish(admin)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut c);
        }
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("hub.db").display());
    TestDb {
        url,
        label: "sqlite",
        _dir: Some(dir),
        pg: None,
    }
}

/// A fresh PostgreSQL database on the server named by HUB_TEST_PG_URL (scripts/test.sh sets it).
pub fn postgres() -> TestDb {
    let admin = std::env::var("HUB_TEST_PG_URL").unwrap_or_else(|_| {
        panic!("HUB_TEST_PG_URL is not set: run the tests with scripts/test.sh, which starts PostgreSQL")
    });
    let name = format!(
        "hub_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_subsec_nanos()
    );
    let mut c = PgConnection::establish(&admin)
        .unwrap_or_else(|e| panic!("cannot connect to HUB_TEST_PG_URL: {e}"));
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut c)
        .expect("create test database");
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .expect("URL has a database part");
    TestDb {
        url: format!("{base}/{name}"),
        label: "postgres",
        _dir: None,
        pg: Some((admin, name)),
    }
}

/// One fresh database on each store; store tests loop over these.
pub fn databases() -> Vec<TestDb> {
    vec![sqlite(), postgres()]
}
