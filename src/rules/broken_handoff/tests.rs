//! Unit tests of the `broken-handoff` rules on hand-built traces.

use super::*;
use crate::engine::trace::Trace;
use crate::protocol::{Redirect, Status};
use crate::rules::testkit::*;
use crate::scenario::model::Journey;
use serde_json::json;

/// Every rule of the kind on the conversation of `t`.
fn detect(j: &Journey, t: &Trace) -> Vec<Finding> {
    let all = rules();
    let all: Vec<&dyn Rule> = all.iter().map(|r| &**r).collect();
    check(&all, j, t)
}

fn rule_names(found: &[Finding]) -> Vec<&str> {
    found.iter().map(|f| &*f.rule).collect()
}

fn handoff_pair(second: Reply) -> Trace {
    let mut s1 = step("s1", "c1", 1);
    let r1 = reply_mut(&mut s1, 0);
    r1.refs.insert("r".into(), json!("R-1"));
    r1.recognized = Some(true);
    r1.answer.insert("f".into(), json!(true));
    let mut s2 = step("s2", "c2", 2);
    s2.continues = Some("s1".into());
    s2.turns[0].request.refs.insert("r".into(), json!("R-1"));
    s2.turns[0].reply = Ok(second);
    trace(vec![s1, s2])
}

#[test]
fn unknown_reference_on_a_handoff() {
    let mut r = reply(Status::UnknownReference);
    r.redirect = Some(Redirect {
        channel: "c3".into(),
        reason: "elsewhere".into(),
        refs: Default::default(),
    });
    let t = handoff_pair(r);
    let found = detect(&journey(&t), &t);
    assert_eq!(
        rule_names(&found),
        vec!["unknown-reference", "redirect-drops-case"]
    );
    assert_eq!(strs(&found[0].steps), ["s1", "s2"]);
    assert_eq!(strs(&found[0].channels), ["c1", "c2"]);
    assert_eq!(found[0].evidence[1].quote, r#"{"r":"R-1"}"#);
}

#[test]
fn unknown_reference_outside_a_handoff_is_not_a_broken_handoff() {
    let mut t = handoff_pair(reply(Status::UnknownReference));
    t.steps[1].continues = None;
    assert!(detect(&journey(&t), &t).is_empty());
}

#[test]
fn clean_handoff_gives_nothing() {
    let mut r = reply(Status::Done);
    r.recognized = Some(true);
    r.answer.insert("f".into(), json!(true));
    r.answer.insert("g".into(), json!(1));
    r.refs.insert("r".into(), json!("R-1"));
    let t = handoff_pair(r);
    assert!(detect(&journey(&t), &t).is_empty());
}

#[test]
fn a_case_reference_gone_refused_or_changed_is_state_lost() {
    let t = handoff_pair(reply(Status::Done));
    let found = detect(&journey(&t), &t);
    assert!(rule_names(&found).contains(&"state-lost"), "{found:#?}");
    let lost = found
        .iter()
        .find(|f| f.rule == "state-lost")
        .expect("state-lost");
    assert_eq!(lost.subject.as_deref(), Some("refs.r"));
    assert!(lost.message.ends_with("`refs.r` was \"R-1\" and is gone"));
    let t = handoff_pair(reply(Status::Refused));
    let found = detect(&journey(&t), &t);
    assert_eq!(rule_names(&found), vec!["state-lost"]);
    assert!(
        found[0]
            .message
            .ends_with("`refs.r` was \"R-1\" and the SUT refused to show it"),
        "a reference refused (a 403) is not gone: {}",
        found[0].message
    );
    let mut r = reply(Status::Done);
    r.refs.insert("r".into(), json!("R-2"));
    let t = handoff_pair(r);
    assert!(
        detect(&journey(&t), &t)[0]
            .message
            .ends_with("is now \"R-2\"")
    );
}

#[test]
fn stranger_asked_for_the_reference_with_state_lost() {
    let mut first = reply(Status::NeedsInfo);
    first.asks = vec!["r".into()];
    let mut last = reply(Status::Done);
    last.recognized = Some(false);
    last.answer.insert("f".into(), json!(false));
    last.refs.insert("r".into(), json!("R-1"));
    let mut t = handoff_pair(first);
    add_turn(&mut t.steps[1], last);
    let found = detect(&journey(&t), &t);
    assert_eq!(
        rule_names(&found),
        vec!["not-recognised", "reference-asked-again", "state-lost"]
    );
    assert_eq!(found[2].subject.as_deref(), Some("f"));
    assert_eq!(
        found[2].message,
        "step `s2` (c2) continuing `s1` (c1): `f` was true and is now false"
    );
}

#[test]
fn a_late_message_keeping_a_promise_that_drops_the_case_is_only_a_redirect() {
    let mut s1 = step("s1", "c1", 1);
    reply_mut(&mut s1, 0).promises = vec![promise("p1", 5), promise("p2", 5)];
    let mut t = trace(vec![s1]);
    let mut late = message("c3", 6, Some("p2"));
    late.redirect = Some(Redirect {
        channel: "c4".into(),
        reason: String::new(),
        refs: Default::default(),
    });
    t.outbox_reads = vec![outbox_read(5, vec![]), outbox_read(9, vec![late])];
    let found = detect(&journey(&t), &t);
    // Promises not kept are `follow-up/not-kept`, no longer a broken handoff.
    assert_eq!(rule_names(&found), vec!["redirect-drops-case"]);
    assert_eq!(found[0].subject.as_deref(), Some("w-p2"));
}
