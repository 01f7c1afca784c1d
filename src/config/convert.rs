//! `Config`: a checked `seam.yaml` as a run uses it: the rules' `Knowledge` (the
//! defaults, with what the file sets laid on them) and its rule settings, which go under
//! every scenario's own (`Policy::layered`).

use super::check::Checked;
use super::model::ConfigFile;
use crate::rules::Knowledge;
use crate::rules::finding::Severity;
use crate::scenario::model::RuleAction;

/// A project config, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file, as diagnostics and the report's notes name it.
    pub file: String,
    /// The defaults with the file's targets, thresholds and catalogue overrides.
    pub knowledge: Knowledge,
    /// Rule settings by id or family in file order (`None`: off).
    pub rules: Vec<(String, Option<Severity>)>,
}

impl Config {
    /// `spec` with its values read (`checked`), named `file`.
    pub fn new(file: &str, spec: ConfigFile, checked: Checked) -> Config {
        let mut knowledge = Knowledge::default();
        if let Some(window) = checked.window {
            knowledge.outbox_window = window;
        }
        knowledge.sla.extend(checked.sla);
        // `check` refused a count below 1.
        let count = |n: Option<i64>, default: usize| {
            n.and_then(|n| usize::try_from(n).ok()).unwrap_or(default)
        };
        knowledge.dead_end_contacts = count(
            spec.thresholds.dead_end_contacts,
            knowledge.dead_end_contacts,
        );
        knowledge.max_surveys = count(spec.thresholds.max_surveys, knowledge.max_surveys);
        knowledge.catalogue = spec.catalogue.filter(|c| *c != Default::default());
        let rules = checked
            .rules
            .into_iter()
            .map(|setting| {
                let severity = match setting.setting {
                    RuleAction::Off => None,
                    RuleAction::Severity(s) => Some(s),
                };
                (setting.pattern, severity)
            })
            .collect();
        Config {
            file: file.to_string(),
            knowledge,
            rules,
        }
    }

    /// The report's note naming the file.
    pub fn note(&self) -> String {
        format!("config: {}", self.file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::RuleSetting;
    use chrono::TimeDelta;

    #[test]
    fn what_the_file_sets_replaces_the_defaults_one_by_one() {
        let spec: ConfigFile = serde_json::from_value(serde_json::json!({
            "thresholds": {"dead_end_contacts": 5},
            "catalogue": {"profile": ["interests"]}
        }))
        .expect("a config");
        let checked = Checked {
            window: Some(TimeDelta::days(2)),
            sla: [("email".to_string(), TimeDelta::hours(4))].into(),
            rules: vec![RuleSetting {
                pattern: "sut-error/*".into(),
                setting: RuleAction::Off,
            }],
        };
        let config = Config::new("seam.yaml", spec, checked);
        let know = &config.knowledge;
        assert_eq!(know.outbox_window, TimeDelta::days(2));
        assert_eq!(know.sla("email"), Some(TimeDelta::hours(4)));
        assert_eq!(
            know.sla("chat"),
            Some(TimeDelta::minutes(2)),
            "a default kept"
        );
        assert_eq!((know.dead_end_contacts, know.max_surveys), (5, 1));
        assert_eq!(know.profile(), ["interests".to_string()]);
        assert_eq!(config.rules, [("sut-error/*".to_string(), None)]);
        assert_eq!(config.note(), "config: seam.yaml");
    }

    #[test]
    fn an_empty_config_changes_nothing() {
        let config = Config::new("seam.yaml", ConfigFile::default(), Checked::default());
        assert_eq!(config.knowledge, Knowledge::default());
        assert!(config.rules.is_empty());
    }
}
