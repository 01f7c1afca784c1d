//! `check`: the values of a `seam.yaml` whose shape is right, each checked where it is
//! written, with a hint: durations (the scenario's `parse_duration`), channels, opening
//! hours (`Hours::problem`), thresholds of at least 1, repeated intents, and the `rules:`
//! map (the scenario's `check_settings`, against every rule id Seam knows).

use std::collections::BTreeMap;

use chrono::TimeDelta;

use super::model::ConfigFile;
use crate::rules::RuleSet;
use crate::scenario::Vocabulary;
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::duration::{DURATION_HINT, parse_duration};
use crate::scenario::model::RuleSetting;
use crate::scenario::rules::check_settings;
use crate::scenario::validate::check_channel;
use crate::scenario::yaml::{Node, Span};

/// The values of a config that are written as text, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    pub window: Option<TimeDelta>,
    /// Reply-time targets by channel.
    pub sla: BTreeMap<String, TimeDelta>,
    /// The `rules:` entries in file order.
    pub rules: Vec<RuleSetting>,
}

/// Checks the values of `spec` (read from `root`, named `file`); every problem goes to
/// `out`. What does not read is left out of the result.
pub fn check(file: &str, spec: &ConfigFile, root: &Node, out: &mut Vec<Diagnostic>) -> Checked {
    let window = spec.outbox.window.as_deref().and_then(|text| {
        let span = span_at(root, &["outbox", "window"]);
        duration(file, text, span, out)
    });
    let sla = sla(file, spec, root, out);
    thresholds(file, spec, root, out);
    if let Some(catalogue) = &spec.catalogue {
        intents(file, catalogue, root, out);
    }
    let vocabulary = Vocabulary {
        intents: None,
        rules: RuleSet::standard()
            .ids()
            .into_iter()
            .map(str::to_string)
            .collect(),
    };
    let rules = check_settings(file, &spec.rules, root, &vocabulary, out);
    Checked { window, sla, rules }
}

/// The node at `path` under `root`.
fn node_at<'n>(root: &'n Node, path: &[&str]) -> Option<&'n Node> {
    path.iter()
        .try_fold(root, |node, key| match key.parse::<usize>() {
            Ok(i) => node.items().get(i),
            Err(_) => node.get(key),
        })
}

/// Where the deepest node of `path` that is written starts.
fn span_at(root: &Node, path: &[&str]) -> Span {
    (0..=path.len())
        .rev()
        .find_map(|n| node_at(root, &path[..n]))
        .map_or(root.span, |node| node.span)
}

fn duration(file: &str, text: &str, span: Span, out: &mut Vec<Diagnostic>) -> Option<TimeDelta> {
    match parse_duration(text) {
        Ok(d) => Some(d),
        Err(e) => {
            out.push(Diagnostic::error(file, span, e).with_hint(DURATION_HINT));
            None
        }
    }
}

/// The reply-time targets: a known (or `x-`) channel each, a duration longer than zero.
fn sla(
    file: &str,
    spec: &ConfigFile,
    root: &Node,
    out: &mut Vec<Diagnostic>,
) -> BTreeMap<String, TimeDelta> {
    let node = root.get("sla");
    let mut targets = BTreeMap::new();
    for (channel, text) in &spec.sla {
        let key = node
            .and_then(|n| n.key(channel))
            .map_or(root.span, |k| k.span);
        check_channel(file, channel, key, out);
        let span = span_at(root, &["sla", channel]);
        match duration(file, text, span, out) {
            Some(target) if target <= TimeDelta::zero() => out.push(
                Diagnostic::error(file, span, "a reply-time target must be longer than 0s")
                    .with_hint("the time a reply may take on this channel, e.g. `24h`"),
            ),
            Some(target) => {
                targets.insert(channel.clone(), target);
            }
            None => {}
        }
    }
    targets
}

/// Every threshold set is at least 1.
fn thresholds(file: &str, spec: &ConfigFile, root: &Node, out: &mut Vec<Diagnostic>) {
    let t = &spec.thresholds;
    let all = [
        (
            "dead_end_contacts",
            t.dead_end_contacts,
            "contacts about one case without a resolution that make a dead end (default 3)",
        ),
        (
            "max_surveys",
            t.max_surveys,
            "survey messages (a survey and its reminders) a journey may get (default 1)",
        ),
    ];
    for (name, value, hint) in all {
        if value.is_some_and(|n| n < 1) {
            let span = span_at(root, &["thresholds", name]);
            out.push(
                Diagnostic::error(file, span, format!("`{name}` must be at least 1"))
                    .with_hint(hint),
            );
        }
    }
}

/// Each intent once, its channels known, its opening hours readable. Entries are found
/// by their name, not their place: the shape check may have dropped one before.
fn intents(
    file: &str,
    catalogue: &crate::catalogue::Catalogue,
    root: &Node,
    out: &mut Vec<Diagnostic>,
) {
    let nodes = node_at(root, &["catalogue", "intents"]).map_or(&[][..], Node::items);
    let fallback = span_at(root, &["catalogue", "intents"]);
    let named = |name: &str, nth: usize| {
        nodes
            .iter()
            .filter(|n| n.get("intent").and_then(Node::as_str) == Some(name))
            .nth(nth)
    };
    for (i, intent) in catalogue.intents.iter().enumerate() {
        let name = intent.intent.as_str();
        let before = catalogue.intents[..i]
            .iter()
            .filter(|other| other.intent == name)
            .count();
        let node = named(name, before);
        let at = |path: &[&str]| node.map_or(fallback, |n| span_at(n, path));
        if before > 0 {
            let line = named(name, 0).map_or(fallback.line, |n| n.span.line);
            out.push(
                Diagnostic::error(
                    file,
                    at(&["intent"]),
                    format!("intent `{name}` is listed twice in the catalogue"),
                )
                .with_hint(format!("merge its settings into the entry on line {line}")),
            );
        }
        let channels = node
            .and_then(|n| n.get("channels"))
            .map_or(&[][..], Node::items);
        for channel in &intent.channels {
            let written = channels
                .iter()
                .find(|c| c.as_str() == Some(channel.as_str()));
            let span = written.map_or(at(&["channels"]), |c| c.span);
            check_channel(file, channel, span, out);
        }
        if let Some(problem) = intent.hours.as_ref().and_then(|h| h.problem()) {
            let hours = node.and_then(|n| n.get("hours"));
            let span = hours.map_or(at(&["hours"]), |h| culprit(h, &problem));
            out.push(
                Diagnostic::error(file, span, format!("opening hours: {problem}")).with_hint(
                    "hours are `{ days: [mon, ...], open: \"08:00\", close: \"22:00\", offset: \"+01:00\" }` (days and offset optional)",
                ),
            );
        }
    }
}

/// The value of `hours` a problem quotes (`` `8h` is not a time ``), else `hours` itself.
fn culprit(hours: &Node, problem: &str) -> Span {
    let quoted = problem.split('`').nth(1);
    let values = hours
        .entries()
        .iter()
        .map(|(_, v)| v)
        .chain(hours.get("days").map(Node::items).unwrap_or_default());
    values
        .filter(|v| v.as_str().is_some() && v.as_str() == quoted)
        .map(|v| v.span)
        .next()
        .unwrap_or(hours.span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::yaml::parse;

    fn problems(text: &str) -> (Checked, Vec<String>) {
        let node = parse(text).documents.remove(0);
        let spec: ConfigFile = serde_json::from_value(node.to_json()).expect("shape");
        let mut out = Vec::new();
        let checked = check("seam.yaml", &spec, &node, &mut out);
        let found = out
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect();
        (checked, found)
    }

    #[test]
    fn a_valid_config_reads_its_durations_and_rules_in_file_order() {
        let (checked, found) = problems(
            "outbox: {window: 3d}\nsla: {email: 12h, x-fax: 1w}\nrules:\n  sut-error/*: off\n  expectation/status: critical\n",
        );
        assert_eq!(found, Vec::<String>::new());
        assert_eq!(checked.window, Some(TimeDelta::days(3)));
        assert_eq!(checked.sla["email"], TimeDelta::hours(12));
        let patterns: Vec<&str> = checked.rules.iter().map(|r| r.pattern.as_str()).collect();
        assert_eq!(patterns, ["sut-error/*", "expectation/status"]);
    }

    #[test]
    fn every_bad_value_is_placed_where_it_is_written() {
        let (checked, found) = problems(
            "outbox:\n  window: 10 days\nsla:\n  emial: 0s\nthresholds: {max_surveys: 0}\ncatalogue:\n  intents:\n    - intent: a\n      channels: [web, phnoe]\n      hours: {open: '08:00', close: 8pm}\n    - intent: a\nrules:\n  sut-eror/*: off\n",
        );
        assert_eq!(
            found,
            [
                "2:11 no spaces allowed in duration `10 days`",
                "4:3 unknown channel `emial`",
                "4:10 a reply-time target must be longer than 0s",
                "5:27 `max_surveys` must be at least 1",
                "9:23 unknown channel `phnoe`",
                "10:37 opening hours: `8pm` is not a time of day (expected HH:MM)",
                "11:15 intent `a` is listed twice in the catalogue",
                "13:3 rule pattern `sut-eror/*` matches no known rule",
            ]
        );
        assert_eq!(checked.window, None);
        assert!(checked.sla.is_empty());
    }

    #[test]
    fn an_intent_is_found_by_its_name_when_one_before_it_was_dropped() {
        let text = "catalogue:\n  intents:\n    - {intent: b}\n    - {intent: a, channels: [web, phnoe]}\n";
        let node = parse(text).documents.remove(0);
        let mut spec: ConfigFile = serde_json::from_value(node.to_json()).expect("shape");
        // As if the shape check had dropped the first entry.
        spec.catalogue
            .as_mut()
            .expect("catalogue")
            .intents
            .remove(0);
        let mut out = Vec::new();
        check("seam.yaml", &spec, &node, &mut out);
        assert_eq!((out[0].line, out[0].col), (4, 35), "{out:?}");
    }
}
