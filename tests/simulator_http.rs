//! The HTTP feeds through a real client: auth, paging, cursor resumption
//! across steps, and fault injection.

use hub::simulate::{Faults, FeedServer, ServeOptions, SimCity, SimSpec};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "tok-123";
const KEY: &str = "key-456";

async fn server(faults: Faults) -> (Arc<SimCity>, FeedServer) {
    let city = Arc::new(SimCity::generate(&SimSpec::small(11)));
    let opts = ServeOptions {
        faults,
        fault_seed: 5,
        ..ServeOptions::new(TOKEN, KEY)
    };
    let server = FeedServer::start(city.clone(), opts).await.unwrap();
    (city, server)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

#[tokio::test]
async fn auth_is_enforced() {
    let (_, s) = server(Faults::none()).await;
    let c = client();
    let r = c
        .get(format!("{}/api/v1/workorders", s.base_url()))
        .bearer_auth("wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], 401);
    assert_eq!(v["msg"], "token expired");
    let r = c
        .get(format!("{}/jcj/alarms", s.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .get(format!("{}/jcj/alarms", s.base_url()))
        .header("X-Api-Key", "nope")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(s.requests(), 3);
    s.shutdown().await;
}

#[tokio::test]
async fn pages_over_http_match_and_cover_everything() {
    let (city, s) = server(Faults::none()).await;
    let c = client();
    s.set_step(3);
    let mut seen = HashSet::new();
    let mut page = 1;
    let mut total_items = 0;
    loop {
        let r = c
            .get(format!(
                "{}/api/v1/workorders?page={page}&page_size=200",
                s.base_url()
            ))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        let bytes = r.bytes().await.unwrap();
        assert_eq!(
            bytes.as_ref(),
            city.workorders_json(3, None, page, 200).unwrap().as_slice()
        );
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        let items = v["data"]["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        for it in items {
            if let Some(g) = it["gdbh"].as_str() {
                assert!(seen.insert(g.to_string()));
            }
        }
        total_items += items.len();
        page += 1;
    }
    let e = city.expected(3);
    assert_eq!(total_items, e.hotline.rows);
    assert_eq!(
        seen.len(),
        e.hotline.records + e.hotline.malformed - missing_ids(&city)
    );
    // updated_after with an encoded offset.
    let r = c
        // The offset's `+` URL-encoded, as clients must send it.
        .get(format!(
            "{}/api/v1/workorders?updated_after=2026-11-20T00%3A00%3A00%2B08%3A00&page_size=1000",
            s.base_url()
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    let items = v["data"]["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|i| i["gxsj"].as_str().unwrap() > "2026-11-20 00:00:00")
    );
    s.shutdown().await;
}

fn missing_ids(city: &SimCity) -> usize {
    let v: Value =
        serde_json::from_slice(&city.workorders_json(3, None, 1, 1000).unwrap()).unwrap();
    let mut n = v["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i.get("gdbh").is_none())
        .count();
    let mut page = 2;
    loop {
        let v: Value =
            serde_json::from_slice(&city.workorders_json(3, None, page, 1000).unwrap()).unwrap();
        let items = v["data"]["items"].as_array().unwrap();
        if items.is_empty() {
            return n;
        }
        n += items.iter().filter(|i| i.get("gdbh").is_none()).count();
        page += 1;
    }
}

async fn drain(c: &reqwest::Client, s: &FeedServer, mut cursor: Option<String>) -> (usize, String) {
    let mut n = 0;
    loop {
        // Cursors are URL-safe base64: no escaping needed.
        let url = match &cursor {
            Some(cur) => format!("{}/jcj/alarms?limit=100&cursor={cur}", s.base_url()),
            None => format!("{}/jcj/alarms?limit=100", s.base_url()),
        };
        let req = c.get(url).header("X-Api-Key", KEY);
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        n += v["alarms"].as_array().unwrap().len();
        cursor = Some(v["next_cursor"].as_str().unwrap().to_string());
        if !v["has_more"].as_bool().unwrap() {
            return (n, cursor.unwrap());
        }
    }
}

#[tokio::test]
async fn alarm_cursor_resumes_after_set_step() {
    let (city, s) = server(Faults::none()).await;
    let c = client();
    assert_eq!(s.step(), 0);
    let (n0, cursor) = drain(&c, &s, None).await;
    assert_eq!(n0, city.expected(0).alarm.rows);
    let (again, same) = drain(&c, &s, Some(cursor.clone())).await;
    assert_eq!((again, same.as_str()), (0, cursor.as_str()));
    s.set_step(2);
    let (n2, cursor2) = drain(&c, &s, Some(cursor)).await;
    assert_eq!(n0 + n2, city.expected(2).alarm.rows);
    s.set_step(3);
    let (n3, _) = drain(&c, &s, Some(cursor2)).await;
    assert_eq!(n0 + n2 + n3, city.expected(3).alarm.rows);
    s.shutdown().await;
}

#[tokio::test]
async fn faults_are_injected_at_the_set_rate_and_never_change_data() {
    let faults = Faults {
        slow_delay: Duration::from_millis(20),
        ..Faults::total(0.5)
    };
    let (city, s) = server(faults).await;
    let c = client();
    s.set_step(1);
    let good_page = city.workorders_json(1, None, 2, 100).unwrap();
    let good_alarms = city.alarms_json(1, None, 300).unwrap();
    let (mut e500, mut e429, mut truncated, mut busy, mut ok) = (0, 0, 0, 0, 0);
    let n = 300;
    let started = Instant::now();
    for i in 0..n {
        let hotline = i % 2 == 0;
        let req = if hotline {
            c.get(format!(
                "{}/api/v1/workorders?page=2&page_size=100",
                s.base_url()
            ))
            .bearer_auth(TOKEN)
        } else {
            c.get(format!("{}/jcj/alarms?limit=300", s.base_url()))
                .header("X-Api-Key", KEY)
        };
        let r = req.send().await.unwrap();
        match r.status().as_u16() {
            500 => e500 += 1,
            429 => {
                assert_eq!(r.headers()["retry-after"], "1");
                e429 += 1;
            }
            503 => busy += 1,
            200 => {
                let body = r.bytes().await.unwrap();
                match serde_json::from_slice::<Value>(&body) {
                    Err(_) => truncated += 1,
                    Ok(v) if v.get("code").is_some_and(|c| c == 503) => busy += 1,
                    Ok(_) => {
                        ok += 1;
                        let expected = if hotline { &good_page } else { &good_alarms };
                        assert_eq!(
                            body.as_ref(),
                            expected.as_slice(),
                            "a good answer is always the same"
                        );
                    }
                }
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(s.requests(), n as u64);
    let injected = s.faults_injected() as f64 / n as f64;
    assert!((0.4..0.6).contains(&injected), "fault share {injected}");
    for (kind, count) in [
        ("500", e500),
        ("429", e429),
        ("truncated", truncated),
        ("busy", busy),
    ] {
        let share = count as f64 / n as f64;
        assert!((0.04..0.18).contains(&share), "{kind}: {share}");
    }
    // Slow answers are good answers, late.
    let slow = s.faults_injected() as usize - (e500 + e429 + truncated + busy);
    assert_eq!(ok + e500 + e429 + truncated + busy, n);
    assert!(slow > 0 && started.elapsed() >= Duration::from_millis(20 * slow as u64));
    s.shutdown().await;
}
