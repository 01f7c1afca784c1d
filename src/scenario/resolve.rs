//! `Flat`: the steps of a journey once fragments (`use:`) and matrices are expanded, each
//! tied to the node it came from; `build` turns them into the `Journey` the engine runs.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, TimeDelta};

use super::model::{CustomerSpec, Journey, PersonaFile, ScenarioFile, Step, StepSpec};
use super::yaml::{Node, Span};

/// One expanded step. `node` is the step's node in the scenario, or for a fragment's
/// step the `use:` value that pulled it in (`fragment` then names the fragment). The
/// step is the one read from the file, moved here (boxed, so the list of flats stays small).
#[derive(Debug, Clone)]
pub struct Flat<'n> {
    pub step: Box<StepSpec>,
    pub group: Option<String>,
    pub node: &'n Node,
    pub fragment: Option<String>,
    /// `after:` of the `use:` entry, applied before this (first) fragment step.
    pub lead: Option<TimeDelta>,
    /// The resolved time (set by the timeline check).
    pub at: Option<DateTime<FixedOffset>>,
}

impl Flat<'_> {
    /// The position of `path` (keys) inside this step, as close as the tree allows.
    pub fn span(&self, path: &[&str]) -> Span {
        if self.fragment.is_some() {
            return self.node.span;
        }
        let mut node = self.node;
        for key in path {
            match node.get(key) {
                Some(next) => node = next,
                None => break,
            }
        }
        node.span
    }

    /// Like `span`, but of the key itself rather than its value.
    pub fn key_span(&self, parent: &[&str], key: &str) -> Span {
        if self.fragment.is_some() {
            return self.node.span;
        }
        let mut node = self.node;
        for k in parent {
            match node.get(k) {
                Some(next) => node = next,
                None => return node.span,
            }
        }
        node.key(key).map_or(node.span, |k| k.span)
    }

    /// ` (in fragment `x`)` for messages about fragment steps.
    pub fn origin(&self) -> String {
        match &self.fragment {
            Some(name) => format!(" (step `{}` of fragment `{name}`)", self.step.id),
            None => String::new(),
        }
    }
}

/// One step expanded over its matrix: `ID-CHANNEL` per channel, `group: Some(ID)`;
/// only the first expansion keeps `at`/`after`, so all share one time.
pub fn expand_matrix<'n>(
    step: Box<StepSpec>,
    node: &'n Node,
    fragment: Option<&str>,
) -> Vec<Flat<'n>> {
    let flat = |step: Box<StepSpec>, group: Option<String>| Flat {
        step,
        group,
        node,
        fragment: fragment.map(str::to_string),
        lead: None,
        at: None,
    };
    let Some(matrix) = &step.matrix else {
        return vec![flat(step, None)];
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for channel in matrix.channel.iter().filter(|c| seen.insert(c.as_str())) {
        let mut one = step.clone();
        one.id = format!("{}-{channel}", step.id);
        one.channel = Some(channel.clone());
        one.matrix = None;
        if !out.is_empty() {
            one.at = None;
            one.after = None;
        }
        out.push(flat(one, Some(step.id.clone())));
    }
    out
}

/// A fragment's steps with ids prefixed (`PREFIX-id`) and the references among them
/// renamed to match.
pub fn prefixed(steps: &[StepSpec], prefix: Option<&str>) -> Vec<StepSpec> {
    let Some(prefix) = prefix else {
        return steps.to_vec();
    };
    let local: BTreeSet<&str> = steps.iter().map(|s| s.id.as_str()).collect();
    let rename = |id: &str| {
        if local.contains(id) {
            format!("{prefix}-{id}")
        } else {
            id.to_string()
        }
    };
    let rewrite = |text: &str| rewrite_references(text, &|head| rename(head));
    steps
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.id = rename(&s.id);
            s.continues = s.continues.as_deref().map(rename);
            s.refs = s
                .refs
                .iter()
                .map(|(k, v)| (k.clone(), rewrite(v)))
                .collect();
            s.says = s
                .says
                .iter()
                .map(|(k, v)| (k.clone(), map_strings(v, &rewrite)))
                .collect();
            s
        })
        .collect()
}

fn map_strings(value: &serde_json::Value, f: &dyn Fn(&str) -> String) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(f(s)),
        Value::Array(items) => Value::Array(items.iter().map(|v| map_strings(v, f)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), map_strings(v, f)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Rewrites the head (text before the first `.`) of every `${...}` in `text`.
fn rewrite_references(text: &str, rename: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start + 2]);
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else {
            break;
        };
        let inner = &rest[..end];
        let (head, tail) = inner.split_at(inner.find('.').unwrap_or(inner.len()));
        out.push_str(&rename(head));
        out.push_str(tail);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The `${...}` references in `text`, or an error for an unclosed one.
pub fn references(text: &str) -> Result<Vec<&str>, String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else {
            return Err(format!("unclosed `${{` in `{text}`"));
        };
        found.push(rest[..end].trim());
        rest = &rest[end + 1..];
    }
    Ok(found)
}

/// The customer: persona facts and identifiers, with the inline `customer` winning.
pub fn merged_customer(
    persona: Option<&PersonaFile>,
    inline: Option<&CustomerSpec>,
) -> CustomerSpec {
    let mut customer = CustomerSpec::default();
    if let Some(p) = persona {
        customer.facts = p.facts.clone();
        customer.identifiers = p.identifiers.clone();
    }
    if let Some(c) = inline {
        customer.facts.extend(c.facts.clone());
        customer.identifiers.extend(c.identifiers.clone());
    }
    customer
}

/// The resolved journey; call only when every check passed (times are all set).
pub fn build(
    file: &str,
    spec: &ScenarioFile,
    customer: CustomerSpec,
    flats: Vec<Flat<'_>>,
    consistent: Vec<super::model::ConsistencyRule>,
    rules: Vec<super::model::RuleSetting>,
) -> Option<Journey> {
    let mut steps = Vec::with_capacity(flats.len());
    for flat in flats {
        let s = *flat.step;
        steps.push(Step {
            id: s.id,
            channel: s.channel?,
            intent: s.intent,
            at: flat.at?,
            says: s.says,
            refs: s.refs,
            continues: s.continues,
            subject: s.subject,
            expect: s.expect.unwrap_or_default(),
            capture: s.capture,
            group: flat.group,
        });
    }
    Some(Journey {
        name: spec.name.clone(),
        file: file.to_string(),
        description: spec.description.clone(),
        tags: spec.tags.clone(),
        story: spec.story.clone(),
        customer,
        steps,
        consistent,
        max_repeated_questions: spec.max_repeated_questions.unwrap_or(0),
        severity: spec.severity.clone(),
        rules,
        outbox: spec.outbox.clone().unwrap_or_default(),
        max_turns: spec.max_turns.unwrap_or(4),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_references_and_unclosed_ones() {
        assert_eq!(
            references("x ${a.refs.order} y ${b}"),
            Ok(vec!["a.refs.order", "b"])
        );
        assert!(references("${a.refs").is_err());
    }

    #[test]
    fn prefixes_local_ids_only() {
        let text = "${ask.refs.case} and ${host.refs.x}";
        let out = rewrite_references(text, &|h| {
            if h == "ask" { "p-ask".into() } else { h.into() }
        });
        assert_eq!(out, "${p-ask.refs.case} and ${host.refs.x}");
    }
}
