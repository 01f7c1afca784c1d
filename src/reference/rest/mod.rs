//! `router`: the reference retailer's REST face (`seam serve --api rest`), an adapter that
//! does not speak the protocol: per-system endpoints (`/pos`, `/shop/{channel}`,
//! `/crm/{channel}`), its own field names, 404/409/422 statuses, bearer-token login, and
//! orders as a cart plus a checkout. Every call goes to the same checks, domain logic and
//! journey state as `POST /touchpoints` (`server::check`, `server::answer`).

pub mod wire;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::Serialize;
use serde_json::{Value, json};

use super::clock;
use super::server::{App, BODY_LIMIT, answer, check, outbox_of};
use crate::protocol::Facts;
use wire::{Interaction, OPERATIONS, REQUIRED, channels_of};

/// The REST face's login (documented in docs/mappings.md).
pub const USERNAME: &str = "seam-qa";
pub const PASSWORD: &str = "omnia-rest-demo";

/// The domain app plus what only the REST face keeps: tokens and carts.
pub struct RestApp {
    app: Arc<App>,
    tokens: Mutex<HashSet<String>>,
    /// cart id -> (session, details).
    carts: Mutex<HashMap<String, (String, Facts)>>,
    next_cart: AtomicU64,
}

impl RestApp {
    pub fn new(app: Arc<App>) -> RestApp {
        RestApp {
            app,
            tokens: Mutex::new(HashSet::new()),
            carts: Mutex::new(HashMap::new()),
            next_cart: AtomicU64::new(1),
        }
    }
}

type Shared = Arc<RestApp>;

/// A refused request: the response to send instead (boxed: it is large).
type Rejection = Box<Response>;

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/auth/login", post(login))
        .route("/health", get(health))
        .route("/pos/carts", post(pos_cart))
        .route("/pos/carts/{cart}/checkout", post(pos_checkout))
        .route("/pos/{op}", post(pos_operation))
        .route("/shop/{channel}/carts", post(shop_cart))
        .route("/shop/{channel}/carts/{cart}/checkout", post(shop_checkout))
        .route("/shop/{channel}/{op}", post(shop_operation))
        .route("/crm/{channel}/carts", post(crm_cart))
        .route("/crm/{channel}/carts/{cart}/checkout", post(crm_checkout))
        .route("/crm/{channel}/{op}", post(crm_operation))
        .route("/crm/messages", get(messages))
        .route("/crm/sessions/{session}", delete(close))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such endpoint") })
        .method_not_allowed_fallback(|| async {
            error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(Arc::new(RestApp::new(app)))
}

fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json_response(status, &json!({ "error": message.into() }))
}

/// `Err(401)` unless the request carries a token from `POST /auth/login`.
fn authorised(rest: &RestApp, headers: &HeaderMap) -> Result<(), Rejection> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let known = token.is_some_and(|t| rest.tokens.lock().is_ok_and(|set| set.contains(t)));
    if known {
        Ok(())
    } else {
        Err(Box::new(error(
            StatusCode::UNAUTHORIZED,
            "missing or unknown bearer token; POST /auth/login first",
        )))
    }
}

async fn login(State(rest): State<Shared>, body: Bytes) -> Response {
    let Ok(creds) = serde_json::from_slice::<Value>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "expected {\"username\", \"password\"}",
        );
    };
    let ok = creds.get("username").and_then(Value::as_str) == Some(USERNAME)
        && creds.get("password").and_then(Value::as_str) == Some(PASSWORD);
    if !ok {
        return error(StatusCode::UNAUTHORIZED, "wrong username or password");
    }
    let token = format!("omnia-{:016x}", rand::random::<u64>());
    if let Ok(mut set) = rest.tokens.lock() {
        set.insert(token.clone());
    }
    json_response(
        StatusCode::OK,
        &json!({ "access_token": token, "token_type": "Bearer" }),
    )
}

async fn health(State(rest): State<Shared>) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "status": "ok", "api": "rest", "profile": rest.app.profile.label() }),
    )
}

/// The channel, if `system` serves it.
fn channel_in(system: &str, channel: &str) -> Result<(), Rejection> {
    if channels_of(system).contains(&channel) {
        Ok(())
    } else {
        Err(Box::new(error(
            StatusCode::NOT_FOUND,
            format!("`/{system}` has no channel `{channel}`"),
        )))
    }
}

/// Parses an interaction: 400 when not JSON, 422 listing missing fields, 400 otherwise.
fn interaction(body: &[u8]) -> Result<Interaction, Rejection> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        Box::new(error(
            StatusCode::BAD_REQUEST,
            format!("body is not JSON: {e}"),
        ))
    })?;
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|k| value.get(k).is_none_or(Value::is_null))
        .collect();
    if !missing.is_empty() {
        return Err(Box::new(json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({ "error": "missing fields", "fields": missing }),
        )));
    }
    serde_json::from_value(value).map_err(|e| {
        Box::new(error(
            StatusCode::BAD_REQUEST,
            format!("bad interaction: {e}"),
        ))
    })
}

/// Runs one interaction through the retailer's checks and domain logic.
fn serve(rest: &RestApp, i: Interaction, channel: &str, intent: &str) -> Response {
    let tp = i.touchpoint(channel, intent);
    let at = match check(&rest.app, &tp) {
        Ok(at) => at,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let (code, outcome) = wire::outcome(answer(&rest.app, &tp, at));
    json_response(code, &outcome)
}

async fn shop_operation(
    State(rest): State<Shared>,
    Path((channel, op)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run_operation(&rest, "shop", &channel, &op, &headers, &body)
}

async fn crm_operation(
    State(rest): State<Shared>,
    Path((channel, op)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run_operation(&rest, "crm", &channel, &op, &headers, &body)
}

async fn pos_operation(
    State(rest): State<Shared>,
    Path(op): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run_operation(&rest, "pos", "store", &op, &headers, &body)
}

fn run_operation(
    rest: &RestApp,
    system: &str,
    channel: &str,
    op: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let run = || -> Result<Response, Rejection> {
        authorised(rest, headers)?;
        channel_in(system, channel)?;
        let intent = OPERATIONS
            .iter()
            .find(|(name, _)| *name == op)
            .map(|(_, intent)| *intent)
            .ok_or_else(|| {
                Box::new(error(StatusCode::NOT_FOUND, format!("no operation `{op}`")))
            })?;
        Ok(serve(rest, interaction(body)?, channel, intent))
    };
    run().unwrap_or_else(|e| *e)
}

async fn shop_cart(
    State(rest): State<Shared>,
    Path(channel): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    new_cart(&rest, "shop", &channel, &headers, &body)
}

async fn crm_cart(
    State(rest): State<Shared>,
    Path(channel): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    new_cart(&rest, "crm", &channel, &headers, &body)
}

async fn pos_cart(State(rest): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    new_cart(&rest, "pos", "store", &headers, &body)
}

/// `POST .../carts` `{session, details}` -> 201 `{cart_id}`.
fn new_cart(
    rest: &RestApp,
    system: &str,
    channel: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    if let Err(r) = authorised(rest, headers).and_then(|()| channel_in(system, channel)) {
        return *r;
    }
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return error(StatusCode::BAD_REQUEST, "body is not JSON");
    };
    let session = value
        .get("session")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let details = value.get("details").and_then(Value::as_object);
    let (Some(session), Some(details)) = (session, details) else {
        let missing: Vec<&str> = [
            ("session", session.is_none()),
            ("details", details.is_none()),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(k, _)| *k)
        .collect();
        return json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({ "error": "missing fields", "fields": missing }),
        );
    };
    let id = format!("cart-{}", rest.next_cart.fetch_add(1, Ordering::Relaxed));
    let facts: Facts = details
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Ok(mut carts) = rest.carts.lock() {
        carts.insert(id.clone(), (session.to_string(), facts));
    }
    json_response(StatusCode::CREATED, &json!({ "cart_id": id }))
}

async fn shop_checkout(
    State(rest): State<Shared>,
    Path((channel, cart)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run_checkout(&rest, "shop", &channel, &cart, &headers, &body)
}

async fn crm_checkout(
    State(rest): State<Shared>,
    Path((channel, cart)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run_checkout(&rest, "crm", &channel, &cart, &headers, &body)
}

async fn pos_checkout(
    State(rest): State<Shared>,
    Path(cart): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run_checkout(&rest, "pos", "store", &cart, &headers, &body)
}

/// `POST .../carts/{id}/checkout` with an interaction: `order.create` with the cart's
/// details (the interaction's `data` on top).
fn run_checkout(
    rest: &RestApp,
    system: &str,
    channel: &str,
    cart: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let run = || -> Result<Response, Rejection> {
        authorised(rest, headers)?;
        channel_in(system, channel)?;
        let mut i = interaction(body)?;
        let found = rest
            .carts
            .lock()
            .ok()
            .and_then(|carts| carts.get(cart).cloned());
        let (session, mut details) = found
            .ok_or_else(|| Box::new(error(StatusCode::NOT_FOUND, format!("no cart `{cart}`"))))?;
        if session != i.session {
            return Err(Box::new(error(
                StatusCode::CONFLICT,
                format!("cart `{cart}` belongs to another session"),
            )));
        }
        details.append(&mut i.data);
        i.data = details;
        Ok(serve(rest, i, channel, "order.create"))
    };
    run().unwrap_or_else(|e| *e)
}

async fn messages(
    State(rest): State<Shared>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = authorised(&rest, &headers) {
        return *r;
    }
    let Some(session) = params.get("session").filter(|s| !s.is_empty()) else {
        return json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({ "error": "missing fields", "fields": ["session"] }),
        );
    };
    let until = match params.get("until") {
        None => None,
        Some(t) => match clock::parse_at(t) {
            Some(t) => Some(t),
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("`until` is not a time: `{t}`"),
                );
            }
        },
    };
    let list: Vec<wire::Message> = outbox_of(&rest.app, session, until)
        .into_iter()
        .map(wire::message)
        .collect();
    json_response(StatusCode::OK, &json!({ "messages": list }))
}

async fn close(
    State(rest): State<Shared>,
    headers: HeaderMap,
    Path(session): Path<String>,
) -> Response {
    if let Err(r) = authorised(&rest, &headers) {
        return *r;
    }
    rest.app.journeys.remove(&session);
    if let Ok(mut carts) = rest.carts.lock() {
        carts.retain(|_, (s, _)| *s != session);
    }
    StatusCode::NO_CONTENT.into_response()
}
