//! Unit tests of `dead-end/no-resolution` on hand-built traces.

use serde_json::json;

use super::*;
use crate::engine::trace::{StepTrace, SutFault, Trace};
use crate::rules::testkit::*;

fn run(t: &Trace, know: &Knowledge) -> Vec<Finding> {
    let conv = crate::conversation::scripted(t.clone(), &journey(t));
    let mut out = Vec::new();
    NoResolution.check(&conv, &Check { expect: None, know }, &mut out);
    out
}

fn with_intent(mut s: StepTrace, intent: &str) -> StepTrace {
    s.intent = intent.into();
    for t in &mut s.turns {
        t.request.intent = intent.into();
    }
    s
}

/// A sale (`s0`, intent `z.sale`, done) and one `x.y` contact per status, each continuing
/// the sale (none continuing another), on channels c1, c2, c3...
fn after_sale(statuses: &[Status]) -> Trace {
    let mut steps = vec![with_intent(step("s0", "c0", 0), "z.sale")];
    for (i, status) in statuses.iter().enumerate() {
        let n = u32::try_from(i).expect("few steps") + 1;
        let mut s = step(&format!("s{n}"), &format!("c{n}"), n);
        s.continues = Some("s0".into());
        s.turns[0].reply = Ok(reply(*status));
        steps.push(s);
    }
    trace(steps)
}

/// Knowledge where `x.y` answers have a `resolved` role, field `fixed`.
fn with_resolved_role() -> Knowledge {
    let catalogue = serde_json::from_value(json!({
        "intents": [{"intent": "x.y", "channels": [], "roles": {"resolved": "fixed"}}]
    }))
    .expect("catalogue");
    Knowledge::of(Some(catalogue))
}

#[test]
fn three_contacts_about_one_case_none_resolving_it_are_a_dead_end() {
    let t = after_sale(&[Status::Pending, Status::Refused, Status::Refused]);
    let found = run(&t, &Knowledge::default());
    assert_eq!(found.len(), 1);
    let f = &found[0];
    assert_eq!(
        (f.kind, &*f.rule, &*f.step),
        (Kind::DeadEnd, "no-resolution", "s3")
    );
    assert_eq!(f.subject, None);
    assert_eq!(strs(&f.steps), ["s1", "s2", "s3"]);
    assert_eq!(strs(&f.channels), ["c1", "c2", "c3"]);
    assert_eq!(
        f.message,
        "3 contacts about one x.y case and none resolves it: `s1` (c1) pending, \
         `s2` (c2) refused, `s3` (c3) refused"
    );
    assert_eq!(f.evidence.len(), 3);
    assert_eq!(f.evidence[2].quote, "refused");
}

#[test]
fn a_resolution_before_the_third_contact_ends_the_case() {
    let t = after_sale(&[
        Status::Pending,
        Status::Done,
        Status::Refused,
        Status::Refused,
    ]);
    assert!(run(&t, &Knowledge::default()).is_empty());
    // Resolved on the fourth contact: three before it already made a dead end.
    let t = after_sale(&[
        Status::Pending,
        Status::Refused,
        Status::Refused,
        Status::Done,
    ]);
    assert_eq!(run(&t, &Knowledge::default()).len(), 1);
}

#[test]
fn once_per_case_however_many_contacts_follow() {
    let t = after_sale(&[Status::Pending; 5]);
    let found = run(&t, &Knowledge::default());
    assert_eq!(found.len(), 1);
    assert_eq!(&*found[0].step, "s3");
}

#[test]
fn contacts_not_linked_or_of_other_intents_are_other_cases() {
    let mut t = after_sale(&[Status::Pending, Status::Refused, Status::Refused]);
    t.steps[3].continues = None;
    assert!(run(&t, &Knowledge::default()).is_empty());
    let mut t = after_sale(&[Status::Pending, Status::Refused, Status::Refused]);
    t.steps[2] = with_intent(t.steps[2].clone(), "w.other");
    assert!(run(&t, &Knowledge::default()).is_empty());
}

#[test]
fn done_with_the_resolved_role_false_does_not_resolve() {
    let know = with_resolved_role();
    let mut t = after_sale(&[Status::Pending, Status::Done, Status::Refused]);
    reply_mut(&mut t.steps[2], 0)
        .answer
        .insert("fixed".into(), json!(false));
    let found = run(&t, &know);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].evidence[1].quote, "done [fixed=false]");
    reply_mut(&mut t.steps[2], 0)
        .answer
        .insert("fixed".into(), json!(true));
    assert!(run(&t, &know).is_empty());
    // Without the role, `done` resolves whatever the answer says.
    reply_mut(&mut t.steps[2], 0)
        .answer
        .insert("fixed".into(), json!(false));
    assert!(run(&t, &Knowledge::default()).is_empty());
}

#[test]
fn the_threshold_is_the_knowledge_one_and_faults_do_not_count() {
    let t = after_sale(&[Status::Pending, Status::Refused]);
    assert!(run(&t, &Knowledge::default()).is_empty());
    let two = Knowledge {
        dead_end_contacts: 2,
        ..Knowledge::default()
    };
    assert_eq!(&*run(&t, &two)[0].step, "s2");
    let off = Knowledge {
        dead_end_contacts: 0,
        ..Knowledge::default()
    };
    assert!(run(&t, &off).is_empty());
    let mut t = after_sale(&[Status::Pending, Status::Refused, Status::Refused]);
    t.steps[2].turns[0].reply = Err(SutFault::Timeout { after_ms: 5 });
    assert!(run(&t, &Knowledge::default()).is_empty());
}
