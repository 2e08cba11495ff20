//! The project's simulator, served for real on 127.0.0.1 and written into a real folder, with
//! the shipped connector files loaded against it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hub::feeds::{Feed, load_dir};
use hub::ingest::progress::Progress;
use hub::ingest::sync::{SyncReport, sync_all};
use hub::simulate::{Faults, FeedServer, ServeOptions, SimCity, SimSpec};
use hub::store::Store;

pub const TOKEN: &str = "test-hotline-token";
pub const KEY: &str = "test-alarm-key";

pub struct SimEnv {
    pub city: Arc<SimCity>,
    pub server: FeedServer,
    pub dir: tempfile::TempDir,
}

impl SimEnv {
    /// Generates the city, serves it and writes the files of step 0.
    pub async fn start(spec: SimSpec, faults: Faults) -> SimEnv {
        let seed = spec.seed;
        let city = Arc::new(
            tokio::task::spawn_blocking(move || SimCity::generate(&spec))
                .await
                .unwrap(),
        );
        let server = FeedServer::start(
            city.clone(),
            ServeOptions {
                hotline_token: TOKEN.into(),
                alarm_api_key: KEY.into(),
                faults,
                fault_seed: seed,
            },
        )
        .await
        .expect("simulator serves");
        let env = SimEnv {
            city,
            server,
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(env.petition_dir()).unwrap();
        env.set_step(0);
        env
    }

    pub fn petition_dir(&self) -> PathBuf {
        self.dir.path().join("petitions")
    }

    pub fn csv_path(&self) -> PathBuf {
        self.dir.path().join("hotline_export.csv")
    }

    /// Exposes `step` on the HTTP feeds and rewrites the files as they are at that step.
    pub fn set_step(&self, step: u32) {
        self.city
            .write_petition_files(&self.petition_dir(), step)
            .unwrap();
        self.city.write_hotline_csv(&self.csv_path(), step).unwrap();
        self.server.set_step(step);
    }

    pub fn last_step(&self) -> u32 {
        self.city.spec().steps - 1
    }

    /// The variables the shipped connector files read.
    pub fn vars(&self) -> Vec<(String, String)> {
        vec![
            ("HOTLINE_BASE_URL".into(), self.server.base_url()),
            ("HOTLINE_TOKEN".into(), TOKEN.into()),
            ("ALARM_BASE_URL".into(), self.server.base_url()),
            ("ALARM_API_KEY".into(), KEY.into()),
            (
                "PETITION_DIR".into(),
                self.petition_dir().display().to_string(),
            ),
            ("HOTLINE_CSV".into(), self.csv_path().display().to_string()),
        ]
    }

    /// Loads a connector folder against this simulator, with retries fast enough for tests.
    pub fn feeds_from(&self, dir: &Path) -> Vec<Feed> {
        let vars = self.vars();
        let env = move |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let (mut feeds, broken) = load_dir(dir, &env).expect("connector folder loads");
        assert!(
            broken.is_empty(),
            "every connector is configured: {broken:?}"
        );
        for f in &mut feeds {
            f.transport.retry.base_delay = Duration::from_millis(2);
            f.transport.retry.max_delay = Duration::from_millis(40);
            f.transport.retry.attempts = 40;
        }
        feeds
    }

    /// The shipped reference connector files.
    pub fn feeds(&self) -> Vec<Feed> {
        self.feeds_from(&repo_connectors())
    }
}

pub fn repo_connectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("connectors")
}

/// A copy of the shipped connector folder with text replaced in some files (config changes,
/// never code changes): `(file, from, to)`.
pub fn edited_connectors(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo_connectors()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "toml") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let mut text = std::fs::read_to_string(&path).unwrap();
            for (file, from, to) in edits.iter().filter(|(f, _, _)| *f == name) {
                assert!(text.contains(from), "{file} contains {from:?}");
                text = text.replace(from, to);
            }
            std::fs::write(dir.path().join(&name), text).unwrap();
        }
    }
    dir
}

/// Small pages and batches, so a small city still takes many requests and transactions; the
/// CSV export is off because which of two exports of one order delivers it first is a race
/// that tests comparing whole databases must not depend on.
pub fn many_small_batches() -> tempfile::TempDir {
    edited_connectors(&[
        ("hotline.toml", "page_size = 500", "page_size = 20"),
        ("alarm.toml", "limit = 1000", "limit = 20"),
        (
            "petition.toml",
            "rows_per_batch = 2000",
            "rows_per_batch = 15",
        ),
        (
            "hotline_csv.toml",
            "kind = \"csv_file\"",
            "kind = \"csv_file\"\nenabled = false",
        ),
    ])
}

pub fn no_faults() -> Faults {
    Faults::none()
}

/// Runs every feed once and insists that none failed.
pub async fn sync_once(store: &Store, feeds: &[Feed]) -> Vec<SyncReport> {
    let (_tx, rx) = tokio::sync::watch::channel(false);
    let reports = sync_all(store, feeds, false, &Progress::Quiet, rx).await;
    for r in &reports {
        assert!(r.error.is_none(), "{} failed: {:?}", r.connector, r.error);
    }
    reports
}

/// A simulated city at its last step, synced into the store at `url` and
/// resolved with the city's own gazetteer.
pub async fn resolved_city(
    spec: SimSpec,
    url: &str,
) -> (SimEnv, Store, hub::config::ResolveSettings) {
    let sim = SimEnv::start(spec, no_faults()).await;
    sim.city.write_gazetteer(sim.dir.path()).unwrap();
    let settings = hub::config::ResolveSettings {
        gazetteer: Some(sim.dir.path().join(hub::simulate::GAZETTEER_FILE)),
        ..Default::default()
    };
    sim.set_step(sim.last_step());
    let store = Store::open(url).await.unwrap();
    sync_once(&store, &sim.feeds()).await;
    hub::ingest::resolution::Resolving::open(&store, &settings)
        .await
        .unwrap()
        .drain(&store)
        .await
        .unwrap();
    (sim, store, settings)
}
