//! `written_reply`: the outbox message that answers a contact left `pending` (a written
//! reply, as e-mail and social desks give). Its reply is the first outbox message on its
//! channel, at or after it, that fulfils one of its promises, or that fulfils nothing, is
//! neither a survey nor a promotion, and comes when this contact is the latest pending
//! one on that channel (a message answers the most recent pending contact on its channel).
//! A contact answered in place (any other status) waits for nothing. Shared by `sla`
//! (how long it took) and `deflection` (whether it sends the customer elsewhere).

use chrono::{DateTime, FixedOffset};

use crate::conversation::{Contact, Conversation};
use crate::protocol::{OutboxMessage, Status};
use crate::rules::knowledge::Knowledge;
use crate::rules::promises;

/// An outbox message with its time.
pub(crate) type Dated<'a> = (DateTime<FixedOffset>, &'a OutboxMessage);

/// The outbox message that answers contact `index` in writing, if it waits for one (its
/// final reply is `pending`) and one came: see the module.
pub fn written_reply<'a>(
    conv: &'a Conversation,
    know: &Knowledge,
    index: usize,
) -> Option<&'a OutboxMessage> {
    waiting_since(conv.contacts.get(index)?)?;
    reply_in(conv, know, &outbox(conv), index).map(|(_, m)| m)
}

/// When `contact` started waiting for a written reply: its time, if its final reply is
/// `pending` (and the time parses).
pub(crate) fn waiting_since(contact: &Contact) -> Option<DateTime<FixedOffset>> {
    let pending = contact
        .final_reply()
        .is_some_and(|r| r.status == Status::Pending);
    if !pending {
        return None;
    }
    DateTime::parse_from_rfc3339(&contact.at).ok()
}

/// Every distinct message of the successful outbox reads whose time parses, in time order.
pub(crate) fn outbox(conv: &Conversation) -> Vec<Dated<'_>> {
    let mut out: Vec<Dated<'_>> = Vec::new();
    for read in &conv.outbox_reads {
        let Ok(messages) = &read.messages else {
            continue;
        };
        for m in messages {
            if out.iter().any(|(_, seen)| *seen == m) {
                continue;
            }
            if let Ok(at) = DateTime::parse_from_rfc3339(&m.at) {
                out.push((at, m));
            }
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out
}

/// The reply to contact `index` among `messages` (in time order), with its time.
pub(crate) fn reply_in<'a>(
    conv: &Conversation,
    know: &Knowledge,
    messages: &[Dated<'a>],
    index: usize,
) -> Option<Dated<'a>> {
    let contact = conv.contacts.get(index)?;
    let at = DateTime::parse_from_rfc3339(&contact.at).ok()?;
    let promised = promises::of_step(contact);
    messages.iter().copied().find(|(when, m)| {
        if *when < at || m.channel != *contact.channel {
            return false;
        }
        match &m.fulfils {
            Some(id) => promised.iter().any(|p| p.id == *id),
            None => {
                !know.is_survey(m)
                    && know.promotion(m).is_none()
                    && latest_pending(conv, &m.channel, *when) == Some(index)
            }
        }
    })
}

/// The pending contact on `channel` latest at or before `when` (the later one of two at
/// the same time).
fn latest_pending(
    conv: &Conversation,
    channel: &str,
    when: DateTime<FixedOffset>,
) -> Option<usize> {
    let mut best: Option<(DateTime<FixedOffset>, usize)> = None;
    for (i, c) in conv.contacts.iter().enumerate() {
        if *c.channel != *channel {
            continue;
        }
        let Some(at) = waiting_since(c) else {
            continue;
        };
        if at <= when && best.is_none_or(|(b, _)| at >= b) {
            best = Some((at, i));
        }
    }
    best.map(|(_, i)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Two contacts left pending on `c1` (hours 1 and 3), the first promising `p1`.
    fn two_waiting(messages: Vec<OutboxMessage>) -> Conversation {
        use crate::rules::testkit::{outbox_read, promise, reply, step, trace};
        let mut first = step("s1", "c1", 1);
        let mut r = reply(Status::Pending);
        r.promises = vec![promise("p1", 10)];
        first.turns[0].reply = Ok(r);
        let mut second = step("s2", "c1", 3);
        second.turns[0].reply = Ok(reply(Status::Pending));
        let mut t = trace(vec![first, second, step("s3", "c1", 4)]);
        t.outbox_reads = vec![outbox_read(20, messages)];
        crate::conversation::inferred(t)
    }

    #[test]
    fn a_written_reply_answers_the_latest_pending_contact_or_keeps_its_promise() {
        use crate::rules::testkit::message;
        let know = Knowledge::default();
        let plain = message("c1", 5, None);
        let conv = two_waiting(vec![plain.clone()]);
        assert_eq!(written_reply(&conv, &know, 0), None);
        assert_eq!(written_reply(&conv, &know, 1), Some(&plain));
        // Answered in place (`done`): it waits for nothing.
        assert_eq!(written_reply(&conv, &know, 2), None);
        let kept = message("c1", 6, Some("p1"));
        let elsewhere = message("c2", 2, None);
        let conv = two_waiting(vec![elsewhere, plain.clone(), kept.clone()]);
        assert_eq!(written_reply(&conv, &know, 0), Some(&kept));
        assert_eq!(written_reply(&conv, &know, 1), Some(&plain));
        // A message between the two contacts answers the first.
        let between = message("c1", 2, None);
        let conv = two_waiting(vec![plain.clone(), between.clone()]);
        assert_eq!(written_reply(&conv, &know, 0), Some(&between));
    }

    #[test]
    fn surveys_and_promotions_answer_nobody() {
        use crate::rules::testkit::message;
        let catalogue = serde_json::from_value(serde_json::json!({
            "intents": [], "outbox": {"about": "topic", "surveys": ["survey"]}
        }))
        .expect("catalogue");
        let know = Knowledge::of(Some(catalogue));
        let about = |topic: &str| {
            let mut m = message("c1", 5, None);
            m.answer.insert("topic".into(), Value::from(topic));
            m
        };
        let conv = two_waiting(vec![about("survey"), about("garden")]);
        assert_eq!(written_reply(&conv, &know, 1), None);
        let mut redirect = about("garden");
        redirect.redirect = Some(crate::protocol::Redirect {
            channel: "c2".into(),
            reason: String::new(),
            refs: Default::default(),
        });
        let conv = two_waiting(vec![about("survey"), redirect.clone()]);
        assert_eq!(written_reply(&conv, &know, 1), Some(&redirect));
    }
}
