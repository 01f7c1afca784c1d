//! `Ctx`: one touchpoint being handled: the request, its instant, the fixtures, the
//! profile and the journey's state, with the helpers every domain module shares
//! (what the company knows, what to ask, recognition, promises, outbox).

use serde_json::Value;

use crate::protocol::{Facts, OutboxMessage, Promise, Redirect, Reply, Status, Touchpoint};

use super::clock::{self, Instant};
use super::data::{Customer, Fixtures, IDENTIFYING_KEYS};
use super::profile::{Profile, Seam};
use super::state::JourneyState;

pub struct Ctx<'a> {
    pub tp: &'a Touchpoint,
    pub at: Instant,
    pub fx: &'a Fixtures,
    pub profile: &'a Profile,
    pub st: &'a mut JourneyState,
}

/// What a handler needs before it can act.
pub enum Need {
    Have,
    Ask(Vec<String>),
    Declined(Vec<String>),
}

/// Identifiers each channel's own system knows when `crm-memory` is broken.
fn native_identifiers(channel: &str) -> &'static [&'static str] {
    match channel {
        "phone" | "ivr" | "sms" | "whatsapp" => &["phone", "line"],
        "store" => &["loyalty_card"],
        "web" | "app" | "kiosk" => &["email", "account"],
        _ => &[],
    }
}

impl<'a> Ctx<'a> {
    pub fn broken(&self, seam: Seam) -> bool {
        self.profile.is_broken(seam)
    }

    pub fn channel(&self) -> &str {
        &self.tp.channel
    }

    /// A string fact said in this step.
    pub fn said(&self, key: &str) -> Option<&str> {
        self.tp.says.get(key).and_then(Value::as_str)
    }

    /// A fact the company knows on this contact: said in this step, presented as an
    /// identifier, or (`crm-memory` repaired) said earlier or on the customer's record.
    pub fn known(&self, key: &str) -> Option<Value> {
        if let Some(v) = self.tp.says.get(key).or_else(|| self.tp.customer.get(key)) {
            return Some(v.clone());
        }
        if self.broken(Seam::CrmMemory) {
            return None;
        }
        if let Some(v) = self.st.memory.get(key) {
            return Some(v.clone());
        }
        self.customer().and_then(|c| c.facts.get(key).cloned())
    }

    pub fn known_str(&self, key: &str) -> Option<String> {
        match self.known(key)? {
            Value::String(s) => Some(s),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// A reference quoted in `refs`, or said as a fact.
    pub fn reference(&self, key: &str) -> Option<String> {
        self.tp
            .refs
            .get(key)
            .or_else(|| self.tp.says.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// The facts among `keys` still missing; declined ones are reported first.
    pub fn need(&self, keys: &[&str]) -> Need {
        let missing: Vec<String> = keys
            .iter()
            .filter(|k| self.known(k).is_none())
            .map(|k| (*k).to_string())
            .collect();
        if missing.is_empty() {
            return Need::Have;
        }
        let declined: Vec<String> = missing
            .iter()
            .filter(|k| self.tp.declines.contains(k))
            .cloned()
            .collect();
        if declined.is_empty() {
            Need::Ask(missing)
        } else {
            Need::Declined(declined)
        }
    }

    /// The known customer on this contact, if any (see `recognized`).
    pub fn customer(&self) -> Option<&'a Customer> {
        let fx = self.fx;
        let crm_broken = self.profile.is_broken(Seam::CrmMemory);
        let native = native_identifiers(&self.tp.channel);
        let presented = self
            .tp
            .customer
            .iter()
            .filter(|(k, _)| !crm_broken || native.contains(&k.as_str()));
        let said = self.tp.says.iter();
        let remembered = self.st.memory.iter().filter(|_| !crm_broken);
        presented
            .chain(said)
            .chain(remembered)
            .find_map(|(k, v)| fx.customer_by(k, v))
    }

    /// The customer as the marketing list sees them: any identifier, any channel.
    pub fn marketing_customer(&self) -> Option<&'a Customer> {
        let fx = self.fx;
        self.tp
            .customer
            .iter()
            .chain(self.tp.says.iter())
            .chain(self.st.memory.iter())
            .filter(|(k, _)| IDENTIFYING_KEYS.contains(&k.as_str()))
            .find_map(|(k, v)| fx.customer_by(k, v))
    }

    /// A reply with `agent` and `recognized` filled in.
    pub fn reply(&self, status: Status, text: impl Into<String>) -> Reply {
        let mut reply = Reply::with_status(status);
        reply.reply = text.into();
        reply.agent = Some(self.fx.agent(&self.tp.channel));
        reply.recognized = Some(self.customer().is_some());
        reply
    }

    pub fn ask(&self, keys: Vec<String>) -> Reply {
        let mut reply = self.reply(
            Status::NeedsInfo,
            format!("Could you give me your {}?", keys.join(", ")),
        );
        reply.asks = keys;
        reply
    }

    pub fn refuse_declined(&self, keys: &[String], why: &str) -> Reply {
        self.reply(
            Status::Refused,
            format!("Without your {} we cannot {why}.", keys.join(", ")),
        )
    }

    /// A new promise, numbered per journey, due `within` after now.
    pub fn promise(&mut self, what: &str, channel: &str, within: chrono::Duration) -> Promise {
        self.st.promises_made += 1;
        Promise {
            id: format!("p{}", self.st.promises_made),
            what: what.to_string(),
            channel: channel.to_string(),
            by: clock::format(self.at + within),
        }
    }

    /// Schedule an outbox message `after` now.
    pub fn send(&mut self, after: chrono::Duration, message: Message) {
        let at = self.at + after;
        self.st.outbox.push(super::state::Scheduled {
            at,
            message: OutboxMessage {
                channel: message.channel,
                at: clock::format(at),
                text: message.text,
                fulfils: message.fulfils,
                refs: message.refs,
                answer: message.answer,
                redirect: message.redirect,
            },
        });
    }

    pub fn next_case(&mut self, topic: &str) -> String {
        self.st.cases_issued += 1;
        let reference = format!("C-{:04}", self.st.cases_issued);
        self.st.cases.push(super::state::Case {
            reference: reference.clone(),
            topic: topic.to_string(),
        });
        reference
    }
}

/// An outbox message before it is scheduled.
#[derive(Debug, Default)]
pub struct Message {
    pub channel: String,
    pub text: String,
    pub fulfils: Option<String>,
    pub refs: Facts,
    pub answer: Facts,
    pub redirect: Option<Redirect>,
}

impl Message {
    pub fn new(channel: &str, text: impl Into<String>) -> Message {
        Message {
            channel: channel.to_string(),
            text: text.into(),
            ..Message::default()
        }
    }

    pub fn fulfils(mut self, promise: &Promise) -> Message {
        self.fulfils = Some(promise.id.clone());
        self
    }

    pub fn refs(mut self, refs: Facts) -> Message {
        self.refs = refs;
        self
    }

    pub fn answer(mut self, answer: Facts) -> Message {
        self.answer = answer;
        self
    }

    pub fn redirect(mut self, redirect: Redirect) -> Message {
        self.redirect = Some(redirect);
        self
    }
}

/// Build a `Facts` map from pairs.
pub fn facts<const N: usize>(pairs: [(&str, Value); N]) -> Facts {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}
