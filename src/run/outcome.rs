//! `RunOutcome`: what a run session returns: the `RunReport` (plain data every report
//! renders, with what an interrupted or cut-short run did not send), whether the SUT
//! answered at all, and what could not be written.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::rules::finding::{Finding, Severity};
use crate::run::scorecard::{Compared, Scorecard};

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
    /// The run was stopped from outside (a signal) before it was over; the findings are
    /// those of what was replayed.
    #[serde(default)]
    pub interrupted: bool,
    /// What stopped it (`SIGINT`, `SIGTERM`), when it was interrupted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    /// Steps were not sent or turns abandoned (the deadline passed, or the interruption):
    /// see `not_sent` and `abandoned`.
    #[serde(default)]
    pub incomplete: bool,
    /// An incomplete run is judged by its findings (`--allow-incomplete`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_incomplete: bool,
    /// One per journey started, in run order (a journey never started is in `not_sent`).
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
    /// The steps not sent, per journey in run order (journeys never started included).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_sent: Vec<NotSent>,
    /// The steps cut short while they were being sent, in run order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub abandoned: Vec<Abandoned>,
    /// The contact-centre measures, overall and per channel (reports written before
    /// there was one read as empty).
    #[serde(default)]
    pub scorecard: Scorecard,
    /// The earlier report `--compare` named, with its scorecard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compared: Option<Compared>,
}

/// The steps of one journey that were not sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotSent {
    pub file: String,
    pub journey: String,
    /// Their ids, in step order.
    pub steps: Vec<String>,
}

/// A step cut short: its turn `turn` was in flight and abandoned (`in_flight`), or was
/// not sent after the turns before it. Not a SUT fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Abandoned {
    pub file: String,
    pub journey: String,
    pub step: String,
    pub turn: u32,
    pub in_flight: bool,
}

/// What a run comes to, as reports show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Failed,
    Incomplete,
    Interrupted,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Passed => "PASSED",
            Verdict::Failed => "FAILED",
            Verdict::Incomplete => "INCOMPLETE",
            Verdict::Interrupted => "INTERRUPTED",
        }
    }
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

    /// Whether the run cannot pass, whatever its findings: it replayed no touchpoint, or
    /// it is incomplete and `allow_incomplete` is off.
    pub fn unfinished(&self) -> bool {
        self.touchpoints == 0 || (self.incomplete && !self.allow_incomplete)
    }

    /// Steps not sent, over every journey.
    pub fn not_sent_steps(&self) -> usize {
        self.not_sent.iter().map(|n| n.steps.len()).sum()
    }

    /// The verdict reports show: interrupted, incomplete (`unfinished`), failed (findings
    /// at or above `fail_on`) or passed, the first that applies.
    pub fn verdict(&self) -> Verdict {
        if self.interrupted {
            Verdict::Interrupted
        } else if self.unfinished() {
            Verdict::Incomplete
        } else if self.failed() {
            Verdict::Failed
        } else {
            Verdict::Passed
        }
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
