//! Unit tests of `deflection/sent-elsewhere` on hand-built traces.

use serde_json::json;

use super::*;
use crate::engine::trace::Trace;
use crate::protocol::Reply;
use crate::rules::Knowledge;
use crate::rules::testkit::*;

/// Knowledge of a catalogue where intent `x.y` is served on `channels`.
fn serving(channels: &[&str]) -> Knowledge {
    let catalogue = serde_json::from_value(json!({
        "intents": [{"intent": "x.y", "channels": channels}]
    }))
    .expect("catalogue");
    Knowledge::of(Some(catalogue))
}

fn run(t: &Trace, know: &Knowledge) -> Vec<Finding> {
    let conv = crate::conversation::scripted(t.clone(), &journey(t));
    let mut out = Vec::new();
    SentElsewhere.check(&conv, &Check { expect: None, know }, &mut out);
    out
}

fn to(channel: &str, refs: &[(&str, &str)]) -> Redirect {
    Redirect {
        channel: channel.into(),
        reason: "go there".into(),
        refs: refs.iter().map(|(k, v)| ((*k).into(), json!(v))).collect(),
    }
}

fn redirected(d: Redirect) -> Reply {
    let mut r = reply(Status::Redirected);
    r.reply = "Call us.".into();
    r.redirect = Some(d);
    r
}

/// A contact on `c1` sent to `c2`, then a contact on `c2` answered with `next`.
fn sent_then(d: Redirect, next: Reply) -> Trace {
    let mut s1 = step("s1", "c1", 1);
    s1.turns[0].reply = Ok(redirected(d));
    let mut s2 = step("s2", "c2", 2);
    s2.turns[0].reply = Ok(next);
    trace(vec![s1, s2])
}

fn known_and_done() -> Reply {
    let mut r = reply(Status::Done);
    r.recognized = Some(true);
    r
}

#[test]
fn a_channel_that_serves_the_intent_sending_the_customer_away_deflects() {
    let t = sent_then(to("c2", &[]), known_and_done());
    let found = run(&t, &serving(&["c1", "c2"]));
    assert_eq!(found.len(), 1);
    let f = &found[0];
    assert_eq!(
        (f.kind, &*f.rule, &*f.step),
        (Kind::Deflection, "sent-elsewhere", "s1")
    );
    assert_eq!(f.subject, None);
    assert_eq!(
        f.message,
        "step `s1` (c1) sends the customer to c2 instead of serving them: \
         the catalogue says c1 serves x.y"
    );
    assert_eq!(
        f.evidence[0].quote,
        r#"redirected "Call us." redirect to c2 with refs {}"#
    );
    assert_eq!(strs(&f.channels), ["c1"]);
}

#[test]
fn without_a_catalogue_it_is_still_a_deflection_and_says_so() {
    let t = sent_then(to("c2", &[]), known_and_done());
    let found = run(&t, &Knowledge::default());
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .message
            .ends_with("the catalogue does not say whether c1 serves x.y")
    );
}

#[test]
fn a_channel_that_does_not_serve_the_intent_redirects_rightly() {
    let t = sent_then(to("c2", &[]), known_and_done());
    assert!(run(&t, &serving(&["c2"])).is_empty());
}

#[test]
fn a_transfer_on_the_same_channel_is_no_deflection() {
    let mut s1 = step("s1", "c1", 1);
    s1.turns[0].reply = Ok(redirected(to("c1", &[])));
    assert!(run(&trace(vec![s1]), &serving(&["c1"])).is_empty());
}

#[test]
fn a_warm_transfer_carries_the_case_to_a_contact_that_knows_and_serves_the_customer() {
    let know = serving(&["c1", "c2"]);
    let warm = sent_then(to("c2", &[("case", "C-1")]), known_and_done());
    assert!(run(&warm, &know).is_empty());
    // Without the case, or to a contact that does not know or serve the customer, the
    // same redirect deflects.
    let cold = sent_then(to("c2", &[]), known_and_done());
    assert_eq!(run(&cold, &know).len(), 1);
    let mut stranger = known_and_done();
    stranger.recognized = Some(false);
    let t = sent_then(to("c2", &[("case", "C-1")]), stranger);
    assert_eq!(run(&t, &know).len(), 1);
    let mut pending = known_and_done();
    pending.status = Status::Pending;
    let t = sent_then(to("c2", &[("case", "C-1")]), pending);
    assert_eq!(run(&t, &know).len(), 1);
    // No later contact on the target channel at all.
    let mut t = sent_then(to("c3", &[("case", "C-1")]), known_and_done());
    t.steps.truncate(1);
    assert_eq!(run(&t, &know).len(), 1);
}

#[test]
fn a_written_reply_that_sends_the_customer_elsewhere_deflects() {
    let mut s1 = step("s1", "c1", 1);
    s1.turns[0].reply = Ok(reply(Status::Pending));
    let mut m = message("c1", 30, None);
    m.text = "Please phone us.".into();
    m.redirect = Some(to("c2", &[]));
    let mut t = trace(vec![s1]);
    t.outbox_reads = vec![outbox_read(40, vec![m])];
    let found = run(&t, &serving(&["c1"]));
    assert_eq!(found.len(), 1);
    let f = &found[0];
    assert_eq!(&*f.step, "s1");
    assert!(f.message.starts_with(
        "the written reply (c1, 2026-01-02T06:00:00+00:00) to step `s1` (c1) sends the \
         customer to c2"
    ));
    assert_eq!(f.evidence[0].quote, "pending");
    assert_eq!(&*f.evidence[1].step, "outbox");
    assert_eq!(
        f.evidence[1].quote,
        r#""Please phone us." redirect to c2 with refs {}"#
    );
    // The same message answering a contact served in place is nobody's written reply.
    t.steps[0].turns[0].reply = Ok(reply(Status::Done));
    assert!(run(&t, &serving(&["c1"])).is_empty());
}
