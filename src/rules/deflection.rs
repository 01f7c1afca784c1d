//! `deflection/sent-elsewhere`: the SUT sends the customer to another channel instead of
//! serving them where they are. A contact's final reply redirects to another channel (or
//! the written reply it waited for does: `replies::written_reply`), while the catalogue
//! says the contact's own channel serves its intent; when the catalogue cannot tell, it
//! is still a finding, and the message says so. A channel that does not serve the intent
//! redirects rightly; a redirect on the same channel is a transfer, not a deflection.
//!
//! A warm transfer is no deflection either: the redirect carries the case (`refs`) and the
//! customer's next contact on the target channel is recognised and served (`done`).

use crate::conversation::{Contact, Conversation};
use crate::protocol::{OutboxMessage, Redirect, Status};
use crate::rules::evidence;
use crate::rules::finding::{Finding, Kind};
use crate::rules::new_finding;
use crate::rules::replies;
use crate::rules::text::text;
use crate::rules::{Check, Rule};

pub struct SentElsewhere;

impl Rule for SentElsewhere {
    fn ids(&self) -> &'static [&'static str] {
        &["deflection/sent-elsewhere"]
    }

    fn check(&self, conv: &Conversation, cx: &Check<'_>, out: &mut Vec<Finding>) {
        for (index, contact) in conv.contacts.iter().enumerate() {
            let Some(r) = contact.final_reply() else {
                continue;
            };
            let written = || replies::written_reply(conv, cx.know, index);
            let (redirect, message) = match &r.redirect {
                Some(d) => (d, None),
                None => match written().and_then(|m| m.redirect.as_ref().map(|d| (d, m))) {
                    Some((d, m)) => (d, Some(m)),
                    None => continue,
                },
            };
            if redirect.channel == *contact.channel || warm_transfer(conv, index, redirect) {
                continue;
            }
            let serves = cx.know.serves(&contact.intent, &contact.channel);
            if serves == Some(false) {
                continue;
            }
            let mut ev = vec![evidence::on_step(
                contact,
                if message.is_some() {
                    "SUT answered"
                } else {
                    "SUT redirected"
                },
                reply_quote(r),
            )];
            if let Some(m) = message {
                ev.push(evidence::outbox(m, "written reply"));
            }
            out.push(new_finding(
                Kind::Deflection,
                conv,
                &contact.id,
                vec![],
                "sent-elsewhere",
                None,
                describe(contact, redirect, message, serves.is_some()),
                ev,
            ));
        }
    }
}

/// The redirect carries the case and the next contact on its channel is a known customer
/// served there.
fn warm_transfer(conv: &Conversation, index: usize, redirect: &Redirect) -> bool {
    if redirect.refs.is_empty() {
        return false;
    }
    conv.contacts
        .iter()
        .skip(index + 1)
        .find(|c| *c.channel == *redirect.channel)
        .and_then(Contact::final_reply)
        .is_some_and(|r| r.recognized == Some(true) && r.status == Status::Done)
}

/// The reply, with where it redirects, if it does.
fn reply_quote(r: &crate::protocol::Reply) -> String {
    let mut quote = evidence::reply(r, &[]);
    if let Some(d) = &r.redirect {
        quote.push_str(&text!(
            " redirect to ",
            d.channel,
            " with refs ",
            evidence::facts(&d.refs)
        ));
    }
    quote
}

fn describe(
    contact: &Contact,
    redirect: &Redirect,
    message: Option<&OutboxMessage>,
    known: bool,
) -> String {
    let by = match message {
        Some(m) => text!("the written reply (", m.channel, ", ", m.at, ") to step `"),
        None => String::from("step `"),
    };
    let catalogue = if known {
        text!(
            "the catalogue says ",
            contact.channel,
            " serves ",
            contact.intent
        )
    } else {
        text!(
            "the catalogue does not say whether ",
            contact.channel,
            " serves ",
            contact.intent
        )
    };
    text!(
        by,
        contact.id,
        "` (",
        contact.channel,
        ") sends the customer to ",
        redirect.channel,
        " instead of serving them: ",
        catalogue
    )
}

#[cfg(test)]
#[path = "deflection_tests.rs"]
mod tests;
