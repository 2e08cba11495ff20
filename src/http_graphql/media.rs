//! Content negotiation: which media type the response uses, and which request bodies are read.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT;

pub const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
pub const JSON: &str = "application/json";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Media {
    GraphqlResponse,
    Json,
}

impl Media {
    pub fn content_type(self) -> &'static str {
        match self {
            Media::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        }
    }
}

/// The response media type for the request's Accept header (RFC 9110 §12.5.1), or None for 406.
pub fn negotiate(headers: &HeaderMap) -> Option<Media> {
    let ranges: Vec<&str> = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let accept = ranges.join(",");
    // Without Accept the client is taken for a legacy one, as the audit suite expects.
    if accept.trim().is_empty() {
        return Some(Media::Json);
    }
    match (quality(&accept, GRAPHQL_RESPONSE), quality(&accept, JSON)) {
        (None, None) => None,
        (Some(_), None) => Some(Media::GraphqlResponse),
        (None, Some(_)) => Some(Media::Json),
        // At equal quality the new type wins only when named: `*/*` and `application/*`
        // come from clients that never heard of it.
        (Some((gq, named)), Some((jq, _))) if gq > jq || (gq == jq && named) => {
            Some(Media::GraphqlResponse)
        }
        (Some(_), Some(_)) => Some(Media::Json),
    }
}

/// The quality (in thousandths) that the most specific range matching `essence` gives it,
/// and whether that range names it exactly; None when no range matches or the quality is 0.
fn quality(accept: &str, essence: &str) -> Option<(u16, bool)> {
    let (kind, _) = essence.split_once('/')?;
    let mut best: Option<(u8, u16)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let name = parts.next().unwrap_or("").trim();
        let specificity = if name.eq_ignore_ascii_case(essence) {
            2
        } else if name
            .strip_suffix("/*")
            .is_some_and(|k| k.eq_ignore_ascii_case(kind))
        {
            1
        } else if name == "*/*" {
            0
        } else {
            continue;
        };
        let q = parts
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
            .map_or(Some(1000), |(_, v)| qvalue(v.trim()));
        let Some(q) = q else { continue };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, q));
        }
    }
    best.filter(|&(_, q)| q > 0).map(|(s, q)| (q, s == 2))
}

/// An RFC 9110 qvalue ("0.8", "1", "0.125") in thousandths; None when malformed.
fn qvalue(text: &str) -> Option<u16> {
    let q: f64 = text.parse().ok()?;
    (0.0..=1.0)
        .contains(&q)
        .then(|| (q * 1000.0).round() as u16)
}

/// `application/json`, with no charset or charset UTF-8 (the spec's default).
pub fn is_utf8_json(content_type: &str) -> bool {
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case(JSON)
        && parts.all(|p| match p.split_once('=') {
            Some((k, v)) if k.trim().eq_ignore_ascii_case("charset") => {
                v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            _ => true,
        })
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn accept(value: &str) -> Option<Media> {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_str(value).unwrap());
        negotiate(&headers)
    }

    #[test]
    fn negotiation_follows_quality_then_specificity() {
        use Media::*;
        assert_eq!(negotiate(&HeaderMap::new()), Some(Json));
        assert_eq!(accept(GRAPHQL_RESPONSE), Some(GraphqlResponse));
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            Some(GraphqlResponse)
        );
        assert_eq!(
            accept("application/json, application/graphql-response+json"),
            Some(GraphqlResponse)
        );
        assert_eq!(
            accept("application/graphql-response+json;q=0.5, */*"),
            Some(Json)
        );
        assert_eq!(accept("*/*"), Some(Json));
        assert_eq!(accept("application/*;q=0.2"), Some(Json));
        assert_eq!(accept("*/*, application/json;q=0"), Some(GraphqlResponse));
        assert_eq!(accept("APPLICATION/JSON; charset=utf-8; q=1.0"), Some(Json));
        assert_eq!(accept("application/xml"), None);
        assert_eq!(accept("application/json;q=0, text/html"), None);
        assert_eq!(accept("application/json;q=2"), None);
    }

    #[test]
    fn only_utf8_json_bodies() {
        assert!(is_utf8_json("application/json"));
        assert!(is_utf8_json("Application/JSON; Charset=\"UTF-8\""));
        assert!(!is_utf8_json("application/json; charset=latin1"));
        assert!(!is_utf8_json("application/jsonx"));
        assert!(!is_utf8_json("text/plain"));
    }
}
