//! A second city onboarded with connector files only: `connectors/second-city/` reads the
//! simulator's SecondCity dialect (renamed hotline fields, `2026/11/01 08:23` times, a UTF-8 CSV
//! export, RFC 3339 alarm times, Chinese petition headers) with the same variables as the
//! reference files, lands every record, revision and malformed row on both stores, and maps the
//! same city to the same unified events as the reference dialect through `connectors/`.

#![allow(clippy::type_complexity)] // row tuples read once and compared

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{NaiveDateTime, Timelike};
use common::sim::{SimEnv, no_faults, repo_connectors, sync_once};
use diesel::prelude::*;
use hub::ingest::sync::SyncReport;
use hub::simulate::{Dialect, Expected, SimSpec};
use hub::store::Store;
use hub::store::schema::*;

const SEED: u64 = 11;

fn second_city_connectors() -> PathBuf {
    repo_connectors().join("second-city")
}

fn report<'a>(reports: &'a [SyncReport], name: &str) -> &'a SyncReport {
    reports
        .iter()
        .find(|r| r.connector == name)
        .unwrap_or_else(|| panic!("no report for {name}"))
}

/// One stored event as the unified model sees it, without what only says how or when it was
/// delivered (connector, content hash, surrogate ids).
#[derive(Debug, Clone, PartialEq)]
struct Ev {
    occurred_at: NaiveDateTime,
    source_updated_at: Option<NaiveDateTime>,
    deadline: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    event_type: Option<String>,
    category: String,
    category_raw: Option<String>,
    content: Option<String>,
    unit: Option<String>,
    status: String,
    status_raw: Option<String>,
    satisfaction: Option<String>,
    longitude: Option<f64>,
    latitude: Option<f64>,
    petitioners: Option<i64>,
    detail: String,
    /// The current version's number.
    version: i64,
    /// (position, name, phone, id number) as written.
    persons: Vec<(i64, Option<String>, Option<String>, Option<String>)>,
    /// (field, text) as written.
    addresses: Vec<(String, String)>,
}

/// What a database holds after a sync, in terms both dialects can be compared by.
struct Snapshot {
    events: BTreeMap<(String, String), Ev>,
    /// Stored versions per source.
    versions: BTreeMap<String, usize>,
    /// Per connector: the record ids of quarantined rows, and how many distinct rows had none.
    quarantine: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
    /// Per connector: (checkpoint, last source time).
    checkpoints: BTreeMap<String, (String, Option<NaiveDateTime>)>,
}

impl Snapshot {
    /// Malformed rows seen by a connector: a row with a record id counts once per id (a
    /// revised order whose CSV row stays undecodable is one malformed order, not two), a row
    /// without one once per distinct raw text.
    fn quarantined(&self, connector: &str) -> usize {
        self.quarantine
            .get(connector)
            .map(|(ids, anon)| ids.len() + anon.len())
            .unwrap_or(0)
    }
}

type CoreRow = (
    i64,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);
type RestRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<i64>,
    String,
    i64,
);

async fn snapshot(store: &Store) -> Snapshot {
    store
        .run(|conn| {
            let core: Vec<CoreRow> = events::table
                .select((
                    events::id,
                    events::source,
                    events::record_id,
                    events::occurred_at,
                    events::source_updated_at,
                    events::deadline,
                    events::closed_at,
                    events::event_type,
                    events::category,
                    events::category_raw,
                    events::content,
                    events::unit,
                ))
                .load(conn)?;
            let rest: BTreeMap<i64, RestRow> = events::table
                .select((
                    events::id,
                    events::status,
                    events::status_raw,
                    events::satisfaction,
                    events::longitude,
                    events::latitude,
                    events::petitioners,
                    events::detail,
                    events::version,
                ))
                .load::<RestRow>(conn)?
                .into_iter()
                .map(|r| (r.0, r))
                .collect();
            let mut persons: BTreeMap<i64, Vec<_>> = BTreeMap::new();
            let person_rows: Vec<(i64, i64, Option<String>, Option<String>, Option<String>)> =
                person_mentions::table
                    .select((
                        person_mentions::event_id,
                        person_mentions::position,
                        person_mentions::name,
                        person_mentions::phone,
                        person_mentions::id_number,
                    ))
                    .order((person_mentions::event_id, person_mentions::position))
                    .load(conn)?;
            for (id, position, name, phone, id_number) in person_rows {
                persons
                    .entry(id)
                    .or_default()
                    .push((position, name, phone, id_number));
            }
            let mut addresses: BTreeMap<i64, Vec<_>> = BTreeMap::new();
            let address_rows: Vec<(i64, String, String)> = address_mentions::table
                .select((
                    address_mentions::event_id,
                    address_mentions::field,
                    address_mentions::text,
                ))
                .order((address_mentions::event_id, address_mentions::field))
                .load(conn)?;
            for (id, field, text) in address_rows {
                addresses.entry(id).or_default().push((field, text));
            }
            let mut events = BTreeMap::new();
            for c in core {
                let r = &rest[&c.0];
                let ev = Ev {
                    occurred_at: c.3,
                    source_updated_at: c.4,
                    deadline: c.5,
                    closed_at: c.6,
                    event_type: c.7,
                    category: c.8,
                    category_raw: c.9,
                    content: c.10,
                    unit: c.11,
                    status: r.1.clone(),
                    status_raw: r.2.clone(),
                    satisfaction: r.3.clone(),
                    longitude: r.4,
                    latitude: r.5,
                    petitioners: r.6,
                    detail: r.7.clone(),
                    version: r.8,
                    persons: persons.remove(&c.0).unwrap_or_default(),
                    addresses: addresses.remove(&c.0).unwrap_or_default(),
                };
                assert!(
                    events.insert((c.1, c.2), ev).is_none(),
                    "one event per (source, record id)"
                );
            }
            let mut versions = BTreeMap::new();
            let version_sources: Vec<String> = event_versions::table
                .inner_join(events::table)
                .select(events::source)
                .load(conn)?;
            for s in version_sources {
                *versions.entry(s).or_default() += 1;
            }
            let mut quarantine: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> =
                BTreeMap::new();
            let q: Vec<(String, Option<String>, String)> = quarantine::table
                .select((
                    quarantine::connector,
                    quarantine::record_id,
                    quarantine::raw_hash,
                ))
                .load(conn)?;
            for (connector, record_id, raw_hash) in q {
                let (ids, anon) = quarantine.entry(connector).or_default();
                match record_id {
                    Some(id) => ids.insert(id),
                    None => anon.insert(raw_hash),
                };
            }
            let checkpoints = sync_checkpoints::table
                .select((
                    sync_checkpoints::connector,
                    sync_checkpoints::checkpoint,
                    sync_checkpoints::last_source_time,
                ))
                .load::<(String, String, Option<NaiveDateTime>)>(conn)?
                .into_iter()
                .map(|(c, cp, t)| (c, (cp, t)))
                .collect();
            Ok(Snapshot {
                events,
                versions,
                quarantine,
                checkpoints,
            })
        })
        .await
        .expect("read the database")
}

fn to_minute(t: NaiveDateTime) -> NaiveDateTime {
    t.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .expect("valid time")
}

fn to_second(t: NaiveDateTime) -> NaiveDateTime {
    t.with_nanosecond(0).expect("valid time")
}

/// The reference event reduced to what the SecondCity feeds carry:
/// - hotline call, due and done times are written `2026/11/01 08:23` there, without the
///   seconds the reference `2026-11-01 08:23:11` has, so only the minute can agree (the
///   update time keeps its seconds in both and is compared as it is);
/// - alarm `bjsj` is an RFC 3339 string with whole seconds there, epoch milliseconds in the
///   reference, so only the second can agree (`cjsj` is kept in the detail at whole seconds
///   in both).
///
/// Nothing else is reduced.
fn as_second_city_carries(source: &str, ev: &Ev) -> Ev {
    let mut ev = ev.clone();
    match source {
        "hotline" => {
            ev.occurred_at = to_minute(ev.occurred_at);
            ev.deadline = ev.deadline.map(to_minute);
            ev.closed_at = ev.closed_at.map(to_minute);
        }
        "alarm" => ev.occurred_at = to_second(ev.occurred_at),
        _ => {}
    }
    ev
}

fn field_diffs(a: &Ev, b: &Ev) -> Vec<String> {
    let mut out = Vec::new();
    macro_rules! cmp {
        ($($f:ident),*) => {$(
            if a.$f != b.$f {
                out.push(format!("{}: reference {:?}, second city {:?}", stringify!($f), a.$f, b.$f));
            }
        )*};
    }
    cmp!(
        occurred_at,
        source_updated_at,
        deadline,
        closed_at,
        event_type,
        category,
        category_raw,
        content,
        unit,
        status,
        status_raw,
        satisfaction,
        longitude,
        latitude,
        petitioners,
        detail,
        version,
        persons,
        addresses
    );
    out
}

/// Every difference between the reference city's events and the second city's, after reducing
/// the reference to the precision the second city's feeds carry.
fn event_differences(reference: &Snapshot, second: &Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    let ref_keys: BTreeSet<_> = reference.events.keys().collect();
    let second_keys: BTreeSet<_> = second.events.keys().collect();
    for k in ref_keys.difference(&second_keys) {
        out.push(format!("{k:?}: only in the reference city"));
    }
    for k in second_keys.difference(&ref_keys) {
        out.push(format!("{k:?}: only in the second city"));
    }
    for (k, r) in &reference.events {
        let Some(s) = second.events.get(k) else {
            continue;
        };
        for d in field_diffs(&as_second_city_carries(&k.0, r), s) {
            out.push(format!("{k:?} {d}"));
        }
    }
    out
}

fn check_counts(label: &str, step: u32, e: &Expected, snap: &Snapshot) {
    let count = |s: &str| snap.events.keys().filter(|(src, _)| src == s).count();
    assert_eq!(
        count("hotline"),
        e.hotline.records,
        "{label} step {step}: hotline records"
    );
    assert_eq!(
        count("alarm"),
        e.alarm.records,
        "{label} step {step}: alarm records"
    );
    assert_eq!(
        count("petition"),
        e.petition.records,
        "{label} step {step}: petition records"
    );
    let versions = |s: &str| snap.versions.get(s).copied().unwrap_or(0);
    assert_eq!(
        versions("hotline"),
        e.hotline.records + e.hotline.revisions,
        "{label} step {step}: order versions"
    );
    assert_eq!(
        versions("alarm"),
        e.alarm.records + e.alarm.revisions,
        "{label} step {step}: alarm versions"
    );
    assert_eq!(
        versions("petition"),
        e.petition.records + e.petition.revisions,
        "{label} step {step}: petition versions"
    );
    for (connector, malformed) in [
        ("hotline", e.hotline.malformed),
        ("alarm", e.alarm.malformed),
        ("petition", e.petition.malformed),
        ("hotline_csv", e.hotline_csv.malformed),
    ] {
        assert_eq!(
            snap.quarantined(connector),
            malformed,
            "{label} step {step}: malformed rows of {connector}"
        );
    }
}

/// Syncs the reference dialect of the same seed with the reference connector files into a fresh
/// SQLite database, one snapshot per step.
async fn reference_city() -> Vec<Snapshot> {
    let db = common::sqlite();
    let sim = SimEnv::start(SimSpec::small(SEED), no_faults()).await;
    let feeds = sim.feeds();
    let store = Store::open(&db.url).await.unwrap();
    let mut snaps = Vec::new();
    for step in 0..=sim.last_step() {
        sim.set_step(step);
        sync_once(&store, &feeds).await;
        let snap = snapshot(&store).await;
        check_counts("reference", step, &sim.city.expected(step), &snap);
        snaps.push(snap);
    }
    snaps
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_city_lands_everything_and_maps_to_the_reference_events() {
    let reference = reference_city().await;
    for db in common::databases() {
        // A fresh simulator and folder per store: files released at later steps must not be
        // there yet.
        let sim = SimEnv::start(
            SimSpec::small(SEED).with_dialect(Dialect::SecondCity),
            no_faults(),
        )
        .await;
        let feeds = sim.feeds_from(&second_city_connectors());
        let names: BTreeSet<&str> = feeds.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            BTreeSet::from(["alarm", "hotline", "hotline_csv", "petition"]),
            "{}",
            db.label
        );
        let store = Store::open(&db.url).await.unwrap();
        for step in 0..=sim.last_step() {
            sim.set_step(step);
            let reports = sync_once(&store, &feeds).await;
            let e = sim.city.expected(step);
            let label = format!("{} (second city)", db.label);
            if step == 0 {
                // As in sync_feeds.rs: on the first run every malformed row is quarantined once.
                assert_eq!(
                    report(&reports, "hotline").counts.quarantined as usize,
                    e.hotline.malformed,
                    "{label}"
                );
                assert_eq!(
                    report(&reports, "alarm").counts.quarantined as usize,
                    e.alarm.malformed,
                    "{label}"
                );
                assert_eq!(
                    report(&reports, "petition").counts.quarantined as usize,
                    e.petition.malformed,
                    "{label}"
                );
                assert_eq!(
                    report(&reports, "hotline_csv").counts.quarantined as usize,
                    e.hotline_csv.malformed,
                    "{label}: undecodable UTF-8 rows and the malformed orders"
                );
                assert_eq!(
                    (report(&reports, "hotline").counts.inserted
                        + report(&reports, "hotline_csv").counts.inserted)
                        as usize,
                    e.hotline.records,
                    "{label}: HTTP and CSV export together store each order once"
                );
            }
            let snap = snapshot(&store).await;
            check_counts(&label, step, &e, &snap);

            // The paging cursor (`update_time`, seconds kept) advances exactly as the reference
            // one (`gxsj`) does: had `[time] formats` not named its format, `since` would stay
            // null and every run would walk all pages again.
            let reference = &reference[step as usize];
            let hotline_checkpoint = &snap.checkpoints["hotline"];
            assert!(
                hotline_checkpoint.0.contains("\"since\":\"20"),
                "{label}: {hotline_checkpoint:?}"
            );
            assert_eq!(
                hotline_checkpoint, &reference.checkpoints["hotline"],
                "{label} step {step}: paging checkpoint"
            );
            // The alarm cursor is the same; its last source time is the newest `bjsj`, whole
            // seconds here and milliseconds in the reference (see `as_second_city_carries`).
            let (cursor, newest) = &snap.checkpoints["alarm"];
            let (ref_cursor, ref_newest) = &reference.checkpoints["alarm"];
            assert_eq!(cursor, ref_cursor, "{label} step {step}: alarm cursor");
            assert_eq!(
                *newest,
                ref_newest.map(to_second),
                "{label} step {step}: newest alarm time"
            );

            // The same rows are malformed in both dialects.
            for connector in ["hotline", "alarm", "petition", "hotline_csv"] {
                let ids = |s: &Snapshot| {
                    s.quarantine
                        .get(connector)
                        .map(|q| q.0.clone())
                        .unwrap_or_default()
                };
                assert_eq!(
                    ids(&snap),
                    ids(reference),
                    "{label} step {step}: quarantined record ids of {connector}"
                );
            }

            // The point: the same city through other shapes is the same unified events.
            let diffs = event_differences(reference, &snap);
            let mut by_field: BTreeMap<&str, usize> = BTreeMap::new();
            for d in &diffs {
                let field = d
                    .split(") ")
                    .nth(1)
                    .and_then(|r| r.split(':').next())
                    .unwrap_or("presence");
                *by_field.entry(field).or_default() += 1;
            }
            assert!(
                diffs.is_empty(),
                "{label} step {step}: {} differences from the reference city ({by_field:?}), first ones:\n{}",
                diffs.len(),
                diffs
                    .iter()
                    .take(12)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }

        // Nothing new at the source: a further run changes nothing.
        let again = sync_once(&store, &feeds).await;
        assert!(
            again
                .iter()
                .all(|r| r.counts.inserted == 0 && r.counts.updated == 0),
            "{}: {again:?}",
            db.label
        );
    }
}

/// The `${VAR}`s each connector file asks for, by file name.
fn variables(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = BTreeMap::new();
    for file in files {
        let asked = Mutex::new(BTreeSet::new());
        let env = |k: &str| {
            asked.lock().unwrap().insert(k.to_string());
            Some(format!("/{k}"))
        };
        hub::feeds::load_file(&file, &env).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        out.insert(
            file.file_name().unwrap().to_string_lossy().into_owned(),
            asked.into_inner().unwrap(),
        );
    }
    out
}

#[test]
fn second_city_reads_the_variables_of_the_reference_files() {
    let reference = variables(&repo_connectors());
    let second = variables(&second_city_connectors());
    assert_eq!(second, reference);
    assert_eq!(reference.len(), 4);
}
