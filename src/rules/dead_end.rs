//! `dead-end/no-resolution`: the customer comes back about one case again and again and
//! nobody resolves it: `know.dead_end_contacts` contacts (3 by default; 0 switches the
//! rule off) about one case before any contact resolves it.
//!
//! A case is the contacts of one intent that the conversation's links chain together
//! (declared continuations, quoted or carried references, shared identifiers), directly or
//! through contacts of other intents: three contacts about an invoice that each continue
//! the sale are about one case even when none continues another. A contact resolves the
//! case when its final status is `done` and, if the intent's answers have a `resolved`
//! role, that field is not `false`. A contact with no reply at all (a SUT fault) neither
//! counts nor resolves: `sut-error` reports it. The finding is on the contact that makes
//! the count reach the threshold, once per case.

use std::collections::BTreeMap;

use crate::conversation::{Contact, Conversation};
use crate::protocol::{Reply, Status};
use crate::rules::evidence;
use crate::rules::finding::{Finding, Kind};
use crate::rules::new_finding;
use crate::rules::text::text;
use crate::rules::{Check, Knowledge, Rule};

pub struct NoResolution;

impl Rule for NoResolution {
    fn ids(&self) -> &'static [&'static str] {
        &["dead-end/no-resolution"]
    }

    fn check(&self, conv: &Conversation, cx: &Check<'_>, out: &mut Vec<Finding>) {
        let threshold = cx.know.dead_end_contacts;
        if threshold == 0 {
            return;
        }
        let case = conv.case_starts(|_| true);
        // Each case (by its first contact), once: closed when resolved or reported.
        let mut closed: Vec<usize> = Vec::new();
        let mut open: BTreeMap<usize, Vec<(&Contact, &Reply)>> = BTreeMap::new();
        for (i, contact) in conv.contacts.iter().enumerate() {
            let Some(r) = contact.final_reply() else {
                continue;
            };
            let id = case[i];
            if closed.contains(&id) {
                continue;
            }
            if resolves(cx.know, contact, r) {
                closed.push(id);
                continue;
            }
            let unresolved = open.entry(id).or_default();
            unresolved.push((contact, r));
            if unresolved.len() >= threshold {
                out.extend(finding(conv, cx.know, unresolved));
                closed.push(id);
            }
        }
    }
}

/// Whether the contact's final reply resolves its case.
fn resolves(know: &Knowledge, contact: &Contact, r: &Reply) -> bool {
    r.status == Status::Done && know.not_unresolved(&contact.intent, &r.answer)
}

fn finding(
    conv: &Conversation,
    know: &Knowledge,
    contacts: &[(&Contact, &Reply)],
) -> Option<Finding> {
    let &(last, _) = contacts.last()?;
    let field = know.role(&last.intent, "resolved");
    let fields: Vec<&str> = field.into_iter().collect();
    let listed: Vec<String> = contacts
        .iter()
        .map(|(c, r)| text!("`", c.id, "` (", c.channel, ") ", r.status.as_str()))
        .collect();
    let message = text!(
        contacts.len(),
        " contacts about one ",
        last.intent,
        " case and none resolves it: ",
        listed.join(", ")
    );
    let ev = contacts
        .iter()
        .map(|(c, r)| evidence::on_step(c, "SUT answered", evidence::reply(r, &fields)))
        .collect();
    Some(new_finding(
        Kind::DeadEnd,
        conv,
        &last.id,
        contacts.iter().map(|(c, _)| c.id.clone()).collect(),
        "no-resolution",
        None,
        message,
        ev,
    ))
}

#[cfg(test)]
#[path = "dead_end_tests.rs"]
mod tests;
