//! `RuleSetting` and `check_settings`: a journey's `rules:` map (a rule id or a family ->
//! `off` or a severity), in file order, each key checked against the vocabulary's rule ids.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use super::diagnostic::{Diagnostic, suggest};
use super::model::Severity;
use super::vocabulary::Vocabulary;
use super::yaml::{Node, Span};

/// One entry of a journey's `rules:` map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSetting {
    /// A rule id `kind/rule`, or a pattern `kind/prefix*` naming every rule it starts.
    pub pattern: String,
    pub setting: RuleAction,
}

/// What a `rules:` entry does to the findings of the rules it names; written (and
/// serialised) as `off`, `info`, `minor`, `major` or `critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum RuleAction {
    /// The rule's findings are dropped.
    Off,
    /// The rule's findings get this severity.
    Severity(Severity),
}

impl RuleAction {
    /// Every value a `rules:` entry may have, as written.
    pub const NAMES: [&'static str; 5] = ["off", "info", "minor", "major", "critical"];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleAction::Off => "off",
            RuleAction::Severity(severity) => severity.as_str(),
        }
    }
}

impl std::fmt::Display for RuleAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<RuleAction> for &'static str {
    fn from(action: RuleAction) -> Self {
        action.as_str()
    }
}

impl TryFrom<String> for RuleAction {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        match text.as_str() {
            "off" => Ok(RuleAction::Off),
            other => other.parse().map(RuleAction::Severity).map_err(|_| {
                format!("unknown rule setting `{other}` (expected off or a severity)")
            }),
        }
    }
}

impl JsonSchema for RuleAction {
    fn schema_name() -> Cow<'static, str> {
        "RuleAction".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "`off` drops the rule's findings; a severity re-rates them.",
            "type": "string",
            "enum": RuleAction::NAMES,
        })
    }
}

/// The journey's `rules:` entries in file order, each key checked against
/// `vocabulary.rules` (an error at the key when it names no known rule). Entries whose
/// value the shape check refused, and repeated keys (reported there), are left out.
pub fn check_settings(
    file: &str,
    rules: &BTreeMap<String, RuleAction>,
    node: &Node,
    vocabulary: &Vocabulary,
    out: &mut Vec<Diagnostic>,
) -> Vec<RuleSetting> {
    let Some(map) = node.get("rules") else {
        return Vec::new();
    };
    let entries = map.entries();
    let mut settings = Vec::new();
    for (i, (key, _)) in entries.iter().enumerate() {
        let Some(pattern) = key.as_str() else {
            continue;
        };
        if entries[..i]
            .iter()
            .any(|(k, _)| k.as_str() == Some(pattern))
        {
            continue;
        }
        if !names_known(pattern, &vocabulary.rules) {
            out.push(unknown(file, key.span, pattern, &vocabulary.rules));
        }
        if let Some(&setting) = rules.get(pattern) {
            settings.push(RuleSetting {
                pattern: pattern.to_string(),
                setting,
            });
        }
    }
    settings
}

/// Whether the `rules:` key `pattern` names at least one of `known` (ids and families).
pub fn names_known(pattern: &str, known: &[String]) -> bool {
    pattern.contains('/') && !inner_star(pattern) && known.iter().any(|k| covers(pattern, k))
}

/// A `*` anywhere but at the very end.
fn inner_star(pattern: &str) -> bool {
    pattern.strip_suffix('*').unwrap_or(pattern).contains('*')
}

/// An exact key names an equal id or a member of a family (`expectation/answer.*` holds
/// `expectation/answer.price`); a `prefix*` key names every id and family it overlaps.
fn covers(pattern: &str, known: &str) -> bool {
    match (pattern.strip_suffix('*'), known.strip_suffix('*')) {
        (None, None) => pattern == known,
        (None, Some(family)) => pattern.len() > family.len() && pattern.starts_with(family),
        (Some(prefix), None) => known.starts_with(prefix),
        (Some(prefix), Some(family)) => family.starts_with(prefix) || prefix.starts_with(family),
    }
}

/// The error for a key that names no known rule, with the likeliest hint.
fn unknown(file: &str, span: Span, pattern: &str, known: &[String]) -> Diagnostic {
    let message = if pattern.ends_with('*') {
        format!("rule pattern `{pattern}` matches no known rule")
    } else {
        format!("unknown rule `{pattern}`")
    };
    let d = Diagnostic::error(file, span, message);
    let kinds = kinds(known);
    let Some((kind, rule)) = pattern.split_once('/') else {
        return d.with_hint(kind_rule_hint(pattern, known, &kinds));
    };
    if inner_star(pattern) {
        return d.with_hint("`*` may only end a pattern, as in `kind/prefix*`");
    }
    if kinds.contains(&kind) {
        return match suggest(rule, rule_candidates(kind, rule, known)) {
            Some(best) => d.with_hint(format!("did you mean `{kind}/{best}`?")),
            None => d.with_hint(format!(
                "rules of `{kind}`: {}",
                rules_of(kind, known).collect::<Vec<_>>().join(", ")
            )),
        };
    }
    let Some(near) = suggest(kind, kinds.iter().copied()) else {
        if kinds.is_empty() {
            return d.with_hint("no rule ids are known here");
        }
        return d.with_hint(format!("rule kinds: {}", kinds.join(", ")));
    };
    let respelt = format!("{near}/{rule}");
    if names_known(&respelt, known) {
        return d.with_hint(format!("did you mean `{respelt}`?"));
    }
    match suggest(rule, rule_candidates(near, rule, known)) {
        Some(best) => d.with_hint(format!("did you mean `{near}/{best}`?")),
        None => d.with_hint(format!("did you mean the kind `{near}`?")),
    }
}

/// The rules of `kind` as written after `kind/`, families included (`answer.*`).
fn rules_of<'k>(kind: &'k str, known: &'k [String]) -> impl Iterator<Item = &'k str> {
    known
        .iter()
        .filter_map(move |k| k.strip_prefix(kind)?.strip_prefix('/'))
}

/// What the rule part `rule` of a key may have meant: the rules of `kind` for an exact
/// key; for a pattern, `*` (the whole kind) and the families.
fn rule_candidates<'k>(kind: &'k str, rule: &str, known: &'k [String]) -> Vec<&'k str> {
    if rule.ends_with('*') {
        let families = rules_of(kind, known).filter(|r| r.ends_with('*'));
        std::iter::once("*").chain(families).collect()
    } else {
        rules_of(kind, known).collect()
    }
}

/// The hint for a key without `/`: ids are `kind/rule`, with the id it likely meant.
fn kind_rule_hint(pattern: &str, known: &[String], kinds: &[&str]) -> String {
    let bare = pattern.trim_end_matches('*');
    if kinds.contains(&bare) {
        return format!("rule ids are `kind/rule`; `{bare}/*` names every rule of `{bare}`");
    }
    let same_rule = known
        .iter()
        .find(|k| k.split_once('/').is_some_and(|(_, rule)| rule == pattern));
    if let Some(id) = same_rule {
        return format!("rule ids are `kind/rule`: did you mean `{id}`?");
    }
    match known.first() {
        Some(id) => format!("rule ids are `kind/rule`, e.g. `{id}`"),
        None => "rule ids are `kind/rule`".to_string(),
    }
}

/// The kinds of `known`, in first-seen order.
fn kinds(known: &[String]) -> Vec<&str> {
    let mut kinds = Vec::new();
    for kind in known
        .iter()
        .filter_map(|k| k.split_once('/'))
        .map(|(k, _)| k)
    {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        [
            "repeated-question/asked-again",
            "broken-handoff/not-recognised",
            "broken-handoff/state-lost",
            "expectation/status",
            "expectation/answer.*",
        ]
        .map(String::from)
        .to_vec()
    }

    /// `(message, hint)` for the key `pattern`, or `None` when it names a known rule.
    fn problem(pattern: &str) -> Option<(String, Option<String>)> {
        let known = known();
        if names_known(pattern, &known) {
            return None;
        }
        let d = unknown("x.yaml", Span::default(), pattern, &known);
        Some((d.message, d.hint))
    }

    fn hint(pattern: &str) -> String {
        problem(pattern).and_then(|(_, h)| h).unwrap_or_default()
    }

    #[test]
    fn exact_ids_and_members_of_a_family_are_known() {
        let known = known();
        assert!(names_known("broken-handoff/not-recognised", &known));
        assert!(names_known("expectation/answer.price", &known));
        assert!(!names_known("expectation/answer.", &known));
        assert!(!names_known("expectation/answer", &known));
        assert!(!names_known("broken-handoff/not-recognized", &known));
    }

    #[test]
    fn a_pattern_must_overlap_a_known_id_or_family() {
        let known = known();
        for fine in [
            "broken-handoff/*",
            "broken-handoff/state*",
            "expectation/*",
            "expectation/answer.*",
            "expectation/answer*",
            "expectation/answer.pri*",
        ] {
            assert!(names_known(fine, &known), "{fine}");
        }
        for wrong in [
            "nope/*",
            "broken-handoff/x*",
            "*",
            "broken-handoff*",
            "broken-handoff/**",
            "expectation/answer.*x",
        ] {
            assert!(!names_known(wrong, &known), "{wrong}");
        }
        assert!(!names_known("broken-handoff/*", &[]));
    }

    #[test]
    fn a_near_miss_gets_did_you_mean() {
        assert_eq!(
            problem("broken-handoff/not-recognized"),
            Some((
                "unknown rule `broken-handoff/not-recognized`".to_string(),
                Some("did you mean `broken-handoff/not-recognised`?".to_string())
            ))
        );
        assert_eq!(
            hint("repeated-questoin/asked-again"),
            "did you mean `repeated-question/asked-again`?"
        );
        assert_eq!(hint("broken-handof/*"), "did you mean `broken-handoff/*`?");
        assert_eq!(
            hint("broken-handof/state-lots"),
            "did you mean `broken-handoff/state-lost`?"
        );
        assert_eq!(
            hint("expectation/answr.*"),
            "did you mean `expectation/answer.*`?"
        );
    }

    #[test]
    fn a_far_miss_lists_the_rules_of_its_kind_or_the_kinds() {
        assert_eq!(
            problem("nope/*"),
            Some((
                "rule pattern `nope/*` matches no known rule".to_string(),
                Some("rule kinds: repeated-question, broken-handoff, expectation".to_string())
            ))
        );
        assert_eq!(
            hint("broken-handoff/lost-everything"),
            "rules of `broken-handoff`: not-recognised, state-lost"
        );
        assert_eq!(
            hint("broken-handof/everything"),
            "did you mean the kind `broken-handoff`?"
        );
    }

    #[test]
    fn a_key_without_a_slash_is_told_ids_are_kind_slash_rule() {
        assert_eq!(
            hint("broken-handoff"),
            "rule ids are `kind/rule`; `broken-handoff/*` names every rule of `broken-handoff`"
        );
        assert_eq!(
            hint("asked-again"),
            "rule ids are `kind/rule`: did you mean `repeated-question/asked-again`?"
        );
        assert_eq!(
            hint("loudness"),
            "rule ids are `kind/rule`, e.g. `repeated-question/asked-again`"
        );
        assert_eq!(
            hint("expectation/*.price"),
            "`*` may only end a pattern, as in `kind/prefix*`"
        );
    }

    #[test]
    fn settings_keep_file_order_and_skip_refused_values() {
        let text = "rules:\n  sut-error/x: off\n  expectation/status: critical\n  expectation/answer.*: info\n";
        let node = crate::scenario::yaml::parse(text).documents.remove(0);
        let mut values = BTreeMap::new();
        values.insert("expectation/status".to_string(), RuleAction::Off);
        values.insert(
            "expectation/answer.*".to_string(),
            RuleAction::Severity(Severity::Info),
        );
        let vocabulary = Vocabulary {
            intents: None,
            rules: known(),
        };
        let mut out = Vec::new();
        let settings = check_settings("x.yaml", &values, &node, &vocabulary, &mut out);
        let patterns: Vec<&str> = settings.iter().map(|s| s.pattern.as_str()).collect();
        assert_eq!(patterns, ["expectation/status", "expectation/answer.*"]);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].line, out[0].col), (2, 3));
        assert_eq!(out[0].message, "unknown rule `sut-error/x`");
    }

    #[test]
    fn rule_actions_read_and_write_as_their_names() {
        for name in RuleAction::NAMES {
            let action = RuleAction::try_from(name.to_string()).expect("a rule action");
            assert_eq!(serde_json::to_value(action).ok(), Some(name.into()));
        }
        assert!(RuleAction::try_from("loud".to_string()).is_err());
    }
}
