//! A small scripted SUT for engine tests: behaves by intent (answers, asks forever,
//! fails with 500, garbage, sleeps past the timeout...) and logs what it was sent.
#![allow(dead_code)]

pub mod traces;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use chrono::DateTime;
use serde_json::{Value, json};

use seam::protocol::{Facts, Touchpoint};
use seam::scenario::model::{CustomerSpec, Expect, Journey, OutboxExpect, Step};

#[derive(Debug, Default)]
pub struct Log {
    pub touchpoints: Vec<Touchpoint>,
    pub outbox: Vec<(String, String)>,
    pub finished: Vec<String>,
}

pub type Shared = Arc<Mutex<Log>>;

/// Start the scripted SUT on an ephemeral loopback port; returns its base URL and log.
pub async fn start_sut(serve_intents: bool) -> (String, Shared) {
    let log: Shared = Arc::default();
    let mut app = Router::new()
        .route("/touchpoints", post(touchpoint))
        .route("/outbox", get(outbox))
        .route("/journeys/{id}", delete(finish))
        .route("/health", get(|| async { "ok" }));
    if serve_intents {
        app = app.route("/intents", get(intents));
    }
    let app = app.with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), log)
}

/// A loopback URL where nothing listens.
pub async fn refused_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    drop(listener);
    format!("http://{addr}")
}

async fn intents() -> Json<Value> {
    Json(json!([
        {"intent": "order.create", "channels": ["store"], "subject": ["sku"], "answer": ["total"]},
        {"intent": "ask", "channels": ["*"], "subject": [], "answer": []}
    ]))
}

async fn outbox(
    State(log): State<Shared>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Json<Value> {
    let journey = q.get("journey").cloned().unwrap_or_default();
    let until = q.get("until").cloned().unwrap_or_default();
    if let Ok(mut log) = log.lock() {
        log.outbox.push((journey, until.clone()));
    }
    let kept = until.as_str() >= "2026-12-21";
    if kept {
        Json(
            json!([{"channel": "sms", "at": "2026-12-21T10:00:00+01:00", "text": "arrived", "fulfils": "p1"}]),
        )
    } else {
        Json(json!([]))
    }
}

async fn finish(State(log): State<Shared>, Path(id): Path<String>) -> StatusCode {
    if let Ok(mut log) = log.lock() {
        log.finished.push(id);
    }
    StatusCode::NO_CONTENT
}

async fn touchpoint(State(log): State<Shared>, Json(tp): Json<Touchpoint>) -> Response {
    if let Ok(mut log) = log.lock() {
        log.touchpoints.push(tp.clone());
    }
    match tp.intent.as_str() {
        "order.create" => Json(json!({
            "status": "pending",
            "refs": {"order": format!("S-{}", tp.says.get("sku").and_then(Value::as_str).unwrap_or("?"))},
            "answer": {"total": 31.5},
            "promises": [{"id": "p1", "what": "arrival_sms", "channel": "sms", "by": "2026-12-21T20:00:00+01:00"}],
            "mood": "fine"
        }))
        .into_response(),
        "order.status" => Json(json!({
            "status": "done",
            "answer": {"order_status": tp.refs.get("order").cloned().unwrap_or(Value::Null)}
        }))
        .into_response(),
        "ask" => {
            if tp.says.contains_key("email") {
                Json(json!({"status": "done", "recognized": true})).into_response()
            } else {
                Json(json!({"status": "needs_info", "asks": ["email"]})).into_response()
            }
        }
        "ask-forever" => Json(json!({"status": "needs_info", "asks": ["email"]})).into_response(),
        "ask-unknown" => Json(json!({"status": "needs_info", "asks": ["tax_id"]})).into_response(),
        "boom" => (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
        "reject" => (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({"error": "bad step"}))).into_response(),
        "garbage" => (StatusCode::OK, "<html>not json</html>").into_response(),
        "moved" => (
            StatusCode::FOUND,
            [(axum::http::header::LOCATION, "/health")],
            "moved",
        )
            .into_response(),
        // 50 MB of body: more than any cap.
        "huge" => (StatusCode::OK, vec![b'x'; 50 << 20]).into_response(),
        // A reply under the cap whose texts are far longer than any quote.
        "long-text" => Json(json!({
            "status": "needs_info",
            "asks": ["tax_id"],
            "reply": "a".repeat(300_000),
            "answer": {"note": "\u{1b}[2J".repeat(50_000)}
        }))
        .into_response(),
        "slow" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            Json(json!({"status": "done"})).into_response()
        }
        _ => Json(json!({"status": "done"})).into_response(),
    }
}

/// A step at `at` (RFC 3339) with the given intent and says.
pub fn step(id: &str, channel: &str, intent: &str, at: &str, says: Value) -> Step {
    let says: Facts = match says {
        Value::Object(map) => map.into_iter().collect(),
        _ => Facts::new(),
    };
    Step {
        id: id.into(),
        channel: channel.into(),
        intent: intent.into(),
        at: DateTime::parse_from_rfc3339(at).expect("test time"),
        says,
        refs: BTreeMap::new(),
        continues: None,
        subject: None,
        expect: Expect::default(),
        capture: BTreeMap::new(),
        group: None,
    }
}

/// A journey with a persona that knows an e-mail and a phone, identified by phone on `phone`.
pub fn journey(name: &str, steps: Vec<Step>) -> Journey {
    let mut facts = BTreeMap::new();
    facts.insert("email".to_string(), json!("ana@example.com"));
    facts.insert("phone".to_string(), json!("+34600000000"));
    let mut identifiers = BTreeMap::new();
    identifiers.insert("phone".to_string(), vec!["phone".to_string()]);
    Journey {
        name: name.into(),
        file: format!("scenarios/{name}.yaml"),
        description: String::new(),
        tags: vec![],
        story: String::new(),
        customer: CustomerSpec { facts, identifiers },
        steps,
        consistent: vec![],
        max_repeated_questions: 0,
        severity: BTreeMap::new(),
        rules: Vec::new(),
        outbox: OutboxExpect::default(),
        max_turns: 4,
    }
}

/// A plain reqwest client for the tests' own requests (rustls needs its crypto chosen).
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}
