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
        self.fingerprint_from(Fingerprint::of_journey(
            self.kind,
            &self.file,
            &self.journey,
        ))
    }

    /// The fingerprint, given the hash of its first parts (kind, file, journey), which
    /// every finding of a kind in a journey shares.
    pub(crate) fn fingerprint_from(&self, start: Fingerprint) -> String {
        let mut h = start.feed(&self.step);
        for s in &self.steps {
            h = h.feed(s);
        }
        h.feed(&self.rule)
            .feed(self.subject.as_deref().unwrap_or(""))
            .hex()
    }
}

/// A fingerprint being computed: FNV-1a 64 over strings, each followed by a 0 byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fingerprint(u64);

impl Fingerprint {
    /// The hash of a finding's (kind, file, journey), the first parts fed.
    pub(crate) fn of_journey(kind: Kind, file: &str, journey: &str) -> Fingerprint {
        Fingerprint(0xcbf2_9ce4_8422_2325)
            .feed(kind.as_str())
            .feed(file)
            .feed(journey)
    }

    fn feed(self, s: &str) -> Fingerprint {
        let mut h = self.0;
        for b in s.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Fingerprint(h)
    }

    /// 16 lowercase hex digits.
    fn hex(self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        (0..16)
            .rev()
            .map(|i| char::from(DIGITS[((self.0 >> (4 * i)) & 0xf) as usize]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_fnv1a_of_the_stable_parts_in_hex() {
        let f = Finding {
            kind: Kind::SutError,
            severity: Severity::Critical,
            journey: "j".into(),
            file: "f.yaml".into(),
            step: "s2".into(),
            steps: vec!["s1".into(), "s2".into()],
            channels: vec!["c1".into()],
            rule: "timeout".into(),
            subject: None,
            message: "m".into(),
            evidence: vec![],
            fingerprint: String::new(),
        };
        // The same hash written plainly, byte by byte.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in ["sut-error", "f.yaml", "j", "s2", "s1", "s2", "timeout", ""] {
            for b in part.bytes().chain([0]) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        assert_eq!(f.compute_fingerprint(), format!("{h:016x}"));
        let start = Fingerprint::of_journey(f.kind, &f.file, &f.journey);
        assert_eq!(f.fingerprint_from(start), f.compute_fingerprint());
        assert_eq!(Fingerprint(0xab).hex(), "00000000000000ab");
    }
}
