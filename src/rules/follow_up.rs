//! `follow-up/not-kept`: a promise (a call-back, an SMS, a written reply) with no outbox
//! message that `fulfils` it by its deadline: it never came, or came late. The company did
//! not hand the case on to its future self, often on another channel. Judged only when an
//! outbox read covering the deadline succeeded; a contact whose promises the author
//! expects not to be kept waives it. (Formerly `broken-handoff/promise-not-kept`: a
//! baseline that knows a finding by that id still hides it, `run::baseline`.)

use std::borrow::Cow;

use crate::conversation::Conversation;
use crate::rules::evidence;
use crate::rules::finding::{Evidence, Finding, Kind};
use crate::rules::new_finding;
use crate::rules::promises::{self, PromiseState};
use crate::rules::text::{Piece, text};
use crate::rules::{Check, Rule};

pub struct NotKept;

impl Rule for NotKept {
    fn ids(&self) -> &'static [&'static str] {
        &["follow-up/not-kept"]
    }

    fn check(&self, conv: &Conversation, _: &Check<'_>, out: &mut Vec<Finding>) {
        for (step, p) in promises::all(conv) {
            let fulfilling = promises::fulfilling(conv, &p.id);
            let state = promises::state_of(conv, p, &fulfilling);
            let waived = || {
                conv.position(&step.id)
                    .is_some_and(|i| conv.declared.promises_waived.contains(&i))
            };
            if !matches!(state, PromiseState::Late(_) | PromiseState::Missing) || waived() {
                continue;
            }
            let made = evidence::on_step(step, "SUT promised", evidence::promise(p));
            let (why, ev): ([&dyn Piece; 2], Evidence) = match state {
                PromiseState::Late(m) => (
                    [&"it came late, at ", &m.at],
                    evidence::outbox(m, "outbox, late"),
                ),
                _ => (
                    [&"it never came", &""],
                    Evidence {
                        step: evidence::outbox_step(),
                        channel: p.channel.as_str().into(),
                        at: p.by.as_str().into(),
                        what: Cow::Borrowed("outbox at the deadline"),
                        quote: text!("nothing fulfils ", p.id),
                    },
                ),
            };
            let message = text!(
                "promise `",
                p.what,
                "` made in step `",
                step.id,
                "` (",
                step.channel,
                ") for ",
                p.channel,
                " by ",
                p.by,
                " was not kept: ",
                why[0],
                why[1],
            );
            out.push(new_finding(
                Kind::FollowUp,
                conv,
                &step.id,
                vec![],
                "not-kept",
                Some(p.what.clone()),
                message,
                vec![made, ev],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::{OutboxRead, SutFault, Trace};
    use crate::rules::testkit::*;
    use crate::scenario::model::{Journey, PromiseExpect};

    fn detect(j: &Journey, t: &Trace) -> Vec<Finding> {
        check(&[&NotKept], j, t)
    }

    fn promising(ids: &[&str]) -> Trace {
        let mut s1 = step("s1", "c1", 1);
        reply_mut(&mut s1, 0).promises = ids.iter().map(|id| promise(id, 5)).collect();
        trace(vec![s1])
    }

    #[test]
    fn a_promise_that_never_came() {
        let mut t = promising(&["p1"]);
        t.outbox_reads = vec![outbox_read(9, vec![message("c3", 4, None)])];
        let found = detect(&journey(&t), &t);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!((f.kind, &*f.rule), (Kind::FollowUp, "not-kept"));
        assert_eq!((&*f.step, f.subject.as_deref()), ("s1", Some("w-p1")));
        assert_eq!(
            f.message,
            "promise `w-p1` made in step `s1` (c1) for c3 by 2026-01-01T05:00:00+00:00 \
             was not kept: it never came"
        );
        assert_eq!(f.evidence[1].quote, "nothing fulfils p1");
    }

    #[test]
    fn kept_late_missing_kept_and_waived() {
        let mut t = promising(&["p1", "p2", "p3"]);
        t.outbox_reads = vec![
            outbox_read(5, vec![message("c3", 5, Some("p3"))]),
            outbox_read(
                9,
                vec![message("c3", 5, Some("p3")), message("c3", 6, Some("p2"))],
            ),
        ];
        let mut j = journey(&t);
        let found = detect(&j, &t);
        let subjects: Vec<_> = found.iter().map(|f| f.subject.as_deref()).collect();
        assert_eq!(subjects, [Some("w-p1"), Some("w-p2")]);
        assert!(
            found[1]
                .message
                .ends_with("was not kept: it came late, at 2026-01-01T06:00:00+00:00")
        );
        assert_eq!(found[1].evidence[1].what, "outbox, late");
        j.steps[0].expect.promises = Some(PromiseExpect {
            made: vec![],
            kept: false,
            within: None,
            matches: vec![],
        });
        assert!(detect(&j, &t).is_empty());
    }

    #[test]
    fn no_successful_outbox_read_past_the_deadline_tells_nothing() {
        let mut t = promising(&["p1"]);
        t.outbox_reads = vec![
            outbox_read(4, vec![]),
            OutboxRead {
                until: at(9),
                reason: "journey-end".into(),
                messages: Err(SutFault::Timeout { after_ms: 1 }),
            },
        ];
        assert!(detect(&journey(&t), &t).is_empty());
    }
}
