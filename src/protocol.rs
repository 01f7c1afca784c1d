//! `Touchpoint` and `Reply`: the wire types of the touchpoint protocol v0
//! (docs/protocol.md), shared by the engine's client and the reference retailer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Facts and references are plain JSON values keyed by name.
pub type Facts = BTreeMap<String, Value>;

/// One turn of one touchpoint, as sent to `POST {target}/touchpoints`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Touchpoint {
    pub journey: String,
    pub step: String,
    pub turn: u32,
    pub channel: String,
    /// RFC 3339 with offset: the only clock the SUT may use.
    pub at: String,
    #[serde(default)]
    pub customer: Facts,
    pub intent: String,
    #[serde(default)]
    pub says: Facts,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declines: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub refs: Facts,
}

/// Business outcome of a touchpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    Pending,
    NeedsInfo,
    Redirected,
    Refused,
    UnknownReference,
    Error,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Done,
        Status::Pending,
        Status::NeedsInfo,
        Status::Redirected,
        Status::Refused,
        Status::UnknownReference,
        Status::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Pending => "pending",
            Status::NeedsInfo => "needs_info",
            Status::Redirected => "redirected",
            Status::Refused => "refused",
            Status::UnknownReference => "unknown_reference",
            Status::Error => "error",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the SUT sends the customer; `refs` is what travels with them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Redirect {
    pub channel: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub refs: Facts,
}

/// A commitment to do something later, on a channel, by a deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Promise {
    pub id: String,
    pub what: String,
    pub channel: String,
    /// RFC 3339 deadline.
    pub by: String,
}

/// The SUT's answer to one touchpoint turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub status: Status,
    #[serde(default)]
    pub reply: String,
    #[serde(default)]
    pub asks: Vec<String>,
    #[serde(default)]
    pub answer: Facts,
    #[serde(default)]
    pub refs: Facts,
    #[serde(default)]
    pub recognized: Option<bool>,
    #[serde(default)]
    pub agent: Option<String>,
    #[serde(default)]
    pub redirect: Option<Redirect>,
    #[serde(default)]
    pub promises: Vec<Promise>,
    /// Unknown fields are kept in the trace and ignored by detectors.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Reply {
    /// A reply with just a status, for tests and for building replies step by step.
    pub fn with_status(status: Status) -> Self {
        Reply {
            status,
            reply: String::new(),
            asks: Vec::new(),
            answer: Facts::new(),
            refs: Facts::new(),
            recognized: None,
            agent: None,
            redirect: None,
            promises: Vec::new(),
            extra: BTreeMap::new(),
        }
    }
}

/// A message in `GET {target}/outbox`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub channel: String,
    pub at: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub fulfils: Option<String>,
    #[serde(default)]
    pub refs: Facts,
    #[serde(default)]
    pub answer: Facts,
    #[serde(default)]
    pub redirect: Option<Redirect>,
}

/// One entry of `GET {target}/intents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentInfo {
    pub intent: String,
    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub subject: Vec<String>,
    #[serde(default)]
    pub answer: Vec<String>,
}

/// The error body of a 4xx reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}

/// The channels the protocol knows (an open set: others are allowed with a warning).
pub const KNOWN_CHANNELS: [&str; 12] = [
    "store", "web", "app", "phone", "ivr", "email", "sms", "chat", "whatsapp", "social", "kiosk",
    "video",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_keeps_unknown_fields_and_defaults_missing_ones() {
        let reply: Reply =
            serde_json::from_str(r#"{"status":"needs_info","asks":["email"],"mood":"calm"}"#)
                .expect("valid reply");
        assert_eq!(reply.status, Status::NeedsInfo);
        assert_eq!(reply.asks, vec!["email".to_string()]);
        assert_eq!(reply.extra.get("mood"), Some(&Value::from("calm")));
        assert!(reply.promises.is_empty());
    }

    #[test]
    fn touchpoint_omits_empty_optional_lists() {
        let tp = Touchpoint {
            journey: "j".into(),
            step: "s".into(),
            turn: 1,
            channel: "web".into(),
            at: "2026-12-20T11:00:00+01:00".into(),
            customer: Facts::new(),
            intent: "stock.check".into(),
            says: Facts::new(),
            answers: vec![],
            declines: vec![],
            refs: Facts::new(),
        };
        let text = serde_json::to_string(&tp).expect("serialises");
        assert!(!text.contains("answers"));
        assert!(!text.contains("refs"));
    }
}
