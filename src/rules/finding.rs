//! `Finding`: one problem a rule found in a conversation, with quoted evidence and a
//! fingerprint stable across runs, ports and run ids (for baselines).
//!
//! The names a finding shares with its trace (journey, file, steps, channels, times) are
//! `Arc<str>`s of the conversation, so a finding copies none of them; rule names and evidence
//! labels are mostly `&'static str`s; the fingerprint is a number, written as hex.

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
    Sla,
    Deflection,
    DeadEnd,
    AgentContinuity,
    AfterHoursParity,
    FollowUp,
    Recognition,
    IrrelevantOffer,
    SplitFulfilment,
    SurveyFatigue,
}

impl Kind {
    pub const ALL: [Kind; 15] = [
        Kind::RepeatedQuestion,
        Kind::BrokenHandoff,
        Kind::InconsistentAnswer,
        Kind::Expectation,
        Kind::SutError,
        Kind::Sla,
        Kind::Deflection,
        Kind::DeadEnd,
        Kind::AgentContinuity,
        Kind::AfterHoursParity,
        Kind::FollowUp,
        Kind::Recognition,
        Kind::IrrelevantOffer,
        Kind::SplitFulfilment,
        Kind::SurveyFatigue,
    ];

    /// Which kind reports a problem that several find (lowest first), the others
    /// corroborating it: a SUT error, then the CX rules (the failure a story names), then
    /// the core kinds, and an expectation never outranks a rule (docs/rules.md).
    pub const PRECEDENCE: [Kind; 15] = [
        Kind::SutError,
        Kind::Sla,
        Kind::DeadEnd,
        Kind::AfterHoursParity,
        Kind::Recognition,
        Kind::Deflection,
        Kind::AgentContinuity,
        Kind::FollowUp,
        Kind::SplitFulfilment,
        Kind::IrrelevantOffer,
        Kind::SurveyFatigue,
        Kind::RepeatedQuestion,
        Kind::BrokenHandoff,
        Kind::InconsistentAnswer,
        Kind::Expectation,
    ];

    /// Its place in `PRECEDENCE`.
    pub fn rank(self) -> usize {
        Kind::PRECEDENCE
            .iter()
            .position(|k| *k == self)
            .unwrap_or(usize::MAX)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::RepeatedQuestion => "repeated-question",
            Kind::BrokenHandoff => "broken-handoff",
            Kind::InconsistentAnswer => "inconsistent-answer",
            Kind::Expectation => "expectation",
            Kind::SutError => "sut-error",
            Kind::Sla => "sla",
            Kind::Deflection => "deflection",
            Kind::DeadEnd => "dead-end",
            Kind::AgentContinuity => "agent-continuity",
            Kind::AfterHoursParity => "after-hours-parity",
            Kind::FollowUp => "follow-up",
            Kind::Recognition => "recognition",
            Kind::IrrelevantOffer => "irrelevant-offer",
            Kind::SplitFulfilment => "split-fulfilment",
            Kind::SurveyFatigue => "survey-fatigue",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Severity when the scenario does not set one.
    pub fn default_severity(self) -> Severity {
        match self {
            Kind::BrokenHandoff
            | Kind::InconsistentAnswer
            | Kind::Sla
            | Kind::Deflection
            | Kind::DeadEnd
            | Kind::AfterHoursParity
            | Kind::FollowUp
            | Kind::Recognition => Severity::Major,
            Kind::RepeatedQuestion
            | Kind::Expectation
            | Kind::AgentContinuity
            | Kind::IrrelevantOffer
            | Kind::SplitFulfilment
            | Kind::SurveyFatigue => Severity::Minor,
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
    pub step: Arc<str>,
    pub channel: Arc<str>,
    /// RFC 3339 virtual time.
    pub at: Arc<str>,
    /// e.g. "customer said", "SUT asked", "SUT answered".
    pub what: Cow<'static, str>,
    /// The quoted value (JSON rendered compactly, or the SUT's text).
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: Kind,
    pub severity: Severity,
    /// Journey name.
    pub journey: Arc<str>,
    /// Scenario file.
    pub file: Arc<str>,
    /// The step where the failure shows (golden files and baselines key on it).
    pub step: Arc<str>,
    /// Every step involved (evidence steps included), in journey order.
    pub steps: Vec<Arc<str>>,
    /// Channels involved, in step order, deduplicated.
    pub channels: Vec<Arc<str>>,
    /// The rule inside the kind (e.g. `unknown-reference`, `promise-not-kept`, `status`).
    pub rule: Cow<'static, str>,
    /// The fact key, answer field or promise the finding is about, if any.
    pub subject: Option<String>,
    pub message: String,
    pub evidence: Vec<Evidence>,
    /// Stable hash of (kind, file, journey, steps, rule, subject).
    pub fingerprint: Fingerprint,
    /// The other rules that found the same problem (same step and subject), weaker in
    /// `Kind::PRECEDENCE`: reported here rather than as findings of their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corroborated_by: Vec<Corroboration>,
}

/// Another rule's finding of the same problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Corroboration {
    /// Its id, `kind/rule`.
    pub id: String,
    pub message: String,
    /// Its own fingerprint (a baseline that knows it still hides the problem).
    pub fingerprint: Fingerprint,
}

impl Finding {
    /// Every text of the SUT's cut as reports show it (`text::clip`): the message, the
    /// subject and each quote. The fingerprint is computed before.
    pub fn clip(&mut self) {
        use crate::rules::text::clip_in_place;
        clip_in_place(&mut self.message);
        if let Some(subject) = &mut self.subject {
            clip_in_place(subject);
        }
        for e in &mut self.evidence {
            clip_in_place(&mut e.quote);
        }
    }

    /// Compute the fingerprint from the stable parts (FNV-1a 64).
    pub fn compute_fingerprint(&self) -> Fingerprint {
        self.fingerprint_from(Fnv::of_journey(self.kind, &self.file, &self.journey))
    }

    /// The fingerprint, given the hash of its first parts (kind, file, journey), which
    /// every finding of a kind in a journey shares.
    pub(crate) fn fingerprint_from(&self, start: Fnv) -> Fingerprint {
        let mut h = start.feed(&self.step);
        for s in &self.steps {
            h = h.feed(s);
        }
        Fingerprint(
            h.feed(&self.rule)
                .feed(self.subject.as_deref().unwrap_or(""))
                .0,
        )
    }
}

/// A finding's fingerprint: FNV-1a 64 of its stable parts. Written (JSON, reports) as 16
/// lowercase hex digits, whose order is the order of the numbers. 0 until computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub u64);

impl Fingerprint {
    /// The 16 lowercase hex digits.
    pub fn hex(self) -> [u8; 16] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 16];
        for (i, d) in out.iter_mut().enumerate() {
            *d = DIGITS[((self.0 >> (4 * (15 - i))) & 0xf) as usize];
        }
        out
    }

    /// The fingerprint written as 16 hex digits (either case), if `s` is one.
    pub fn parse(s: &str) -> Option<Fingerprint> {
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u64::from_str_radix(s, 16).ok().map(Fingerprint)
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hex = self.hex();
        // Hex digits are ASCII.
        f.pad(std::str::from_utf8(&hex).map_err(|_| std::fmt::Error)?)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let hex = self.hex();
        let text = std::str::from_utf8(&hex).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(text)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fingerprint, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        Fingerprint::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("fingerprint `{text}` is not 16 hex digits"))
        })
    }
}

/// A fingerprint being computed: FNV-1a 64 over strings, each followed by a 0 byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fnv(u64);

impl Fnv {
    /// The hash of a finding's (kind, file, journey), the first parts fed.
    pub(crate) fn of_journey(kind: Kind, file: &str, journey: &str) -> Fnv {
        Fnv::of_file(kind, file).feed(journey)
    }

    /// The hash of a finding's (kind, file), which the journey follows.
    pub(crate) fn of_file(kind: Kind, file: &str) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325).feed(kind.as_str()).feed(file)
    }

    pub(crate) fn feed(self, s: &str) -> Fnv {
        let mut h = self.0;
        for b in s.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Fnv(h)
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
            fingerprint: Fingerprint::default(),
            corroborated_by: Vec::new(),
        };
        // The same hash written plainly, byte by byte.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in ["sut-error", "f.yaml", "j", "s2", "s1", "s2", "timeout", ""] {
            for b in part.bytes().chain([0]) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        assert_eq!(f.compute_fingerprint().to_string(), format!("{h:016x}"));
        let start = Fnv::of_journey(f.kind, &f.file, &f.journey);
        assert_eq!(f.fingerprint_from(start), f.compute_fingerprint());
        assert_eq!(Fingerprint(0xab).to_string(), "00000000000000ab");
    }

    #[test]
    fn a_fingerprint_is_written_and_read_as_16_hex_digits() {
        let f = Fingerprint(0x0123_4567_89ab_cdef);
        let json = serde_json::to_string(&f).expect("serializes");
        assert_eq!(json, r#""0123456789abcdef""#);
        assert_eq!(serde_json::from_str::<Fingerprint>(&json).ok(), Some(f));
        assert_eq!(Fingerprint::parse("0123456789ABCDEF"), Some(f));
        for bad in [
            r#""""#,
            r#""abc""#,
            r#""+123456789abcdef""#,
            r#""0123456789abcdeg""#,
        ] {
            assert!(serde_json::from_str::<Fingerprint>(bad).is_err(), "{bad}");
        }
        assert!(f < Fingerprint(0xf000_0000_0000_0000));
    }
}
