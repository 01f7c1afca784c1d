//! `Knowledge`: what the rules know about the SUT and what the user asked of them: the SUT's
//! catalogue (`GET /intents`) with `seam.yaml`'s overrides laid on it, reply-time targets
//! per channel and the thresholds of the CX rules. Rules ask it by role (`role`,
//! `is_survey`), never by a concrete intent, field or channel; what it cannot tell a rule
//! is said once in the report's notes (`unchecked`).

use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde_json::Value;

use crate::catalogue::{Catalogue, Hours, IntentInfo};
use crate::protocol::OutboxMessage;

/// Default reply-time targets per channel (industry norms); other channels answer live.
pub const DEFAULT_SLA: [(&str, TimeDelta); 6] = [
    ("email", TimeDelta::hours(24)),
    ("chat", TimeDelta::minutes(2)),
    ("social", TimeDelta::hours(1)),
    ("whatsapp", TimeDelta::hours(1)),
    ("sms", TimeDelta::hours(1)),
    ("video", TimeDelta::minutes(5)),
];

/// Contacts about one case without a resolution that make a dead end.
pub const DEFAULT_DEAD_END_CONTACTS: usize = 3;
/// Survey messages (the survey and its reminders) a journey may get.
pub const DEFAULT_MAX_SURVEYS: usize = 1;
/// How long after its last step a journey's outbox is read.
pub const DEFAULT_OUTBOX_WINDOW: TimeDelta = TimeDelta::days(10);

/// What the rules know; `Knowledge::default()` knows no catalogue and the default targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Knowledge {
    /// The SUT's catalogue with the config's overrides; `None` when neither says anything.
    pub catalogue: Option<Catalogue>,
    /// Reply-time target per channel.
    pub sla: BTreeMap<String, TimeDelta>,
    pub dead_end_contacts: usize,
    pub max_surveys: usize,
    pub outbox_window: TimeDelta,
}

impl Default for Knowledge {
    fn default() -> Self {
        Knowledge {
            catalogue: None,
            sla: DEFAULT_SLA
                .iter()
                .map(|(c, t)| ((*c).to_string(), *t))
                .collect(),
            dead_end_contacts: DEFAULT_DEAD_END_CONTACTS,
            max_surveys: DEFAULT_MAX_SURVEYS,
            outbox_window: DEFAULT_OUTBOX_WINDOW,
        }
    }
}

impl Knowledge {
    /// Knowledge of `catalogue` with the default targets.
    pub fn of(catalogue: Option<Catalogue>) -> Knowledge {
        Knowledge {
            catalogue,
            ..Knowledge::default()
        }
    }

    pub fn intent(&self, intent: &str) -> Option<&IntentInfo> {
        self.catalogue.as_ref()?.intent(intent)
    }

    /// Whether `channel` serves `intent`, when the catalogue says.
    pub fn serves(&self, intent: &str, channel: &str) -> Option<bool> {
        let info = self.intent(intent)?;
        (!info.channels.is_empty()).then(|| info.channels.iter().any(|c| c == channel))
    }

    /// The answer field that plays `role` in `intent`'s answers.
    pub fn role(&self, intent: &str, role: &str) -> Option<&str> {
        self.intent(intent)?.roles.get(role).map(String::as_str)
    }

    /// Whether `answer` leaves the need met as far as its `resolved` role says: that
    /// field, when `intent` has one, is not `false`.
    pub fn not_unresolved(&self, intent: &str, answer: &crate::protocol::Facts) -> bool {
        self.role(intent, "resolved")
            .is_none_or(|f| answer.get(f) != Some(&Value::Bool(false)))
    }

    /// Whether the order of list field `field` of `intent`'s answers matters.
    pub fn ordered(&self, intent: &str, field: &str) -> bool {
        self.intent(intent)
            .is_some_and(|i| i.ordered.iter().any(|f| f == field))
    }

    /// When `intent` is served live.
    pub fn hours(&self, intent: &str) -> Option<&Hours> {
        self.intent(intent)?.hours.as_ref()
    }

    /// The reply-time target of `channel`, if it has one.
    pub fn sla(&self, channel: &str) -> Option<TimeDelta> {
        self.sla.get(channel).copied()
    }

    /// What an outbox message is about (`outbox.about` of the catalogue).
    pub fn about<'m>(&self, message: &'m OutboxMessage) -> Option<&'m str> {
        let field = self.catalogue.as_ref()?.outbox.about.as_deref()?;
        message.answer.get(field).and_then(Value::as_str)
    }

    /// Whether an outbox message is a survey or a survey reminder.
    pub fn is_survey(&self, message: &OutboxMessage) -> bool {
        let surveys = self.catalogue.as_ref().map(|c| &c.outbox.surveys);
        match (self.about(message), surveys) {
            (Some(about), Some(surveys)) => surveys.iter().any(|s| s == about),
            _ => false,
        }
    }

    /// The topic of a promotion: an unsolicited message (it fulfils no promise, answers
    /// nothing and redirects nowhere) about something that is not a survey.
    pub fn promotion<'m>(&self, message: &'m OutboxMessage) -> Option<&'m str> {
        let unsolicited = message.fulfils.is_none() && message.redirect.is_none();
        if !unsolicited || self.is_survey(message) {
            return None;
        }
        self.about(message)
    }

    /// The customer facts that describe interests and history.
    pub fn profile(&self) -> &[String] {
        self.catalogue
            .as_ref()
            .map_or(&[], |c| c.profile.as_slice())
    }

    /// What the rules cannot check with this knowledge, one note each, for the report.
    pub fn unchecked(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let Some(catalogue) = &self.catalogue else {
            notes.push(
                "the SUT serves no catalogue and seam.yaml declares none: deflection, \
                 after-hours-parity, split-fulfilment, survey-fatigue and irrelevant-offer \
                 cannot tell what the SUT serves, when, or what its messages are"
                    .to_string(),
            );
            return notes;
        };
        let any = |f: &dyn Fn(&IntentInfo) -> bool| catalogue.intents.iter().any(f);
        if !any(&|i| i.hours.is_some()) {
            notes.push("after-hours-parity unchecked: no intent declares opening hours".into());
        }
        if !any(&|i| i.roles.contains_key("parcels") || i.roles.contains_key("carriers")) {
            notes.push("split-fulfilment unchecked: no intent declares a parcels role".into());
        }
        if catalogue.outbox.about.is_none() {
            notes.push(
                "survey-fatigue and irrelevant-offer unchecked: the catalogue does not say \
                 what outbox messages are about (outbox.about)"
                    .into(),
            );
        } else if catalogue.profile.is_empty() {
            notes.push(
                "irrelevant-offer unchecked: the catalogue names no customer profile facts".into(),
            );
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(answer: Value, fulfils: Option<&str>) -> OutboxMessage {
        OutboxMessage {
            channel: "sms".into(),
            at: "2026-12-05T19:00:00+01:00".into(),
            text: String::new(),
            fulfils: fulfils.map(str::to_string),
            refs: Default::default(),
            answer: serde_json::from_value(answer).expect("facts"),
            redirect: None,
        }
    }

    #[test]
    fn messages_are_read_by_the_catalogue_roles() {
        let catalogue: Catalogue = serde_json::from_value(serde_json::json!({
            "intents": [{"intent": "x", "channels": ["web"], "roles": {"parcels": "n"}}],
            "outbox": {"about": "topic", "surveys": ["survey"]},
            "profile": ["interests"]
        }))
        .expect("catalogue");
        let know = Knowledge::of(Some(catalogue));
        let survey = message(serde_json::json!({"topic": "survey"}), None);
        let promo = message(serde_json::json!({"topic": "garden"}), None);
        let kept = message(serde_json::json!({"topic": "garden"}), Some("p1"));
        assert!(know.is_survey(&survey));
        assert_eq!(know.promotion(&survey), None);
        assert_eq!(know.promotion(&promo), Some("garden"));
        assert_eq!(know.promotion(&kept), None);
        assert_eq!(know.serves("x", "web"), Some(true));
        assert_eq!(know.serves("x", "phone"), Some(false));
        assert_eq!(know.serves("y", "phone"), None);
        assert_eq!(know.role("x", "parcels"), Some("n"));
        assert_eq!(know.sla("email"), Some(TimeDelta::hours(24)));
        let notes = know.unchecked();
        assert!(notes.iter().any(|n| n.contains("after-hours-parity")));
        assert!(!notes.iter().any(|n| n.contains("split-fulfilment")));
        assert_eq!(Knowledge::default().unchecked().len(), 1);
    }
}
