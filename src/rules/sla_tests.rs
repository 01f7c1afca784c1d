//! Unit tests of the `sla` rules on hand-built traces: channel `c1` has a 24 h target.

use super::*;
use crate::catalogue::Catalogue;
use crate::engine::trace::{OutboxRead, StepTrace, SutFault, Trace};
use crate::protocol::Status;
use crate::protocol::{Promise, Redirect};
use crate::rules::Knowledge;
use crate::rules::replies::written_reply;
use crate::rules::testkit::*;
use serde_json::json;

fn know() -> Knowledge {
    let catalogue: Catalogue = serde_json::from_value(json!({
        "intents": [],
        "outbox": {"about": "topic", "surveys": ["survey"]}
    }))
    .expect("catalogue");
    let mut know = Knowledge::of(Some(catalogue));
    know.sla.insert("c1".into(), TimeDelta::hours(24));
    know
}

fn conversation(t: &Trace) -> Conversation {
    crate::conversation::inferred(t.clone())
}

fn detect(t: &Trace) -> Vec<Finding> {
    let know = know();
    let cx = Check {
        expect: None,
        know: &know,
    };
    let mut out = Vec::new();
    Sla.check(&conversation(t), &cx, &mut out);
    out
}

/// A contact on `channel` at `hour` left pending, promising `promises` (`what` w-<id>,
/// due on the contact's channel a day later).
fn pending(id: &str, channel: &str, hour: u32, promises: &[&str]) -> StepTrace {
    let mut s = step(id, channel, hour);
    let r = reply_mut(&mut s, 0);
    r.status = Status::Pending;
    r.reply = "we will write to you".into();
    r.promises = promises
        .iter()
        .map(|p| Promise {
            channel: channel.into(),
            ..promise(p, hour + 24)
        })
        .collect();
    s
}

fn with_topic(mut m: OutboxMessage, topic: &str) -> OutboxMessage {
    m.answer.insert("topic".into(), json!(topic));
    m
}

fn rules(found: &[Finding]) -> Vec<(&str, &str, Option<&str>)> {
    found
        .iter()
        .map(|f| (&*f.step, &*f.rule, f.subject.as_deref()))
        .collect()
}

#[test]
fn a_reply_that_keeps_the_promise_after_the_target_is_late() {
    let mut t = trace(vec![pending("s1", "c1", 1, &["p1"])]);
    t.outbox_reads = vec![outbox_read(99, vec![message("c1", 49, Some("p1"))])];
    let found = detect(&t);
    assert_eq!(rules(&found), [("s1", "late", Some("w-p1"))]);
    let f = &found[0];
    assert_eq!(f.kind, Kind::Sla);
    assert_eq!(
        f.message,
        "step `s1` (c1) got its written reply after 48 h, at 2026-01-03T01:00:00+00:00: \
         the c1 target is 24 h"
    );
    assert_eq!(f.evidence[0].quote, r#"pending "we will write to you""#);
    assert_eq!(f.evidence[1].what, "outbox, late reply");
    assert_eq!(&*f.evidence[1].step, "outbox");
}

#[test]
fn a_reply_within_the_target_or_exactly_at_it_is_fine() {
    for hour in [7, 25] {
        let mut t = trace(vec![pending("s1", "c1", 1, &["p1"])]);
        t.outbox_reads = vec![outbox_read(99, vec![message("c1", hour, Some("p1"))])];
        assert!(detect(&t).is_empty(), "reply at {hour}");
    }
}

#[test]
fn no_reply_when_a_read_covers_the_target_else_nothing_to_tell() {
    let mut t = trace(vec![pending("s1", "c1", 1, &["p1"])]);
    t.outbox_reads = vec![outbox_read(30, vec![])];
    let found = detect(&t);
    assert_eq!(rules(&found), [("s1", "no-reply", Some("w-p1"))]);
    assert_eq!(
        found[0].message,
        "step `s1` (c1) got no written reply in 29 h (none by 2026-01-02T01:00:00+00:00): \
         the c1 target is 24 h"
    );
    assert_eq!(
        found[0].evidence[1].quote,
        "nothing by 2026-01-02T01:00:00+00:00"
    );
    t.outbox_reads = vec![
        outbox_read(20, vec![]),
        OutboxRead {
            until: at(30),
            reason: "journey-end".into(),
            messages: Err(SutFault::Timeout { after_ms: 1 }),
        },
    ];
    assert!(detect(&t).is_empty());
    t.outbox_reads.clear();
    assert!(detect(&t).is_empty());
}

#[test]
fn a_message_fulfilling_nothing_answers_the_latest_pending_contact_on_its_channel() {
    // The e-mail nobody answers, then the one answered two days later ("phone us").
    let mut t = trace(vec![
        pending("s1", "c1", 1, &["p1"]),
        pending("s2", "c1", 49, &["p2"]),
    ]);
    let mut phone_us = message("c1", 97, None);
    phone_us.redirect = Some(Redirect {
        channel: "c2".into(),
        reason: "phone us".into(),
        refs: Default::default(),
    });
    t.outbox_reads = vec![outbox_read(200, vec![phone_us])];
    assert_eq!(
        rules(&detect(&t)),
        [
            ("s1", "no-reply", Some("w-p1")),
            ("s2", "late", Some("w-p2"))
        ]
    );
    let conv = conversation(&t);
    assert!(written_reply(&conv, &know(), 0).is_none());
    assert_eq!(
        written_reply(&conv, &know(), 1).map(|m| m.at.as_str()),
        Some("2026-01-05T01:00:00+00:00")
    );
}

#[test]
fn surveys_promotions_other_channels_earlier_messages_and_other_promises_answer_nothing() {
    let mut t = trace(vec![
        pending("s1", "c1", 1, &["p1"]),
        pending("s2", "c2", 1, &["p2"]),
    ]);
    t.outbox_reads = vec![outbox_read(
        99,
        vec![
            message("c1", 0, None),
            with_topic(message("c1", 2, None), "survey"),
            with_topic(message("c1", 3, None), "garden"),
            message("c2", 4, None),
            message("c1", 5, Some("p2")),
        ],
    )];
    assert_eq!(rules(&detect(&t)), [("s1", "no-reply", Some("w-p1"))]);
    // A message about a topic that keeps the promise is the reply.
    t.outbox_reads[0]
        .messages
        .as_mut()
        .expect("read")
        .push(with_topic(message("c1", 6, Some("p1")), "garden"));
    assert!(detect(&t).is_empty());
}

#[test]
fn contacts_answered_in_place_or_without_a_target_wait_for_nothing() {
    let mut done = pending("s1", "c1", 1, &["p1"]);
    reply_mut(&mut done, 0).status = Status::Done;
    let mut waiting = pending("s2", "c1", 2, &[]);
    add_turn(&mut waiting, reply(Status::Refused));
    let untargeted = pending("s3", "c2", 3, &[]);
    let mut t = trace(vec![done, waiting, untargeted]);
    t.outbox_reads = vec![outbox_read(99, vec![])];
    assert!(detect(&t).is_empty());
}

#[test]
fn the_subject_is_the_first_promise_on_the_contact_channel() {
    let mut s1 = pending("s1", "c1", 1, &["p1", "p2"]);
    reply_mut(&mut s1, 0).promises[0].channel = "c3".into();
    let mut t = trace(vec![s1]);
    t.outbox_reads = vec![outbox_read(99, vec![])];
    assert_eq!(rules(&detect(&t)), [("s1", "no-reply", Some("w-p2"))]);
    let mut t = trace(vec![pending("s1", "c1", 1, &[])]);
    t.outbox_reads = vec![outbox_read(99, vec![])];
    assert_eq!(rules(&detect(&t)), [("s1", "no-reply", None)]);
}

#[test]
fn malformed_times_are_skipped() {
    let mut s1 = pending("s1", "c1", 1, &[]);
    s1.at = "yesterday".into();
    let mut t = trace(vec![s1, pending("s2", "c1", 2, &[])]);
    let mut bad = message("c1", 40, None);
    bad.at = "soon".into();
    t.outbox_reads = vec![
        outbox_read(99, vec![bad]),
        OutboxRead {
            until: "later".into(),
            reason: "journey-end".into(),
            messages: Ok(vec![]),
        },
    ];
    assert_eq!(rules(&detect(&t)), [("s2", "no-reply", None)]);
}

#[test]
fn durations_read_as_hours_minutes_and_seconds() {
    assert_eq!(duration(TimeDelta::hours(48)), "48 h");
    assert_eq!(duration(TimeDelta::minutes(90)), "1 h 30 min");
    assert_eq!(duration(TimeDelta::seconds(45)), "45 s");
    assert_eq!(duration(TimeDelta::zero()), "0 s");
}
