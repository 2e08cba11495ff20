//! One HTTP GET returning JSON, retried with exponential backoff and full jitter on what a
//! retry can fix: 5xx, 429 (honouring Retry-After), timeouts, dropped connections, truncated
//! or unparsable bodies, and in-body error codes not listed as permanent.

use std::time::Duration;

use rand::Rng;
use reqwest::StatusCode;
use serde_json::Value;

use super::ConnectorError;
use super::config::{EnvelopeConfig, HttpConfig, RetryConfig};
use super::json_items::{self, Body};

/// The longest Retry-After the hub will sit through; a source asking for more is treated as down.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

enum Failure {
    Transient {
        message: String,
        wait: Option<Duration>,
    },
    Permanent(String),
}

pub struct JsonClient {
    client: reqwest::Client,
    http: HttpConfig,
    retry: RetryConfig,
    connector: String,
}

impl JsonClient {
    pub fn new(
        connector: &str,
        http: &HttpConfig,
        retry: &RetryConfig,
    ) -> Result<Self, ConnectorError> {
        let mut headers = reqwest::header::HeaderMap::new();
        for (k, v) in &http.headers {
            let name = reqwest::header::HeaderName::from_bytes(k.as_bytes())
                .map_err(|e| ConnectorError::Permanent(format!("header name `{k}`: {e}")))?;
            let value = reqwest::header::HeaderValue::from_str(v)
                .map_err(|e| ConnectorError::Permanent(format!("header `{k}` value: {e}")))?;
            headers.insert(name, value);
        }
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(http.timeout)
            .build()
            .map_err(|e| ConnectorError::Permanent(format!("cannot build HTTP client: {e}")))?;
        reqwest::Url::parse(&http.url).map_err(|e| {
            ConnectorError::Permanent(format!("http.url `{}` is not a URL: {e}", http.url))
        })?;
        Ok(JsonClient {
            client,
            http: http.clone(),
            retry: retry.clone(),
            connector: connector.to_string(),
        })
    }

    /// GETs `http.url` with `query` and returns the parsed body with the records at `items`
    /// kept as text, checking the envelope if any.
    pub async fn get(
        &self,
        query: &[(String, String)],
        items: &str,
        envelope: Option<&EnvelopeConfig>,
    ) -> Result<Body, ConnectorError> {
        let attempts = self.retry.attempts.max(1);
        let mut last = String::new();
        for attempt in 0..attempts {
            match self.try_once(query, items, envelope).await {
                Ok(v) => return Ok(v),
                Err(Failure::Permanent(m)) => return Err(ConnectorError::Permanent(m)),
                Err(Failure::Transient { message, wait }) => {
                    tracing::warn!(connector = %self.connector, attempt = attempt + 1, attempts, error = %message, "fetch failed, will retry");
                    last = message;
                    if attempt + 1 < attempts {
                        tokio::time::sleep(wait.unwrap_or_else(|| self.backoff(attempt))).await;
                    }
                }
            }
        }
        Err(ConnectorError::Exhausted(format!(
            "{attempts} attempts; last error: {last}"
        )))
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .retry
            .base_delay
            .saturating_mul(1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX))
            .min(self.retry.max_delay);
        // Full jitter: clients that failed together do not come back together.
        let nanos = ceiling.as_nanos().min(u64::MAX as u128) as u64;
        Duration::from_nanos(rand::rng().random_range(0..=nanos))
    }

    async fn try_once(
        &self,
        query: &[(String, String)],
        items: &str,
        envelope: Option<&EnvelopeConfig>,
    ) -> Result<Body, Failure> {
        let transient = |message: String| Failure::Transient {
            message,
            wait: None,
        };
        let response = self
            .client
            .get(&self.http.url)
            .query(query)
            .send()
            .await
            .map_err(|e| transient(describe(&e)))?;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            let wait = retry_after(response.headers()).map(|w| w.min(MAX_RETRY_AFTER));
            return Err(Failure::Transient {
                message: "HTTP 429 Too Many Requests".into(),
                wait,
            });
        }
        if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
            return Err(transient(format!("HTTP {status}")));
        }
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(Failure::Permanent(format!(
                "HTTP {status} from {}: the source rejected our credentials (check the token or API key variable)",
                self.http.url
            )));
        }
        if !status.is_success() {
            return Err(Failure::Permanent(format!(
                "HTTP {status} from {}",
                self.http.url
            )));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| transient(format!("reading body: {}", describe(&e))))?;
        let parsed = json_items::parse(&bytes, items).map_err(|e| {
            transient(format!(
                "body is not complete JSON ({} bytes): {e}",
                bytes.len()
            ))
        })?;
        if let Some(env) = envelope {
            let body = &parsed.rest;
            let code = crate::json_path::get(body, &env.code).and_then(Value::as_i64);
            match code {
                Some(c) if c == env.ok => {}
                Some(c) => {
                    let msg = env
                        .message
                        .as_deref()
                        .and_then(|m| crate::json_path::get(body, m))
                        .and_then(crate::json_path::text)
                        .unwrap_or_default();
                    let message = format!("source answered {} = {c} ({msg})", env.code);
                    return Err(if env.permanent.contains(&c) {
                        Failure::Permanent(format!(
                            "{message}: retrying cannot fix this, check the credentials and URL"
                        ))
                    } else {
                        transient(message)
                    });
                }
                None => return Err(transient(format!("response has no numeric `{}`", env.code))),
            }
        }
        Ok(parsed)
    }
}

fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_body() || e.is_decode() {
        "body cut short"
    } else {
        "request failed"
    };
    let mut text = format!("{kind}: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

/// Retry-After as delta-seconds or an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at
        .signed_duration_since(chrono::Utc::now())
        .to_std()
        .unwrap_or(Duration::ZERO);
    Some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert(reqwest::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(
            retry_after(&h),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
    }
}
