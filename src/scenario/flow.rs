//! `check_flow`, `check_timeline`, `check_rules`: the checks across the steps of one
//! expanded journey (ids, `continues`, `${...}` references, times, consistency rules).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::diagnostic::Diagnostic;
use super::duration::{parse_duration, parse_time};
use super::model::ConsistencyRule;
use super::resolve::{self, Flat};
use super::validate::at;
use super::yaml::{Node, Span};

/// Cross-step checks: duplicate ids, `continues`, `${...}` references.
pub fn check_flow(
    file: &str,
    flats: &[Flat<'_>],
    facts: &BTreeMap<String, Value>,
    out: &mut Vec<Diagnostic>,
) {
    let ids: Vec<&str> = flats.iter().map(|f| f.step.id.as_str()).collect();
    let groups: HashSet<&str> = flats.iter().filter_map(|f| f.group.as_deref()).collect();
    let mut earlier: HashMap<&str, Span> = HashMap::new();
    let mut captures: HashSet<&str> = HashSet::new();
    for (i, flat) in flats.iter().enumerate() {
        let id = ids[i];
        let origin = flat.origin();
        if let Some(first) = earlier.get(id) {
            out.push(
                Diagnostic::error(
                    file,
                    flat.span(&["id"]),
                    format!("duplicate step id `{id}`{origin}"),
                )
                .with_hint(format!("first used at line {}", first.line)),
            );
        }
        let position = |target: &str| {
            if earlier.contains_key(target) {
                None
            } else if target == id {
                Some("itself".to_string())
            } else if ids[i..].contains(&target) {
                Some(format!("the later step `{target}`"))
            } else if groups.contains(target) {
                Some(format!(
                    "the matrix `{target}`; name one of its steps, e.g. `{target}-{}`",
                    flats
                        .iter()
                        .find(|f| f.group.as_deref() == Some(target))
                        .and_then(|f| f.step.channel.as_deref())
                        .unwrap_or("web")
                ))
            } else {
                Some(String::new())
            }
        };
        if let Some(target) = &flat.step.continues {
            match position(target) {
                None => {}
                Some(what) if what.is_empty() => out.push(Diagnostic::error(file, flat.span(&["continues"]), format!("`continues` names unknown step `{target}`{origin}")).did_you_mean(target, ids[..i].iter().copied())),
                Some(what) => out.push(Diagnostic::error(file, flat.span(&["continues"]), format!("`continues` points to {what}{origin}")).with_hint("a step continues an earlier step; pointing to itself or a later one would make a cycle")),
            }
        }
        let mut texts: Vec<(Span, &str)> = flat
            .step
            .refs
            .iter()
            .map(|(k, v)| (flat.span(&["refs", k]), v.as_str()))
            .collect();
        for (key, value) in &flat.step.says {
            collect_strings(value, flat.span(&["says", key]), &mut texts);
        }
        for (span, text) in texts {
            let found = match resolve::references(text) {
                Ok(found) => found,
                Err(e) => {
                    out.push(
                        Diagnostic::error(file, span, format!("{e}{origin}"))
                            .with_hint("write a reference as `${step-id.refs.key}`"),
                    );
                    continue;
                }
            };
            for reference in found {
                let problem = check_reference(reference, i, &ids, &position, &captures, facts);
                if let Some(d) = problem {
                    let message = format!("`${{{reference}}}` {}{origin}", d.message);
                    let mut diagnostic = Diagnostic::error(file, span, message);
                    diagnostic.hint = d.hint;
                    out.push(diagnostic);
                }
            }
        }
        earlier.entry(id).or_insert(flat.span(&["id"]));
        captures.extend(flat.step.capture.keys().map(String::as_str));
    }
}

/// What is wrong with one `${...}` reference, if anything (message without the
/// reference itself, and a hint). The forms are those the engine substitutes:
/// `${facts.KEY}`, `${CAPTURE}`, `${STEP.refs.PATH}` and `${STEP.answer.PATH}`.
fn check_reference(
    reference: &str,
    i: usize,
    ids: &[&str],
    position: &dyn Fn(&str) -> Option<String>,
    captures: &HashSet<&str>,
    facts: &BTreeMap<String, Value>,
) -> Option<Problem> {
    let (head, tail) = reference.split_once('.').unwrap_or((reference, ""));
    if head == "facts" && !tail.is_empty() {
        return (!facts.contains_key(tail)).then(|| {
            let hint = super::diagnostic::suggest(tail, facts.keys().map(String::as_str))
                .map(|best| format!("did you mean `facts.{best}`?"));
            Problem::new(
                format!("names `{tail}`, which is not among the customer's facts"),
                hint,
            )
        });
    }
    if captures.contains(reference) {
        return None;
    }
    if captures.contains(head) && position(head).is_some() {
        return Some(Problem::new(
            format!("reads into capture `{head}`"),
            Some(format!("quote a capture whole: `${{{head}}}`")),
        ));
    }
    match position(head) {
        None => {
            let (section, path) = tail.split_once('.').unwrap_or((tail, ""));
            if !["refs", "answer"].contains(&section) || path.is_empty() {
                let hint = super::diagnostic::suggest(section, ["refs", "answer"])
                    .filter(|best| *best != section)
                    .map(|best| format!("did you mean `{head}.{best}.KEY`?"))
                    .unwrap_or_else(|| {
                        format!("write `${{{head}.refs.KEY}}` or `${{{head}.answer.KEY}}`")
                    });
                return Some(Problem::new(
                    format!("must read `refs.KEY` or `answer.KEY` of step `{head}`"),
                    Some(hint),
                ));
            }
            None
        }
        Some(what) if what.is_empty() => {
            let known: Vec<&str> = ids[..i]
                .iter()
                .copied()
                .chain(captures.iter().copied())
                .collect();
            let hint = super::diagnostic::suggest(head, known)
                .map(|best| format!("did you mean `{best}`?"));
            Some(Problem::new(
                format!("names unknown step or capture `{head}`"),
                hint,
            ))
        }
        Some(what) => Some(Problem::new(
            format!("refers to {what}"),
            Some("a step can only quote replies of earlier steps".into()),
        )),
    }
}

struct Problem {
    message: String,
    hint: Option<String>,
}

impl Problem {
    fn new(message: String, hint: Option<String>) -> Self {
        Problem { message, hint }
    }
}

fn collect_strings<'v>(value: &'v Value, span: Span, out: &mut Vec<(Span, &'v str)>) {
    match value {
        Value::String(s) => out.push((span, s)),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, span, out)),
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, span, out)),
        _ => {}
    }
}

/// Absolute times: the clock start, then `at` (never earlier than the previous step) or
/// `after` (added to it); a step with neither happens at the previous step's time.
pub fn check_timeline(
    file: &str,
    start: Option<chrono::DateTime<chrono::FixedOffset>>,
    flats: &mut [Flat<'_>],
    out: &mut Vec<Diagnostic>,
) {
    let mut cursor = start;
    for flat in flats.iter_mut() {
        if let (Some(lead), Some(now)) = (flat.lead, cursor) {
            cursor = now.checked_add_signed(lead);
        }
        if let Some(text) = &flat.step.at {
            let time = parse_time(text).ok();
            if let (Some(time), Some(now)) = (time, cursor)
                && time < now
            {
                out.push(
                    Diagnostic::error(
                        file,
                        flat.span(&["at"]),
                        format!(
                            "`at` {text} is earlier than the previous step ({}){}",
                            now.to_rfc3339(),
                            flat.origin()
                        ),
                    )
                    .with_hint("steps run in the order written; move the step or fix its time"),
                );
            }
            cursor = time.or(cursor);
        } else if let (Some(after), Some(now)) = (flat.step.after.as_deref(), cursor) {
            cursor = parse_duration(after)
                .ok()
                .and_then(|d| now.checked_add_signed(d));
        }
        flat.at = cursor;
    }
}

/// `consistent:` rules: known step ids, matrix ids expanded, at least two steps.
pub fn check_rules(
    file: &str,
    rules: &[ConsistencyRule],
    node: &Node,
    flats: &[Flat<'_>],
    out: &mut Vec<Diagnostic>,
) -> Vec<ConsistencyRule> {
    let ids: Vec<&str> = flats.iter().map(|f| f.step.id.as_str()).collect();
    let mut groups: Vec<&str> = flats.iter().filter_map(|f| f.group.as_deref()).collect();
    groups.dedup();
    let mut resolved = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let rule_node = node.items().get(i).unwrap_or(node);
        let steps_node = at(rule_node, "steps");
        let mut steps = Vec::new();
        for (j, id) in rule.steps.iter().enumerate() {
            let span = steps_node
                .items()
                .get(j)
                .map_or(steps_node.span, |n| n.span);
            if groups.contains(&id.as_str()) {
                steps.extend(
                    flats
                        .iter()
                        .filter(|f| f.group.as_deref() == Some(id))
                        .map(|f| f.step.id.clone()),
                );
            } else if ids.contains(&id.as_str()) {
                steps.push(id.clone());
            } else {
                out.push(
                    Diagnostic::error(
                        file,
                        span,
                        format!("consistency rule names unknown step `{id}`"),
                    )
                    .did_you_mean(id, ids.iter().chain(groups.iter()).copied()),
                );
            }
        }
        if steps.len() < 2 && steps.len() == rule.steps.len() {
            out.push(
                Diagnostic::error(
                    file,
                    steps_node.span,
                    "a consistency rule needs at least two steps",
                )
                .with_hint("name two steps, or one matrix step"),
            );
        }
        if rule.fields.is_empty() {
            out.push(Diagnostic::error(
                file,
                at(rule_node, "fields").span,
                "a consistency rule needs at least one field",
            ));
        }
        resolved.push(ConsistencyRule {
            steps,
            ..rule.clone()
        });
    }
    resolved
}
