//! `Policy`: how one journey rates the findings of each rule: its `severity:` map by kind,
//! and its `rules:` map by rule id (`kind/rule`, or a family ending in `*`), where `off`
//! drops a rule's findings. A rule's entry overrides its kind's severity; an exact id
//! overrides a family, and a longer family a shorter one.

use std::collections::BTreeMap;

use crate::rules::finding::{Kind, Severity};
use crate::scenario::model::{Journey, RuleAction, RuleSetting};

/// The severities of one journey's findings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    /// Severity by kind (`severity:`), in `Kind::ALL` order.
    kinds: [Option<Severity>; Kind::ALL.len()],
    /// (id or family, severity or `None` for off), from `rules:`.
    rules: Vec<(String, Option<Severity>)>,
    /// The project's rule settings (`seam.yaml`), under all of the journey's own.
    project: Vec<(String, Option<Severity>)>,
}

impl Policy {
    /// A policy from a severity by kind and settings by rule id (`None`: off).
    pub fn new(
        kinds: &BTreeMap<String, Severity>,
        rules: Vec<(String, Option<Severity>)>,
    ) -> Policy {
        let kinds = Kind::ALL.map(|k| kinds.get(k.as_str()).copied());
        Policy {
            kinds,
            rules,
            project: Vec::new(),
        }
    }

    /// The policy a scenario journey declares.
    pub fn of(journey: &Journey) -> Policy {
        let rules = journey
            .rules
            .iter()
            .map(|RuleSetting { pattern, setting }| {
                let severity = match setting {
                    RuleAction::Off => None,
                    RuleAction::Severity(s) => Some(*s),
                };
                (pattern.clone(), severity)
            })
            .collect();
        Policy::new(&journey.severity, rules)
    }

    /// The policy of a scenario journey over the project's rule settings (`seam.yaml`):
    /// whatever the journey sets (a rule's entry, its kind's severity) wins over them.
    pub fn layered(project: &[(String, Option<Severity>)], journey: &Journey) -> Policy {
        Policy {
            project: project.to_vec(),
            ..Policy::of(journey)
        }
    }

    /// The severity of a finding of `kind`/`rule`; `None` when the rule is off.
    pub fn severity(&self, kind: Kind, rule: &str) -> Option<Severity> {
        if let Some(setting) = best(&self.rules, kind, rule) {
            return setting;
        }
        if let Some(severity) = self.kinds[kind as usize] {
            return Some(severity);
        }
        best(&self.project, kind, rule).unwrap_or(Some(kind.default_severity()))
    }
}

/// The setting of the entry of `rules` that names `kind/rule` most closely, if any.
fn best(rules: &[(String, Option<Severity>)], kind: Kind, rule: &str) -> Option<Option<Severity>> {
    let mut best: Option<(usize, Option<Severity>)> = None;
    for (pattern, setting) in rules {
        let Some(strength) = strength(pattern, kind.as_str(), rule) else {
            continue;
        };
        if best.is_none_or(|(b, _)| strength > b) {
            best = Some((strength, *setting));
        }
    }
    best.map(|(_, setting)| setting)
}

/// Whether `pattern` names the id `kind/rule`, and how closely: an exact id beats every
/// family, a longer family a shorter one.
fn strength(pattern: &str, kind: &str, rule: &str) -> Option<usize> {
    let id_len = kind.len() + 1 + rule.len();
    match pattern.strip_suffix('*') {
        Some(prefix) => id_starts_with(kind, rule, prefix).then_some(prefix.len()),
        None => {
            (pattern.len() == id_len && id_starts_with(kind, rule, pattern)).then_some(usize::MAX)
        }
    }
}

/// Whether `kind/rule` starts with `prefix`, without writing the id.
fn id_starts_with(kind: &str, rule: &str, prefix: &str) -> bool {
    match prefix.strip_prefix(kind) {
        Some("") => true,
        Some(rest) => match rest.strip_prefix('/') {
            Some(rest) => rule.starts_with(rest),
            None => false,
        },
        None => kind.starts_with(prefix),
    }
}

/// Whether `pattern` (an id, or a family ending in `*`) covers the id or family `id`.
pub fn covers(pattern: &str, id: &str) -> bool {
    match (pattern.strip_suffix('*'), id.strip_suffix('*')) {
        (Some(p), Some(family)) => family.starts_with(p) || p.starts_with(family),
        (Some(p), None) => id.starts_with(p),
        (None, Some(family)) => pattern.starts_with(family),
        (None, None) => pattern == id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(rules: &[(&str, Option<Severity>)]) -> Policy {
        let kinds = [("broken-handoff".to_string(), Severity::Info)].into();
        let rules = rules.iter().map(|(p, s)| (p.to_string(), *s)).collect();
        Policy::new(&kinds, rules)
    }

    #[test]
    fn a_rule_entry_beats_its_kind_and_an_exact_id_beats_a_family() {
        let p = policy(&[
            ("broken-handoff/not-recognised", None),
            ("expectation/answer.*", Some(Severity::Critical)),
            ("expectation/*", Some(Severity::Info)),
            ("expectation/answer.pickup", Some(Severity::Major)),
        ]);
        assert_eq!(p.severity(Kind::BrokenHandoff, "not-recognised"), None);
        assert_eq!(
            p.severity(Kind::BrokenHandoff, "state-lost"),
            Some(Severity::Info)
        );
        assert_eq!(
            p.severity(Kind::Expectation, "answer.x"),
            Some(Severity::Critical)
        );
        assert_eq!(
            p.severity(Kind::Expectation, "answer.pickup"),
            Some(Severity::Major)
        );
        assert_eq!(
            p.severity(Kind::Expectation, "status"),
            Some(Severity::Info)
        );
        assert_eq!(
            p.severity(Kind::SutError, "timeout"),
            Some(Severity::Critical)
        );
    }

    #[test]
    fn whatever_the_journey_sets_wins_over_the_project() {
        let mut journey = crate::rules::testkit::two_step_clean().0;
        journey.severity = [("expectation".to_string(), Severity::Major)].into();
        let project = vec![
            ("expectation/*".to_string(), None),
            ("sla/*".to_string(), Some(Severity::Critical)),
        ];
        let p = Policy::layered(&project, &journey);
        assert_eq!(
            p.severity(Kind::Expectation, "status"),
            Some(Severity::Major),
            "the journey's kind severity beats the project's family"
        );
        assert_eq!(p.severity(Kind::Sla, "late"), Some(Severity::Critical));
        journey.rules = vec![RuleSetting {
            pattern: "sla/late".into(),
            setting: RuleAction::Off,
        }];
        let p = Policy::layered(&project, &journey);
        assert_eq!(p.severity(Kind::Sla, "late"), None);
        assert_eq!(p.severity(Kind::Sla, "no-reply"), Some(Severity::Critical));
    }

    #[test]
    fn families_and_ids_cover_each_other() {
        assert!(covers("expectation/answer.*", "expectation/answer.*"));
        assert!(covers("expectation/*", "expectation/answer.*"));
        assert!(covers("expectation/answer.pickup", "expectation/answer.*"));
        assert!(covers("broken-handoff/*", "broken-handoff/state-lost"));
        assert!(!covers("nope/*", "broken-handoff/state-lost"));
        assert!(!covers("broken-handoff/state", "broken-handoff/state-lost"));
        assert_eq!(strength("broken-handoff*", "broken-handoff", "x"), Some(14));
        assert_eq!(strength("broken*", "broken-handoff", "x"), Some(6));
        assert_eq!(
            strength("broken-handoff/x", "broken-handoff", "x"),
            Some(usize::MAX)
        );
        assert_eq!(strength("broken-handoff/xy", "broken-handoff", "x"), None);
    }
}
