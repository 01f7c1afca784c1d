//! `Catalogue`: what a SUT says about itself at `GET /intents` (docs/protocol.md): its
//! intents (channels, subject keys, answer keys, answer-field roles, ordered lists, opening
//! hours), how to read its outbox (which field says what a message is about, which values
//! are surveys) and which customer facts describe a customer's interests. The v0 answer,
//! a bare list of intents, is still read. `seam.yaml` may override any part of it
//! (`overlay`). Rules read it through `rules::Knowledge`; no rule's code names an intent.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One entry of the catalogue's `intents`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IntentInfo {
    pub intent: String,
    /// Channels that serve the intent.
    #[serde(default)]
    pub channels: Vec<String>,
    /// Keys that identify the question (same intent and subject values: same question).
    #[serde(default)]
    pub subject: Vec<String>,
    /// Keys the answer asserts.
    #[serde(default)]
    pub answer: Vec<String>,
    /// List answers whose order matters; every other list of scalars compares as a set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ordered: Vec<String>,
    /// What an answer field means, by role: `resolved` (true when the need is met),
    /// `parcels` (a count), `carriers` and `delivery_dates` (lists).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub roles: BTreeMap<String, String>,
    /// When the intent is served live; outside them a contact is after hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Hours>,
}

/// Opening hours: on `days`, from `open` to `close` (HH:MM) at UTC offset `offset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Hours {
    /// `mon` ... `sun`; every day when empty.
    #[serde(default)]
    pub days: Vec<String>,
    pub open: String,
    pub close: String,
    /// `+01:00`; the contact's own offset when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Hours {
    /// Minutes after midnight of `HH:MM`.
    fn minutes(text: &str) -> Option<u32> {
        let (h, m) = text.split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
    }

    /// What is wrong with these hours, if anything (for the config's diagnostics).
    pub fn problem(&self) -> Option<String> {
        if let Some(day) = self.days.iter().find(|d| !DAYS.contains(&d.as_str())) {
            return Some(format!(
                "unknown day `{day}` (expected one of: {})",
                DAYS.join(", ")
            ));
        }
        for t in [&self.open, &self.close] {
            if Hours::minutes(t).is_none() {
                return Some(format!("`{t}` is not a time of day (expected HH:MM)"));
            }
        }
        if let Some(offset) = &self.offset
            && parse_offset(offset).is_none()
        {
            return Some(format!("`{offset}` is not a UTC offset (expected +HH:MM)"));
        }
        None
    }

    /// Whether moment `at` falls inside these hours (`None` when they do not parse).
    pub fn contains(&self, at: &DateTime<FixedOffset>) -> Option<bool> {
        let (open, close) = (Hours::minutes(&self.open)?, Hours::minutes(&self.close)?);
        let local = match &self.offset {
            Some(o) => at.with_timezone(&parse_offset(o)?),
            None => *at,
        };
        let day = DAYS[local.weekday().num_days_from_monday() as usize];
        let on_day = self.days.is_empty() || self.days.iter().any(|d| d == day);
        let now = local.hour() * 60 + local.minute();
        Some(on_day && open <= now && now < close)
    }
}

fn parse_offset(text: &str) -> Option<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("2000-01-01T00:00:00{text}"))
        .ok()
        .map(|d| *d.offset())
}

/// How to read the outbox: the field of a message's `answer` that says what it is about,
/// and the values of it that make a message a survey (or a survey reminder). A message
/// that fulfils no promise and is about something else is a promotion about that.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutboxInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surveys: Vec<String>,
}

/// The whole catalogue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Catalogue {
    #[serde(default)]
    pub intents: Vec<IntentInfo>,
    #[serde(default)]
    pub outbox: OutboxInfo,
    /// Customer facts that describe the customer's interests and history (a persona's
    /// `interests`, `purchases`): a promotion about none of them ignores the customer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile: Vec<String>,
}

/// `GET /intents` as served: the v0 list of intents, or the whole catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Served {
    List(Vec<IntentInfo>),
    Whole(Catalogue),
}

impl From<Served> for Catalogue {
    fn from(served: Served) -> Catalogue {
        match served {
            Served::List(intents) => Catalogue {
                intents,
                ..Catalogue::default()
            },
            Served::Whole(whole) => whole,
        }
    }
}

impl Catalogue {
    pub fn intent(&self, name: &str) -> Option<&IntentInfo> {
        self.intents.iter().find(|i| i.intent == name)
    }

    /// `over` laid on this catalogue: its intents replace the parts they set of the same
    /// intent (or are added), its outbox and profile settings replace these when set.
    pub fn overlay(&mut self, over: &Catalogue) {
        for intent in &over.intents {
            match self.intents.iter_mut().find(|i| i.intent == intent.intent) {
                Some(mine) => {
                    let set = |mine: &mut Vec<String>, theirs: &Vec<String>| {
                        if !theirs.is_empty() {
                            mine.clone_from(theirs);
                        }
                    };
                    set(&mut mine.channels, &intent.channels);
                    set(&mut mine.subject, &intent.subject);
                    set(&mut mine.answer, &intent.answer);
                    set(&mut mine.ordered, &intent.ordered);
                    mine.roles
                        .extend(intent.roles.iter().map(|(k, v)| (k.clone(), v.clone())));
                    if intent.hours.is_some() {
                        mine.hours.clone_from(&intent.hours);
                    }
                }
                None => self.intents.push(intent.clone()),
            }
        }
        if over.outbox.about.is_some() {
            self.outbox.about.clone_from(&over.outbox.about);
        }
        if !over.outbox.surveys.is_empty() {
            self.outbox.surveys.clone_from(&over.outbox.surveys);
        }
        if !over.profile.is_empty() {
            self.profile.clone_from(&over.profile);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_v0_list_and_the_whole_catalogue() {
        let read = |text: &str| serde_json::from_str::<Served>(text).map(Catalogue::from);
        let v0 = read(r#"[{"intent":"stock.check","subject":["sku"]}]"#).expect("v0 list");
        assert_eq!(v0.intents[0].subject, vec!["sku".to_string()]);
        let whole = read(
            r#"{"intents":[{"intent":"a","roles":{"resolved":"ok"}}],
                "outbox":{"about":"topic","surveys":["survey"]},"profile":["interests"]}"#,
        )
        .expect("whole catalogue");
        assert_eq!(whole.intents[0].roles["resolved"], "ok");
        assert_eq!(whole.outbox.about.as_deref(), Some("topic"));
        assert!(read(r#"{"intents":[{"channels":[]}]}"#).is_err());
    }

    #[test]
    fn hours_say_whether_a_moment_is_inside() {
        let hours = Hours {
            days: vec![],
            open: "08:00".into(),
            close: "22:00".into(),
            offset: Some("+01:00".into()),
        };
        let at = |s: &str| DateTime::parse_from_rfc3339(s).expect("time");
        assert_eq!(hours.contains(&at("2026-12-18T20:00:00+01:00")), Some(true));
        assert_eq!(
            hours.contains(&at("2026-12-18T23:30:00+01:00")),
            Some(false)
        );
        assert_eq!(
            hours.contains(&at("2026-12-18T21:30:00+00:00")),
            Some(false)
        );
        let weekdays = Hours {
            days: vec!["mon".into()],
            ..hours.clone()
        };
        assert_eq!(
            weekdays.contains(&at("2026-12-18T10:00:00+01:00")),
            Some(false)
        );
        assert!(hours.problem().is_none());
        let bad = Hours {
            open: "8h".into(),
            ..hours
        };
        assert!(bad.problem().is_some_and(|p| p.contains("HH:MM")));
    }

    #[test]
    fn an_overlay_replaces_only_what_it_sets() {
        let mut base: Catalogue = serde_json::from_str(
            r#"{"intents":[{"intent":"a","channels":["web"],"roles":{"x":"y"}}]}"#,
        )
        .expect("base");
        let over: Catalogue = serde_json::from_str(
            r#"{"intents":[{"intent":"a","roles":{"z":"w"}},{"intent":"b"}],"profile":["p"]}"#,
        )
        .expect("overlay");
        base.overlay(&over);
        assert_eq!(base.intents[0].channels, vec!["web".to_string()]);
        assert_eq!(base.intents[0].roles.len(), 2);
        assert_eq!(base.intents.len(), 2);
        assert_eq!(base.profile, vec!["p".to_string()]);
    }
}
