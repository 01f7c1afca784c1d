//! The REST face's own wire format (`Interaction` in, `Outcome` out, `Message`s) and its
//! translation to and from the protocol types the retailer's domain logic works with.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::protocol::{Facts, OutboxMessage, Redirect, Reply, Status, Touchpoint};

/// One contact as the REST face receives it (`data` may come from a cart instead).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    pub session: String,
    pub contact: String,
    pub attempt: u32,
    pub time: String,
    #[serde(default)]
    pub client: Facts,
    #[serde(default)]
    pub data: Facts,
    #[serde(default)]
    pub answered: Vec<String>,
    #[serde(default)]
    pub withheld: Vec<String>,
    #[serde(default)]
    pub quoting: Facts,
}

/// Fields an `Interaction` cannot do without (a 422 lists the missing ones).
pub const REQUIRED: [&str; 4] = ["session", "contact", "attempt", "time"];

impl Interaction {
    pub fn touchpoint(self, channel: &str, intent: &str) -> Touchpoint {
        Touchpoint {
            journey: self.session,
            step: self.contact,
            turn: self.attempt,
            channel: channel.to_string(),
            at: self.time,
            customer: self.client,
            intent: intent.to_string(),
            says: self.data,
            answers: self.answered,
            declines: self.withheld,
            refs: self.quoting,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    pub to: String,
    pub why: String,
    pub references: Facts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: String,
    pub via: String,
    pub due: String,
}

/// The REST face's answer to an interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub state: String,
    pub message: String,
    pub missing: Vec<String>,
    pub result: Facts,
    pub references: Facts,
    pub customer_known: Option<bool>,
    pub handled_by: Option<String>,
    pub transfer: Option<Transfer>,
    pub commitments: Vec<Commitment>,
}

fn transfer(r: Redirect) -> Transfer {
    Transfer {
        to: r.channel,
        why: r.reason,
        references: r.refs,
    }
}

/// The state word and HTTP status of each protocol status.
pub fn state_of(status: Status) -> (&'static str, StatusCode) {
    match status {
        Status::Done => ("completed", StatusCode::OK),
        Status::Pending => ("in_progress", StatusCode::ACCEPTED),
        Status::NeedsInfo => ("missing_data", StatusCode::UNPROCESSABLE_ENTITY),
        Status::Redirected => ("transferred", StatusCode::OK),
        Status::Refused => ("rejected", StatusCode::CONFLICT),
        Status::UnknownReference => ("not_found", StatusCode::NOT_FOUND),
        Status::Error => ("failed", StatusCode::INTERNAL_SERVER_ERROR),
    }
}

pub fn outcome(reply: Reply) -> (StatusCode, Outcome) {
    let (state, code) = state_of(reply.status);
    let outcome = Outcome {
        state: state.to_string(),
        message: reply.reply,
        missing: reply.asks,
        result: reply.answer,
        references: reply.refs,
        customer_known: reply.recognized,
        handled_by: reply.agent,
        transfer: reply.redirect.map(transfer),
        commitments: reply
            .promises
            .into_iter()
            .map(|p| Commitment {
                reference: p.id,
                kind: p.what,
                via: p.channel,
                due: p.by,
            })
            .collect(),
    };
    (code, outcome)
}

/// An outbox message as the REST face lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub via: String,
    pub sent_at: String,
    pub body: String,
    pub fulfils_commitment: Option<String>,
    pub references: Facts,
    pub data: Facts,
    pub transfer: Option<Transfer>,
}

pub fn message(m: OutboxMessage) -> Message {
    Message {
        via: m.channel,
        sent_at: m.at,
        body: m.text,
        fulfils_commitment: m.fulfils,
        references: m.refs,
        data: m.answer,
        transfer: m.redirect.map(transfer),
    }
}

/// The REST operation (last path segment) of each intent; `order.create` is a cart
/// (`POST carts`) then its checkout (`POST carts/{id}/checkout`).
pub const OPERATIONS: [(&str, &str); 13] = [
    ("stock-queries", "stock.check"),
    ("cart-quotes", "cart.options"),
    ("order-lookups", "order.status"),
    ("invoice-changes", "invoice.change"),
    ("incidents", "incident.report"),
    ("account-cases", "account.help"),
    ("slot-queries", "booking.slots"),
    ("queue-queries", "queue.status"),
    ("info-requests", "info.request"),
    ("questions", "question.ask"),
    ("support-cases", "support.request"),
    ("activations", "device.activate"),
    ("subscriptions", "marketing.optin"),
];

/// Channels behind each system prefix.
pub fn channels_of(system: &str) -> &'static [&'static str] {
    match system {
        "pos" => &["store"],
        "shop" => &["web", "app", "kiosk"],
        "crm" => &[
            "phone", "ivr", "email", "chat", "whatsapp", "social", "sms", "video",
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_own_http_code_or_state() {
        let mut seen = Vec::new();
        for s in Status::ALL {
            let (state, _) = state_of(s);
            assert!(!seen.contains(&state));
            seen.push(state);
        }
        assert_eq!(
            state_of(Status::NeedsInfo).1,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn every_intent_but_order_create_has_an_operation() {
        let names = crate::reference::intents::intent_names();
        for intent in names.iter().filter(|i| **i != "order.create") {
            assert!(OPERATIONS.iter().any(|(_, i)| i == intent), "{intent}");
        }
        assert_eq!(OPERATIONS.len() + 1, names.len());
    }
}
