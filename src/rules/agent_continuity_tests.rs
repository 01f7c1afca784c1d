//! Unit tests of `agent-continuity/new-agent-without-context` on hand-built traces.

use serde_json::json;

use super::*;
use crate::engine::trace::Trace;
use crate::protocol::Reply;
use crate::rules::Knowledge;
use crate::rules::testkit::*;

fn run(t: &Trace) -> Vec<Finding> {
    let conv = crate::conversation::scripted(t.clone(), &journey(t));
    let know = Knowledge::default();
    let mut out = Vec::new();
    NewAgentWithoutContext.check(
        &conv,
        &Check {
            expect: None,
            know: &know,
        },
        &mut out,
    );
    out
}

fn by(agent: &str, status: Status) -> Reply {
    let mut r = reply(status);
    r.agent = Some(agent.into());
    r.recognized = Some(true);
    r
}

/// `s1` (c1) where the customer says `k1`, served by `a1`; `s2` (c2) continuing it,
/// answered with `second`.
fn case(second: Reply) -> Trace {
    let mut s1 = step("s1", "c1", 1);
    s1.turns[0].request.says.insert("k1".into(), json!("v1"));
    s1.turns[0].reply = Ok(by("a1", Status::Done));
    let mut s2 = step("s2", "c2", 2);
    s2.continues = Some("s1".into());
    s2.turns[0].reply = Ok(second);
    trace(vec![s1, s2])
}

#[test]
fn a_new_agent_asking_again_for_what_the_case_holds_lacks_its_context() {
    let mut asks = by("a2", Status::NeedsInfo);
    asks.asks = vec!["k1".into(), "k9".into()];
    let mut t = case(asks);
    add_turn(&mut t.steps[1], by("a2", Status::Done));
    let found = run(&t);
    assert_eq!(found.len(), 1);
    let f = &found[0];
    assert_eq!(
        (f.kind, &*f.rule, &*f.step),
        (Kind::AgentContinuity, "new-agent-without-context", "s2")
    );
    assert_eq!(f.subject.as_deref(), Some("agent"));
    assert_eq!(strs(&f.steps), ["s1", "s2"]);
    assert_eq!(
        f.message,
        "step `s2` (c2) carries on `s1` (c1, agent a1) with a new agent, a2, without the \
         case's context: asks again for `k1`"
    );
    let quotes: Vec<&str> = f.evidence.iter().map(|e| e.quote.as_str()).collect();
    assert_eq!(
        quotes,
        [
            "agent=a1",
            r#"k1="v1""#,
            "asks [k1, k9]",
            "agent=a2 recognized=true"
        ]
    );
}

#[test]
fn a_new_agent_who_does_not_know_the_customer_or_the_reference_lacks_it() {
    let mut stranger = by("a2", Status::Done);
    stranger.recognized = Some(false);
    let found = run(&case(stranger));
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .message
            .ends_with(": does not recognise the customer")
    );
    let found = run(&case(by("a2", Status::UnknownReference)));
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .message
            .ends_with(": answers the case's reference unknown")
    );
}

#[test]
fn the_same_agent_a_new_agent_who_knows_the_case_or_no_agent_is_fine() {
    let mut same = by("a1", Status::Done);
    same.recognized = Some(false);
    assert!(run(&case(same)).is_empty());
    assert!(run(&case(by("a2", Status::Done))).is_empty());
    let mut anonymous = by("a2", Status::UnknownReference);
    anonymous.agent = None;
    assert!(run(&case(anonymous)).is_empty());
    // Not carrying on the case: a stranger to a new agent is another rule's matter.
    let mut stranger = by("a2", Status::Done);
    stranger.recognized = Some(false);
    let mut t = case(stranger);
    t.steps[1].continues = None;
    assert!(run(&t).is_empty());
}

#[test]
fn the_case_before_is_followed_back_and_quoted_contacts_count() {
    // s3 continues s2 which continues s1; s3's agent asks for what s1 heard.
    let mut t = case(by("a2", Status::Done));
    let mut s3 = step("s3", "c3", 3);
    s3.continues = Some("s2".into());
    let mut asks = by("a3", Status::NeedsInfo);
    asks.asks = vec!["k1".into()];
    s3.turns[0].reply = Ok(asks);
    t.steps.push(s3);
    let found = run(&t);
    assert_eq!(found.len(), 1);
    assert_eq!(strs(&found[0].steps), ["s1", "s2", "s3"]);
    assert!(found[0].message.contains("carries on `s2` (c2, agent a2)"));
    // Quoting the first contact's reference, without continuing it.
    let mut t = case(by("a2", Status::UnknownReference));
    t.steps[1].continues = None;
    t.steps[1].quotes = vec!["s1".into()];
    assert_eq!(run(&t).len(), 1);
}
