//! Reports: one module per format, each a consumer of a finished `RunReport`.
//! A report never decides what is a finding; it only renders.

use serde::{Deserialize, Serialize};

use crate::detect::finding::{Finding, Severity};

/// Everything a report needs about one run. Plain data: tests build it by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// Report schema version (bump on incompatible change).
    pub schema: u32,
    /// What was tested: `reference:siloed` or the target URL.
    pub target: String,
    /// Findings at or above this severity fail the run.
    pub fail_on: Severity,
    pub journeys: Vec<JourneyReport>,
    /// Every finding, in deterministic order (file, journey, step order, kind, rule, subject).
    pub findings: Vec<Finding>,
    /// Findings hidden because a baseline listed their fingerprint.
    pub baselined: usize,
    /// Total touchpoint turns sent.
    pub touchpoints: u64,
    /// Wall time of the whole run (redacted in snapshots).
    pub elapsed_ms: u64,
}

/// One replayed journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JourneyReport {
    pub name: String,
    pub file: String,
    pub tags: Vec<String>,
    pub steps: usize,
    /// Touchpoint turns sent for this journey.
    pub touchpoints: u64,
    /// Turns that ended in a SUT fault.
    pub faults: u64,
    pub elapsed_ms: u64,
}

impl RunReport {
    /// Whether any finding is at or above `fail_on`.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.severity >= self.fail_on)
    }

    /// Findings of one journey.
    pub fn findings_of<'a>(
        &'a self,
        journey: &'a str,
        file: &'a str,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| f.journey == journey && f.file == file)
    }
}
