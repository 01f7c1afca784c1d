//! `sut-error`: SUT faults (timeouts, 5xx, garbage, rejections) on the step they hit,
//! steps that hit the turn limit, and outbox reads that failed.
//!
//! Rules: the fault kind (`timeout`, `connection`, `http-status`, `rejected`, `garbage`,
//! `too-large`),
//! `turn-limit`, `outbox-read`.

use std::sync::Arc;

use crate::conversation::Conversation;
use crate::engine::trace::StepEnd;
use crate::rules::evidence;
use crate::rules::finding::{Evidence, Finding, Kind};
use crate::rules::new_finding;
use crate::rules::{Check, Rule};

/// The rules of this file, for the registry.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(Faults),
        Box::new(TurnLimit),
        Box::new(OutboxReadFailed),
    ]
}

/// `sut-error/<fault>`: turns of a contact that got no protocol reply, one finding per
/// fault kind and contact.
pub struct Faults;

/// `sut-error/turn-limit`: the SUT still asked after the turn limit.
pub struct TurnLimit;

/// `sut-error/outbox-read`: an outbox read failed.
pub struct OutboxReadFailed;

impl Rule for Faults {
    fn ids(&self) -> &'static [&'static str] {
        &[
            "sut-error/timeout",
            "sut-error/connection",
            "sut-error/http-status",
            "sut-error/rejected",
            "sut-error/garbage",
            "sut-error/too-large",
        ]
    }

    fn check(&self, conv: &Conversation, _: &Check<'_>, out: &mut Vec<Finding>) {
        faults(conv, out);
    }
}

impl Rule for TurnLimit {
    fn ids(&self) -> &'static [&'static str] {
        &["sut-error/turn-limit"]
    }

    fn check(&self, conv: &Conversation, _: &Check<'_>, out: &mut Vec<Finding>) {
        turn_limits(conv, out);
    }
}

impl Rule for OutboxReadFailed {
    fn ids(&self) -> &'static [&'static str] {
        &["sut-error/outbox-read"]
    }

    fn check(&self, conv: &Conversation, _: &Check<'_>, out: &mut Vec<Finding>) {
        outbox_reads(conv, out);
    }
}

fn faults(conv: &Conversation, out: &mut Vec<Finding>) {
    for s in &conv.contacts {
        // One finding per fault kind in the step, quoting each faulty turn.
        let mut kinds: Vec<(&'static str, Vec<Evidence>)> = Vec::new();
        for t in &s.turns {
            let Err(fault) = &t.reply else { continue };
            let rule = fault.kind();
            let ev = evidence::on_step(
                s,
                format!("turn {} (attempts: {})", t.request.turn, t.attempts),
                evidence::fault(fault),
            );
            match kinds.iter_mut().find(|(k, _)| *k == rule) {
                Some((_, list)) => list.push(ev),
                None => kinds.push((rule, vec![ev])),
            }
        }
        for (rule, ev) in kinds {
            let message = format!(
                "step `{}` ({}): the SUT failed to answer: {}",
                s.id, s.channel, ev[0].quote
            );
            out.push(new_finding(
                Kind::SutError,
                conv,
                &s.id,
                vec![],
                rule,
                None,
                message,
                ev,
            ));
        }
    }
}

fn turn_limits(conv: &Conversation, out: &mut Vec<Finding>) {
    for s in &conv.contacts {
        if let StepEnd::TurnLimit { turns } = s.end {
            let ev = s
                .final_reply()
                .map(|r| vec![evidence::on_step(s, "SUT asked", evidence::asked(r))])
                .unwrap_or_default();
            let message = format!(
                "step `{}` ({}): the SUT still asked questions after {turns} turns",
                s.id, s.channel
            );
            out.push(new_finding(
                Kind::SutError,
                conv,
                &s.id,
                vec![],
                "turn-limit",
                None,
                message,
                ev,
            ));
        }
    }
}

fn outbox_reads(conv: &Conversation, out: &mut Vec<Finding>) {
    for read in &conv.outbox_reads {
        let Err(fault) = &read.messages else { continue };
        // A read at a promise's deadline belongs to the step that made the promise.
        let owner = read
            .reason
            .strip_prefix("promise:")
            .and_then(|id| {
                conv.contacts
                    .iter()
                    .find(|s| s.promises().any(|p| p.id == id))
            })
            .or(conv.contacts.last());
        let Some(owner) = owner else { continue };
        let ev = vec![Evidence {
            step: evidence::outbox_step(),
            channel: Arc::clone(&owner.channel),
            at: read.until.as_str().into(),
            what: format!("outbox read ({})", read.reason).into(),
            quote: evidence::fault(fault),
        }];
        let message = format!(
            "reading the outbox until {} ({}) failed: {}",
            read.until,
            read.reason,
            evidence::fault(fault)
        );
        out.push(new_finding(
            Kind::SutError,
            conv,
            &owner.id,
            vec![],
            "outbox-read",
            Some(read.reason.clone()),
            message,
            ev,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::{OutboxRead, SutFault};
    use crate::protocol::Status;
    use crate::rules::testkit::*;

    fn detect(
        j: &crate::scenario::model::Journey,
        t: &crate::engine::trace::Trace,
    ) -> Vec<Finding> {
        check(&[&Faults, &TurnLimit, &OutboxReadFailed], j, t)
    }

    #[test]
    fn faults_turn_limits_and_failed_outbox_reads() {
        let mut s1 = step("s1", "c1", 1);
        s1.turns[0].reply = Err(SutFault::HttpStatus {
            code: 503,
            body: "down".into(),
        });
        add_turn(&mut s1, reply(Status::Done)).reply = Err(SutFault::HttpStatus {
            code: 500,
            body: String::new(),
        });
        s1.end = StepEnd::Fault;
        let mut s2 = step("s2", "c2", 2);
        let mut asking = reply(Status::NeedsInfo);
        asking.asks = vec!["k1".into()];
        s2.turns[0].reply = Ok(asking);
        s2.end = StepEnd::TurnLimit { turns: 4 };
        let mut t = trace(vec![s1, s2]);
        t.outbox_reads.push(OutboxRead {
            until: at(9),
            reason: "journey-end".into(),
            messages: Err(SutFault::Garbage {
                message: "not JSON".into(),
                body: "<html>".into(),
            }),
        });
        let found = detect(&journey(&t), &t);
        let got: Vec<(&str, &str)> = found.iter().map(|f| (&*f.step, &*f.rule)).collect();
        assert_eq!(
            got,
            vec![
                ("s1", "http-status"),
                ("s2", "turn-limit"),
                ("s2", "outbox-read")
            ]
        );
        assert_eq!(found[0].evidence.len(), 2);
        assert_eq!(found[0].evidence[0].quote, "HTTP 503: \"down\"");
    }

    #[test]
    fn clean_trace_has_no_sut_error() {
        let (j, t) = two_step_clean();
        assert!(detect(&j, &t).is_empty());
    }
}
