//! `hub bench api`: the GraphQL API under load, release build. A simulated
//! city synced and resolved into SQLite, served on 127.0.0.1; many clients
//! at once ask for person histories, filtered event pages and a
//! three-dimension aggregate over HTTP, and the same reads are made
//! through the store (the SQL diesel sends, no GraphQL, no HTTP) for the
//! ratio. Clients run in this process and share its two cores with the
//! server, as a dashboard on the same machine would.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hub::app::Application;
use hub::config::Overrides;
use hub::graphql::ApiContext;
use hub::ingest::resolution::load_gazetteer;
use hub::store::resolution::PERSON as PERSON_KIND;
use hub::store::{Dimension, EventFilter};
use serde_json::{Value, json};

#[derive(clap::Args)]
pub struct ApiBenchArgs {
    #[command(flatten)]
    pub city: super::bench::CityArgs,
    /// Clients asking at the same time.
    #[arg(long, default_value_t = 50)]
    pub clients: usize,
    /// Requests per kind of query.
    #[arg(long, default_value_t = 2_000)]
    pub requests: usize,
    /// Requests sent before each measured run and not counted: the first
    /// request on each pooled connection prepares its statements, and the
    /// first run of a query finds the pages it reads outside the page cache.
    #[arg(long, default_value_t = 500)]
    pub warmup: usize,
    /// Only these queries (person, page, aggregate); all by default.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
}

const PERSON: &str = r#"query($id: ID!) { person(id: $id) { name phones eventCount
  events(first: 20) { totalCount edges { node { id source occurredAt category status unit persons { name } } } } } }"#;
const PAGE: &str = r#"query($f: EventFilter) { events(first: 50, filter: $f) { totalCount
  edges { node { id source recordId occurredAt category status unit persons { name } addresses { text } } } } }"#;
/// No field read: HTTP, parsing the body, validating, executing and encoding alone.
const TYPENAME: &str = "{ __typename }";
const AGGREGATE: &str = r#"query($f: EventFilter) { aggregate(filter: $f, by: [COMMUNITY, CATEGORY, WEEK]) {
  total groups { keys { value label } count closureRate } } }"#;

pub async fn run(overrides: &Overrides, args: ApiBenchArgs) -> anyhow::Result<ExitCode> {
    if cfg!(debug_assertions) {
        eprintln!("warning: debug build; run `cargo run --release -- bench api` for real figures");
    }
    let (settings, store) = super::bench::resolved_city(overrides, &args.city).await?;
    let events = store.max_event_id().await?;
    let persons = store.sample_entities(PERSON_KIND, 2, 500).await?;
    anyhow::ensure!(
        !persons.is_empty(),
        "no resolved persons in {}",
        args.city.dir.display()
    );

    // Filters an analyst flips through: a source, a top-level category, a week.
    let (first, last) = store.event_time_span().await?.context_none()?;
    let categories: Vec<String> = store
        .aggregate(EventFilter::default(), vec![Dimension::Category], 20)
        .await?
        .into_iter()
        .filter_map(|g| g.keys.into_iter().next())
        .collect();
    let weeks = ((last - first).num_days() / 7).max(1);
    let sources = ["HOTLINE", "ALARM", "PETITION"];
    let page_filters: Vec<Value> = (0..200)
        .map(|i| {
            let from = first + chrono::Duration::days(7 * (i as i64 % weeks));
            json!({
                "sources": [sources[i % 3]],
                "category": categories[i % categories.len()],
                "from": from.and_utc().to_rfc3339(),
                "to": (from + chrono::Duration::days(7)).and_utc().to_rfc3339(),
            })
        })
        .collect();
    // Thirty days as a wall dashboard asks for them while the clock moves
    // on: 24 windows an hour apart, each starting and ending inside a day.
    let month = move |i: usize| {
        let from = first + chrono::Duration::hours(i as i64 % 24);
        (from, from + chrono::Duration::days(30))
    };

    let ctx = ApiContext::new(store.clone(), vec![]).with_search(
        load_gazetteer(&settings.resolve)?,
        &settings.resolve.area_code,
    );
    let wanted = |q: &str| args.only.is_empty() || args.only.iter().any(|o| o == q);
    // Only the aggregate reads the cube; loading it takes seconds.
    if wanted("aggregate") {
        let t = Instant::now();
        ctx.warm().await?;
        println!("aggregate cube loaded in {:.1}s", t.elapsed().as_secs_f64());
    }
    // The same schema executed in process, for what HTTP adds.
    let schema = hub::graphql::build_schema(Some(ctx.clone()));
    let app = Application::build(ctx, "127.0.0.1:0".parse()?).await?;
    let client = Arc::new(LoadClient::new(app.local_addr(), args.clients));
    tokio::spawn(app.serve(std::future::pending()));
    println!(
        "{events} events, {} sampled persons; {} clients, {} requests per query",
        persons.len(),
        args.clients,
        args.requests
    );

    let gql = |query: &'static str, vars: Arc<dyn Fn(usize) -> Value + Send + Sync>| {
        let client = client.clone();
        move |i: usize| {
            let client = client.clone();
            let body = serde_json::to_vec(&json!({"query": query, "variables": vars(i)}));
            async move {
                let body = client.post(i, hyper::body::Bytes::from(body?)).await?;
                // Checked, not kept: a load generator that builds every
                // response as a tree would take the server's cores.
                let r: Reply = serde_json::from_slice(&body)?;
                anyhow::ensure!(
                    r.data.is_some() && r.errors.is_none(),
                    "{}",
                    String::from_utf8_lossy(&body)
                );
                Ok(())
            }
        }
    };
    let ids = Arc::new(persons.clone());
    let person_vars: Arc<dyn Fn(usize) -> Value + Send + Sync> = {
        let ids = ids.clone();
        Arc::new(move |i| json!({"id": format!("P{}", ids[i % ids.len()])}))
    };
    let filters = Arc::new(page_filters);
    let page_vars: Arc<dyn Fn(usize) -> Value + Send + Sync> = {
        let filters = filters.clone();
        Arc::new(move |i| json!({"f": filters[i % filters.len()]}))
    };
    let agg_vars: Arc<dyn Fn(usize) -> Value + Send + Sync> = Arc::new(move |i| {
        let (from, to) = month(i);
        json!({"f": {"from": from.and_utc().to_rfc3339(), "to": to.and_utc().to_rfc3339()}})
    });

    println!(
        "{:<22} {:>11} {:>9} {:>10} {:>9} {:>8} {:>9}",
        "query", "GraphQL p50", "p99", "store p50", "p99", "ratio", "target"
    );
    // Person history.
    if wanted("person") {
        let g = measure(
            &store,
            args.clients,
            (args.warmup, args.requests),
            gql(PERSON, person_vars.clone()),
        )
        .await?;
        // The reads the API makes for it: the person, first/last seen and
        // the newest page with its mentions, in one checkout.
        let s = measure(&store, args.clients, (args.warmup, args.requests), {
            let (store, ids) = (store.clone(), ids.clone());
            move |i: usize| {
                let store = store.clone();
                let id = ids[i % ids.len()];
                // The query shows persons' names, not places.
                let with = hub::store::PageReads {
                    total: true,
                    persons: true,
                    addresses: false,
                };
                async move {
                    store.person_history(id, 20, with).await?;
                    Ok(())
                }
            }
        })
        .await?;
        report("person history", &g, &s, "p99 ≤ 20 ms");
        // Without HTTP: validating, executing and encoding only. The
        // document is parsed once, as the endpoint keeps parsed documents.
        let parsed = async_graphql::parser::parse_query(PERSON)?;
        let e = measure(&store, args.clients, (args.warmup, args.requests), {
            let (schema, vars) = (schema.clone(), person_vars.clone());
            move |i: usize| {
                let schema = schema.clone();
                let mut request = async_graphql::Request::new(PERSON)
                    .variables(async_graphql::Variables::from_json(vars(i)));
                request.set_parsed_query(parsed.clone());
                async move {
                    let r = schema.execute(request).await;
                    anyhow::ensure!(r.errors.is_empty(), "{:?}", r.errors);
                    serde_json::to_vec(&r)?;
                    Ok(())
                }
            }
        })
        .await?;
        println!(
            "{:<22} {:>9.1}ms {:>7.1}ms   GraphQL in process, no HTTP ({:.2}x the store{})",
            "",
            e.p50,
            e.p99,
            e.p50 / s.p50,
            e.cpu_ms
                .zip(s.cpu_ms)
                .map(|(e, s)| format!("; CPU {e:.3} ms a request, {:.2}x", e / s))
                .unwrap_or_default()
        );
        // What any request costs before it reads anything: the floor under the ratio.
        let floor = measure(
            &store,
            args.clients,
            (args.warmup, args.requests),
            gql(TYPENAME, Arc::new(|_| json!({}))),
        )
        .await?;
        println!(
            "{:<22} {:>9.1}ms {:>7.1}ms   `{{ __typename }}` over HTTP{}",
            "",
            floor.p50,
            floor.p99,
            floor
                .cpu_ms
                .map(|c| format!("; CPU {c:.3} ms a request"))
                .unwrap_or_default()
        );
    }
    // Filtered event page.
    if wanted("page") {
        let g = measure(
            &store,
            args.clients,
            (args.warmup, args.requests),
            gql(PAGE, page_vars),
        )
        .await?;
        let s = measure(&store, args.clients, (args.warmup, args.requests), {
            let (store, filters) = (store.clone(), filters.clone());
            move |i: usize| {
                let store = store.clone();
                let f = store_filter(&filters[i % filters.len()]);
                async move {
                    store.events_page(f, None, 50).await?;
                    Ok(())
                }
            }
        })
        .await?;
        report("event filter page", &g, &s, "-");
    }
    // Three-dimension aggregate over a month. SQL takes seconds a query
    // here, so it runs with as many clients as the pool has connections
    // (more only wait for one until the pool gives up).
    if wanted("aggregate") {
        // The cube's own share of an aggregate request, one at a time.
        let cube = hub::analysis::cube::Cube::from_rows(store.cube_rows().await?);
        let dims = [Dimension::Community, Dimension::Category, Dimension::Week];
        let mut alone = Vec::new();
        for i in 0..20 {
            let (from, to) = month(i);
            let f = EventFilter {
                from: Some(from),
                to: Some(to),
                ..EventFilter::default()
            };
            let t = Instant::now();
            let groups = cube.aggregate(&f, &dims, 1000).map_or(0, |g| g.len());
            alone.push((t.elapsed().as_secs_f64() * 1000.0, groups));
        }
        // The first counts the day tables the others are answered from.
        let first_scan = alone[0].0;
        alone.sort_by(|a, b| a.0.total_cmp(&b.0));
        println!(
            "cube alone: first {first_scan:.1} ms, then median {:.1} ms for {} groups of {} events",
            alone[alone.len() / 2].0,
            alone[alone.len() / 2].1,
            cube.len()
        );
        drop(cube);
        let n = (args.requests / 2).max(args.clients);
        let g = measure(
            &store,
            args.clients,
            (args.warmup, n),
            gql(AGGREGATE, agg_vars),
        )
        .await?;
        let sql_clients = 4.min(args.clients);
        let s = measure(&store, sql_clients, (0, sql_clients * 3), {
            let store = store.clone();
            move |i: usize| {
                let store = store.clone();
                let (from, to) = month(i);
                async move {
                    let f = EventFilter {
                        from: Some(from),
                        to: Some(to),
                        ..EventFilter::default()
                    };
                    let dims = vec![Dimension::Community, Dimension::Category, Dimension::Week];
                    store.aggregate(f, dims, 1000).await?;
                    Ok(())
                }
            }
        })
        .await?;
        report(
            "3-dimension aggregate",
            &g,
            &s,
            &format!("p99 ≤ 200 ms (SQL column: {sql_clients} clients)"),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The clients' side of the connections: one kept-alive HTTP/1.1
/// connection each, requests written from bytes already built. reqwest's
/// pool, URL parsing and header maps cost the shared cores about as much as
/// the server's own HTTP work; a load generator as light as wrk or oha
/// leaves more of them to the server being measured.
struct LoadClient {
    addr: std::net::SocketAddr,
    /// Client `c` sends requests `i` with `i % clients == c`, so each slot
    /// is only ever used by one client and its lock is never contended.
    slots: Vec<tokio::sync::Mutex<Option<Sender>>>,
}

type Sender = hyper::client::conn::http1::SendRequest<http_body_util::Full<hyper::body::Bytes>>;

impl LoadClient {
    fn new(addr: std::net::SocketAddr, clients: usize) -> LoadClient {
        LoadClient {
            addr,
            slots: (0..clients)
                .map(|_| tokio::sync::Mutex::new(None))
                .collect(),
        }
    }

    /// POSTs a JSON body to /graphql on request `i`'s connection; the
    /// response body.
    async fn post(&self, i: usize, body: hyper::body::Bytes) -> anyhow::Result<hyper::body::Bytes> {
        use http_body_util::BodyExt;
        let mut slot = self.slots[i % self.slots.len()].lock().await;
        if slot.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = tokio::net::TcpStream::connect(self.addr).await?;
            stream.set_nodelay(true)?;
            let io = hyper_util::rt::TokioIo::new(stream);
            let (sender, connection) = hyper::client::conn::http1::handshake(io).await?;
            tokio::spawn(connection);
            *slot = Some(sender);
        }
        let sender = slot.as_mut().expect("connected above");
        sender.ready().await?;
        let request = hyper::Request::post("/graphql")
            .header(hyper::header::HOST, self.addr.to_string())
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header(hyper::header::ACCEPT, "application/json")
            .body(http_body_util::Full::new(body))?;
        let response = sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        anyhow::ensure!(
            status.is_success(),
            "{status}: {}",
            String::from_utf8_lossy(&body)
        );
        Ok(body)
    }
}

#[derive(serde::Deserialize)]
struct Reply {
    data: Option<serde::de::IgnoredAny>,
    errors: Option<serde::de::IgnoredAny>,
}

fn report(name: &str, g: &Latency, s: &Latency, target: &str) {
    println!(
        "{name:<22} {:>9.1}ms {:>7.1}ms {:>8.1}ms {:>7.1}ms {:>7.2}x  {target}",
        g.p50,
        g.p99,
        s.p50,
        s.p99,
        g.p50 / s.p50,
    );
    println!(
        "{:<22} {:>11.1} {:>9} {:>10.1}   SQL statements per request",
        "", g.statements, "", s.statements
    );
    if let (Some(gc), Some(sc)) = (g.cpu_ms, s.cpu_ms) {
        println!(
            "{:<22} {:>9.3}ms {:>9} {:>8.3}ms {:>9} {:>7.2}x  CPU per request, clients included",
            "",
            gc,
            "",
            sc,
            "",
            gc / sc
        );
    }
}

struct Latency {
    p50: f64,
    p99: f64,
    /// SQL statements the store ran per request (batched loads shared
    /// between concurrent requests count once).
    statements: f64,
    /// CPU time of this process per request over the measured run: under
    /// a saturating load the latencies are this work queued on two cores,
    /// and it varies far less from run to run than they do.
    cpu_ms: Option<f64>,
}

/// CPU seconds this process has used, user and system, every thread
/// living or ended (`/proc/self/stat`, in Linux's fixed 100 ticks a
/// second); None without /proc.
fn process_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name, which is in parentheses and may hold spaces:
    // state is the first field, utime the 12th and stime the 13th.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

/// Latencies in ms of `n` calls of `f` from `clients` clients, after
/// `warmup` calls that are not counted.
async fn measure<F, Fut>(
    store: &hub::store::Store,
    clients: usize,
    (warmup, n): (usize, usize),
    f: F,
) -> anyhow::Result<Latency>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let f = Arc::new(f);
    // Warm-up requests are numbered past the measured ones, so both runs
    // cycle through the same persons, filters and windows.
    run_clients(clients, n..n + warmup, f.clone()).await?;
    let before = store.statements();
    let cpu_before = process_cpu();
    let mut ms: Vec<f64> = run_clients(clients, 0..n, f)
        .await?
        .into_iter()
        .map(|d| d.as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    let cpu_ms = process_cpu()
        .zip(cpu_before)
        .map(|(after, before)| (after - before) * 1000.0 / n as f64);
    Ok(Latency {
        p50: at(0.5),
        p99: at(0.99),
        statements: (store.statements() - before) as f64 / n as f64,
        cpu_ms,
    })
}

/// Calls `f` for every number in `range` from `clients` clients, each its
/// own task sending its next request when the last one is answered.
async fn run_clients<F, Fut>(
    clients: usize,
    range: std::ops::Range<usize>,
    f: Arc<F>,
) -> anyhow::Result<Vec<Duration>>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let f = f.clone();
            let range = range.clone();
            tokio::spawn(async move {
                let mut took = Vec::new();
                for i in (range.start + c..range.end).step_by(clients) {
                    let t = Instant::now();
                    f(i).await?;
                    took.push(t.elapsed());
                }
                anyhow::Ok(took)
            })
        })
        .collect();
    let mut all = Vec::with_capacity(range.len());
    for t in tasks {
        all.extend(t.await??);
    }
    Ok(all)
}

fn store_filter(v: &Value) -> EventFilter {
    let time = |k: &str| {
        v[k].as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.naive_utc())
    };
    EventFilter {
        sources: vec![v["sources"][0].as_str().unwrap_or_default().to_lowercase()],
        category: v["category"].as_str().map(str::to_string),
        from: time("from"),
        to: time("to"),
        ..EventFilter::default()
    }
}

trait ContextNone<T> {
    fn context_none(self) -> anyhow::Result<T>;
}

impl<T> ContextNone<T> for Option<T> {
    fn context_none(self) -> anyhow::Result<T> {
        self.ok_or_else(|| anyhow::anyhow!("the store has no events"))
    }
}
