//! `recognition/stranger`: the customer is a friend on one channel and a stranger on
//! another: a final reply recognised them (`recognized: true`) and a later contact on
//! another channel, where they presented identifiers, does not (`recognized: false`). A
//! customer who presented nothing cannot be recognised, so that is no finding; nor is a
//! stranger on the channel that knew them (the same channel forgetting is another matter).
//! One finding per later contact, with the nearest earlier contact that knew them.

use crate::conversation::Conversation;
use crate::rules::evidence;
use crate::rules::finding::{Finding, Kind};
use crate::rules::new_finding;
use crate::rules::text::text;
use crate::rules::{Check, Rule};

pub struct Stranger;

impl Rule for Stranger {
    fn ids(&self) -> &'static [&'static str] {
        &["recognition/stranger"]
    }

    fn check(&self, conv: &Conversation, _: &Check<'_>, out: &mut Vec<Finding>) {
        for (index, contact) in conv.contacts.iter().enumerate() {
            if contact.recognised() != Some(false) || contact.customer.is_empty() {
                continue;
            }
            let friend = conv.contacts[..index]
                .iter()
                .rev()
                .find(|c| c.channel != contact.channel && c.recognised() == Some(true));
            let Some(friend) = friend else {
                continue;
            };
            let quote = |c: &crate::conversation::Contact, known: &'static str| {
                let status = c.final_reply().map_or("", |r| r.status.as_str());
                text!(status, " ", known)
            };
            let ev = vec![
                evidence::on_step(
                    friend,
                    "SUT recognised the customer",
                    quote(friend, "recognized=true"),
                ),
                evidence::on_step(
                    contact,
                    "customer presented",
                    evidence::facts(&contact.customer),
                ),
                evidence::on_step(contact, "SUT answered", quote(contact, "recognized=false")),
            ];
            let message = text!(
                "the customer, recognised on ",
                friend.channel,
                " in step `",
                friend.id,
                "`, is a stranger on ",
                contact.channel,
                " in step `",
                contact.id,
                "`"
            );
            out.push(new_finding(
                Kind::Recognition,
                conv,
                &contact.id,
                vec![friend.id.clone()],
                "stranger",
                None,
                message,
                ev,
            ));
        }
    }
}

#[cfg(test)]
#[path = "recognition_tests.rs"]
mod tests;
