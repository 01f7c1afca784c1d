//! `broken-handoff/redirect-drops-case`: the SUT sends the customer to another channel
//! without the case: a handoff contact's reply, or a message keeping a promise, redirects
//! with no `refs`.

use crate::conversation::Conversation;
use crate::protocol::OutboxMessage;
use crate::rules::evidence;
use crate::rules::finding::{Finding, Kind};
use crate::rules::new_finding;
use crate::rules::promises;
use crate::rules::text::text;
use crate::rules::{Check, Rule};

use super::{Handoff, handoffs};

pub struct RedirectDropsCase;

impl Rule for RedirectDropsCase {
    fn ids(&self) -> &'static [&'static str] {
        &["broken-handoff/redirect-drops-case"]
    }

    fn check(&self, conv: &Conversation, _: &Check<'_>, out: &mut Vec<Finding>) {
        for h in handoffs(conv) {
            h.redirect_drops_case(out);
        }
        promise_messages(conv, out);
    }
}

impl Handoff<'_> {
    fn redirect_drops_case(&self, out: &mut Vec<Finding>) {
        let Some(r) = self.step.final_reply() else {
            return;
        };
        let Some(redirect) = r.redirect.as_ref().filter(|d| d.refs.is_empty()) else {
            return;
        };
        let mut ev = self.quoted();
        ev.push(evidence::on_step(
            self.step,
            "SUT redirected",
            evidence::reply(r, &[]) + " to " + &redirect.channel + " with refs {}",
        ));
        out.push(self.finding(
            "redirect-drops-case",
            Some(redirect.channel.clone()),
            &[
                &"the SUT sends the customer to ",
                &redirect.channel,
                &" without the case",
            ],
            ev,
        ));
    }
}

/// Every message keeping a promise that sends the customer away without the case.
fn promise_messages(conv: &Conversation, out: &mut Vec<Finding>) {
    let drops = |m: &OutboxMessage| m.redirect.as_ref().is_some_and(|r| r.refs.is_empty());
    for (step, p) in promises::all(conv) {
        let fulfilling = promises::fulfilling(conv, &p.id);
        for m in fulfilling.iter().filter(|m| drops(m)) {
            let Some(r) = &m.redirect else { continue };
            let made = evidence::on_step(step, "SUT promised", evidence::promise(p));
            let message = text!(
                "the message keeping promise `",
                p.what,
                "` of step `",
                step.id,
                "` sends the customer to ",
                r.channel,
                " without the case",
            );
            out.push(new_finding(
                Kind::BrokenHandoff,
                conv,
                &step.id,
                vec![],
                "redirect-drops-case",
                Some(p.what.clone()),
                message,
                vec![made, evidence::outbox(m, "outbox message")],
            ));
        }
    }
}
