//! `sut-error`: SUT faults (timeouts, 5xx, garbage, rejections) on the step they hit,
//! steps that hit the turn limit, and outbox reads that failed.
//!
//! Rules: the fault kind (`timeout`, `connection`, `http-status`, `rejected`, `garbage`),
//! `turn-limit`, `outbox-read`.

use std::sync::Arc;

use crate::detect::evidence;
use crate::detect::finding::{Evidence, Finding, Kind};
use crate::detect::new_finding;
use crate::engine::trace::{StepEnd, Trace};
use crate::scenario::model::Journey;

pub fn detect(journey: &Journey, trace: &Trace) -> Vec<Finding> {
    let mut out = Vec::new();
    detect_into(journey, trace, &mut out);
    out
}

/// `detect`, the findings added to `out`.
pub(crate) fn detect_into(_journey: &Journey, trace: &Trace, out: &mut Vec<Finding>) {
    for s in &trace.steps {
        // One finding per fault kind in the step, quoting each faulty turn.
        let mut kinds: Vec<(&'static str, Vec<Evidence>)> = Vec::new();
        for t in &s.turns {
            let Err(fault) = &t.reply else { continue };
            let rule = evidence::fault_rule(fault);
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
                trace,
                &s.id,
                vec![],
                rule,
                None,
                message,
                ev,
            ));
        }
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
                trace,
                &s.id,
                vec![],
                "turn-limit",
                None,
                message,
                ev,
            ));
        }
    }
    for read in &trace.outbox_reads {
        let Err(fault) = &read.messages else { continue };
        // A read at a promise's deadline belongs to the step that made the promise.
        let owner = read
            .reason
            .strip_prefix("promise:")
            .and_then(|id| {
                trace
                    .steps
                    .iter()
                    .find(|s| s.promises().any(|p| p.id == id))
            })
            .or(trace.steps.last());
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
            trace,
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
    use crate::detect::testkit::*;
    use crate::engine::trace::{OutboxRead, SutFault};
    use crate::protocol::Status;

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
