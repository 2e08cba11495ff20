//! The GraphQL-over-HTTP request parameters from a POST body or a GET URL. An error here
//! means the request never became a GraphQL request: 400 with the message.

use axum::extract::Query;
use axum::http::Uri;
use serde_json::{Map, Value};

/// The GraphQL-over-HTTP request parameters, after the transport-specific checks.
pub struct Params {
    pub query: String,
    pub operation_name: Option<String>,
    pub variables: Option<Map<String, Value>>,
    pub extensions: Option<Map<String, Value>>,
}

pub fn post_params(body: &[u8]) -> Result<Params, String> {
    if body.is_empty() {
        return Err("the request body is empty; send a JSON object with a `query`".into());
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let Value::Object(mut fields) = value else {
        return Err("the body must be a JSON object (batches are not supported)".into());
    };
    // Unknown properties are ignored, as the spec requires; null means absent.
    let mut take = |name: &str| fields.remove(name).filter(|v| !v.is_null());
    let query = match take("query") {
        Some(Value::String(q)) => q,
        Some(_) => return Err("`query` must be a string".into()),
        None => return Err("`query` is missing".into()),
    };
    let operation_name = match take("operationName") {
        Some(Value::String(n)) => Some(n).filter(|n| !n.is_empty()),
        Some(_) => return Err("`operationName` must be a string".into()),
        None => None,
    };
    Ok(Params {
        query,
        operation_name,
        variables: object_param("variables", take("variables"))?,
        extensions: object_param("extensions", take("extensions"))?,
    })
}

pub fn get_params(uri: &Uri) -> Result<Params, String> {
    let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map_err(|e| format!("the URL query is not form-encoded: {e}"))?;
    let mut query = None;
    let mut operation_name = None;
    let mut variables = None;
    let mut extensions = None;
    for (name, value) in pairs {
        let slot = match name.as_str() {
            "query" => &mut query,
            "operationName" => &mut operation_name,
            "variables" => &mut variables,
            "extensions" => &mut extensions,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(format!("`{name}` is given more than once"));
        }
    }
    // The empty string counts as absent for every parameter.
    let nonempty = |v: Option<String>| v.filter(|v| !v.is_empty());
    let json = |name: &str, v: Option<String>| match nonempty(v) {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| format!("`{name}` is not JSON: {e}"))
            .and_then(|v: Value| object_param(name, Some(v).filter(|v| !v.is_null()))),
    };
    Ok(Params {
        query: nonempty(query).ok_or("`query` is missing")?,
        operation_name: nonempty(operation_name),
        variables: json("variables", variables)?,
        extensions: json("extensions", extensions)?,
    })
}

fn object_param(name: &str, value: Option<Value>) -> Result<Option<Map<String, Value>>, String> {
    match value {
        None => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(format!("`{name}` must be a JSON object")),
    }
}
