//! `Finding`: one problem a detector found in a trace, with quoted evidence and a
//! fingerprint stable across runs, ports and run ids (for baselines).

use serde::{Deserialize, Serialize};

pub use crate::scenario::model::Severity;

/// Finding kinds, kebab-case everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    RepeatedQuestion,
    BrokenHandoff,
    InconsistentAnswer,
    Expectation,
    SutError,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::RepeatedQuestion,
        Kind::BrokenHandoff,
        Kind::InconsistentAnswer,
        Kind::Expectation,
        Kind::SutError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::RepeatedQuestion => "repeated-question",
            Kind::BrokenHandoff => "broken-handoff",
            Kind::InconsistentAnswer => "inconsistent-answer",
            Kind::Expectation => "expectation",
            Kind::SutError => "sut-error",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Severity when the scenario does not set one.
    pub fn default_severity(self) -> Severity {
        match self {
            Kind::BrokenHandoff => Severity::Major,
            Kind::InconsistentAnswer => Severity::Major,
            Kind::RepeatedQuestion => Severity::Minor,
            Kind::Expectation => Severity::Minor,
            Kind::SutError => Severity::Critical,
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One quoted piece of evidence: what was said or answered, where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub step: String,
    pub channel: String,
    /// RFC 3339 virtual time.
    pub at: String,
    /// e.g. "customer said", "SUT asked", "SUT answered".
    pub what: String,
    /// The quoted value (JSON rendered compactly, or the SUT's text).
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: Kind,
    pub severity: Severity,
    /// Journey name.
    pub journey: String,
    /// Scenario file.
    pub file: String,
    /// The step where the failure shows (golden files and baselines key on it).
    pub step: String,
    /// Every step involved (evidence steps included), in journey order.
    pub steps: Vec<String>,
    /// Channels involved, in step order, deduplicated.
    pub channels: Vec<String>,
    /// The rule inside the kind (e.g. `unknown-reference`, `promise-not-kept`, `status`).
    pub rule: String,
    /// The fact key, answer field or promise the finding is about, if any.
    pub subject: Option<String>,
    pub message: String,
    pub evidence: Vec<Evidence>,
    /// Stable hash of (kind, file, journey, steps, rule, subject).
    pub fingerprint: String,
}

impl Finding {
    /// Compute the fingerprint from the stable parts (FNV-1a 64, hex).
    pub fn compute_fingerprint(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |s: &str| {
            for b in s.bytes().chain(std::iter::once(0u8)) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        feed(self.kind.as_str());
        feed(&self.file);
        feed(&self.journey);
        feed(&self.step);
        for s in &self.steps {
            feed(s);
        }
        feed(&self.rule);
        feed(self.subject.as_deref().unwrap_or(""));
        format!("{h:016x}")
    }
}
