//! `sla/no-reply`, `sla/late`: a contact left `pending` on a channel with a reply-time
//! target (`Knowledge::sla`, e-mail 24 h by default) waits for a written reply, and the
//! customer judges the company by how long it takes. Its reply (`written_reply`) is the
//! first outbox message on its channel, at or after it, that fulfils one of its promises,
//! or that fulfils nothing, is neither a survey nor a promotion, and comes when this
//! contact is the latest pending one on that channel (a message answers the most recent
//! pending contact on its channel). Late: that reply came after the target. No reply: none
//! came and a successful outbox read covers the target; without such a read nothing can
//! be told. A contact answered in place (any other status) waited nothing.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, TimeDelta};

use crate::conversation::{Contact, Conversation};
use crate::protocol::OutboxMessage;
use crate::rules::evidence;
use crate::rules::finding::{Evidence, Finding, Kind};

use crate::rules::new_finding;
use crate::rules::promises;
use crate::rules::replies::{Dated, outbox, reply_in, waiting_since};

use crate::rules::text::text;
use crate::rules::{Check, Rule};

pub struct Sla;

impl Rule for Sla {
    fn ids(&self) -> &'static [&'static str] {
        &["sla/no-reply", "sla/late"]
    }

    fn check(&self, conv: &Conversation, cx: &Check<'_>, out: &mut Vec<Finding>) {
        let mut messages: Option<Vec<Dated<'_>>> = None;
        for (index, contact) in conv.contacts.iter().enumerate() {
            let Some(target) = cx.know.sla(&contact.channel) else {
                continue;
            };
            let Some(at) = waiting_since(contact) else {
                continue;
            };
            let messages = messages.get_or_insert_with(|| outbox(conv));
            let deadline = at + target;
            let found = match reply_in(conv, cx.know, messages, index) {
                Some((when, m)) if when - at > target => late(contact, m, when - at, target),
                Some(_) => continue,
                None => match waited_until(conv) {
                    Some(until) if until >= deadline => {
                        no_reply(contact, deadline, until - at, target)
                    }
                    _ => continue,
                },
            };
            let (rule, message, ev) = found;
            let mut evidence = Vec::with_capacity(2);
            if let Some(r) = contact.final_reply() {
                evidence.push(evidence::on_step(
                    contact,
                    "SUT replied",
                    evidence::reply(r, &[]),
                ));
            }
            evidence.push(ev);
            out.push(new_finding(
                Kind::Sla,
                conv,
                &contact.id,
                vec![],
                rule,
                subject(contact),
                message,
                evidence,
            ));
        }
    }
}

/// The end of the latest successful outbox read (whose time parses).
fn waited_until(conv: &Conversation) -> Option<DateTime<FixedOffset>> {
    conv.outbox_reads
        .iter()
        .filter(|r| r.messages.is_ok())
        .filter_map(|r| DateTime::parse_from_rfc3339(&r.until).ok())
        .max()
}

/// The `what` of the contact's first promise on its own channel: the reply it waits for.
fn subject(contact: &Contact) -> Option<String> {
    promises::of_step(contact)
        .into_iter()
        .find(|p| p.channel == *contact.channel)
        .map(|p| p.what.clone())
}

type Found = (&'static str, String, Evidence);

fn late(contact: &Contact, m: &OutboxMessage, took: TimeDelta, target: TimeDelta) -> Found {
    let message = text!(
        "step `",
        contact.id,
        "` (",
        contact.channel,
        ") got its written reply after ",
        duration(took),
        ", at ",
        m.at,
        ": the ",
        contact.channel,
        " target is ",
        duration(target),
    );
    ("late", message, evidence::outbox(m, "outbox, late reply"))
}

fn no_reply(
    contact: &Contact,
    deadline: DateTime<FixedOffset>,
    waited: TimeDelta,
    target: TimeDelta,
) -> Found {
    let deadline = deadline.to_rfc3339();
    let message = text!(
        "step `",
        contact.id,
        "` (",
        contact.channel,
        ") got no written reply in ",
        duration(waited),
        " (none by ",
        deadline,
        "): the ",
        contact.channel,
        " target is ",
        duration(target),
    );
    let ev = Evidence {
        step: evidence::outbox_step(),
        channel: contact.channel.clone(),
        at: deadline.as_str().into(),
        what: Cow::Borrowed("outbox at the target"),
        quote: text!("nothing by ", deadline),
    };
    ("no-reply", message, ev)
}

/// `48 h`, `2 min`, `1 h 30 min`, `45 s`.
fn duration(d: TimeDelta) -> String {
    let secs = d.num_seconds().max(0);
    let (h, min, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut parts: Vec<String> = Vec::with_capacity(3);
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if min > 0 {
        parts.push(format!("{min} min"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

#[cfg(test)]
#[path = "sla_tests.rs"]
mod tests;
