//! `Scorecard`: the contact-centre measures of a run, overall and per channel, from each
//! journey's conversation and findings (docs/reports.md defines every field).
//!
//! The session feeds `Scores::journey` one conversation at a time and drops it: what is
//! kept are counts, and the resolution times as a count per distinct minute, so memory
//! grows with the channels and the distinct times, not with the journeys or the findings.

pub mod compare;
mod journey;
mod tally;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::conversation::Conversation;
use crate::rules::Knowledge;
use crate::rules::finding::Finding;

pub use compare::{Change, Compared};
pub use tally::Tally;

/// The measures of a run, overall and per channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scorecard {
    pub overall: Measures,
    /// By channel name, in name order.
    pub channels: BTreeMap<String, Measures>,
}

/// One scope's measures. A rate is a share between 0 and 1; a measure with nothing to
/// measure (no case, no handoff, no journey) is `None` (`null`), never 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Measures {
    /// Journeys (per channel: those with a contact on it).
    pub journeys: u64,
    /// Contacts (per channel: those on it).
    pub contacts: u64,
    /// Cases: a contact and those that carry it on (per channel: started on it).
    pub cases: u64,
    /// Cases resolved.
    pub resolved: u64,
    /// Share of cases resolved by their first contact.
    pub first_contact_resolution: Option<f64>,
    /// Share of cases resolved on the channel where they started.
    pub query_serviceability: Option<f64>,
    /// Contacts of the cases over the cases resolved.
    pub contacts_per_resolution: Option<f64>,
    /// Changes of channel between consecutive contacts, per journey.
    pub channel_switches_per_journey: Option<f64>,
    /// Contacts the SUT redirected elsewhere, per journey.
    pub transfers_per_journey: Option<f64>,
    /// `repeated-question` findings per journey.
    pub repeated_questions_per_journey: Option<f64>,
    /// Share of handoffs with no `broken-handoff` finding.
    pub handoff_success_rate: Option<f64>,
    /// Share of answers compared with no `inconsistent-answer` finding.
    pub answer_consistency_rate: Option<f64>,
    /// Share of the promises judged that were kept on time.
    pub promises_kept: Option<f64>,
    /// Median virtual hours from a case's first contact to its resolution.
    pub time_to_resolution_hours: Option<f64>,
    /// 1 (low effort) to 5 (high effort): docs/reports.md gives the formula.
    pub customer_effort_score: Option<f64>,
}

impl Measures {
    /// Every measure by its JSON name, in report order (counts as numbers).
    pub fn values(&self) -> [(&'static str, Option<f64>); 15] {
        let n = |v: u64| Some(v as f64);
        [
            ("journeys", n(self.journeys)),
            ("contacts", n(self.contacts)),
            ("cases", n(self.cases)),
            ("resolved", n(self.resolved)),
            ("first_contact_resolution", self.first_contact_resolution),
            ("query_serviceability", self.query_serviceability),
            ("contacts_per_resolution", self.contacts_per_resolution),
            (
                "channel_switches_per_journey",
                self.channel_switches_per_journey,
            ),
            ("transfers_per_journey", self.transfers_per_journey),
            (
                "repeated_questions_per_journey",
                self.repeated_questions_per_journey,
            ),
            ("handoff_success_rate", self.handoff_success_rate),
            ("answer_consistency_rate", self.answer_consistency_rate),
            ("promises_kept", self.promises_kept),
            ("time_to_resolution_hours", self.time_to_resolution_hours),
            ("customer_effort_score", self.customer_effort_score),
        ]
    }

    /// Whether measure `name` is a share (shown as a percentage).
    pub fn is_rate(name: &str) -> bool {
        matches!(
            name,
            "first_contact_resolution"
                | "query_serviceability"
                | "handoff_success_rate"
                | "answer_consistency_rate"
                | "promises_kept"
        )
    }
}

/// The scorecard of a run as its journeys come, in any order (the sums do not depend on it).
#[derive(Debug, Clone, Default)]
pub struct Scores {
    overall: Tally,
    channels: BTreeMap<String, Tally>,
}

impl Scores {
    /// Count one journey's conversation and its findings (`know` says which answer field
    /// is the `resolved` role).
    pub fn journey(&mut self, conv: &Conversation, findings: &[Finding], know: &Knowledge) {
        let (overall, channels) = journey::tally(conv, findings, know);
        self.overall.add(&overall);
        for (channel, t) in channels {
            match self.channels.get_mut(&*channel) {
                Some(sum) => sum.add(&t),
                None => {
                    self.channels.insert(channel.to_string(), t);
                }
            }
        }
    }

    pub fn scorecard(&self) -> Scorecard {
        Scorecard {
            overall: self.overall.measures(),
            channels: self
                .channels
                .iter()
                .map(|(c, t)| (c.clone(), t.measures()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests;
