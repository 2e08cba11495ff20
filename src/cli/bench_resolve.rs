//! `hub bench resolve`: full resolution of a simulated city's person and
//! address mentions, the latency of resolving one more record, and quality
//! against the truth — side by side with Splink 5 (DuckDB) and a plain
//! "same phone or same ID" union on the same person mentions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::Context;
use hub::config::Overrides;
use hub::domain::Source;
use hub::evaluation::{Labels, evaluate, truth_labels};
use hub::ingest::resolution::{address_input, buildings_by_event, load_gazetteer, slot_field};
use hub::resolve::address::AddressLevel;
use hub::resolve::mention::MentionKey;
use hub::resolve::person::{
    PersonFeatures, PersonInput, PersonModel, PersonResolver, RecordPersons,
};
use hub::resolve::place::{AddressInput, PlaceResolver, RecordAddresses};
use hub::store::Store;
use hub::store::resolution::Events;

use super::bench::{peak_rss_kib, reset_peak_rss};

#[derive(clap::Args)]
pub struct ResolveBenchArgs {
    /// Records in the simulated city (470,000 give about 1,000,000 mentions).
    #[arg(long, default_value_t = 470_000)]
    pub records: usize,
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    #[arg(long, default_value = "target/bench-resolve")]
    pub dir: PathBuf,
    /// Records held out and then resolved one at a time, for the latency figures.
    #[arg(long, default_value_t = 1_000)]
    pub singles: usize,
    /// Leave Splink out.
    #[arg(long)]
    pub no_splink: bool,
    /// Reuse the database and truth of an earlier run in --dir.
    #[arg(long)]
    pub reuse: bool,
}

type Record = (
    Source,
    std::sync::Arc<str>,
    Vec<PersonInput>,
    Vec<AddressInput>,
);

pub async fn run(overrides: &Overrides, args: ResolveBenchArgs) -> anyhow::Result<ExitCode> {
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: debug build; run `cargo run --release -- bench resolve` for real figures"
        );
    }
    let settings =
        super::bench::simulated_city(overrides, &args.dir, args.records, args.seed, args.reuse)
            .await?;
    if !args.reuse {
        // The figures are resolution's own: a process that has just synced
        // a city still holds some of that memory, so the timed part runs in
        // a fresh one on the city just built.
        let status = Command::new(std::env::current_exe()?)
            .args(std::env::args_os().skip(1))
            .arg("--reuse")
            .status()
            .context("running the timed part in a fresh process")?;
        return Ok(if status.success() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let feeds_dir = args.dir.join("feeds");
    let store = Store::open(&settings.database_url).await?;
    let gazetteer = load_gazetteer(&settings.resolve)?;

    // --- Ours: read, parse, estimate, block, score, cluster. ---
    reset_peak_rss();
    let t = Instant::now();
    // Read in slices of events, as `Resolving::open` does; places are
    // resolved slice by slice (the incremental path gives the same result
    // as one batch), persons once the model is estimated on all of them.
    let last = store.max_event_id().await?;
    let k = ((last as usize) / args.singles.max(1)).max(2);
    let mut places = PlaceResolver::new();
    let mut bulk_persons: Vec<RecordPersons> = Vec::new();
    let mut held: Vec<Record> = Vec::new();
    // Records read, for scoring against the truth afterwards; kept compact
    // (the ids are shared with the mentions) so the figures measure the
    // resolvers, not this list.
    let mut stored: Vec<(Source, std::sync::Arc<str>)> = Vec::new();
    let (mut n_persons, mut n_addresses) = (0usize, 0usize);
    let mut lo = 0;
    while lo <= last {
        let hi = lo + 50_000;
        let addresses = store.stored_addresses(Events::Between(lo, hi)).await?;
        let persons = store.stored_persons(Events::Between(lo, hi)).await?;
        n_persons += persons.len();
        n_addresses += addresses.len();
        let inputs: Vec<(AddressInput, i64)> = addresses
            .iter()
            .filter_map(|a| address_input(a, &gazetteer))
            .collect();
        let buildings = buildings_by_event(&inputs);
        let mut by_event: std::collections::BTreeMap<i64, Record> = Default::default();
        for (input, event) in inputs {
            let source = input.key.source;
            by_event
                .entry(event)
                .or_insert_with(|| (source, input.key.record_id.clone(), Vec::new(), Vec::new()))
                .3
                .push(input);
        }
        for p in &persons {
            let Ok(source) = p.source.parse::<Source>() else {
                continue;
            };
            let key = MentionKey::new(source, &p.record_id, p.position as u32);
            let f = PersonFeatures::parse(
                p.name.as_deref(),
                p.phone.as_deref(),
                p.id_number.as_deref(),
                &settings.resolve.area_code,
            )
            .with_buildings(buildings.get(&p.event_id).cloned().unwrap_or_default());
            by_event
                .entry(p.event_id)
                .or_insert_with(|| (source, key.record_id.clone(), Vec::new(), Vec::new()))
                .2
                .push(PersonInput { key, features: f });
        }
        let mut slice_places = Vec::new();
        for (event, r) in by_event {
            stored.push((r.0, r.1.clone()));
            if event as usize % k == k / 2 && held.len() < args.singles {
                held.push(r);
                continue;
            }
            let (source, record_id, mut p, a) = r;
            // Held until the model is estimated: a vector grown by pushes
            // reserves room for four mentions, most records have one.
            p.shrink_to_fit();
            bulk_persons.push(RecordPersons {
                source,
                record_id: record_id.clone(),
                mentions: p,
            });
            slice_places.push(RecordAddresses {
                source,
                record_id,
                mentions: a,
            });
        }
        places.upsert(slice_places);
        lo = hi;
    }
    rss("read, parsed, places resolved");
    let features: Vec<&PersonFeatures> = bulk_persons
        .iter()
        .flat_map(|r| r.mentions.iter().map(|p| &p.features))
        .collect();
    let model = PersonModel::estimate(&features, settings.resolve.threshold);
    drop(features);
    rss("model estimated");
    let mut pr = PersonResolver::new(model);
    pr.upsert(bulk_persons);
    rss("persons resolved");
    let full_secs = t.elapsed().as_secs_f64();
    let full_rss = peak_rss_kib().unwrap_or(0) as f64 / 1024.0;

    let mut lat = Vec::with_capacity(held.len());
    for (source, record_id, p, a) in held {
        let t = Instant::now();
        pr.upsert(vec![RecordPersons {
            source,
            record_id: record_id.clone(),
            mentions: p,
        }]);
        places.upsert(vec![RecordAddresses {
            source,
            record_id,
            mentions: a,
        }]);
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    lat.sort_by(f64::total_cmp);
    let pct = |q: f64| {
        lat.get(((lat.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };

    let mut truth = truth_labels(&feeds_dir, Some("building"))?;
    let stored: std::collections::HashSet<(String, String)> = stored
        .into_iter()
        .map(|(source, id)| (source.as_str().to_string(), id.to_string()))
        .collect();
    hub::evaluation::restrict_to(&mut truth, &stored);
    let mut ours: Labels = pr
        .assignments()
        .map(|(k, id)| {
            (
                (
                    "person".into(),
                    k.source.as_str().into(),
                    k.record_id.to_string(),
                    k.slot.to_string(),
                ),
                format!("P{id}"),
            )
        })
        .collect();
    for m in places.mentions() {
        if let Some(id) = places.entity_at(m, AddressLevel::Building) {
            ours.insert(
                (
                    "address".into(),
                    m.source.as_str().into(),
                    m.record_id.to_string(),
                    slot_field(m.slot).into(),
                ),
                format!("A{id}"),
            );
        }
    }
    let q = evaluate(&truth, &ours);
    println!(
        "ours     {n_persons} person + {n_addresses} address mentions resolved in {full_secs:.1}s, peak RSS {full_rss:.0} MiB"
    );
    println!(
        "         persons pairwise P {:.4} R {:.4} F1 {:.4}, B-cubed F1 {:.4}; addresses (building) pairwise F1 {:.4}, B-cubed F1 {:.4}",
        q.persons.pairwise.precision,
        q.persons.pairwise.recall,
        q.persons.pairwise.f1,
        q.persons.bcubed.f1,
        q.addresses.pairwise.f1,
        q.addresses.bcubed.f1
    );
    println!(
        "         one more record: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms over {} records; entities with two valid IDs: {}",
        pct(0.5),
        pct(0.99),
        lat.last().copied().unwrap_or(0.0),
        lat.len(),
        pr.id_conflicts()
    );

    let baseline = phone_or_id_union(&pr);
    let qb = evaluate(&truth, &baseline);
    println!(
        "baseline same phone or same ID: persons pairwise F1 {:.4}, B-cubed F1 {:.4}",
        qb.persons.pairwise.f1, qb.persons.bcubed.f1
    );

    if !args.no_splink {
        splink(&args.dir, &pr, &truth)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Current and peak resident memory, for finding where it goes.
fn rss(phase: &str) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    tracing::info!(
        phase,
        rss_mib = kib("VmRSS:") / 1024,
        peak_mib = kib("VmHWM:") / 1024,
        "memory"
    );
}

/// Union of mentions that share a phone or a valid ID number.
fn phone_or_id_union(pr: &PersonResolver) -> Labels {
    let keys: Vec<&MentionKey> = pr.assignments().map(|(k, _)| k).collect();
    let mut parent: Vec<usize> = (0..keys.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        let f = pr.features(k).expect("held");
        let ids = [
            f.phone.as_ref().map(|p| format!("T{p}")),
            f.strong_id().map(|s| format!("I{s}")),
        ];
        for id in ids.into_iter().flatten() {
            match first.get(&id) {
                Some(j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, *j));
                    parent[a] = b;
                }
                None => {
                    first.insert(id, i);
                }
            }
        }
    }
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            let root = find(&mut parent, i);
            (
                (
                    "person".into(),
                    k.source.as_str().into(),
                    k.record_id.to_string(),
                    k.slot.to_string(),
                ),
                format!("U{root}"),
            )
        })
        .collect()
}

/// Writes the person mentions for Splink, runs it, and scores its clusters.
fn splink(dir: &Path, pr: &PersonResolver, truth: &Labels) -> anyhow::Result<()> {
    let input = dir.join("splink_input.csv");
    let output = dir.join("splink_clusters.csv");
    let keys: Vec<&MentionKey> = pr.assignments().map(|(k, _)| k).collect();
    let mut w = csv::Writer::from_path(&input)?;
    w.write_record([
        "unique_id",
        "source",
        "record_id",
        "mention",
        "name",
        "surname",
        "name_pinyin",
        "sex",
        "phone",
        "id_full",
        "id_masked_key",
        "birth_date",
        "county",
    ])?;
    for (i, k) in keys.iter().enumerate() {
        let f = pr.features(k).expect("held");
        let sex = match f.sex {
            Some(hub::resolve::normalize::name::Sex::Male) => "M",
            Some(hub::resolve::normalize::name::Sex::Female) => "F",
            None => "",
        };
        let id = f.id.as_ref();
        w.write_record([
            i.to_string().as_str(),
            k.source.as_str(),
            &k.record_id,
            &k.slot.to_string(),
            f.name.full().unwrap_or(""),
            f.name.surname().unwrap_or(""),
            if f.name.full().is_some() {
                f.name.pinyin().unwrap_or("")
            } else {
                ""
            },
            sex,
            &f.phone.as_ref().map(|p| p.canonical()).unwrap_or_default(),
            id.and_then(|i| i.digits()).unwrap_or(""),
            &id.and_then(|i| i.masked_key()).unwrap_or_default(),
            &f.birth.map(|b| b.to_string()).unwrap_or_default(),
            id.and_then(|i| i.county()).unwrap_or(""),
        ])?;
    }
    w.flush()?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/splink/run.sh");
    let out = Command::new("bash")
        .arg(&script)
        .args(["--threads", "2", "--input"])
        .arg(&input)
        .arg("--out")
        .arg(&output)
        .output()
        .with_context(|| format!("running {}", script.display()))?;
    anyhow::ensure!(
        out.status.success(),
        "Splink failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary: serde_json::Value = stdout
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .context("Splink printed no summary line")?;
    let mut clusters: Labels = Labels::new();
    let mut r = csv::Reader::from_path(&output)?;
    for rec in r.records() {
        let rec = rec?;
        let (Some(id), Some(c)) = (rec.get(0).and_then(|s| s.parse::<usize>().ok()), rec.get(1))
        else {
            continue;
        };
        if let Some(k) = keys.get(id) {
            clusters.insert(
                (
                    "person".into(),
                    k.source.as_str().into(),
                    k.record_id.to_string(),
                    k.slot.to_string(),
                ),
                format!("S{c}"),
            );
        }
    }
    let q = evaluate(truth, &clusters);
    println!(
        "splink   {} {} person mentions in {:.1}s, peak RSS {:.0} MiB; persons pairwise P {:.4} R {:.4} F1 {:.4}, B-cubed F1 {:.4}",
        summary["splink_version"].as_str().unwrap_or("?"),
        summary["rows"],
        summary["wall_seconds"].as_f64().unwrap_or(0.0),
        summary["peak_rss_mib"].as_f64().unwrap_or(0.0),
        q.persons.pairwise.precision,
        q.persons.pairwise.recall,
        q.persons.pairwise.f1,
        q.persons.bcubed.f1
    );
    Ok(())
}
