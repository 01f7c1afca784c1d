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

/// The SUT's answer to one touchpoint turn. Deserialized field by field (`reply_de`),
/// unknown fields into `extra`, without buffering the whole reply first as
/// `#[serde(flatten)]` would: every reply of a run goes through it.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

mod reply_de {
    use std::collections::BTreeMap;
    use std::fmt;

    use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

    use super::{Facts, Promise, Redirect, Reply, Status};

    impl<'de> Deserialize<'de> for Reply {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_map(ReplyVisitor)
        }
    }

    struct ReplyVisitor;

    /// A key of the reply object: a known field, or another kept by name.
    enum Field {
        Status,
        Reply,
        Asks,
        Answer,
        Refs,
        Recognized,
        Agent,
        Redirect,
        Promises,
        Other(String),
    }

    impl<'de> Deserialize<'de> for Field {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_identifier(FieldVisitor)
        }
    }

    struct FieldVisitor;

    impl Visitor<'_> for FieldVisitor {
        type Value = Field;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a field name")
        }

        fn visit_str<E: de::Error>(self, key: &str) -> Result<Field, E> {
            Ok(match key {
                "status" => Field::Status,
                "reply" => Field::Reply,
                "asks" => Field::Asks,
                "answer" => Field::Answer,
                "refs" => Field::Refs,
                "recognized" => Field::Recognized,
                "agent" => Field::Agent,
                "redirect" => Field::Redirect,
                "promises" => Field::Promises,
                other => Field::Other(other.to_string()),
            })
        }
    }

    /// Sets `slot` once; a second value for the same field is an error, as with derive.
    fn once<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        map: &mut A,
        slot: &mut Option<T>,
        field: &'static str,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(field));
        }
        *slot = Some(map.next_value()?);
        Ok(())
    }

    impl<'de> Visitor<'de> for ReplyVisitor {
        type Value = Reply;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a touchpoint reply (an object with a `status`)")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Reply, A::Error> {
            let mut status: Option<Status> = None;
            let mut reply: Option<String> = None;
            let mut asks: Option<Vec<String>> = None;
            let mut answer: Option<Facts> = None;
            let mut refs: Option<Facts> = None;
            let mut recognized: Option<Option<bool>> = None;
            let mut agent: Option<Option<String>> = None;
            let mut redirect: Option<Option<Redirect>> = None;
            let mut promises: Option<Vec<Promise>> = None;
            let mut extra = BTreeMap::new();
            while let Some(key) = map.next_key::<Field>()? {
                match key {
                    Field::Status => once(&mut map, &mut status, "status")?,
                    Field::Reply => once(&mut map, &mut reply, "reply")?,
                    Field::Asks => once(&mut map, &mut asks, "asks")?,
                    Field::Answer => once(&mut map, &mut answer, "answer")?,
                    Field::Refs => once(&mut map, &mut refs, "refs")?,
                    Field::Recognized => once(&mut map, &mut recognized, "recognized")?,
                    Field::Agent => once(&mut map, &mut agent, "agent")?,
                    Field::Redirect => once(&mut map, &mut redirect, "redirect")?,
                    Field::Promises => once(&mut map, &mut promises, "promises")?,
                    Field::Other(name) => {
                        extra.insert(name, map.next_value()?);
                    }
                }
            }
            Ok(Reply {
                status: status.ok_or_else(|| de::Error::missing_field("status"))?,
                reply: reply.unwrap_or_default(),
                asks: asks.unwrap_or_default(),
                answer: answer.unwrap_or_default(),
                refs: refs.unwrap_or_default(),
                recognized: recognized.flatten(),
                agent: agent.flatten(),
                redirect: redirect.flatten(),
                promises: promises.unwrap_or_default(),
                extra,
            })
        }
    }
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

pub use crate::catalogue::IntentInfo;

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
    fn reply_fields_are_typed_checked_once_and_required_status_named() {
        let full = r#"{"status":"redirected","reply":"go","asks":[],"answer":{"n":1},
            "refs":{"order":"A-1"},"recognized":true,"agent":null,
            "redirect":{"channel":"web","refs":{}},"promises":[{"id":"p","what":"w",
            "channel":"email","by":"2026-12-20T11:00:00+01:00"}],"x":[1]}"#;
        let reply: Reply = serde_json::from_str(full).expect("valid reply");
        assert_eq!(reply.status, Status::Redirected);
        assert_eq!(reply.answer.get("n"), Some(&Value::from(1)));
        assert_eq!(reply.recognized, Some(true));
        assert_eq!(reply.agent, None);
        assert_eq!(reply.redirect.map(|r| r.channel), Some("web".to_string()));
        assert_eq!(reply.promises.len(), 1);
        assert_eq!(reply.extra.get("x"), Some(&serde_json::json!([1])));
        let round = serde_json::to_value(Reply::with_status(Status::Done)).expect("serialises");
        let back: Reply = serde_json::from_value(round).expect("reads back");
        assert_eq!(back, Reply::with_status(Status::Done));

        let error = |text: &str| {
            serde_json::from_str::<Reply>(text)
                .expect_err("not a reply")
                .to_string()
        };
        assert!(error(r#"{"asks":[]}"#).contains("missing field `status`"));
        assert!(error(r#"{"status":"done","status":"done"}"#).contains("duplicate field"));
        assert!(error(r#"{"status":"done","asks":"email"}"#).contains("invalid type"));
        assert!(error(r#"{"status":"maybe"}"#).contains("unknown variant"));
        assert!(error(r#"[1]"#).contains("invalid type"));
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
