//! `repeated-question`: the SUT asks for a fact the customer already gave (said, answered
//! or presented as an identifier) in an earlier turn or step, on any channel.
//!
//! One finding per (re-ask step, fact), with a running count; plus `max-repeated-questions`
//! when the journey sets a limit above 0 and the total number of repeats exceeds it.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use crate::conversation::Conversation;
use crate::rules::evidence;
use crate::rules::finding::{Finding, Kind};
use crate::rules::new_finding;
use crate::rules::text::text;
use crate::rules::{Check, Rule};

/// Where a fact was first given.
struct Given<'t> {
    step: usize,
    value: &'t Value,
    identifier: bool,
}

/// (step index, turn index) of one ask.
type At = (usize, usize);

/// A fact asked for, and where.
type Ask<'t> = (&'t str, At);

/// `repeated-question/asked-again` and `repeated-question/max-repeated-questions`.
pub struct AskedAgain;

impl Rule for AskedAgain {
    fn ids(&self) -> &'static [&'static str] {
        &[
            "repeated-question/asked-again",
            "repeated-question/max-repeated-questions",
        ]
    }

    fn check(&self, conv: &Conversation, _: &Check<'_>, out: &mut Vec<Finding>) {
        detect_into(conv, out);
    }
}

fn detect_into(conv: &Conversation, out: &mut Vec<Finding>) {
    // Every ask, a fact once per turn: by fact, then in conversation order.
    let mut asks: Vec<Ask> = Vec::new();
    for (si, step) in conv.contacts.iter().enumerate() {
        for (ti, turn) in step.turns.iter().enumerate() {
            if let Ok(reply) = &turn.reply {
                asks.extend(reply.asks.iter().map(|key| (key.as_str(), (si, ti))));
            }
        }
    }
    if asks.is_empty() {
        return;
    }
    asks.sort_unstable();
    asks.dedup();
    let limit = conv.declared.max_repeated_questions;
    // Every repeat, when the journey sets a limit.
    let mut all: Vec<(At, &str)> = Vec::new();
    for asked in asks.chunk_by(|a, b| a.0 == b.0) {
        let key = asked[0].0;
        let Some((given_at, first)) = first_given(conv, key) else {
            continue;
        };
        // Asked again: in the turn that gave it (its request came first) or later.
        let reps = &asked[asked.partition_point(|(_, at)| *at < given_at)..];
        let mut last_step = None;
        for &(_, (si, _)) in reps {
            if last_step != Some(si) {
                last_step = Some(si);
                out.push(re_ask(conv, key, &first, reps, asked, si));
            }
        }
        if limit > 0 {
            all.extend(reps.iter().map(|&(key, at)| (at, key)));
        }
    }
    if limit > 0 && all.len() > limit as usize {
        out.push(over_limit(conv, all, limit));
    }
}

/// Where fact `key` was first given (presented as an identifier or said), if it was: the
/// turn and what was given.
fn first_given<'t>(conv: &'t Conversation, key: &str) -> Option<(At, Given<'t>)> {
    for (si, step) in conv.contacts.iter().enumerate() {
        for (ti, turn) in step.turns.iter().enumerate() {
            let request = &turn.request;
            let found = match request.customer.get(key) {
                Some(value) => Some((value, true)),
                None => request.says.get(key).map(|value| (value, false)),
            };
            if let Some((value, identifier)) = found {
                let given = Given {
                    step: si,
                    value,
                    identifier,
                };
                return Some(((si, ti), given));
            }
        }
    }
    None
}

/// The finding for the re-asks of `key` in step `si`.
fn re_ask(
    conv: &Conversation,
    key: &str,
    first: &Given,
    reps: &[Ask],
    asks: &[Ask],
    si: usize,
) -> Finding {
    let given_step = &conv.contacts[first.step];
    let upto: Vec<&At> = reps
        .iter()
        .map(|(_, at)| at)
        .filter(|(s, _)| *s <= si)
        .collect();
    let times = asks.iter().filter(|(_, (s, _))| *s <= si).count();
    let how = if first.identifier {
        "presented as an identifier"
    } else {
        "given"
    };
    let mut ev = Vec::with_capacity(upto.len() + 1);
    ev.push(evidence::on_step(
        given_step,
        if first.identifier {
            "customer presented"
        } else {
            "customer gave"
        },
        evidence::field(key, Some(first.value)),
    ));
    // Room for `here`, which `new_finding` adds when no re-ask of it is listed.
    let mut steps = Vec::with_capacity(upto.len() + 2);
    steps.push(Arc::clone(&given_step.id));
    for (s, t) in &upto {
        let step = &conv.contacts[*s];
        steps.push(Arc::clone(&step.id));
        if let Ok(reply) = &step.turns[*t].reply {
            ev.push(evidence::on_step(
                step,
                asked_again(step.turns[*t].request.turn),
                evidence::asked(reply),
            ));
        }
    }
    let here = &conv.contacts[si];
    let message = text!(
        "asked again for `",
        key,
        "` on ",
        here.channel,
        ", already ",
        how,
        " in step `",
        given_step.id,
        "` (",
        given_step.channel,
        "): asked ",
        times,
        " ",
        plural(times, "time", "times"),
        " so far, ",
        upto.len(),
        " ",
        plural(upto.len(), "repeat", "repeats"),
    );
    new_finding(
        Kind::RepeatedQuestion,
        conv,
        &here.id,
        steps,
        "asked-again",
        Some(key.to_string()),
        message,
        ev,
    )
}

/// One finding for a journey whose repeats exceed `max_repeated_questions`.
fn over_limit(conv: &Conversation, mut all: Vec<(At, &str)>, limit: u32) -> Finding {
    all.sort();
    let at_limit = all[(limit as usize).min(all.len() - 1)].0.0;
    let mut steps: Vec<Arc<str>> = Vec::with_capacity(all.len() + 1);
    steps.extend(
        all.iter()
            .map(|((s, _), _)| Arc::clone(&conv.contacts[*s].id)),
    );
    let ev = all
        .iter()
        .map(|((s, _), key)| {
            evidence::on_step(&conv.contacts[*s], "SUT asked again", key.to_string())
        })
        .collect();
    let message = format!(
        "{} repeated questions in this journey, more than the {limit} allowed",
        all.len()
    );
    new_finding(
        Kind::RepeatedQuestion,
        conv,
        &conv.contacts[at_limit].id,
        steps,
        "max-repeated-questions",
        None,
        message,
        ev,
    )
}

/// `SUT asked again (turn N)`, written once for the first turns.
fn asked_again(turn: u32) -> Cow<'static, str> {
    const FIRST: [&str; 8] = [
        "SUT asked again (turn 1)",
        "SUT asked again (turn 2)",
        "SUT asked again (turn 3)",
        "SUT asked again (turn 4)",
        "SUT asked again (turn 5)",
        "SUT asked again (turn 6)",
        "SUT asked again (turn 7)",
        "SUT asked again (turn 8)",
    ];
    match turn.checked_sub(1).and_then(|i| FIRST.get(i as usize)) {
        Some(label) => Cow::Borrowed(label),
        None => Cow::Owned(format!("SUT asked again (turn {turn})")),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::Trace;
    use crate::protocol::Status;
    use crate::rules::testkit::*;
    use serde_json::json;

    fn detect(
        j: &crate::scenario::model::Journey,
        t: &crate::engine::trace::Trace,
    ) -> Vec<Finding> {
        check(&[&AskedAgain], j, t)
    }

    fn asking(key: &str) -> crate::protocol::Reply {
        let mut r = reply(Status::NeedsInfo);
        r.asks = vec![key.into()];
        r.reply = format!("your {key}?");
        r
    }

    /// The bank story with synthetic names: asked three times, two repeats.
    fn three_times() -> Trace {
        let mut s1 = step("s1", "c1", 1);
        s1.turns[0].reply = Ok(asking("k1"));
        add_turn(&mut s1, reply(Status::Done))
            .request
            .says
            .insert("k1".into(), json!("v1"));
        let mut s2 = step("s2", "c1", 2);
        s2.turns[0].reply = Ok(asking("k1"));
        add_turn(&mut s2, reply(Status::Done));
        let mut s3 = step("s3", "c2", 3);
        s3.turns[0].reply = Ok(asking("k1"));
        add_turn(&mut s3, reply(Status::Done));
        trace(vec![s1, s2, s3])
    }

    #[test]
    fn asked_three_times_is_two_repeats() {
        let t = three_times();
        let found = detect(&journey(&t), &t);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(&*found[0].step, "s2");
        assert_eq!(strs(&found[0].steps), ["s1", "s2"]);
        assert_eq!(&*found[1].step, "s3");
        assert_eq!(strs(&found[1].steps), ["s1", "s2", "s3"]);
        assert_eq!(strs(&found[1].channels), ["c1", "c2"]);
        assert_eq!(found[1].subject.as_deref(), Some("k1"));
        assert!(
            found[1].message.contains("asked 3 times so far, 2 repeats"),
            "{}",
            found[1].message
        );
        assert_eq!(found[1].evidence[0].quote, r#"k1="v1""#);
        assert_eq!(found[1].evidence.len(), 3);
    }

    #[test]
    fn asked_again_labels_name_the_turn() {
        for turn in [0, 1, 2, 8, 9, 100] {
            assert_eq!(asked_again(turn), format!("SUT asked again (turn {turn})"));
        }
    }

    #[test]
    fn first_ask_of_an_unknown_fact_is_not_a_repeat() {
        let mut s1 = step("s1", "c1", 1);
        s1.turns[0].reply = Ok(asking("k1"));
        add_turn(&mut s1, reply(Status::Done));
        let t = trace(vec![s1]);
        assert!(detect(&journey(&t), &t).is_empty());
    }

    #[test]
    fn identifier_and_same_step_earlier_turn_count_as_given() {
        let mut s1 = step("s1", "c1", 1);
        s1.turns[0]
            .request
            .customer
            .insert("k2".into(), json!("id"));
        let mut s2 = step("s2", "c2", 2);
        s2.turns[0].reply = Ok(asking("k3"));
        add_turn(&mut s2, asking("k2"))
            .request
            .says
            .insert("k3".into(), json!(3));
        add_turn(&mut s2, asking("k3"));
        let t = trace(vec![s1, s2]);
        let found = detect(&journey(&t), &t);
        let subjects: Vec<_> = found.iter().map(|f| f.subject.clone()).collect();
        assert_eq!(subjects, vec![Some("k2".into()), Some("k3".into())]);
        assert_eq!(found[0].evidence[0].what, "customer presented");
        assert_eq!(strs(&found[1].steps), ["s2"]);
    }

    #[test]
    fn limit_above_zero_reports_once_when_exceeded() {
        let t = three_times();
        let mut j = journey(&t);
        j.max_repeated_questions = 1;
        let found = detect(&j, &t);
        let limit: Vec<_> = found
            .iter()
            .filter(|f| f.rule == "max-repeated-questions")
            .collect();
        assert_eq!(limit.len(), 1);
        assert_eq!(&*limit[0].step, "s3");
        j.max_repeated_questions = 2;
        assert!(detect(&j, &t).iter().all(|f| f.rule == "asked-again"));
    }
}
