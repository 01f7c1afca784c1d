//! Unit tests of the `expectation` rule on hand-built traces.

use super::*;
use crate::engine::trace::Trace;
use crate::protocol::Redirect;
use crate::rules::testkit::*;
use crate::scenario::model::{Comparison, Journey, Matcher};
use crate::scenario::model::{OneOrMany, PromiseExpect};
use chrono::TimeDelta;
use serde_json::json;

fn detect(j: &Journey, t: &Trace) -> Vec<Finding> {
    check(&[&Expectation], j, t)
}

fn rules(found: &[Finding]) -> Vec<&str> {
    found.iter().map(|f| &*f.rule).collect()
}

fn one_step(r: Reply) -> (Journey, Trace) {
    let mut s = step("s1", "c1", 1);
    s.turns[0].reply = Ok(r);
    let t = trace(vec![s]);
    (journey(&t), t)
}

#[test]
fn met_expectations_give_nothing() {
    let mut r = reply(Status::Done);
    r.answer.insert("f".into(), json!(3));
    r.refs.insert("r".into(), json!("R-1"));
    r.recognized = Some(true);
    let (mut j, t) = one_step(r);
    j.steps[0].expect = Expect {
        status: Some(OneOrMany::Many(vec!["pending".into(), "done".into()])),
        answer: [
            ("f".to_string(), Matcher::Equals(json!(3.0))),
            (
                "f2".to_string(),
                Matcher::Compare(Comparison {
                    exists: Some(false),
                    ..Default::default()
                }),
            ),
        ]
        .into(),
        not_asked: vec!["k1".into()],
        recognized: Some(true),
        redirected: Some(false),
        refs: vec!["r".into()],
        promises: None,
    };
    assert!(detect(&j, &t).is_empty());
}

#[test]
fn every_violated_assertion_is_one_finding() {
    let mut r = reply(Status::Refused);
    r.answer.insert("f".into(), json!(5));
    r.asks = vec!["k1".into()];
    r.redirect = Some(Redirect {
        channel: "c2".into(),
        reason: String::new(),
        refs: Default::default(),
    });
    let (mut j, t) = one_step(r);
    j.steps[0].expect = Expect {
        status: Some(OneOrMany::One("done".into())),
        answer: [(
            "f".to_string(),
            Matcher::Compare(Comparison {
                lt: Some(3.0),
                one_of: Some(vec![json!(1), json!(2)]),
                ..Default::default()
            }),
        )]
        .into(),
        not_asked: vec!["k1".into()],
        recognized: Some(true),
        redirected: Some(false),
        refs: vec!["r".into()],
        promises: Some(PromiseExpect {
            made: vec!["w".into()],
            kept: true,
            within: None,
            matches: vec![],
        }),
    };
    let found = detect(&j, &t);
    assert_eq!(
        rules(&found),
        vec![
            "status",
            "answer.f",
            "not-asked",
            "recognized",
            "redirected",
            "refs",
            "promises.made"
        ]
    );
    assert_eq!(
        found[1].message,
        "step `s1` (c1): `f` is 5, expected lt 3 and in [1,2]"
    );
    assert_eq!(
        found[3].message,
        "step `s1` (c1): recognized is not stated, expected true"
    );
}

#[test]
fn promises_kept_and_within() {
    let mut r = reply(Status::Pending);
    r.promises = vec![promise("p1", 5), promise("p2", 30)];
    let (mut j, mut t) = one_step(r);
    t.outbox_reads = vec![outbox_read(30, vec![message("c3", 4, Some("p1"))])];
    j.steps[0].expect.promises = Some(PromiseExpect {
        made: vec!["w-p1".into()],
        kept: true,
        within: Some("1d".into()),
        matches: vec![],
    });
    let found = detect(&j, &t);
    assert_eq!(rules(&found), vec!["promises.kept", "promises.within"]);
    assert_eq!(found[0].subject.as_deref(), Some("w-p2"));
    assert!(found[1].message.contains("due 29h after the contact"));
}

#[test]
fn the_message_keeping_a_promise_must_repeat_the_matched_fields() {
    let mut r = reply(Status::Done);
    r.answer.insert("total".into(), json!(10.5));
    r.promises = vec![promise("p1", 5)];
    let (mut j, mut t) = one_step(r);
    let mut kept = message("c3", 4, Some("p1"));
    kept.answer.insert("total".into(), json!(10.5));
    t.outbox_reads = vec![outbox_read(9, vec![kept.clone()])];
    j.steps[0].expect.promises = Some(PromiseExpect {
        made: vec![],
        kept: true,
        within: None,
        matches: vec!["total".into()],
    });
    assert!(detect(&j, &t).is_empty());
    kept.answer.insert("total".into(), json!(12));
    t.outbox_reads = vec![outbox_read(9, vec![kept])];
    let found = detect(&j, &t);
    assert_eq!(rules(&found), vec!["promises.matches"]);
    assert!(
        found[0]
            .message
            .contains("says `total` 12, the reply said 10.5")
    );
}

#[test]
fn outbox_expectations_use_the_final_read() {
    let (mut j, mut t) = one_step(reply(Status::Done));
    let mut promo = message("c3", 2, None);
    promo.answer.insert("topic".into(), json!("t1"));
    t.outbox_reads = vec![outbox_read(
        9,
        vec![
            promo.clone(),
            promo,
            message("c3", 3, None),
            message("c3", 3, Some("p")),
        ],
    )];
    j.outbox.max_unsolicited = Some(1);
    j.outbox.irrelevant_topics = vec!["t1".into(), "t2".into()];
    let found = detect(&j, &t);
    assert_eq!(
        rules(&found),
        vec!["outbox.max-unsolicited", "outbox.irrelevant-topics"]
    );
    assert_eq!(found[0].evidence.len(), 3);
    assert_eq!(
        (&*found[0].step, strs(&found[0].channels)),
        ("journey", vec!["c3"])
    );
    assert_eq!(found[1].evidence.len(), 2);
}

#[test]
fn durations_show_compactly() {
    assert_eq!(show(TimeDelta::hours(48)), "48h");
    assert_eq!(show(TimeDelta::minutes(90)), "1h30m");
    assert_eq!(show(TimeDelta::hours(49)), "49h");
    assert_eq!(show(TimeDelta::zero()), "0m");
}

#[test]
fn contains_and_exists_matchers() {
    let c = |c: Comparison| Matcher::Compare(c);
    let has = |v: Value| Comparison {
        contains: Some(v),
        ..Default::default()
    };
    assert!(matches(&c(has(json!("b"))), Some(&json!(["a", "b"]))).is_ok());
    assert!(matches(&c(has(json!("ll"))), Some(&json!("hello"))).is_ok());
    assert!(matches(&c(has(json!("z"))), Some(&json!("hello"))).is_err());
    let exists = Comparison {
        exists: Some(true),
        ..Default::default()
    };
    assert_eq!(
        matches(&c(exists), None),
        Err("is absent, expected exists".into())
    );
}
