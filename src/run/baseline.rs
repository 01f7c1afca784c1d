//! `Baseline`: fingerprints of known findings. `seam run --baseline FILE` hides them;
//! `--write-baseline FILE` records the current ones. A JSON report works as a baseline too.
//!
//! A finding is known by its own fingerprint, by one of its corroborations' (the same
//! problem, found by a weaker rule), or by the fingerprint it had under a former id
//! (`LEGACY`): baselines written before a rule was renamed keep hiding its findings.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::rules::finding::{Finding, Fingerprint, Kind};

/// A rule's kind and name.
type RuleId = (Kind, &'static str);

/// Renamed rules: (current kind, rule) and the (kind, rule) it had before, which its
/// findings' fingerprints in older baselines were computed with.
const LEGACY: [(RuleId, RuleId); 1] = [(
    (Kind::FollowUp, "not-kept"),
    (Kind::BrokenHandoff, "promise-not-kept"),
)];

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
        let kept: Vec<Finding> = findings.into_iter().filter(|f| !self.knows(f)).collect();
        let hidden = before - kept.len();
        (kept, hidden)
    }

    /// Whether the baseline knows the problem `f` reports (see the module).
    pub fn knows(&self, f: &Finding) -> bool {
        if self.fingerprints.is_empty() {
            return false;
        }
        let known = |fp: Fingerprint| self.fingerprints.contains(&fp.to_string());
        let own = (f.kind, &*f.rule);
        if known(f.fingerprint) || legacy(f, own, &f.steps).is_some_and(known) {
            return true;
        }
        // A corroboration is about the same step and subject; a renamed rule's findings
        // involve only their own step.
        let step = [Arc::clone(&f.step)];
        f.corroborated_by.iter().any(|c| {
            known(c.fingerprint)
                || c.id.split_once('/').is_some_and(|(kind, rule)| {
                    Kind::parse(kind)
                        .is_some_and(|kind| legacy(f, (kind, rule), &step).is_some_and(known))
                })
        })
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

/// The fingerprint a finding of `id` (current kind and rule) about `f`'s step and subject,
/// involving `steps`, had under its former id, if it was renamed.
fn legacy(f: &Finding, id: (Kind, &str), steps: &[Arc<str>]) -> Option<Fingerprint> {
    let (_, (kind, rule)) = LEGACY.iter().find(|(now, _)| *now == id)?;
    let former = Finding {
        kind: *kind,
        severity: f.severity,
        journey: Arc::clone(&f.journey),
        file: Arc::clone(&f.file),
        step: Arc::clone(&f.step),
        steps: steps.to_vec(),
        channels: Vec::new(),
        rule: Cow::Borrowed(rule),
        subject: f.subject.clone(),
        message: String::new(),
        evidence: Vec::new(),
        fingerprint: Fingerprint::default(),
        corroborated_by: Vec::new(),
    };
    Some(former.compute_fingerprint())
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
    use crate::rules::finding::{Corroboration, Kind, Severity};

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

    /// A finding of `kind`/`rule` in step `step` about the promised `email_reply`.
    fn promise_finding(kind: Kind, rule: &'static str, step: &str) -> Finding {
        let mut f = finding(step);
        f.kind = kind;
        f.rule = rule.into();
        f.subject = Some("email_reply".into());
        f.fingerprint = f.compute_fingerprint();
        f
    }

    fn baseline_of(findings: &[Finding]) -> Baseline {
        let mut text = Vec::new();
        Baseline::write(findings, &mut text).expect("write to memory");
        Baseline::parse(&String::from_utf8_lossy(&text)).expect("parses")
    }

    #[test]
    fn an_old_baseline_of_promise_not_kept_hides_follow_up_not_kept() {
        let old = baseline_of(&[promise_finding(
            Kind::BrokenHandoff,
            "promise-not-kept",
            "a",
        )]);
        let renamed = promise_finding(Kind::FollowUp, "not-kept", "a");
        let elsewhere = promise_finding(Kind::FollowUp, "not-kept", "b");
        let other_rule = promise_finding(Kind::FollowUp, "other", "a");
        assert_ne!(
            renamed.fingerprint,
            promise_finding(Kind::BrokenHandoff, "promise-not-kept", "a").fingerprint
        );
        let (kept, hidden) = old.filter(vec![renamed, elsewhere.clone(), other_rule.clone()]);
        assert_eq!(hidden, 1);
        assert_eq!(kept, vec![elsewhere, other_rule]);
    }

    #[test]
    fn a_baseline_hides_a_problem_it_knows_by_a_corroboration() {
        let old = baseline_of(&[promise_finding(
            Kind::BrokenHandoff,
            "promise-not-kept",
            "a",
        )]);
        let corroborated = |by: &Finding| {
            let mut f = promise_finding(Kind::Sla, "no-reply", "a");
            f.corroborated_by.push(Corroboration {
                id: format!("{}/{}", by.kind, by.rule),
                message: String::new(),
                fingerprint: by.fingerprint,
            });
            f
        };
        // Reported as an SLA breach now, corroborated by the renamed rule.
        let sla = corroborated(&promise_finding(Kind::FollowUp, "not-kept", "a"));
        assert_eq!(old.filter(vec![sla]).1, 1);
        // A corroboration's own fingerprint is known too.
        let expectation = promise_finding(Kind::Expectation, "promises", "a");
        let known = baseline_of(std::slice::from_ref(&expectation));
        assert_eq!(known.filter(vec![corroborated(&expectation)]).1, 1);
        let unknown = corroborated(&promise_finding(Kind::Expectation, "promises", "b"));
        assert_eq!(old.filter(vec![unknown]).1, 0);
    }

    #[test]
    fn a_json_report_works_as_a_baseline_and_garbage_is_an_error() {
        let b = Baseline::parse(r#"{"findings":[{"fingerprint":"abc","evidence":[]}]}"#);
        assert_eq!(b.map(|b| b.fingerprints.len()), Ok(1));
        assert!(Baseline::parse("fingerprints: [x]").is_err());
    }
}
