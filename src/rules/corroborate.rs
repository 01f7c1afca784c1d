//! One problem, one finding: the findings of one journey about the same problem (the same
//! step and subject) become one, the finding of the strongest kind (`Kind::PRECEDENCE`),
//! with the others attached as its corroboration. Findings of the same kind merge only as
//! expectations (the scenario's checks of one step about one thing): each rule of another
//! kind already reports a problem once.

use crate::rules::finding::{Corroboration, Finding, Kind};

/// `findings` (stamped, of one journey, each with the position of its step), with every
/// problem reported once; the order of the rest is kept.
pub fn one_per_problem(findings: Vec<(usize, Finding)>) -> Vec<(usize, Finding)> {
    if findings.len() < 2 {
        return findings;
    }
    let mut kept: Vec<(usize, Finding)> = Vec::with_capacity(findings.len());
    let mut ranked: Vec<(usize, Finding)> = findings;
    // Strongest first, so each problem's first finding is the one that reports it.
    ranked.sort_by_key(|(_, f)| f.kind.rank());
    for (pos, f) in ranked {
        let same = kept.iter_mut().find(|(_, k)| same_problem(k, &f));
        match same {
            Some((_, primary)) => {
                primary.corroborated_by.push(Corroboration {
                    id: format!("{}/{}", f.kind, f.rule),
                    message: f.message,
                    fingerprint: f.fingerprint,
                });
                primary.corroborated_by.extend(f.corroborated_by);
            }
            None => kept.push((pos, f)),
        }
    }
    kept
}

fn same_problem(a: &Finding, b: &Finding) -> bool {
    let kinds = a.kind != b.kind || a.kind == Kind::Expectation;
    kinds && a.step == b.step && a.subject == b.subject
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::finding::Fingerprint;

    fn finding(kind: Kind, step: &str, subject: Option<&str>) -> (usize, Finding) {
        let f = Finding {
            kind,
            severity: kind.default_severity(),
            journey: "j".into(),
            file: "f.yaml".into(),
            step: step.into(),
            steps: vec![step.into()],
            channels: vec!["web".into()],
            rule: "r".into(),
            subject: subject.map(str::to_string),
            message: format!("{kind} at {step}"),
            evidence: Vec::new(),
            fingerprint: Fingerprint::default(),
            corroborated_by: Vec::new(),
        };
        (0, f)
    }

    #[test]
    fn the_strongest_kind_reports_and_the_others_corroborate() {
        let out = one_per_problem(vec![
            finding(Kind::Expectation, "s1", Some("email_reply")),
            finding(Kind::FollowUp, "s1", Some("email_reply")),
            finding(Kind::Sla, "s1", Some("email_reply")),
            finding(Kind::FollowUp, "s2", Some("email_reply")),
            finding(Kind::InconsistentAnswer, "s1", Some("price")),
            finding(Kind::InconsistentAnswer, "s1", Some("price")),
        ]);
        let kinds: Vec<Kind> = out.iter().map(|(_, f)| f.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Sla,
                Kind::FollowUp,
                Kind::InconsistentAnswer,
                Kind::InconsistentAnswer
            ]
        );
        let ids: Vec<&str> = out[0]
            .1
            .corroborated_by
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids.len(), 2);
        assert!(ids[0].starts_with("follow-up/") && ids[1].starts_with("expectation/"));
        assert!(out[1].1.corroborated_by.is_empty());
    }
}
