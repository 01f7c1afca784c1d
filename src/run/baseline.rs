//! `Baseline`: fingerprints of known findings. `seam run --baseline FILE` hides them;
//! `--write-baseline FILE` records the current ones. A JSON report works as a baseline too.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::rules::finding::{Finding, Fingerprint};

/// Known fingerprints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    pub fingerprints: BTreeSet<String>,
}

#[derive(Serialize)]
struct Entry<'a> {
    fingerprint: Fingerprint,
    kind: &'a str,
    journey: &'a str,
    step: &'a str,
    rule: &'a str,
}

#[derive(Serialize)]
struct File<'a> {
    schema: u32,
    findings: Vec<Entry<'a>>,
}

impl Baseline {
    /// Every `"fingerprint": "..."` string anywhere in the JSON text.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let mut fingerprints = BTreeSet::new();
        collect(&value, &mut fingerprints);
        Ok(Baseline { fingerprints })
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        Baseline::parse(&text).map_err(|e| format!("baseline {}: {e}", path.display()))
    }

    /// Split findings into (new, number hidden by the baseline).
    pub fn filter(&self, findings: Vec<Finding>) -> (Vec<Finding>, usize) {
        let before = findings.len();
        let kept: Vec<Finding> = findings
            .into_iter()
            .filter(|f| !self.fingerprints.contains(&f.fingerprint.to_string()))
            .collect();
        let hidden = before - kept.len();
        (kept, hidden)
    }

    /// Write a baseline file listing `findings`.
    pub fn write(findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
        let file = File {
            schema: 1,
            findings: findings
                .iter()
                .map(|f| Entry {
                    fingerprint: f.fingerprint,
                    kind: f.kind.as_str(),
                    journey: &f.journey,
                    step: &f.step,
                    rule: &f.rule,
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &file).map_err(std::io::Error::other)?;
        writeln!(out)
    }
}

fn collect(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if k == "fingerprint" => {
                        out.insert(s.clone());
                    }
                    other => collect(other, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::finding::{Kind, Severity};

    fn finding(step: &str) -> Finding {
        let mut f = Finding {
            kind: Kind::BrokenHandoff,
            severity: Severity::Major,
            journey: "j".into(),
            file: "f.yaml".into(),
            step: step.into(),
            steps: vec![step.into()],
            channels: vec!["web".into()],
            rule: "unknown-reference".into(),
            subject: None,
            message: "m".into(),
            evidence: vec![],
            fingerprint: Fingerprint::default(),
            corroborated_by: Vec::new(),
        };
        f.fingerprint = f.compute_fingerprint();
        f
    }

    #[test]
    fn a_written_baseline_hides_the_same_findings() {
        let mut text = Vec::new();
        Baseline::write(&[finding("a")], &mut text).expect("write to memory");
        let baseline = Baseline::parse(&String::from_utf8_lossy(&text)).expect("parses");
        let (kept, hidden) = baseline.filter(vec![finding("a"), finding("b")]);
        assert_eq!(hidden, 1);
        assert_eq!(kept, vec![finding("b")]);
    }

    #[test]
    fn a_json_report_works_as_a_baseline_and_garbage_is_an_error() {
        let b = Baseline::parse(r#"{"findings":[{"fingerprint":"abc","evidence":[]}]}"#);
        assert_eq!(b.map(|b| b.fingerprints.len()), Ok(1));
        assert!(Baseline::parse("fingerprints: [x]").is_err());
    }
}
