//! `/graphql` as GraphQL-over-HTTP (https://graphql.github.io/graphql-over-http/draft/) asks,
//! checked by the `graphql-http` audit suite (`scripts/graphql-clients`).
//!
//! The draft has moved past that suite in places; where they disagree the hub does what the
//! suite checks, since that is what clients and tooling test against today: 400 rather than
//! 422 for malformed parameters and for documents that fail validation or variable coercion,
//! and 200 for every well-formed request answered as `application/json` (the draft would
//! give legacy clients the same 4xx codes). A missing Accept header means `application/json`.

use std::collections::BTreeMap;

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::Positioned;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType,
};
use async_graphql::{ServerError, Value, Variables};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::body::Bytes;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, UPGRADE, VARY};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use serde::Serialize;
use serde_json::{Map, json};

use crate::graphql::{HubSchema, code_refusal};

mod documents;
mod media;
mod params;

use documents::Documents;
use media::{Media, is_utf8_json, negotiate};
use params::{Params, get_params, post_params};

/// Not registered with IANA; the draft recommends it for data with errors, and only under
/// `application/graphql-response+json`, whose clients read the body whatever the status.
const PARTIAL_SUCCESS: u16 = 294;

/// The schema and the documents it has parsed.
#[derive(Clone)]
struct Endpoint {
    schema: HubSchema,
    documents: std::sync::Arc<Documents>,
}

/// GET and POST on `/graphql`; any other method gets 405, and axum adds the `Allow` header.
pub fn routes(schema: HubSchema) -> MethodRouter {
    get(get_graphql)
        .post(post_graphql)
        .fallback(|| async { transport_error(StatusCode::METHOD_NOT_ALLOWED, "use GET or POST") })
        .with_state(Endpoint {
            schema,
            documents: Default::default(),
        })
}

async fn post_graphql(
    State(endpoint): State<Endpoint>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if !content_type.is_some_and(is_utf8_json) {
        return transport_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "POST a body of Content-Type application/json (UTF-8)",
        );
    }
    let params = match post_params(&body) {
        Ok(p) => p,
        Err(message) => return transport_error(StatusCode::BAD_REQUEST, &message),
    };
    execute(&endpoint, media, params, false).await
}

async fn get_graphql(State(endpoint): State<Endpoint>, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    if wants_websocket(&parts.headers) {
        return subscribe(endpoint.schema, &mut parts).await;
    }
    let (headers, uri) = (parts.headers, parts.uri);
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let params = match get_params(&uri) {
        Ok(p) => p,
        Err(message) => return transport_error(StatusCode::BAD_REQUEST, &message),
    };
    execute(&endpoint, media, params, true).await
}

fn wants_websocket(headers: &HeaderMap) -> bool {
    headers
        .get(UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// Subscriptions (and queries) over a WebSocket on the same path, in the
/// graphql-transport-ws protocol (or the older graphql-ws one).
async fn subscribe(schema: HubSchema, parts: &mut Parts) -> Response {
    let protocol = match GraphQLProtocol::from_request_parts(parts, &()).await {
        Ok(p) => p,
        Err(_) => {
            return transport_error(
                StatusCode::BAD_REQUEST,
                "WebSocket requests must ask for the graphql-transport-ws subprotocol",
            );
        }
    };
    match WebSocketUpgrade::from_request_parts(parts, &()).await {
        Ok(upgrade) => upgrade
            .protocols(ALL_WEBSOCKET_PROTOCOLS)
            .on_upgrade(move |socket| GraphQLWebSocket::new(socket, schema, protocol).serve())
            .into_response(),
        Err(rejection) => rejection.into_response(),
    }
}

async fn execute(endpoint: &Endpoint, media: Media, params: Params, is_get: bool) -> Response {
    // Parsed here rather than by the schema: a GET must know the operation's kind before
    // anything runs, and a parse failure is a request error with its own status.
    let document = match endpoint.documents.parse(&params.query) {
        Ok(d) => d,
        Err(e) => {
            let mut error: ServerError = e.into();
            code_refusal(&mut error, true);
            return request_error(media, StatusCode::BAD_REQUEST, &[error], None);
        }
    };
    let operation = selected_operation(&document, params.operation_name.as_deref());
    if is_get
        && let Some(op) = operation
        && op.node.ty != OperationType::Query
    {
        let kind = op.node.ty;
        let error = ServerError::new(format!("a {kind} cannot be sent with GET; use POST"), None);
        let mut response = request_error(media, StatusCode::METHOD_NOT_ALLOWED, &[error], None);
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    if let Some(op) = operation
        && let Some(mut error) = missing_variable(op, params.variables.as_ref())
    {
        code_refusal(&mut error, false);
        return request_error(media, StatusCode::BAD_REQUEST, &[error], None);
    }

    let mut request = async_graphql::Request::new(params.query);
    request.operation_name = params.operation_name;
    if let Some(vars) = params.variables {
        request.variables = Variables::from_json(serde_json::Value::Object(vars));
    }
    if let Some(ext) = params.extensions {
        for (key, value) in ext {
            match Value::from_json(value) {
                Ok(v) => request.extensions.0.insert(key, v),
                Err(e) => {
                    return transport_error(StatusCode::BAD_REQUEST, &format!("`extensions`: {e}"));
                }
            };
        }
    }
    request.set_parsed_query(document);
    let mut response = endpoint.schema.execute(request).await;

    // async-graphql answers a request it refused to run (validation, variables, operation
    // selection, depth and complexity limits) with null data and errors that have no path;
    // field errors always carry the path of their field.
    let refused = response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    if refused {
        for e in &mut response.errors {
            code_refusal(e, false);
        }
        return request_error(
            media,
            StatusCode::BAD_REQUEST,
            &response.errors,
            Some(&response.extensions),
        );
    }
    let status = match media {
        Media::GraphqlResponse if !response.errors.is_empty() => {
            StatusCode::from_u16(PARTIAL_SUCCESS).expect("a valid status code")
        }
        _ => StatusCode::OK,
    };
    let mut http = respond(media, status, &response);
    if response.is_ok()
        && let Some(value) = response.cache_control.value()
        && let Ok(value) = HeaderValue::from_str(&value)
    {
        http.headers_mut().insert(CACHE_CONTROL, value);
    }
    http.headers_mut().extend(response.http_headers);
    http
}

/// The operation `operation_name` selects, when it selects exactly one.
fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(op), None) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    }
}

/// A required variable without a value fails variable coercion, a request error. async-graphql
/// validates the variables it is given but reports a missing one only as a field error while
/// executing, so it is caught here.
fn missing_variable(
    operation: &Positioned<OperationDefinition>,
    variables: Option<&Map<String, serde_json::Value>>,
) -> Option<ServerError> {
    operation.node.variable_definitions.iter().find_map(|def| {
        let def = &def.node;
        let given = variables
            .and_then(|v| v.get(def.name.node.as_str()))
            .is_some_and(|v| !v.is_null());
        (!def.var_type.node.nullable && def.default_value.is_none() && !given).then(|| {
            ServerError::new(
                format!(
                    "variable ${} of required type {} has no value",
                    def.name.node, def.var_type.node
                ),
                Some(def.name.pos),
            )
        })
    })
}

/// A GraphQL response without `data`: the request was not executed. Legacy JSON clients get
/// 200, as they expect for every well-formed request.
fn request_error(
    media: Media,
    status: StatusCode,
    errors: &[ServerError],
    extensions: Option<&BTreeMap<String, Value>>,
) -> Response {
    #[derive(Serialize)]
    struct Body<'a> {
        errors: &'a [ServerError],
        #[serde(skip_serializing_if = "Option::is_none")]
        extensions: Option<&'a BTreeMap<String, Value>>,
    }
    let extensions = extensions.filter(|e| !e.is_empty());
    let status = match media {
        Media::GraphqlResponse => status,
        Media::Json if status == StatusCode::METHOD_NOT_ALLOWED => status,
        Media::Json => StatusCode::OK,
    };
    respond(media, status, &Body { errors, extensions })
}

fn respond(media: Media, status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [
                (CONTENT_TYPE, HeaderValue::from_static(media.content_type())),
                // The media type, and so the status, depend on Accept: caches must key on it.
                (VARY, HeaderValue::from_static("Accept")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => transport_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("cannot encode the response: {e}"),
        ),
    }
}

/// A request that never became a GraphQL request. The spec forbids the GraphQL response
/// media type here, so the error goes out as plain JSON in the same `errors` shape.
fn transport_error(status: StatusCode, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message }] });
    let mut response = (status, axum::Json(body)).into_response();
    let content_type = HeaderValue::from_static(Media::Json.content_type());
    response.headers_mut().insert(CONTENT_TYPE, content_type);
    response
}

fn not_acceptable() -> Response {
    transport_error(
        StatusCode::NOT_ACCEPTABLE,
        "Accept names neither application/graphql-response+json nor application/json",
    )
}
