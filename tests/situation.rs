//! Situation analysis and the situation report end to end, on both stores:
//! the default simulated city synced and resolved; the daily report's
//! counts against counts taken straight from the feeds and files; every
//! format readable; the analyses through GraphQL; scheduled report jobs
//! with catch-up after downtime and webhooks.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Duration as Days, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use common::sim::{KEY, SimEnv, TOKEN, resolved_city};
use hub::app::Application;
use hub::config::{AnalysisSettings, ReportJob};
use hub::graphql::ApiContext;
use hub::ingest::resolution::load_gazetteer;
use hub::report::jobs::{Reporter, Request};
use hub::report::{Format, Period, render};
use hub::simulate::SimSpec;
use hub::store::{NewReportRun, Store};
use serde_json::{Value, json};

/// The city `hub simulate` makes by default.
fn default_city() -> SimSpec {
    SimSpec::with_records(7, 2_000)
}

struct City {
    sim: SimEnv,
    store: Store,
    base: String,
    _db: common::TestDb,
}

async fn city(db: common::TestDb) -> City {
    let (sim, store, settings) = resolved_city(default_city(), &db.url).await;
    let ctx = ApiContext::new(store.clone(), vec![])
        .with_search(load_gazetteer(&settings).unwrap(), &settings.area_code)
        .with_analysis(&AnalysisSettings::default());
    let app = Application::build(ctx, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.serve(std::future::pending()));
    City {
        sim,
        store,
        base,
        _db: db,
    }
}

impl City {
    async fn graphql(&self, query: &str, variables: Value) -> Value {
        let r: Value = reqwest::Client::new()
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(r.get("errors").is_none(), "{r}");
        r["data"].clone()
    }
}

fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// Records per local day and source, read straight from what the sources
/// publish: the work-order feed page by page, the alarm log by cursor, the
/// petition files in the folder. A record counts once (its last version);
/// rows without an id or a readable time, or with columns out of place,
/// are the quarantine's, not counted.
async fn counts_from_sources(sim: &SimEnv) -> BTreeMap<(NaiveDate, &'static str), i64> {
    let http = reqwest::Client::new();
    let base = sim.server.base_url();
    let mut days: HashMap<(&'static str, String), NaiveDate> = HashMap::new();
    for page in 1.. {
        let v: Value = http
            .get(format!(
                "{base}/api/v1/workorders?page={page}&page_size=500"
            ))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = v["data"]["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        for o in items {
            let (Some(id), Some(t)) = (o["gdbh"].as_str(), o["ldsj"].as_str()) else {
                continue;
            };
            if let Ok(t) = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S") {
                days.insert(("hotline", id.to_string()), t.date());
            }
        }
    }
    let mut cursor = String::new();
    loop {
        let v: Value = http
            .get(format!("{base}/jcj/alarms?cursor={cursor}&limit=1000"))
            .header("X-Api-Key", KEY)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for a in v["alarms"].as_array().unwrap() {
            let (Some(id), Some(ms)) = (a["jjdbh"].as_str(), a["bjsj"].as_i64()) else {
                continue;
            };
            let local = cst().timestamp_millis_opt(ms).unwrap();
            days.insert(("alarm", id.to_string()), local.date_naive());
        }
        if !v["has_more"].as_bool().unwrap_or(false) {
            break;
        }
        cursor = v["next_cursor"].as_str().unwrap().to_string();
    }
    let mut files: Vec<_> = std::fs::read_dir(sim.petition_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let xlsx = f.extension().is_some_and(|e| e == "xlsx");
        let rows: Vec<Vec<String>> = match f.extension().and_then(|e| e.to_str()) {
            Some("csv") => {
                let text = std::fs::read_to_string(&f).unwrap();
                let text = text.trim_start_matches('\u{feff}');
                csv::ReaderBuilder::new()
                    .flexible(true)
                    .has_headers(false)
                    .from_reader(text.as_bytes())
                    .records()
                    .map(|r| r.unwrap().iter().map(str::to_string).collect())
                    .collect()
            }
            Some("xlsx") => {
                use calamine::{Reader, open_workbook_auto};
                let mut book = open_workbook_auto(&f).unwrap();
                let sheet = book.worksheet_range_at(0).unwrap().unwrap();
                sheet
                    .rows()
                    .map(|r| {
                        r.iter()
                            .map(|c| match c {
                                calamine::Data::DateTime(d) => d
                                    .as_datetime()
                                    .map(|d| d.format("%Y/%m/%d").to_string())
                                    .unwrap_or_default(),
                                other => other.to_string(),
                            })
                            .collect()
                    })
                    .collect()
            }
            _ => continue,
        };
        // A sheet is as wide as its widest row: empty header cells at the
        // end are no columns, and a row with a value there is malformed.
        let mut header = rows[0].clone();
        while header.last().is_some_and(|h| h.is_empty()) {
            header.pop();
        }
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let (id, djrq, blzt) = (col("xfjbh"), col("djrq"), col("blzt"));
        for r in &rows[1..] {
            // A CSV row has as many fields as the header; an XLSX row may
            // run short (empty cells at the end) but not past it.
            let width = if xlsx {
                r.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1)
            } else {
                r.len()
            };
            let fits = if xlsx {
                width <= header.len()
            } else {
                width == header.len()
            };
            if !fits || r.get(id).is_none_or(|v| v.is_empty()) {
                continue;
            }
            // A row whose columns slipped (a cell left out in a hand-made
            // sheet) shows it in 办理状态, which holds no status then.
            const STATUSES: [&str; 6] = ["受理", "交办", "转送", "办理中", "办结", "不予受理"];
            if !r.get(blzt).is_some_and(|v| STATUSES.contains(&v.as_str())) {
                continue;
            }
            let day = ["%Y/%m/%d", "%Y-%m-%d"].iter().find_map(|f| {
                NaiveDate::parse_from_str(r.get(djrq).map_or("", |v| v.as_str()), f).ok()
            });
            if let Some(day) = day {
                days.insert(("petition", r[id].clone()), day);
            }
        }
    }
    let mut out = BTreeMap::new();
    for ((source, _), day) in days {
        *out.entry((day, source)).or_insert(0) += 1;
    }
    out
}

const DAYS: [&str; 3] = ["2026-11-03", "2026-11-17", "2026-11-30"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_report_counts_what_the_sources_published() {
    for db in common::databases() {
        let label = db.label;
        let c = city(db).await;
        let expected = counts_from_sources(&c.sim).await;
        let reporter = Reporter::new(c.store.clone(), AnalysisSettings::default());
        for day in DAYS {
            let date: NaiveDate = day.parse().unwrap();
            let report = reporter.build(Period::Daily, date).await.unwrap();
            let via_api = c
                .graphql(
                    "query($d: NaiveDate!) { situationReport(period: DAILY, date: $d) }",
                    json!({ "d": day }),
                )
                .await["situationReport"]
                .clone();
            let prev = date - Days::days(1);
            let mut total = (0, 0);
            for (i, source) in ["hotline", "alarm", "petition"].iter().enumerate() {
                let want = *expected.get(&(date, *source)).unwrap_or(&0);
                let before = *expected.get(&(prev, *source)).unwrap_or(&0);
                let h = &report.headline[i];
                assert_eq!(
                    (h.count, h.previous),
                    (want, before),
                    "{label} {day} {source}: {} vs the feeds",
                    h.name
                );
                assert_eq!(
                    via_api["headline"][i]["count"],
                    json!(want),
                    "{label} {day}"
                );
                total.0 += want;
                total.1 += before;
            }
            assert_eq!(report.headline[3].count, total.0, "{label} {day} 合计");
            assert_eq!(report.headline[3].previous, total.1, "{label} {day} 合计");
            // The trend ends with the day and agrees with the headline.
            let last = report.trend.last().unwrap();
            assert_eq!(last.day, day);
            assert_eq!(
                [last.hotline, last.alarm, last.petition].map(i64::from),
                [0, 1, 2].map(|i| report.headline[i].count)
            );
            // Areas and categories split the same total.
            let areas: i64 = report.areas.iter().map(|a| a.count as i64).sum();
            let cats: i64 = report.categories.iter().map(|a| a.count as i64).sum();
            assert_eq!((areas, cats), (total.0, total.0), "{label} {day}");
            assert!(
                report.notes.iter().any(|n| n.contains("同比")),
                "{label}: no data a year back is said"
            );
        }
        // A week and a month add up to their days.
        let week = reporter
            .build(Period::Weekly, "2026-11-18".parse().unwrap())
            .await
            .unwrap();
        let want: i64 = (16..=22)
            .flat_map(|d| {
                let date = NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
                ["hotline", "alarm", "petition"].map(|s| *expected.get(&(date, s)).unwrap_or(&0))
            })
            .sum();
        assert_eq!(week.first_day, "2026-11-16");
        assert_eq!(week.headline[3].count, want, "{label} week");
        let month = reporter
            .build(Period::Monthly, "2026-11-18".parse().unwrap())
            .await
            .unwrap();
        let want: i64 = expected
            .iter()
            .filter(|((d, _), _)| d.format("%Y-%m").to_string() == "2026-11")
            .map(|(_, n)| *n)
            .sum();
        assert_eq!(month.headline[3].count, want, "{label} month");
        // A year on, the same day of the data is the 同比 column.
        let day: NaiveDate = "2026-11-17".parse().unwrap();
        let later = reporter
            .build(Period::Daily, "2027-11-17".parse().unwrap())
            .await
            .unwrap();
        for (i, source) in ["hotline", "alarm", "petition"].iter().enumerate() {
            let then = *expected.get(&(day, *source)).unwrap_or(&0);
            assert_eq!(later.headline[i].count, 0);
            assert_eq!(
                later.headline[i].year_before,
                Some(then),
                "{label} 同比 {source}"
            );
            assert_eq!(
                later.headline[i].year_change_pct,
                (then > 0).then_some(-100.0)
            );
        }
        assert!(
            !later.notes.iter().any(|n| n.contains("同比")),
            "{label}: {:?}",
            later.notes
        );
        assert_eq!(month.trend.len(), 30);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_format_is_readable_on_its_own() {
    let c = city(common::sqlite()).await;
    let reporter = Reporter::new(c.store.clone(), AnalysisSettings::default());
    let report = reporter
        .build(Period::Daily, "2026-11-25".parse().unwrap())
        .await
        .unwrap();
    assert!(
        !report.escalations.is_empty(),
        "the city has escalation warnings"
    );
    assert!(!report.units.is_empty() && !report.hot_words.is_empty());

    let html = String::from_utf8(render(&report, Format::Html).unwrap()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(&report.title));
    assert!(
        html.matches("<svg").count() >= 3,
        "trend, areas and categories are drawn"
    );
    for t in report.tables() {
        assert!(html.contains(t.title), "section {} in the page", t.title);
    }
    // Self-contained: nothing to fetch.
    for outside in ["src=", "href=", "<script", "@import", "url("] {
        assert!(
            !html.contains(outside),
            "the page refers outside itself: {outside}"
        );
    }

    let xlsx = render(&report, Format::Xlsx).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    std::fs::write(&path, &xlsx).unwrap();
    {
        use calamine::{Reader, Xlsx, open_workbook};
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let names = book.sheet_names();
        let tables = report.tables();
        assert_eq!(
            names.len(),
            tables.len() + 1,
            "a cover and one sheet per section"
        );
        for t in &tables {
            assert!(names.iter().any(|n| n == t.title), "sheet {}", t.title);
        }
        let headline = book.worksheet_range("总体情况").unwrap();
        let total_row = headline.rows().find(|r| r[0] == "合计").unwrap();
        assert_eq!(
            total_row[1].to_string(),
            report.headline[3].count.to_string()
        );
        let esc = book.worksheet_range("矛盾升级预警（民转刑）").unwrap();
        assert_eq!(esc.rows().count(), report.escalations.len() + 1);
    }

    let csv_bytes = render(&report, Format::Csv).unwrap();
    assert!(csv_bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(csv_bytes[3..].to_vec()).unwrap();
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    for t in report.tables() {
        let title = format!("【{}】", t.title);
        let at = records
            .iter()
            .position(|r| r.get(0) == Some(title.as_str()))
            .unwrap();
        assert_eq!(records[at + 1].iter().collect::<Vec<_>>(), t.header);
        for (k, row) in t.rows.iter().enumerate() {
            assert_eq!(records[at + 2 + k].len(), row.len(), "{} row {k}", t.title);
        }
    }

    let parsed: Value = serde_json::from_slice(&render(&report, Format::Json).unwrap()).unwrap();
    assert_eq!(parsed["title"], json!(report.title));
    assert_eq!(
        parsed["escalations"].as_array().unwrap().len(),
        report.escalations.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_analysis_is_a_query() {
    for db in common::databases() {
        let label = db.label;
        let c = city(db).await;
        let (from, to) = ("2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00");
        let d = c
            .graphql(
                r#"query($from: DateTime!, $to: DateTime!) {
                  escalations(from: $from, to: $to, first: 500) {
                    theme sources score risk first last eventCount
                    steps { id source recordId occurredAt category }
                    persons { id name } household { id text }
                  }
                  repeatContacts(from: $from, to: $to, minEvents: 4, first: 5) {
                    eventCount sources person { id name eventCount } events(first: 3) { id }
                  }
                  collectivePetitions(from: $from, to: $to) {
                    recordId sourceDetail { ... on PetitionDetail { petitioners } }
                  }
                  collectiveClusters(from: $from, to: $to) {
                    theme personCount sources eventCount place { id level } persons(first: 3) { id }
                  }
                  unitIndicators(from: $from, to: $to, by: SOURCE) {
                    key received responseRate closureRate resolutionRate satisfactionRate onTimeRate
                    meanHandlingHours overdue soonDue reopened
                  }
                  hotWords(lastDay: "2026-11-30", days: 7) { events top { word count } rising { word rise } }
                }"#,
                json!({ "from": from, "to": to }),
            )
            .await;
        let chains = d["escalations"].as_array().unwrap();
        assert!(
            chains.len() >= 2,
            "{label}: the planted family disputes at least"
        );
        for ch in chains {
            let steps = ch["steps"].as_array().unwrap();
            assert!(steps.len() >= 2 && steps.len() <= 3, "{ch}");
            let order = ["HOTLINE", "ALARM", "PETITION"];
            let pos: Vec<usize> = steps
                .iter()
                .map(|s| order.iter().position(|o| s["source"] == *o).unwrap())
                .collect();
            assert!(
                pos.windows(2).all(|w| w[0] < w[1]),
                "systems in order: {ch}"
            );
            let times: Vec<DateTime<Utc>> = steps
                .iter()
                .map(|s| s["occurredAt"].as_str().unwrap().parse().unwrap())
                .collect();
            assert!(
                times.windows(2).all(|w| w[0] <= w[1]),
                "in time order: {ch}"
            );
            assert!(times[times.len() - 1] - times[0] <= Days::days(30));
            assert_eq!(ch["sources"].as_array().unwrap().len(), steps.len());
            assert!(
                !ch["persons"].as_array().unwrap().is_empty() || !ch["household"].is_null(),
                "a chain names who or where: {ch}"
            );
        }
        let scores: Vec<f64> = chains
            .iter()
            .map(|c| c["score"].as_f64().unwrap())
            .collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "highest risk first"
        );

        for r in d["repeatContacts"].as_array().unwrap() {
            assert!(r["eventCount"].as_i64().unwrap() >= 4);
            assert!(
                r["person"]["eventCount"].as_i64().unwrap() >= r["eventCount"].as_i64().unwrap()
            );
        }
        let cps = d["collectivePetitions"].as_array().unwrap();
        assert!(!cps.is_empty(), "{label}: the planted collective petitions");
        for p in cps {
            assert!(p["sourceDetail"]["petitioners"].as_i64().unwrap() >= 5);
        }
        for cl in d["collectiveClusters"].as_array().unwrap() {
            assert!(cl["personCount"].as_i64().unwrap() >= 4);
            assert!(cl["sources"].as_array().unwrap().len() >= 2);
        }
        let ind = d["unitIndicators"].as_array().unwrap();
        let received: i64 = ind.iter().map(|r| r["received"].as_i64().unwrap()).sum();
        let events = c
            .graphql(
                r#"query($from: DateTime!, $to: DateTime!) { events(filter: { from: $from, to: $to }, first: 1) { totalCount } }"#,
                json!({ "from": from, "to": to }),
            )
            .await;
        assert_eq!(
            received,
            events["events"]["totalCount"].as_i64().unwrap(),
            "{label}"
        );
        for r in ind {
            for rate in ["responseRate", "closureRate", "resolutionRate"] {
                let v = r[rate].as_f64().unwrap();
                assert!((0.0..=1.0).contains(&v), "{rate} {v}");
            }
        }
        let words = &d["hotWords"][0];
        assert!(words["events"].as_i64().unwrap() > 0);
        assert!(!words["top"].as_array().unwrap().is_empty());
    }
}

/// Files a report job wrote, and the runs it recorded.
async fn wait_for_runs(store: &Store, job: &str, at_least: usize) -> Vec<hub::store::ReportRun> {
    for _ in 0..600 {
        let runs = store.report_runs(Some(job.into()), 100).await.unwrap();
        if runs.iter().filter(|r| r.status != "running").count() >= at_least {
            return runs;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {job} did not record {at_least} runs in 60 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_reports_run_catch_up_and_post() {
    for db in common::databases() {
        let label = db.label;
        let c = city(db).await;
        let reporter = Reporter::new(c.store.clone(), AnalysisSettings::default());
        let out = tempfile::tempdir().unwrap();

        // A webhook that keeps what it is sent, and one that refuses.
        let got: Arc<Mutex<Vec<(String, String, usize)>>> = Arc::default();
        let keep = got.clone();
        let hook = axum::Router::new()
            .route(
                "/ok",
                axum::routing::post(
                    move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                        let keep = keep.clone();
                        async move {
                            let h = |k: &str| headers.get(k).unwrap().to_str().unwrap().to_string();
                            keep.lock().unwrap().push((
                                h("content-type"),
                                h("content-disposition"),
                                body.len(),
                            ));
                            "ok"
                        }
                    },
                ),
            )
            .route(
                "/down",
                axum::routing::post(|| async {
                    (axum::http::StatusCode::SERVICE_UNAVAILABLE, "down")
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let hook_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, hook).await.unwrap() });

        // Catch-up: the daily job last ran for its 07:00 firing three days
        // ago; starting now it writes the reports of the firings missed.
        let now_local = Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
        let seven = |days_ago: i64| {
            let d = now_local.date_naive() - Days::days(days_ago);
            chrono_tz::Asia::Shanghai
                .from_local_datetime(&d.and_hms_opt(7, 0, 0).unwrap())
                .single()
                .unwrap()
                .with_timezone(&Utc)
        };
        let last = seven(3);
        let run = c
            .store
            .start_report_run(NewReportRun {
                job: "morning".into(),
                period: "daily".into(),
                report_date: "2026-11-01".into(),
                formats: "json".into(),
                scheduled_for: Some(last.naive_utc()),
            })
            .await
            .unwrap();
        c.store.finish_report_run(run, vec![], None).await.unwrap();
        let missed: Vec<DateTime<Utc>> = (0..3)
            .map(|i| seven(2 - i))
            .filter(|t| *t <= Utc::now())
            .collect();
        let jobs = vec![
            ReportJob {
                name: "morning".into(),
                period: Period::Daily,
                cron: "0 7 * * *".into(),
                zone: chrono_tz::Asia::Shanghai,
                formats: vec![Format::Json, Format::Html],
                out_dir: Some(out.path().join("morning")),
                webhook: Some(format!("{hook_url}/ok")),
            },
            ReportJob {
                name: "every-second".into(),
                period: Period::Weekly,
                cron: "* * * * * *".into(),
                zone: chrono_tz::Asia::Shanghai,
                formats: vec![Format::Csv],
                out_dir: Some(out.path().join("often")),
                webhook: None,
            },
            ReportJob {
                name: "refused".into(),
                period: Period::Daily,
                cron: "* * * * * *".into(),
                zone: chrono_tz::Asia::Shanghai,
                formats: vec![Format::Json],
                out_dir: None,
                webhook: Some(format!("{hook_url}/down")),
            },
        ];
        let (stop_tx, stop) = tokio::sync::watch::channel(false);
        let schedule = {
            let reporter = reporter.clone();
            tokio::spawn(async move { reporter.run_schedule(jobs, stop).await })
        };

        let runs = wait_for_runs(&c.store, "morning", 1 + missed.len()).await;
        let caught: Vec<_> = runs
            .iter()
            .filter(|r| r.id != run)
            .filter_map(|r| r.scheduled_for)
            .collect();
        let mut want: Vec<NaiveDateTime> = missed.iter().map(|t| t.naive_utc()).collect();
        want.reverse();
        assert_eq!(
            caught, want,
            "{label}: each missed firing once, newest run last"
        );
        for r in runs.iter().filter(|r| r.id != run) {
            assert_eq!(r.status, "ok", "{label}: {r:?}");
            let at = r
                .scheduled_for
                .unwrap()
                .and_utc()
                .with_timezone(&chrono_tz::Asia::Shanghai);
            let reported = at.date_naive() - Days::days(1);
            assert_eq!(
                r.report_date,
                reported.to_string(),
                "a 07:00 run reports yesterday"
            );
            let file = out
                .path()
                .join("morning")
                .join(format!("situation-daily-{reported}.json"));
            let v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
            assert_eq!(v["first_day"], json!(reported.to_string()));
            assert!(r.outputs.contains(&file.display().to_string()));
        }
        {
            let posted = got.lock().unwrap();
            assert_eq!(
                posted.len(),
                2 * missed.len(),
                "{label}: JSON and HTML posted per run"
            );
            assert!(posted.iter().any(|(t, d, n)| t == "application/json"
                && d.contains("situation-daily-")
                && *n > 0));
        }

        let often = wait_for_runs(&c.store, "every-second", 2).await;
        assert!(
            often.iter().filter(|r| r.status == "ok").count() >= 2,
            "{label}: {often:?}"
        );
        let refused = wait_for_runs(&c.store, "refused", 1).await;
        let failed = refused.iter().find(|r| r.status == "failed").unwrap();
        let error = failed.error.as_deref().unwrap();
        assert!(
            error.contains("/down") && error.contains("503"),
            "{label}: {error}"
        );

        let _ = stop_tx.send(true);
        tokio::time::timeout(Duration::from_secs(30), schedule)
            .await
            .expect("the scheduler stops when asked")
            .unwrap();
        // By hand, recorded as `manual`.
        let files = reporter
            .produce(&Request {
                job: "manual".into(),
                period: Period::Monthly,
                date: "2026-11-15".parse().unwrap(),
                formats: vec![Format::Xlsx],
                out_dir: Some(out.path().to_path_buf()),
                webhook: None,
                scheduled_for: None,
            })
            .await
            .unwrap();
        assert_eq!(files.len(), 1);
        assert!(files[0].ends_with("situation-monthly-2026-11-01.xlsx"));
        let manual = c
            .store
            .report_runs(Some("manual".into()), 10)
            .await
            .unwrap();
        assert_eq!(manual.len(), 1);
        assert_eq!(
            (manual[0].status.as_str(), manual[0].report_date.as_str()),
            ("ok", "2026-11-01")
        );
    }
}
