//! Reporters: one module per format, each a `run::Reporter` fed the run's events (the
//! progress bar, the terminal summary, JSON, JUnit, text, the JSONL trace, the baseline).
//! A reporter never decides what is a finding; it only renders.

pub use crate::run::outcome::{JourneyReport, RunReport};

pub mod baseline;
pub mod cut;
pub mod document;
pub mod file;
pub mod json;
pub mod junit;
pub mod junit_cut;
pub mod markdown;
pub mod paint;
pub mod progress;
#[doc(hidden)]
pub mod sample;
pub mod scorecard;
pub mod terminal;
pub mod text;
pub mod trace;
pub mod visible;

/// A report file format of `--report FORMAT=PATH` (html slots in here later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Junit,
    Text,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Json, Format::Junit, Format::Text, Format::Markdown];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Junit => "junit",
            Format::Text => "text",
            Format::Markdown => "markdown",
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
        Format::Markdown => markdown::write(report, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::finding::Severity;

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
