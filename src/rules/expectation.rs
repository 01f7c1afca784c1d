//! `expectation`: the scenario's own `expect` assertions checked against each step's
//! final reply, and the journey's `outbox` expectations against the final outbox read.
//!
//! One finding per violated assertion; `rule` names it (`status`, `answer.<field>`,
//! `not-asked`, `recognized`, `redirected`, `refs`, `promises.made`, `promises.kept`,
//! `promises.within`, `outbox.max-unsolicited`, `outbox.irrelevant-topics`, `step-skipped`).

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use serde_json::Value;

use crate::conversation::{Contact, Conversation};
use crate::engine::trace::StepEnd;
use crate::protocol::{Reply, Status};
use crate::rules::evidence;
use crate::rules::finding::{Evidence, Finding, Kind};
use crate::rules::matcher::{between, mismatch, show};
use crate::rules::promises::{self, PromiseState};
use crate::rules::text::{self, Piece, text};
use crate::rules::{Check, Expectations, Rule, new_finding};
use crate::scenario::duration::parse_duration;
use crate::scenario::model::Expect;

pub use crate::rules::matcher::matches;

/// `expectation/*`: the scenario's `expect` assertions and `outbox` expectations. The
/// one rule that reads the scenario (an overlay on the conversation); without a
/// scenario it finds nothing.
pub struct Expectation;

impl Rule for Expectation {
    fn ids(&self) -> &'static [&'static str] {
        &[
            "expectation/status",
            "expectation/answer.*",
            "expectation/not-asked",
            "expectation/recognized",
            "expectation/redirected",
            "expectation/refs",
            "expectation/promises.made",
            "expectation/promises.kept",
            "expectation/promises.within",
            "expectation/promises.matches",
            "expectation/outbox.max-unsolicited",
            "expectation/outbox.irrelevant-topics",
            "expectation/step-skipped",
        ]
    }

    fn check(&self, conv: &Conversation, cx: &Check<'_>, out: &mut Vec<Finding>) {
        if let Some(expect) = &cx.expect {
            detect_into(expect, conv, out);
        }
    }
}

fn detect_into(expectations: &Expectations<'_>, conv: &Conversation, out: &mut Vec<Finding>) {
    for (i, s) in conv.contacts.iter().enumerate() {
        let Some(expect) = expectations.step(i, &s.id) else {
            continue;
        };
        // A step the run's cut left unsent or abandoned is listed in the report, not judged.
        if *expect == Expect::default() || s.end.cut().is_some() {
            continue;
        }
        let mut push = |rule: Cow<'static, str>, subject: Option<&str>, msg: &[&dyn Piece], ev| {
            let head: [&dyn Piece; 5] = [&"step `", &s.id, &"` (", &s.channel, &"): "];
            let mut message = String::with_capacity(text::size(&head) + text::size(msg));
            text::put(&mut message, &head);
            text::put(&mut message, msg);
            out.push(new_finding(
                Kind::Expectation,
                conv,
                &s.id,
                vec![],
                rule,
                subject.map(String::from),
                message,
                ev,
            ));
        };
        match s.final_reply() {
            Some(r) => check_step(conv, s, r, expect, &mut push),
            None => {
                if let StepEnd::Skipped { reason } = &s.end {
                    push(
                        "step-skipped".into(),
                        None,
                        &[
                            &"not sent (",
                            reason,
                            &"), so its expectations were not checked",
                        ],
                        vec![],
                    );
                }
            }
        }
    }
    check_outbox(expectations, conv, out);
}

/// The `step` of a journey-level finding (the outbox as a whole).
pub const JOURNEY: &str = "journey";

/// `JOURNEY`, shared.
fn journey_step_id() -> Arc<str> {
    static ID: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(JOURNEY));
    Arc::clone(&ID)
}

/// Adds a finding on the step: rule, subject, what is wrong, evidence.
type Push<'p> = dyn FnMut(Cow<'static, str>, Option<&str>, &[&dyn Piece], Vec<Evidence>) + 'p;

fn check_step(conv: &Conversation, s: &Contact, r: &Reply, expect: &Expect, push: &mut Push) {
    let answered = |fields: &[&str]| {
        vec![evidence::on_step(
            s,
            "SUT answered",
            evidence::reply(r, fields),
        )]
    };
    if let Some(status) = &expect.status {
        let ok = status.as_slice();
        if !ok.iter().any(|st| st == r.status.as_str()) {
            push(
                "status".into(),
                None,
                &[
                    &"status is ",
                    &r.status.as_str(),
                    &", expected ",
                    &ok.join(" or "),
                ],
                answered(&[]),
            );
        }
    }
    for (field, matcher) in &expect.answer {
        if let Some(why) = mismatch(matcher, r.answer.get(field)) {
            push(
                text!("answer.", field).into(),
                Some(field),
                &[&"`", field, &"` ", &why],
                answered(&[field]),
            );
        }
    }
    for key in &expect.not_asked {
        let ev: Vec<Evidence> = s
            .turns
            .iter()
            .filter_map(|t| t.reply.as_ref().ok())
            .filter(|r| r.asks.contains(key))
            .map(|r| evidence::on_step(s, "SUT asked", evidence::asked(r)))
            .collect();
        if !ev.is_empty() {
            push(
                "not-asked".into(),
                Some(key),
                &[&"the SUT asked for `", key, &"`"],
                ev,
            );
        }
    }
    if let Some(want) = expect.recognized
        && r.recognized != Some(want)
    {
        let got = r
            .recognized
            .map_or("not stated".to_string(), |b| b.to_string());
        push(
            "recognized".into(),
            None,
            &[
                &"recognized is ",
                &got,
                &", expected ",
                &if want { "true" } else { "false" },
            ],
            answered(&[]),
        );
    }
    if let Some(want) = expect.redirected {
        redirected(conv, s, r, want, push);
    }
    for key in &expect.refs {
        let issued = s
            .turns
            .iter()
            .filter_map(|t| t.reply.as_ref().ok())
            .any(|r| r.refs.contains_key(key));
        if !issued {
            let ev = vec![evidence::on_step(
                s,
                "SUT issued refs",
                evidence::facts(&r.refs),
            )];
            push(
                "refs".into(),
                Some(key),
                &[&"the reply carries no ref `", key, &"`"],
                ev,
            );
        }
    }
    if let Some(pe) = &expect.promises {
        let made = promises::of_step(s);
        for what in &pe.made {
            if !made.iter().any(|p| &p.what == what) {
                push(
                    "promises.made".into(),
                    Some(what),
                    &[&"no promise `", what, &"` was made"],
                    answered(&[]),
                );
            }
        }
        for p in &made {
            let promised = || evidence::on_step(s, "SUT promised", evidence::promise(p));
            let fulfilling = promises::fulfilling(conv, &p.id);
            let why: Option<[&dyn Piece; 2]> = match promises::state_of(conv, p, &fulfilling) {
                PromiseState::Late(m) => Some([&"kept late, at ", &m.at]),
                PromiseState::Missing => Some([&"no outbox message fulfils it", &""]),
                PromiseState::Kept(_) | PromiseState::Unknown => None,
            };
            for field in &pe.matches {
                let said = r.answer.get(field);
                for &m in &fulfilling {
                    let sent = m.answer.get(field);
                    let agree = matches!((said, sent), (Some(a), Some(b)) if evidence::same(a, b));
                    if !agree {
                        push(
                            "promises.matches".into(),
                            Some(field),
                            &[&format!(
                                "the message keeping promise `{}` says `{field}` {}, the reply said {}",
                                p.what,
                                sent.map_or(String::from("nothing"), evidence::value),
                                said.map_or(String::from("nothing"), evidence::value)
                            )],
                            vec![
                                evidence::on_step(s, "SUT answered", evidence::reply(r, &[field])),
                                evidence::outbox(m, "outbox message"),
                            ],
                        );
                    }
                }
            }
            if let (true, Some(why)) = (pe.kept, why) {
                push(
                    "promises.kept".into(),
                    Some(&p.what),
                    &[&"promise `", &p.what, &"` not kept: ", why[0], why[1]],
                    vec![promised()],
                );
            }
            if let Some(within) = &pe.within {
                match (parse_duration(within).ok(), between(&s.at, &p.by)) {
                    (Some(limit), Some(took)) if took > limit => push(
                        "promises.within".into(),
                        Some(&p.what),
                        &[
                            &"promise `",
                            &p.what,
                            &"` is due ",
                            &show(took),
                            &" after the contact, more than ",
                            within,
                        ],
                        vec![promised()],
                    ),
                    (None, _) => push(
                        "promises.within".into(),
                        Some(&p.what),
                        &[&"`", within, &"` is not a duration"],
                        vec![],
                    ),
                    _ => {}
                }
            }
        }
    }
}

fn redirected(conv: &Conversation, s: &Contact, r: &Reply, want: bool, push: &mut Push) {
    let mut ev = Vec::new();
    if r.redirect.is_some() || r.status == Status::Redirected {
        let to = r
            .redirect
            .as_ref()
            .map_or(String::new(), |d| format!(" to {}", d.channel));
        ev.push(evidence::on_step(
            s,
            "SUT redirected",
            format!("{}{to}", evidence::reply(r, &[])),
        ));
    }
    for p in promises::of_step(s) {
        for m in promises::fulfilling(conv, &p.id) {
            if m.redirect.is_some() {
                ev.push(evidence::outbox(m, "outbox message"));
            }
        }
    }
    match (want, ev.is_empty()) {
        (false, false) => push(
            "redirected".into(),
            None,
            &[&"the SUT sent the customer to another channel"],
            ev,
        ),
        (true, true) => {
            let ev = vec![evidence::on_step(
                s,
                "SUT answered",
                evidence::reply(r, &[]),
            )];
            push(
                "redirected".into(),
                None,
                &[&"the SUT did not redirect the customer"],
                ev,
            )
        }
        _ => {}
    }
}

/// Journey-level `outbox` expectations against the last successful outbox read.
fn check_outbox(expectations: &Expectations<'_>, conv: &Conversation, out: &mut Vec<Finding>) {
    let Some(messages) = conv.final_outbox() else {
        return;
    };
    let unsolicited: Vec<_> = messages.iter().filter(|m| m.fulfils.is_none()).collect();
    let journey_step = journey_step_id();
    let mut push =
        |rule: &'static str, subject: Option<&str>, message: String, ev: Vec<Evidence>| {
            out.push(new_finding(
                Kind::Expectation,
                conv,
                &journey_step,
                vec![],
                rule,
                subject.map(String::from),
                message,
                ev,
            ));
        };
    if let Some(max) = expectations.outbox().max_unsolicited
        && unsolicited.len() > max as usize
    {
        let ev = unsolicited
            .iter()
            .map(|m| evidence::outbox(m, "unsolicited message"))
            .collect();
        let msg = format!(
            "{} unsolicited outbox messages, more than the {max} allowed",
            unsolicited.len()
        );
        push("outbox.max-unsolicited", None, msg, ev);
    }
    for topic in &expectations.outbox().irrelevant_topics {
        let ev: Vec<Evidence> = unsolicited
            .iter()
            .filter(|m| m.answer.get("topic").and_then(Value::as_str) == Some(topic.as_str()))
            .map(|m| evidence::outbox(m, "unsolicited message"))
            .collect();
        if !ev.is_empty() {
            let msg = format!(
                "{} unsolicited outbox messages about `{topic}`, an irrelevant topic",
                ev.len()
            );
            push("outbox.irrelevant-topics", Some(topic), msg, ev);
        }
    }
}

#[cfg(test)]
#[path = "expectation_tests.rs"]
mod tests;
