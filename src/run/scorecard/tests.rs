//! Every measure on hand-built conversations (`rules::testkit`).

use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::engine::trace::{StepTrace, Trace};
use crate::protocol::{Redirect, Status};
use crate::rules::finding::{Corroboration, Fingerprint, Kind};
use crate::rules::testkit::*;

fn conv(t: &Trace) -> Conversation {
    crate::conversation::scripted(t.clone(), &journey(t))
}

fn score(t: &Trace, findings: &[Finding], know: &Knowledge) -> Scorecard {
    let mut s = Scores::default();
    s.journey(&conv(t), findings, know);
    s.scorecard()
}

fn status(mut s: StepTrace, st: Status) -> StepTrace {
    s.turns[0].reply = Ok(reply(st));
    s
}

fn continues(mut s: StepTrace, earlier: &str) -> StepTrace {
    s.continues = Some(earlier.into());
    s
}

fn finding(t: &Trace, kind: Kind, step: &str) -> Finding {
    let c = conv(t);
    crate::rules::new_finding(
        kind,
        &c,
        &Arc::from(step),
        vec![],
        "r",
        None,
        "m".into(),
        vec![],
    )
}

#[test]
fn resolved_at_the_first_contact_is_low_effort() {
    let t = trace(vec![step("s1", "c1", 1)]);
    let m = score(&t, &[], &Knowledge::default()).overall;
    assert_eq!((m.journeys, m.contacts, m.cases, m.resolved), (1, 1, 1, 1));
    assert_eq!(m.first_contact_resolution, Some(1.0));
    assert_eq!(m.query_serviceability, Some(1.0));
    assert_eq!(m.contacts_per_resolution, Some(1.0));
    assert_eq!(m.time_to_resolution_hours, Some(0.0));
    assert_eq!(m.customer_effort_score, Some(1.0));
    assert_eq!(m.handoff_success_rate, None, "no handoff");
    assert_eq!(m.answer_consistency_rate, None, "nothing compared");
    assert_eq!(m.promises_kept, None, "no promise");
}

#[test]
fn a_case_resolved_on_another_channel_later() {
    let t = trace(vec![
        status(step("s1", "c1", 1), Status::Pending),
        continues(step("s2", "c2", 3), "s1"),
    ]);
    let sc = score(&t, &[], &Knowledge::default());
    let m = &sc.overall;
    assert_eq!((m.cases, m.resolved), (1, 1));
    assert_eq!(m.first_contact_resolution, Some(0.0));
    assert_eq!(m.query_serviceability, Some(0.0));
    assert_eq!(m.contacts_per_resolution, Some(2.0));
    assert_eq!(m.channel_switches_per_journey, Some(1.0));
    assert_eq!(m.time_to_resolution_hours, Some(2.0));
    assert_eq!(m.handoff_success_rate, Some(1.0));
    // One extra contact and one switch: 2 points, the midpoint.
    assert_eq!(m.customer_effort_score, Some(3.0));
    // The case counts where it started; each contact on its own channel.
    let (c1, c2) = (&sc.channels["c1"], &sc.channels["c2"]);
    assert_eq!((c1.cases, c1.contacts, c2.cases, c2.contacts), (1, 1, 0, 1));
    assert_eq!(c2.first_contact_resolution, None);
    assert_eq!(c1.channel_switches_per_journey, Some(1.0));
    assert_eq!(c2.channel_switches_per_journey, Some(0.0));
    assert_eq!(c2.handoff_success_rate, Some(1.0));
}

#[test]
fn unlinked_contacts_are_cases_of_their_own() {
    let t = trace(vec![
        status(step("s1", "c1", 1), Status::Refused),
        step("s2", "c1", 2),
    ]);
    let m = score(&t, &[], &Knowledge::default()).overall;
    assert_eq!((m.cases, m.resolved), (2, 1));
    assert_eq!(m.first_contact_resolution, Some(0.5));
    assert_eq!(m.contacts_per_resolution, Some(2.0));
    assert_eq!(m.channel_switches_per_journey, Some(0.0));
}

#[test]
fn done_with_the_resolved_role_false_does_not_resolve() {
    let catalogue = serde_json::from_value(json!({
        "intents": [{"intent": "x.y", "channels": [], "roles": {"resolved": "fixed"}}]
    }))
    .expect("catalogue");
    let know = Knowledge::of(Some(catalogue));
    let mut s1 = step("s1", "c1", 1);
    reply_mut(&mut s1, 0)
        .answer
        .insert("fixed".into(), json!(false));
    let t = trace(vec![s1]);
    let m = score(&t, &[], &know).overall;
    assert_eq!((m.cases, m.resolved), (1, 0));
    assert_eq!(m.first_contact_resolution, Some(0.0));
    assert_eq!(m.contacts_per_resolution, None, "nothing resolved");
    assert_eq!(m.time_to_resolution_hours, None);
    // An unresolved case weighs two points.
    assert_eq!(m.customer_effort_score, Some(3.0));
    // Without the role, `done` resolves.
    let m = score(&t, &[], &Knowledge::default()).overall;
    assert_eq!(m.resolved, 1);
}

#[test]
fn an_outbox_message_keeping_a_promise_resolves_the_case() {
    let mut s1 = status(step("s1", "c1", 1), Status::Pending);
    reply_mut(&mut s1, 0).promises = vec![promise("p1", 10)];
    let mut t = trace(vec![s1]);
    t.outbox_reads = vec![outbox_read(12, vec![message("c3", 5, Some("p1"))])];
    let m = score(&t, &[], &Knowledge::default()).overall;
    assert_eq!(m.resolved, 1);
    assert_eq!(m.first_contact_resolution, Some(1.0));
    assert_eq!(m.time_to_resolution_hours, Some(4.0));
    assert_eq!(m.promises_kept, Some(1.0));
}

#[test]
fn promises_late_or_missing_are_not_kept_and_unknown_ones_are_not_judged() {
    let mut s1 = status(step("s1", "c1", 1), Status::Pending);
    reply_mut(&mut s1, 0).promises = vec![promise("p1", 10), promise("p2", 10), promise("p3", 30)];
    let mut t = trace(vec![s1]);
    t.outbox_reads = vec![outbox_read(12, vec![message("c3", 11, Some("p1"))])];
    let m = score(&t, &[], &Knowledge::default()).overall;
    // p1 late, p2 missing, p3 not yet due.
    assert_eq!(m.promises_kept, Some(0.0));
    let c1 = &score(&t, &[], &Knowledge::default()).channels["c1"];
    assert_eq!(c1.promises_kept, Some(0.0));
}

#[test]
fn redirects_are_transfers() {
    let mut s1 = status(step("s1", "c1", 1), Status::Redirected);
    reply_mut(&mut s1, 0).redirect = Some(Redirect {
        channel: "c2".into(),
        reason: String::new(),
        refs: Default::default(),
    });
    let t = trace(vec![s1, step("s2", "c2", 2)]);
    let sc = score(&t, &[], &Knowledge::default());
    assert_eq!(sc.overall.transfers_per_journey, Some(1.0));
    assert_eq!(sc.channels["c1"].transfers_per_journey, Some(1.0));
    assert_eq!(sc.channels["c2"].transfers_per_journey, Some(0.0));
}

#[test]
fn repeated_questions_count_under_the_channel_of_their_step() {
    let t = trace(vec![step("s1", "c1", 1), step("s2", "c2", 2)]);
    let f = finding(&t, Kind::RepeatedQuestion, "s2");
    let sc = score(&t, &[f], &Knowledge::default());
    assert_eq!(sc.overall.repeated_questions_per_journey, Some(1.0));
    assert_eq!(sc.channels["c1"].repeated_questions_per_journey, Some(0.0));
    assert_eq!(sc.channels["c2"].repeated_questions_per_journey, Some(1.0));
}

#[test]
fn a_broken_handoff_or_its_corroboration_fails_the_handoff() {
    let t = trace(vec![
        step("s1", "c1", 1),
        continues(step("s2", "c2", 2), "s1"),
    ]);
    let broken = finding(&t, Kind::BrokenHandoff, "s2");
    let m = score(&t, &[broken], &Knowledge::default()).overall;
    assert_eq!(m.handoff_success_rate, Some(0.0));
    let mut other = finding(&t, Kind::DeadEnd, "s2");
    other.corroborated_by.push(Corroboration {
        id: "broken-handoff/unknown-reference".into(),
        message: "m".into(),
        fingerprint: Fingerprint::default(),
    });
    let m = score(&t, &[other], &Knowledge::default()).overall;
    assert_eq!(m.handoff_success_rate, Some(0.0));
    let elsewhere = finding(&t, Kind::BrokenHandoff, "s1");
    let m = score(&t, &[elsewhere], &Knowledge::default()).overall;
    assert_eq!(m.handoff_success_rate, Some(1.0));
}

#[test]
fn answers_to_the_same_question_are_compared() {
    let asked = |id: &str, ch: &str, h: u32| {
        let mut s = step(id, ch, h);
        s.subject = Some(vec!["k1".into()]);
        reply_mut(&mut s, 0).answer.insert("a".into(), json!(1));
        s
    };
    let t = trace(vec![
        asked("s1", "c1", 1),
        asked("s2", "c2", 2),
        step("s3", "c1", 3),
    ]);
    let m = score(&t, &[], &Knowledge::default()).overall;
    assert_eq!(m.answer_consistency_rate, Some(1.0));
    let f = finding(&t, Kind::InconsistentAnswer, "s2");
    let sc = score(&t, &[f], &Knowledge::default());
    assert_eq!(sc.overall.answer_consistency_rate, Some(0.0));
    assert_eq!(sc.channels["c2"].answer_consistency_rate, Some(0.0));
    assert_eq!(sc.channels["c1"].answer_consistency_rate, None);
}

#[test]
fn nothing_replayed_measures_nothing() {
    let sc = Scores::default().scorecard();
    assert_eq!(sc.overall.journeys, 0);
    assert!(sc.channels.is_empty());
    assert!(sc.overall.values().iter().skip(4).all(|(_, v)| v.is_none()));
}

#[test]
fn journeys_add_up_in_any_order() {
    let a = trace(vec![step("s1", "c1", 1)]);
    let b = trace(vec![
        status(step("s1", "c1", 1), Status::Pending),
        continues(step("s2", "c2", 5), "s1"),
    ]);
    let know = Knowledge::default();
    let (mut x, mut y) = (Scores::default(), Scores::default());
    x.journey(&conv(&a), &[], &know);
    x.journey(&conv(&b), &[], &know);
    y.journey(&conv(&b), &[], &know);
    y.journey(&conv(&a), &[], &know);
    assert_eq!(x.scorecard(), y.scorecard());
    let m = x.scorecard().overall;
    assert_eq!(m.first_contact_resolution, Some(0.5));
    assert_eq!(m.time_to_resolution_hours, Some(2.0), "median of 0 and 4");
}
