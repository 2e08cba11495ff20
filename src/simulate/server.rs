//! Serving the hotline (paged) and alarm (cursor) feeds over HTTP.
//!
//! One server on 127.0.0.1 with a port from the OS. The data a request sees
//! depends only on the city and the current step; fault injection draws from
//! its own generator and never changes what a later good request returns.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::city::SimCity;
use super::faults::{Fault, Faults};

/// How the feeds are protected and how badly they behave.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Expected in `Authorization: Bearer {hotline_token}`.
    pub hotline_token: String,
    /// Expected in `X-Api-Key: {alarm_api_key}`.
    pub alarm_api_key: String,
    pub faults: Faults,
    pub fault_seed: u64,
}

impl ServeOptions {
    /// Given credentials, no faults.
    pub fn new(hotline_token: impl Into<String>, alarm_api_key: impl Into<String>) -> Self {
        ServeOptions {
            hotline_token: hotline_token.into(),
            alarm_api_key: alarm_api_key.into(),
            faults: Faults::none(),
            fault_seed: 0,
        }
    }
}

struct Shared {
    city: Arc<SimCity>,
    opts: ServeOptions,
    step: AtomicU32,
    requests: AtomicU64,
    faults: AtomicU64,
    fault_rng: Mutex<ChaCha8Rng>,
}

impl Shared {
    fn begin(&self) -> Fault {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let fault = {
            let mut rng = self.fault_rng.lock().unwrap_or_else(|e| e.into_inner());
            self.opts.faults.draw(&mut *rng)
        };
        if fault != Fault::None {
            self.faults.fetch_add(1, Ordering::Relaxed);
        }
        fault
    }
}

/// The hotline and alarm feeds of one simulated city.
pub struct FeedServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl FeedServer {
    /// Binds 127.0.0.1:0 and serves:
    /// `GET /api/v1/workorders?updated_after=&page=&page_size=` and
    /// `GET /jcj/alarms?cursor=&limit=`. The step starts at 0.
    pub async fn start(city: Arc<SimCity>, opts: ServeOptions) -> std::io::Result<FeedServer> {
        let rendering = city.clone();
        tokio::task::spawn_blocking(move || rendering.render_feed_items())
            .await
            .map_err(std::io::Error::other)?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            city,
            fault_rng: Mutex::new(ChaCha8Rng::seed_from_u64(opts.fault_seed)),
            opts,
            step: AtomicU32::new(0),
            requests: AtomicU64::new(0),
            faults: AtomicU64::new(0),
        });
        let app = Router::new()
            .route("/api/v1/workorders", get(workorders))
            .route("/jcj/alarms", get(alarms))
            .with_state(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = served.await {
                tracing::error!(error = %e, "simulated feed server stopped with an error");
            }
        });
        tracing::info!(%addr, "simulated feed server listening");
        Ok(FeedServer {
            shared,
            addr,
            stop: Some(stop),
            task,
        })
    }

    /// `http://127.0.0.1:PORT`, shared by both feeds.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Exposes everything released up to and including `step` (a step past
    /// the last one means the last one).
    pub fn set_step(&self, step: u32) {
        self.shared.step.store(step, Ordering::SeqCst);
    }

    pub fn step(&self) -> u32 {
        self.shared.step.load(Ordering::SeqCst)
    }

    /// Requests to either feed, faulted ones included.
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    pub fn faults_injected(&self) -> u64 {
        self.shared.faults.load(Ordering::Relaxed)
    }

    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

fn json(status: StatusCode, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

fn code_body(code: i32, msg: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "code": code, "msg": msg })).unwrap_or_default()
}

/// Applies the faults that replace the answer; None lets it through.
fn fault_response(fault: Fault, faults: &Faults, busy: Response) -> Option<Response> {
    match fault {
        Fault::Error500 => {
            Some((StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response())
        }
        Fault::TooMany => {
            let mut r = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
            r.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(faults.retry_after_secs),
            );
            Some(r)
        }
        Fault::CodeNonzero => Some(busy),
        _ => None,
    }
}

/// The good answer, cut in the middle when the fault says so.
fn finish(fault: Fault, status: StatusCode, mut body: Vec<u8>) -> Response {
    if fault == Fault::Truncated {
        body.truncate(body.len() / 2);
    }
    json(status, body)
}

async fn render<F>(f: F) -> Result<Vec<u8>, String>
where
    F: FnOnce() -> Result<Vec<u8>, String> + Send + 'static,
{
    // Rendering a page is CPU work; keep it off the async workers.
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(format!("render task failed: {e}")))
}

async fn workorders(
    State(st): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let fault = st.begin();
    if let Some(r) = fault_response(
        fault,
        &st.opts.faults,
        json(StatusCode::OK, code_body(503, "系统繁忙")),
    ) {
        return r;
    }
    if fault == Fault::Slow {
        tokio::time::sleep(st.opts.faults.slow_delay).await;
    }
    let expected = format!("Bearer {}", st.opts.hotline_token);
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(expected.as_str())
    {
        return finish(fault, StatusCode::OK, code_body(401, "token expired"));
    }
    let parse = |k: &str, default: usize| -> Result<usize, String> {
        match q.get(k) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| format!("{k} must be a positive integer, got {v:?}")),
        }
    };
    let (page, page_size) = match (parse("page", 1), parse("page_size", 100)) {
        (Ok(p), Ok(s)) => (p, s),
        (Err(e), _) | (_, Err(e)) => return finish(fault, StatusCode::OK, code_body(400, &e)),
    };
    let updated_after = q.get("updated_after").filter(|s| !s.is_empty()).cloned();
    let step = st.step.load(Ordering::SeqCst);
    let city = st.city.clone();
    let body = render(move || {
        city.workorders_json(step, updated_after.as_deref(), page, page_size)
            .map_err(|e| e.to_string())
    })
    .await;
    match body {
        Ok(b) => finish(fault, StatusCode::OK, b),
        Err(msg) => finish(fault, StatusCode::OK, code_body(400, &msg)),
    }
}

async fn alarms(
    State(st): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let fault = st.begin();
    let busy = json(
        StatusCode::SERVICE_UNAVAILABLE,
        serde_json::to_vec(&serde_json::json!({ "error": "系统繁忙" })).unwrap_or_default(),
    );
    if let Some(r) = fault_response(fault, &st.opts.faults, busy) {
        return r;
    }
    if fault == Fault::Slow {
        tokio::time::sleep(st.opts.faults.slow_delay).await;
    }
    if headers.get("x-api-key").and_then(|v| v.to_str().ok())
        != Some(st.opts.alarm_api_key.as_str())
    {
        let body =
            serde_json::to_vec(&serde_json::json!({ "error": "missing or invalid X-Api-Key" }))
                .unwrap_or_default();
        return finish(fault, StatusCode::UNAUTHORIZED, body);
    }
    let limit = match q.get("limit").map(|v| v.trim().parse::<usize>()) {
        None => 1000,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            let body = serde_json::to_vec(
                &serde_json::json!({ "error": "limit must be a positive integer" }),
            )
            .unwrap_or_default();
            return finish(fault, StatusCode::BAD_REQUEST, body);
        }
    };
    let cursor = q.get("cursor").cloned();
    let step = st.step.load(Ordering::SeqCst);
    let city = st.city.clone();
    match render(move || {
        city.alarms_json(step, cursor.as_deref(), limit)
            .map_err(|e| e.to_string())
    })
    .await
    {
        Ok(b) => finish(fault, StatusCode::OK, b),
        Err(msg) => {
            let body = serde_json::to_vec(&serde_json::json!({ "error": msg })).unwrap_or_default();
            finish(fault, StatusCode::BAD_REQUEST, body)
        }
    }
}
