//! `router`: the touchpoint protocol over HTTP (axum). Validates every request, answers
//! 4xx with a JSON `{"error"}` naming the problem, and never panics on input.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};

use crate::protocol::{ErrorBody, KNOWN_CHANNELS, OutboxMessage, Touchpoint};

use super::clock;
use super::data::Fixtures;
use super::intents;
use super::profile::Profile;
use super::state::JourneyStore;

/// Largest accepted request body.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Everything a request handler reads: fixtures, profile, journeys.
pub struct App {
    pub fixtures: Fixtures,
    pub profile: Profile,
    pub journeys: JourneyStore,
    intents_json: Bytes,
    known_intents: Vec<&'static str>,
}

impl App {
    pub fn new(fixtures: Fixtures, profile: Profile) -> App {
        let intents_json =
            serde_json::to_vec(&intents::catalogue()).map_or_else(|_| Bytes::new(), Bytes::from);
        App {
            fixtures,
            profile,
            journeys: JourneyStore::default(),
            intents_json,
            known_intents: intents::intent_names(),
        }
    }
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/touchpoints", post(touchpoint))
        .route("/outbox", get(outbox))
        .route("/intents", get(list_intents))
        .route("/health", get(health))
        .route("/journeys/{journey}", delete(release))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
}

fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = serde_json::to_vec(&ErrorBody {
        error: message.into(),
    })
    .unwrap_or_default();
    json_bytes(status, body)
}

fn did_you_mean(name: &str, valid: &[&str]) -> String {
    valid
        .iter()
        .map(|v| (strsim::levenshtein(name, v), *v))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, v)| format!(" (did you mean `{v}`?)"))
        .unwrap_or_default()
}

async fn touchpoint(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(rejection) => {
            let status = rejection.status();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!("request body larger than {BODY_LIMIT} bytes")
            } else {
                rejection.body_text()
            };
            return error(status, message);
        }
    };
    let tp: Touchpoint = match serde_json::from_slice(&body) {
        Ok(tp) => tp,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("malformed touchpoint: {e}"),
            );
        }
    };
    let at = match check(&app, &tp) {
        Ok(at) => at,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let reply = answer(&app, &tp, at);
    match serde_json::to_vec(&reply) {
        Ok(body) => json_bytes(StatusCode::OK, body),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// Checks a touchpoint as `POST /touchpoints` does: the parsed `at`, or why it is a 400.
pub(crate) fn check(app: &App, tp: &Touchpoint) -> Result<clock::Instant, String> {
    if tp.journey.is_empty() {
        return Err("`journey` must not be empty".into());
    }
    if !KNOWN_CHANNELS.contains(&tp.channel.as_str()) {
        return Err(format!(
            "unknown channel `{}`{}; known channels: {}",
            tp.channel,
            did_you_mean(&tp.channel, &KNOWN_CHANNELS),
            KNOWN_CHANNELS.join(", ")
        ));
    }
    if !app.known_intents.contains(&tp.intent.as_str()) {
        return Err(format!(
            "unknown intent `{}`{}; see GET /intents",
            tp.intent,
            did_you_mean(&tp.intent, &app.known_intents)
        ));
    }
    clock::parse_at(&tp.at)
        .ok_or_else(|| format!("`at` is not an RFC 3339 time with offset: `{}`", tp.at))
}

/// The retailer's reply to a checked touchpoint (the journey's state updated).
pub(crate) fn answer(app: &App, tp: &Touchpoint, at: clock::Instant) -> crate::protocol::Reply {
    app.journeys.with(&tp.journey, |state| {
        super::dispatch::handle(tp, at, &app.fixtures, &app.profile, state)
    })
}

/// The journey's outbox up to `until` (every message without it), sorted by time.
pub(crate) fn outbox_of(
    app: &App,
    journey: &str,
    until: Option<clock::Instant>,
) -> Vec<OutboxMessage> {
    let mut messages: Vec<(clock::Instant, OutboxMessage)> = app
        .journeys
        .read(journey, |state| {
            state
                .outbox
                .iter()
                .filter(|m| until.is_none_or(|u| m.at <= u))
                .map(|m| (m.at, m.message.clone()))
                .collect()
        })
        .unwrap_or_default();
    messages.sort_by_key(|(at, _)| *at);
    messages.into_iter().map(|(_, m)| m).collect()
}

/// Parse `journey=J&until=T` by hand (percent-decoding), to name bad parameters exactly.
pub(crate) fn query_params(raw: &str) -> Result<(Option<String>, Option<String>), String> {
    let (mut journey, mut until) = (None, None);
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v).ok_or_else(|| format!("bad percent-encoding in `{k}`"))?;
        match k {
            "journey" => journey = Some(v),
            "until" => until = Some(v),
            _ => {}
        }
    }
    Ok((journey, until))
}

/// `%XX` escapes decoded (`+` stays `+`: an unencoded offset never means a space); a `%`
/// without two hex digits after it is refused.
fn percent_decode(s: &str) -> Option<String> {
    let escapes_valid = s.split('%').skip(1).all(|rest| {
        rest.get(..2)
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if !escapes_valid {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

async fn outbox(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let (journey, until) = match query_params(raw.as_deref().unwrap_or("")) {
        Ok(p) => p,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let Some(journey) = journey.filter(|j| !j.is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "missing query parameter `journey`");
    };
    let until = match until {
        None => None,
        Some(t) => match clock::parse_at(&t) {
            Some(t) => Some(t),
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("`until` is not an RFC 3339 time with offset: `{t}`"),
                );
            }
        },
    };
    let messages = outbox_of(&app, &journey, until);
    match serde_json::to_vec(&messages) {
        Ok(body) => json_bytes(StatusCode::OK, body),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn list_intents(State(app): State<Arc<App>>) -> Response {
    json_bytes(StatusCode::OK, app.intents_json.to_vec())
}

async fn health(State(app): State<Arc<App>>) -> Response {
    let body = serde_json::json!({
        "status": "ok",
        "profile": app.profile.label(),
        "journeys": app.journeys.len(),
    });
    json_bytes(StatusCode::OK, body.to_string().into_bytes())
}

async fn release(State(app): State<Arc<App>>, Path(journey): Path<String>) -> Response {
    app.journeys.remove(&journey);
    StatusCode::NO_CONTENT.into_response()
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such endpoint; see POST /touchpoints, GET /outbox, GET /intents, GET /health, \
DELETE /journeys/{id}",
    )
}

async fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed on this endpoint",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbox_query_decodes_offsets() {
        let (j, u) = query_params("journey=r-1%2Fa&until=2026-12-20T11%3A00%3A00%2B01%3A00")
            .expect("valid query");
        assert_eq!(j.as_deref(), Some("r-1/a"));
        assert_eq!(u.as_deref(), Some("2026-12-20T11:00:00+01:00"));
        assert!(query_params("journey=%zz").is_err());
    }
}
