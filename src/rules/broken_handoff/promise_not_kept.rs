//! `broken-handoff/promise-not-kept`: a promise with no outbox message that `fulfils` it
//! by its deadline: the company did not hand the case on to its future self, often on
//! another channel. Judged only when an outbox read covering the deadline succeeded; a
//! contact whose promises the author expects not to be kept waives it.

use std::borrow::Cow;

use crate::conversation::Conversation;
use crate::rules::evidence;
use crate::rules::finding::{Evidence, Finding, Kind};
use crate::rules::new_finding;
use crate::rules::promises::{self, PromiseState};
use crate::rules::text::{Piece, text};
use crate::rules::{Check, Rule};

pub struct PromiseNotKept;

impl Rule for PromiseNotKept {
    fn ids(&self) -> &'static [&'static str] {
        &["broken-handoff/promise-not-kept"]
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
                    [&"kept late, at ", &m.at],
                    evidence::outbox(m, "outbox, late"),
                ),
                _ => (
                    [&"no outbox message fulfils it", &""],
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
                Kind::BrokenHandoff,
                conv,
                &step.id,
                vec![],
                "promise-not-kept",
                Some(p.what.clone()),
                message,
                vec![made, ev],
            ));
        }
    }
}
