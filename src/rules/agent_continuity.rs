//! `agent-continuity/new-agent-without-context`: a contact that carries on an earlier
//! contact's case (it continues it, or quotes its references) is served by another agent
//! (the final replies' `agent`s differ) who does not have the case's context: they ask
//! again for something the customer gave in the case before, do not recognise the
//! customer, or answer the case's reference unknown. A new agent who knows the case is
//! fine; without an `agent` on either side nothing can be told. Subject `agent`: one
//! finding per contact, beside the `broken-handoff` findings about what was lost.

use crate::conversation::{Contact, Conversation};
use crate::protocol::Status;
use crate::rules::evidence;
use crate::rules::finding::{Evidence, Finding, Kind};
use crate::rules::new_finding;
use crate::rules::text::text;
use crate::rules::{Check, Rule};

pub struct NewAgentWithoutContext;

impl Rule for NewAgentWithoutContext {
    fn ids(&self) -> &'static [&'static str] {
        &["agent-continuity/new-agent-without-context"]
    }

    fn check(&self, conv: &Conversation, _: &Check<'_>, out: &mut Vec<Finding>) {
        for (index, contact) in conv.contacts.iter().enumerate() {
            let case = case_before(conv, index);
            let Some(&before) = case.first() else {
                continue;
            };
            let (Some(agent), Some(earlier_agent)) = (contact.agent(), before.agent()) else {
                continue;
            };
            if agent == earlier_agent {
                continue;
            }
            let mut why: Vec<String> = Vec::new();
            let mut ev = vec![evidence::on_step(
                before,
                "served by",
                text!("agent=", earlier_agent),
            )];
            asked_again(contact, &case, &mut why, &mut ev);
            if contact.recognised() == Some(false) {
                why.push("does not recognise the customer".into());
            }
            if let Some(r) = contact
                .replies()
                .find(|r| r.status == Status::UnknownReference)
            {
                why.push("answers the case's reference unknown".into());
                ev.push(evidence::on_step(
                    contact,
                    "SUT answered",
                    evidence::reply(r, &[]),
                ));
            }
            if why.is_empty() {
                continue;
            }
            if let Some(r) = contact.final_reply() {
                let recognised = match r.recognized {
                    Some(true) => " recognized=true",
                    Some(false) => " recognized=false",
                    None => "",
                };
                ev.push(evidence::on_step(
                    contact,
                    "served by",
                    text!("agent=", agent, recognised),
                ));
            }
            let message = text!(
                "step `",
                contact.id,
                "` (",
                contact.channel,
                ") carries on `",
                before.id,
                "` (",
                before.channel,
                ", agent ",
                earlier_agent,
                ") with a new agent, ",
                agent,
                ", without the case's context: ",
                why.join("; ")
            );
            out.push(new_finding(
                Kind::AgentContinuity,
                conv,
                &contact.id,
                case.iter().map(|c| c.id.clone()).collect(),
                "new-agent-without-context",
                Some("agent".into()),
                message,
                ev,
            ));
        }
    }
}

/// The contacts whose case contact `index` carries on: the one it continues and those it
/// continues in turn, nearest first, then the ones whose references it quotes.
fn case_before(conv: &Conversation, index: usize) -> Vec<&Contact> {
    let mut out: Vec<&Contact> = Vec::new();
    let mut next = conv.continued(index);
    while let Some(c) = next {
        if out.iter().any(|seen| seen.id == c.id) {
            break;
        }
        out.push(c);
        next = conv.position(&c.id).and_then(|i| conv.continued(i));
    }
    for c in conv.quoted(index) {
        if !out.iter().any(|seen| seen.id == c.id) {
            out.push(c);
        }
    }
    out
}

/// What the contact's agent asks for that the customer gave in the case before.
fn asked_again(
    contact: &Contact,
    case: &[&Contact],
    why: &mut Vec<String>,
    ev: &mut Vec<Evidence>,
) {
    let mut keys: Vec<&str> = Vec::new();
    for r in contact.replies() {
        let mut asked_here = false;
        for key in &r.asks {
            if keys.contains(&key.as_str()) {
                continue;
            }
            let given = case.iter().find_map(|c| {
                c.turns
                    .iter()
                    .find_map(|t| t.request.says.get(key).or(t.request.customer.get(key)))
                    .map(|v| (*c, v))
            });
            if let Some((c, v)) = given {
                keys.push(key);
                ev.push(evidence::on_step(
                    c,
                    "customer gave",
                    evidence::field(key, Some(v)),
                ));
                asked_here = true;
            }
        }
        if asked_here {
            ev.push(evidence::on_step(contact, "SUT asked", evidence::asked(r)));
        }
    }
    if !keys.is_empty() {
        why.push(text!("asks again for `", keys.join("`, `"), "`"));
    }
}

#[cfg(test)]
#[path = "agent_continuity_tests.rs"]
mod tests;
