//! The engine against a scripted SUT: multi-turn, substitution, captures, promise reads,
//! catalogue subjects, determinism across `--jobs`.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use common::{journey, start_sut, step};
use seam::engine::events::{self, Event};
use seam::engine::trace::{StepEnd, Trace};
use seam::engine::{RunOptions, run, run_each};
use seam::scenario::model::Journey;
use seam::sut::{ClientConfig, ProtocolClient};

fn client(base: &str) -> Arc<ProtocolClient> {
    let config = ClientConfig {
        timeout: Duration::from_millis(500),
        ..ClientConfig::default()
    };
    Arc::new(ProtocolClient::new(base, config).expect("client"))
}

fn options(jobs: usize) -> RunOptions {
    RunOptions {
        jobs,
        run_id: "r-test".into(),
        deadline: None,
        ..RunOptions::default()
    }
}

fn store_then_phone(name: &str) -> Journey {
    let mut order = step(
        "order-in-store",
        "store",
        "order.create",
        "2026-12-20T11:00:00+01:00",
        json!({"sku": "978", "email": "${facts.email}"}),
    );
    order.capture.insert("order_no".into(), "refs.order".into());
    order.capture.insert("total".into(), "answer.total".into());
    let mut call = step(
        "call-store",
        "phone",
        "order.status",
        "2026-12-23T10:00:00+01:00",
        json!({"paid": "${total}", "note": "order ${order_no}"}),
    );
    call.refs
        .insert("order".into(), "${order-in-store.refs.order}".into());
    call.continues = Some("order-in-store".into());
    let ask = step("ask", "web", "ask", "2026-12-23T11:00:00+01:00", json!({}));
    journey(name, vec![order, call, ask])
}

#[tokio::test]
async fn a_journey_is_replayed_with_substitution_captures_turns_and_outbox_reads() {
    let (base, log) = start_sut(true).await;
    let outcome = run(
        Arc::new(vec![store_then_phone("bookstore")]),
        client(&base),
        &options(4),
        events::ignore(),
    )
    .await;
    let trace = &outcome.traces[0];
    assert_eq!(trace.journey_id, "r-test/bookstore");

    let order = trace.step("order-in-store").expect("order step");
    assert_eq!(order.end, StepEnd::Answered);
    assert_eq!(
        order.turns[0].request.says.get("email"),
        Some(&json!("ana@example.com"))
    );
    assert_eq!(order.subject, Some(vec!["sku".to_string()]));
    assert_eq!(order.turns[0].attempts, 1);
    let reply = order.final_reply().expect("reply");
    assert_eq!(reply.extra.get("mood"), Some(&json!("fine")));

    let call = trace.step("call-store").expect("call step");
    assert_eq!(call.quotes, vec!["order-in-store".to_string()]);
    assert_eq!(call.customer.get("phone"), Some(&json!("+34600000000")));
    assert_eq!(
        call.subject, None,
        "not in the catalogue, not in the scenario"
    );
    let request = &call.turns[0].request;
    assert_eq!(request.refs.get("order"), Some(&json!("S-978")));
    assert_eq!(
        request.says.get("paid"),
        Some(&json!(31.5)),
        "a whole reference keeps its type"
    );
    assert_eq!(request.says.get("note"), Some(&json!("order S-978")));

    let ask = trace.step("ask").expect("ask step");
    assert_eq!(ask.end, StepEnd::Answered);
    assert_eq!(ask.turns.len(), 2);
    assert_eq!(ask.turns[1].request.turn, 2);
    assert_eq!(ask.turns[1].request.answers, vec!["email".to_string()]);
    assert_eq!(
        ask.turns[1].request.says.get("email"),
        Some(&json!("ana@example.com"))
    );
    assert_eq!(ask.subject, Some(vec![]));

    // The promise deadline (21st 20:00) falls between the order and the call.
    let reads: Vec<(&str, &str)> = trace
        .outbox_reads
        .iter()
        .map(|r| (r.reason.as_str(), r.until.as_str()))
        .collect();
    assert_eq!(
        reads,
        vec![
            ("promise:p1", "2026-12-21T20:00:00+01:00"),
            ("journey-end", "2026-12-23T11:00:00+01:00"),
        ]
    );
    assert_eq!(trace.final_outbox().map(<[_]>::len), Some(1));

    let log = log.lock().expect("log");
    assert_eq!(
        log.outbox[0],
        (
            "r-test/bookstore".to_string(),
            "2026-12-21T20:00:00+01:00".to_string()
        )
    );
    assert_eq!(log.finished, vec!["r-test/bookstore".to_string()]);
    // Touchpoints in journey order: order, call, ask x2.
    let sent: Vec<(String, u32)> = log
        .touchpoints
        .iter()
        .map(|t| (t.step.clone(), t.turn))
        .collect();
    assert_eq!(
        sent,
        vec![
            ("order-in-store".to_string(), 1),
            ("call-store".to_string(), 1),
            ("ask".to_string(), 1),
            ("ask".to_string(), 2)
        ]
    );
}

#[tokio::test]
async fn the_journey_ends_at_the_last_promise_deadline_when_it_is_later() {
    let (base, _log) = start_sut(false).await;
    let order = step(
        "order",
        "store",
        "order.create",
        "2026-12-20T11:00:00+01:00",
        json!({"sku": "1"}),
    );
    let outcome = run(
        Arc::new(vec![journey("short", vec![order])]),
        client(&base),
        &options(1),
        events::ignore(),
    )
    .await;
    let trace = &outcome.traces[0];
    let reads: Vec<(&str, &str)> = trace
        .outbox_reads
        .iter()
        .map(|r| (r.reason.as_str(), r.until.as_str()))
        .collect();
    assert_eq!(
        reads,
        vec![
            ("promise:p1", "2026-12-21T20:00:00+01:00"),
            ("journey-end", "2026-12-21T20:00:00+01:00"),
        ]
    );
    // No catalogue served: the subject comes from the scenario (none here).
    assert_eq!(trace.steps[0].subject, None);
}

#[tokio::test]
async fn an_unresolvable_reference_skips_the_step_and_the_journey_goes_on() {
    let (base, _log) = start_sut(false).await;
    let mut quote = step(
        "quote",
        "phone",
        "order.status",
        "2026-12-20T11:00:00+01:00",
        json!({}),
    );
    quote
        .refs
        .insert("order".into(), "${never-ran.refs.order}".into());
    let after = step(
        "after",
        "web",
        "other",
        "2026-12-20T12:00:00+01:00",
        json!({}),
    );
    let outcome = run(
        Arc::new(vec![journey("skips", vec![quote, after])]),
        client(&base),
        &options(1),
        events::ignore(),
    )
    .await;
    let trace = &outcome.traces[0];
    assert!(
        matches!(&trace.steps[0].end, StepEnd::Skipped { reason } if reason.contains("never-ran"))
    );
    assert!(trace.steps[0].turns.is_empty());
    assert_eq!(trace.steps[1].end, StepEnd::Answered);
}

fn without_timings(mut traces: Vec<Trace>) -> Vec<Trace> {
    for t in &mut traces {
        t.elapsed_ms = 0;
        for s in &mut t.steps {
            for turn in &mut s.turns {
                turn.elapsed_ms = 0;
            }
        }
    }
    traces
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traces_come_back_in_journey_order_whatever_the_jobs() {
    let (base, _log) = start_sut(true).await;
    let journeys: Vec<Journey> = (0..40)
        .map(|i| store_then_phone(&format!("j{i:02}")))
        .collect();
    let journeys = Arc::new(journeys);
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink_events = Arc::clone(&events);
    // Events borrow from the journeys: kept here as their debug text.
    let sink: events::EventSink = Arc::new(move |e: &Event<'_>| {
        if let Ok(mut v) = sink_events.lock() {
            v.push(format!("{e:?}"));
        }
    });
    let one = run(
        Arc::clone(&journeys),
        client(&base),
        &options(1),
        events::ignore(),
    )
    .await;
    let many = run(Arc::clone(&journeys), client(&base), &options(16), sink).await;
    assert_eq!(
        without_timings(one.traces),
        without_timings(many.traces.clone())
    );
    assert_eq!(many.touchpoints(), 40 * 4);
    assert!(many.sut_answered());

    let events = events.lock().expect("events");
    assert_eq!(
        events.first().map(String::as_str),
        Some("RunStarted { journeys: 40, steps: 120 }")
    );
    assert!(
        events
            .last()
            .is_some_and(|e| e.starts_with("RunFinished { touchpoints: 160, ")),
        "{events:?}"
    );
    let finished = events
        .iter()
        .filter(|e| e.starts_with("JourneyFinished {"))
        .count();
    assert_eq!(finished, 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_each_hands_every_trace_over_once_as_run_keeps_them() {
    let (base, _log) = start_sut(true).await;
    let journeys: Vec<Journey> = (0..24)
        .map(|i| store_then_phone(&format!("j{i:02}")))
        .collect();
    let journeys = Arc::new(journeys);
    let kept = run(
        Arc::clone(&journeys),
        client(&base),
        &options(4),
        events::ignore(),
    )
    .await;
    let mut handed: Vec<Option<Trace>> = vec![None; journeys.len()];
    let mut times = vec![0; journeys.len()];
    let sut = client(&base);
    let summary = run_each(
        journeys.iter().cloned(),
        &*sut,
        &options(8),
        &|_| {},
        |index, journey, trace| {
            assert_eq!(journey.name, *trace.journey);
            times[index] += 1;
            handed[index] = Some(trace);
        },
    )
    .await;
    assert!(times.iter().all(|&n| n == 1), "{times:?}");
    let handed: Vec<Trace> = handed.into_iter().flatten().collect();
    assert_eq!(
        without_timings(handed),
        without_timings(kept.traces.clone())
    );
    assert_eq!(summary.touchpoints, kept.touchpoints());
    assert_eq!(summary.touchpoints, 24 * 4);
    assert!(summary.sut_answered);
    assert_eq!(summary.catalogue, kept.catalogue);
}

#[tokio::test]
async fn duplicate_journey_names_get_distinct_ids() {
    let (base, _log) = start_sut(false).await;
    let a = journey(
        "same",
        vec![step(
            "s",
            "web",
            "x",
            "2026-12-20T11:00:00+01:00",
            json!({}),
        )],
    );
    let outcome = run(
        Arc::new(vec![a.clone(), a]),
        client(&base),
        &options(2),
        events::ignore(),
    )
    .await;
    assert_eq!(outcome.traces[0].journey_id, "r-test/same");
    assert_eq!(outcome.traces[1].journey_id, "r-test/same~2");
}
