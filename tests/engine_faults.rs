//! The engine against a misbehaving SUT: every fault is recorded in the trace and the run
//! goes on (turn limit, stuck customer, 500, 4xx, garbage, timeout, refused connection);
//! the deadline starts nothing more and abandons what is in flight.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use common::{journey, refused_url, start_sut, step};
use seam::engine::Cut;
use seam::engine::events;
use seam::engine::trace::{StepEnd, SutFault};
use seam::engine::{RunOptions, run};
use seam::scenario::model::Journey;
use seam::sut::{ClientConfig, ProtocolClient};

const AT: &str = "2026-12-20T11:00:00+01:00";

fn client(base: &str) -> Arc<ProtocolClient> {
    let config = ClientConfig {
        timeout: Duration::from_millis(300),
        attempts: 3,
        backoff: Duration::from_millis(10),
        pool: 4,
        ..ClientConfig::default()
    };
    Arc::new(ProtocolClient::new(base, config).expect("client"))
}

fn options() -> RunOptions {
    RunOptions {
        jobs: 2,
        run_id: "r-faults".into(),
        deadline: None,
        ..RunOptions::default()
    }
}

async fn replay(base: &str, journeys: Vec<Journey>) -> seam::engine::runner::RunOutcome {
    run(
        Arc::new(journeys),
        client(base),
        &options(),
        events::ignore(),
    )
    .await
}

#[tokio::test]
async fn a_sut_that_asks_forever_stops_at_the_turn_limit() {
    let (base, _log) = start_sut(false).await;
    let mut j = journey(
        "forever",
        vec![step("s", "chat", "ask-forever", AT, json!({}))],
    );
    j.max_turns = 4;
    let outcome = replay(&base, vec![j]).await;
    let s = &outcome.traces[0].steps[0];
    assert_eq!(s.end, StepEnd::TurnLimit { turns: 4 });
    assert_eq!(s.turns.len(), 4);
    let turns: Vec<u32> = s.turns.iter().map(|t| t.request.turn).collect();
    assert_eq!(turns, vec![1, 2, 3, 4]);
}

#[tokio::test]
async fn a_customer_asked_only_for_what_they_lack_gets_stuck() {
    let (base, _log) = start_sut(false).await;
    let j = journey(
        "stuck",
        vec![step("s", "phone", "ask-unknown", AT, json!({}))],
    );
    let outcome = replay(&base, vec![j]).await;
    let s = &outcome.traces[0].steps[0];
    assert_eq!(s.end, StepEnd::Stuck);
    assert_eq!(s.turns.len(), 2);
    assert_eq!(s.turns[1].request.declines, vec!["tax_id".to_string()]);
    assert!(s.turns[1].request.answers.is_empty());
}

#[tokio::test]
async fn every_kind_of_fault_is_recorded_and_the_run_goes_on() {
    let (base, _log) = start_sut(false).await;
    let steps = vec![
        step("boom", "web", "boom", AT, json!({})),
        step("reject", "web", "reject", AT, json!({})),
        step("garbage", "web", "garbage", AT, json!({})),
        step("moved", "web", "moved", AT, json!({})),
        step("slow", "web", "slow", AT, json!({})),
        step("fine", "web", "fine", AT, json!({})),
    ];
    let outcome = replay(&base, vec![journey("faults", steps)]).await;
    let trace = &outcome.traces[0];
    let fault = |id: &str| {
        let s = trace.step(id).expect("step");
        assert_eq!(s.end, StepEnd::Fault, "{id}");
        s.turns[0].reply.clone().expect_err("a fault")
    };
    assert_eq!(
        fault("boom"),
        SutFault::HttpStatus {
            code: 500,
            body: "internal error".into()
        }
    );
    assert_eq!(
        fault("reject"),
        SutFault::Rejected {
            code: 422,
            error: "bad step".into()
        }
    );
    assert!(
        matches!(fault("garbage"), SutFault::Garbage { body, .. } if body == "<html>not json</html>")
    );
    assert_eq!(
        fault("moved"),
        SutFault::HttpStatus {
            code: 302,
            body: "moved".into()
        },
        "a redirect is the SUT's answer, not followed"
    );
    assert_eq!(fault("slow"), SutFault::Timeout { after_ms: 300 });
    assert_eq!(
        trace.step("slow").map(|s| s.turns[0].attempts),
        Some(1),
        "no retry on timeout"
    );
    assert_eq!(
        trace.step("fine").map(|s| s.end.clone()),
        Some(StepEnd::Answered)
    );
    assert!(outcome.sut_answered());
    assert!(trace.outbox_reads.iter().all(|r| r.messages.is_ok()));
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_recorded() {
    let base = refused_url().await;
    let j = journey(
        "refused",
        vec![
            step("a", "web", "x", AT, json!({})),
            step("b", "web", "x", "2026-12-20T12:00:00+01:00", json!({})),
        ],
    );
    let started = Instant::now();
    let outcome = replay(&base, vec![j]).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    let trace = &outcome.traces[0];
    for s in &trace.steps {
        assert_eq!(s.end, StepEnd::Fault);
        assert_eq!(s.turns[0].attempts, 3);
        assert!(matches!(
            &s.turns[0].reply,
            Err(SutFault::Connection { .. })
        ));
    }
    assert_eq!(trace.outbox_reads.len(), 1);
    assert!(trace.outbox_reads[0].messages.is_err());
    assert!(!outcome.sut_answered());
    assert_eq!(outcome.catalogue, None);
}

#[tokio::test]
async fn after_the_deadline_no_journey_starts() {
    let (base, log) = start_sut(false).await;
    let j = journey("late", vec![step("a", "web", "x", AT, json!({}))]);
    let options = RunOptions {
        deadline: Some(Duration::ZERO),
        ..options()
    };
    let outcome = run(Arc::new(vec![j]), client(&base), &options, events::ignore()).await;
    assert!(outcome.traces.is_empty(), "{:?}", outcome.traces);
    let log = log.lock().expect("log");
    assert!(log.touchpoints.is_empty() && log.outbox.is_empty());
}

#[tokio::test]
async fn the_deadline_abandons_what_is_in_flight_and_sends_nothing_more() {
    let (base, log) = start_sut(false).await;
    let j = journey(
        "cut",
        vec![
            step("a", "web", "fine", AT, json!({})),
            step("b", "web", "slow", AT, json!({})),
            step("c", "web", "fine", AT, json!({})),
        ],
    );
    let config = ClientConfig {
        timeout: Duration::from_secs(10),
        ..ClientConfig::default()
    };
    let client = Arc::new(ProtocolClient::new(&base, config).expect("client"));
    let options = RunOptions {
        deadline: Some(Duration::from_millis(700)),
        ..options()
    };
    let started = Instant::now();
    let outcome = run(Arc::new(vec![j]), client, &options, events::ignore()).await;
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "the slow reply (3 s) is not waited for: {:?}",
        started.elapsed()
    );
    let trace = &outcome.traces[0];
    assert_eq!(trace.steps[0].end, StepEnd::Answered);
    assert!(matches!(
        &trace.steps[1].end,
        StepEnd::Abandoned { cut: Cut::Deadline, turn: 1, request: Some(r) } if r.intent == "slow"
    ));
    assert!(trace.steps[1].turns.is_empty(), "no fault recorded");
    assert_eq!(trace.steps[2].end, StepEnd::NotSent { cut: Cut::Deadline });
    assert!(trace.outbox_reads.is_empty());
    let log = log.lock().expect("log");
    let sent: Vec<&str> = log.touchpoints.iter().map(|t| t.intent.as_str()).collect();
    assert_eq!(sent, ["fine", "slow"]);
    assert!(
        log.finished.is_empty(),
        "the journey is not finished on the SUT"
    );
}
