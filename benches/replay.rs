//! Replay benchmark: 2,000 journeys against a SUT in a child process; prints touchpoints/s,
//! the CPU split harness vs server (/proc utime+stime) and peak memory (VmHWM) of both.
//!
//! `cargo bench --bench replay` (release). The server is this same binary re-run with
//! `SEAM_BENCH_ROLE=server`: a stand-in protocol SUT until the reference retailer lands;
//! then it should call `seam::reference::start(ServerConfig::loopback(Profile::siloed()))`.
//! `SEAM_BENCH_TARGET=URL` benchmarks an already running SUT instead (no server CPU figures).
//! `SEAM_BENCH_JOURNEYS=N` changes the number of journeys.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Path, State};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use chrono::DateTime;
use serde_json::{Value, json};

use seam::engine::events;
use seam::engine::{RunOptions, run};
use seam::protocol::{Facts, Touchpoint};
use seam::scenario::model::{CustomerSpec, Expect, Journey, OutboxExpect, Step};
use seam::sut::{ClientConfig, ProtocolClient};

fn main() {
    if std::env::var("SEAM_BENCH_ROLE").as_deref() == Ok("server") {
        serve();
        return;
    }
    let n: usize = std::env::var("SEAM_BENCH_JOURNEYS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let (target, mut child) = match std::env::var("SEAM_BENCH_TARGET") {
        Ok(url) => (url, None),
        Err(_) => match spawn_server() {
            Some((url, child)) => (url, Some(child)),
            None => {
                eprintln!("cannot start the benchmark server");
                std::process::exit(1);
            }
        },
    };
    let server_pid = child.as_ref().map(Child::id);
    let server_before = server_pid.and_then(cpu_ticks).unwrap_or(0);
    let harness_before = cpu_ticks(std::process::id()).unwrap_or(0);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    let jobs = 64;
    let started = Instant::now();
    let outcome = runtime.block_on(async {
        let config = ClientConfig {
            pool: jobs,
            ..ClientConfig::default()
        };
        let client =
            Arc::new(ProtocolClient::new(&target, config).unwrap_or_else(|e| panic!("{e}")));
        let journeys = Arc::new((0..n).map(journey).collect::<Vec<_>>());
        let options = RunOptions {
            jobs,
            run_id: "bench".into(),
            deadline: None,
        };
        run(journeys, client, &options, events::ignore()).await
    });
    let wall = started.elapsed().as_secs_f64();

    let harness = cpu_ticks(std::process::id()).unwrap_or(0) - harness_before;
    let server = server_pid.and_then(cpu_ticks).map(|t| t - server_before);
    let touchpoints = outcome.touchpoints();
    let faults: usize = outcome
        .traces
        .iter()
        .flat_map(|t| &t.steps)
        .flat_map(|s| &s.turns)
        .filter(|t| t.reply.is_err())
        .count();
    let reads: usize = outcome.traces.iter().map(|t| t.outbox_reads.len()).sum();
    println!("journeys        {n}");
    println!("touchpoints     {touchpoints} ({faults} faults), outbox reads {reads}");
    println!("wall            {wall:.2} s");
    println!(
        "throughput      {:.0} touchpoints/s",
        touchpoints as f64 / wall
    );
    println!("harness cpu     {:.2} s", ticks_secs(harness));
    if let Some(server) = server {
        println!("server cpu      {:.2} s", ticks_secs(server));
        let total = (harness + server).max(1) as f64;
        println!(
            "cpu split       harness {:.0}% / server {:.0}%",
            100.0 * harness as f64 / total,
            100.0 * server as f64 / total
        );
    }
    println!(
        "harness VmHWM   {} kB",
        vm_hwm(std::process::id()).unwrap_or(0)
    );
    if let Some(pid) = server_pid {
        println!("server VmHWM    {} kB", vm_hwm(pid).unwrap_or(0));
    }
    if let Some(child) = child.as_mut() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Re-run this binary as the server; it prints its URL on the first line of stdout.
fn spawn_server() -> Option<(String, Child)> {
    let exe = std::env::current_exe().ok()?;
    let mut child = Command::new(exe)
        .env("SEAM_BENCH_ROLE", "server")
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).ok()?;
    Some((line.trim().to_string(), child))
}

fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(") ")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn ticks_secs(ticks: u64) -> f64 {
    ticks as f64 / 100.0
}

fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn step(id: &str, channel: &str, intent: &str, at: &str, says: Value) -> Step {
    Step {
        id: id.into(),
        channel: channel.into(),
        intent: intent.into(),
        at: DateTime::parse_from_rfc3339(at).unwrap_or_else(|e| panic!("{e}")),
        says: match says {
            Value::Object(m) => m.into_iter().collect(),
            _ => Facts::new(),
        },
        refs: Default::default(),
        continues: None,
        subject: None,
        expect: Expect::default(),
        capture: Default::default(),
        group: None,
    }
}

/// Five contacts, six turns: an order with a promise, a call quoting it, a question that
/// takes two turns, two plain contacts.
fn journey(i: usize) -> Journey {
    let order = step(
        "order",
        "store",
        "order.create",
        "2026-12-20T11:00:00+01:00",
        json!({"sku": format!("978-{i}")}),
    );
    let mut call = step(
        "call",
        "phone",
        "order.status",
        "2026-12-23T10:00:00+01:00",
        json!({}),
    );
    call.refs
        .insert("order".into(), "${order.refs.order}".into());
    call.continues = Some("order".into());
    let ask = step(
        "ask",
        "chat",
        "account.help",
        "2026-12-23T11:00:00+01:00",
        json!({"topic": "card"}),
    );
    let web = step(
        "web",
        "web",
        "stock.check",
        "2026-12-23T12:00:00+01:00",
        json!({"sku": "1"}),
    );
    let app = step(
        "app",
        "app",
        "stock.check",
        "2026-12-23T12:30:00+01:00",
        json!({"sku": "1"}),
    );
    Journey {
        name: format!("bench-{i:05}"),
        file: "bench.yaml".into(),
        description: String::new(),
        tags: vec![],
        story: String::new(),
        customer: CustomerSpec {
            facts: [
                ("email".to_string(), json!("ana@example.com")),
                ("phone".to_string(), json!("+34600")),
            ]
            .into(),
            identifiers: [("phone".to_string(), vec!["phone".to_string()])].into(),
        },
        steps: vec![order, call, ask, web, app],
        consistent: vec![],
        max_repeated_questions: 0,
        severity: Default::default(),
        outbox: OutboxExpect::default(),
        max_turns: 4,
    }
}

// --- The stand-in server: per-journey state, JSON in and out, like a small retailer. ---

type Orders = Arc<Mutex<HashMap<String, Vec<String>>>>;

fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    runtime.block_on(async {
        let state: Orders = Arc::default();
        let app = Router::new()
            .route("/touchpoints", post(touchpoint))
            .route("/outbox", get(|| async { Json(json!([])) }))
            .route("/intents", get(|| async { Json(json!([])) }))
            .route("/journeys/{id}", delete(finish))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"));
        println!("http://{addr}");
        let _ = axum::serve(listener, app).await;
    });
}

async fn finish(State(state): State<Orders>, Path(id): Path<String>) -> axum::http::StatusCode {
    if let Ok(mut s) = state.lock() {
        s.remove(&id);
    }
    axum::http::StatusCode::NO_CONTENT
}

async fn touchpoint(State(state): State<Orders>, Json(tp): Json<Touchpoint>) -> Json<Value> {
    match tp.intent.as_str() {
        "order.create" => {
            let order = format!("S-{}", tp.turn);
            if let Ok(mut s) = state.lock() {
                s.entry(tp.journey.clone()).or_default().push(order.clone());
            }
            Json(
                json!({"status": "pending", "refs": {"order": order}, "agent": "clerk",
                "promises": [{"id": "p1", "what": "arrival_sms", "channel": "sms", "by": "2026-12-22T20:00:00+01:00"}]}),
            )
        }
        "account.help" if !tp.says.contains_key("email") => {
            Json(json!({"status": "needs_info", "asks": ["email"], "recognized": false}))
        }
        _ => Json(
            json!({"status": "done", "answer": {"in_stock": true, "price": 19.9}, "recognized": true}),
        ),
    }
}
