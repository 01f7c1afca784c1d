//! Unit tests of `recognition/stranger` on hand-built traces.

use serde_json::json;

use super::*;
use crate::engine::trace::{StepTrace, Trace};
use crate::rules::Knowledge;
use crate::rules::testkit::*;

fn run(t: &Trace) -> Vec<Finding> {
    let conv = crate::conversation::scripted(t.clone(), &journey(t));
    let know = Knowledge::default();
    let mut out = Vec::new();
    Stranger.check(
        &conv,
        &Check {
            expect: None,
            know: &know,
        },
        &mut out,
    );
    out
}

/// A contact on `channel` where the customer presents `k1`, its final reply
/// `recognized: known`.
fn contact(id: &str, channel: &str, hour: u32, known: Option<bool>) -> StepTrace {
    let mut s = step(id, channel, hour);
    s.customer.insert("k1".into(), json!("v1"));
    reply_mut(&mut s, 0).recognized = known;
    s
}

#[test]
fn a_friend_on_one_channel_a_stranger_on_another() {
    let t = trace(vec![
        contact("s1", "c1", 1, Some(true)),
        contact("s2", "c2", 2, Some(false)),
    ]);
    let found = run(&t);
    assert_eq!(found.len(), 1);
    let f = &found[0];
    assert_eq!(
        (f.kind, &*f.rule, &*f.step),
        (Kind::Recognition, "stranger", "s2")
    );
    assert_eq!(f.subject, None);
    assert_eq!(strs(&f.steps), ["s1", "s2"]);
    assert_eq!(strs(&f.channels), ["c1", "c2"]);
    assert_eq!(
        f.message,
        "the customer, recognised on c1 in step `s1`, is a stranger on c2 in step `s2`"
    );
    let quotes: Vec<&str> = f.evidence.iter().map(|e| e.quote.as_str()).collect();
    assert_eq!(
        quotes,
        [
            "done recognized=true",
            r#"{"k1":"v1"}"#,
            "done recognized=false"
        ]
    );
}

#[test]
fn once_per_later_contact_with_the_nearest_friend() {
    let t = trace(vec![
        contact("s1", "c1", 1, Some(true)),
        contact("s2", "c3", 2, Some(true)),
        contact("s3", "c2", 3, Some(false)),
        contact("s4", "c2", 4, Some(false)),
    ]);
    let found = run(&t);
    let at: Vec<(&str, Vec<&str>)> = found.iter().map(|f| (&*f.step, strs(&f.steps))).collect();
    assert_eq!(at, [("s3", vec!["s2", "s3"]), ("s4", vec!["s2", "s4"])]);
}

#[test]
fn no_finding_without_a_friend_elsewhere_first_or_without_identifiers() {
    // A stranger before being recognised.
    let t = trace(vec![
        contact("s1", "c2", 1, Some(false)),
        contact("s2", "c1", 2, Some(true)),
    ]);
    assert!(run(&t).is_empty());
    // Recognised only on the same channel.
    let t = trace(vec![
        contact("s1", "c1", 1, Some(true)),
        contact("s2", "c1", 2, Some(false)),
    ]);
    assert!(run(&t).is_empty());
    // Nothing presented, or the SUT does not say.
    let mut anonymous = contact("s2", "c2", 2, Some(false));
    anonymous.customer.clear();
    let t = trace(vec![contact("s1", "c1", 1, Some(true)), anonymous]);
    assert!(run(&t).is_empty());
    let t = trace(vec![
        contact("s1", "c1", 1, Some(true)),
        contact("s2", "c2", 2, None),
    ]);
    assert!(run(&t).is_empty());
}

#[test]
fn only_final_replies_count() {
    // Recognised only after asking: the final reply is what the customer is left with.
    let mut s1 = contact("s1", "c1", 1, Some(false));
    let mut known = reply(crate::protocol::Status::Done);
    known.recognized = Some(true);
    add_turn(&mut s1, known);
    let t = trace(vec![s1, contact("s2", "c2", 2, Some(false))]);
    assert_eq!(run(&t).len(), 1);
    let mut s2 = contact("s2", "c2", 2, Some(false));
    let mut known = reply(crate::protocol::Status::Done);
    known.recognized = Some(true);
    add_turn(&mut s2, known);
    let t = trace(vec![contact("s1", "c1", 1, Some(true)), s2]);
    assert!(run(&t).is_empty());
}
