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
            .filter(move |f| *f.journey == *journey && *f.file == *file)
    }
}

pub mod json;
pub mod junit;
#[doc(hidden)]
pub mod sample;
pub mod terminal;
pub mod text;

/// A report file format of `--report FORMAT=PATH` (markdown and html slot in here later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Junit,
    Text,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Json, Format::Junit, Format::Text];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Junit => "junit",
            Format::Text => "text",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses a `--report` value, `FORMAT=PATH`.
pub fn parse_target(value: &str) -> Result<(Format, std::path::PathBuf), String> {
    let names = || {
        Format::ALL
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((format, path)) = value.split_once('=') else {
        return Err(format!(
            "`{value}`: expected FORMAT=PATH (FORMAT: {})",
            names()
        ));
    };
    let format = Format::parse(format)
        .ok_or_else(|| format!("unknown report format `{format}` (expected {})", names()))?;
    if path.is_empty() {
        return Err(format!("`{value}`: the report path is empty"));
    }
    Ok((format, std::path::PathBuf::from(path)))
}

/// Writes `report` in `format`.
pub fn write(
    format: Format,
    report: &RunReport,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(report, out),
        Format::Junit => junit::write(report, out),
        Format::Text => text::write(report, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_targets_parse() {
        assert_eq!(Format::parse("junit"), Some(Format::Junit));
        assert_eq!(Format::parse("xml"), None);
        assert_eq!(
            parse_target("json=out/r.json"),
            Ok((Format::Json, "out/r.json".into()))
        );
        assert!(parse_target("json").is_err());
        assert!(
            parse_target("html=x")
                .unwrap_err()
                .contains("json, junit, text")
        );
        assert!(parse_target("text=").is_err());
    }

    #[test]
    fn failed_when_a_finding_reaches_fail_on() {
        let mut r = sample::report();
        assert!(r.failed());
        r.fail_on = Severity::Critical;
        assert!(r.failed());
        r.findings.retain(|f| f.severity < Severity::Critical);
        assert!(!r.failed());
    }
}
