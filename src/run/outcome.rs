//! `RunOutcome`: what a run session returns: the `RunReport` (plain data every report
//! renders), whether the SUT answered at all, and what could not be written.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::rules::finding::{Finding, Severity};

/// Version of the `RunReport` (bump on incompatible change).
pub const REPORT_SCHEMA: u32 = 1;

/// What a run produced.
#[derive(Debug)]
pub struct RunOutcome {
    pub report: RunReport,
    /// Turns were sent and the SUT answered none of them.
    pub sut_down: bool,
    /// Reports, traces or baselines that could not be written (each once).
    pub errors: Vec<Error>,
}

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
    /// What the run could not check (`promises unchecked: the mapping has no outbox`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One replayed journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JourneyReport {
    pub name: String,
    pub file: String,
    pub tags: Vec<String>,
    pub steps: usize,
    /// The step ids, in order (after matrix and fragment expansion).
    #[serde(default)]
    pub step_ids: Vec<String>,
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

    /// The findings of every journey, by (file, journey), in report order: one pass over
    /// the findings (reports of large runs must not search them once per journey).
    pub fn by_journey(&self) -> std::collections::HashMap<(&str, &str), Vec<&Finding>> {
        let mut by: std::collections::HashMap<(&str, &str), Vec<&Finding>> =
            std::collections::HashMap::new();
        for f in &self.findings {
            by.entry((&*f.file, &*f.journey)).or_default().push(f);
        }
        by
    }
}
