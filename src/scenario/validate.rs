//! `check_journey`: the semantic checks of one well-typed scenario (ids, `continues`,
//! `${...}` references, channels, intents, times, personas, fragments, rules), each placed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use super::diagnostic::Diagnostic;
use super::duration::{DURATION_HINT, TIME_HINT, parse_duration, parse_time};
use super::load::{Lookup, Session};
use super::model::{ConsistencyRule, FragmentFile, Journey, ScenarioFile, StepEntry, StepSpec};
use super::resolve::{self, Flat};
use super::yaml::{Node, Span};
use crate::detect::finding::Kind;
use crate::protocol::{KNOWN_CHANNELS, Status};
use crate::reference::intents::intent_names;

/// Fields of a reply a `${step.FIELD...}` reference or a capture may read.
const REPLY_FIELDS: [&str; 9] = [
    "status",
    "reply",
    "asks",
    "answer",
    "refs",
    "recognized",
    "agent",
    "redirect",
    "promises",
];

fn at<'n>(node: &'n Node, key: &str) -> &'n Node {
    node.get(key).unwrap_or(node)
}

/// Checks one scenario document and resolves it; `None` when it has errors.
pub fn check_journey(
    session: &mut Session,
    file: &str,
    path: &Path,
    spec: &ScenarioFile,
    node: &Node,
    out: &mut Vec<Diagnostic>,
) -> Option<Journey> {
    let first_error = out.len();
    if spec.name.trim().is_empty() {
        out.push(Diagnostic::error(
            file,
            at(node, "name").span,
            "the journey name is empty",
        ));
    }
    let start = match parse_time(&spec.clock.start) {
        Ok(t) => Some(t),
        Err(e) => {
            let span = at(at(node, "clock"), "start").span;
            out.push(Diagnostic::error(file, span, e).with_hint(TIME_HINT));
            None
        }
    };
    let persona = spec
        .persona
        .as_deref()
        .and_then(|name| match session.persona(path, name) {
            Lookup::Found(p) => Some(p),
            Lookup::Broken => {
                out.push(Diagnostic::error(
                    file,
                    at(node, "persona").span,
                    format!("persona `{name}` has errors (reported at its file)"),
                ));
                None
            }
            Lookup::Missing { message, hint } => {
                let mut d = Diagnostic::error(file, at(node, "persona").span, message);
                d.hint = hint;
                out.push(d);
                None
            }
        });
    let customer = resolve::merged_customer(persona.as_ref(), spec.customer.as_ref());
    if let Some(inline) = &spec.customer {
        check_identifiers(
            file,
            at(node, "customer"),
            &customer.facts,
            &inline.identifiers,
            out,
        );
    }
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    for kind in spec.severity.keys() {
        if !kinds.contains(&kind.as_str()) {
            let span = at(node, "severity").key(kind).map_or(node.span, |k| k.span);
            let d = Diagnostic::error(file, span, format!("unknown finding kind `{kind}`"));
            out.push(
                match super::diagnostic::suggest(kind, kinds.iter().copied()) {
                    Some(best) => d.with_hint(format!("did you mean `{best}`?")),
                    None => d.with_hint(format!("finding kinds: {}", kinds.join(", "))),
                },
            );
        }
    }
    if spec.max_turns == Some(0) {
        out.push(Diagnostic::error(
            file,
            at(node, "max_turns").span,
            "`max_turns` must be at least 1",
        ));
    }
    let steps_node = at(node, "steps");
    if spec.steps.is_empty() {
        out.push(
            Diagnostic::error(file, steps_node.span, "the journey has no steps")
                .with_hint("add at least one step with `id`, `channel` and `intent`"),
        );
    }
    let mut flats = Vec::new();
    for (i, entry) in spec.steps.iter().enumerate() {
        let entry_node = steps_node.items().get(i).unwrap_or(steps_node);
        match entry {
            StepEntry::Step(step) => {
                check_step(file, step, entry_node, out);
                flats.extend(resolve::expand_matrix(step, entry_node, None));
            }
            StepEntry::Use(using) => {
                let use_node = at(entry_node, "use");
                let lead = using
                    .after
                    .as_deref()
                    .and_then(|text| duration(file, text, at(entry_node, "after").span, out));
                let fragment = match session.fragment(path, &using.fragment) {
                    Lookup::Found(f) => f,
                    Lookup::Broken => {
                        out.push(Diagnostic::error(
                            file,
                            use_node.span,
                            format!(
                                "fragment `{}` has errors (reported at its file)",
                                using.fragment
                            ),
                        ));
                        continue;
                    }
                    Lookup::Missing { message, hint } => {
                        let mut d = Diagnostic::error(file, use_node.span, message);
                        d.hint = hint;
                        out.push(d);
                        continue;
                    }
                };
                let first = flats.len();
                for step in resolve::prefixed(&fragment.steps, using.prefix.as_deref()) {
                    flats.extend(resolve::expand_matrix(
                        &step,
                        use_node,
                        Some(&using.fragment),
                    ));
                }
                if let Some(flat) = flats.get_mut(first) {
                    flat.lead = lead;
                }
            }
        }
    }
    check_flow(file, &mut flats, out);
    check_timeline(file, start, &mut flats, out);
    let consistent = check_rules(file, &spec.consistent, at(node, "consistent"), &flats, out);
    if let Some(watch) = spec.outbox.as_ref().and_then(|o| o.watch.as_deref()) {
        duration(file, watch, at(at(node, "outbox"), "watch").span, out);
    }
    if out[first_error..].iter().any(Diagnostic::is_error) {
        return None;
    }
    resolve::build(file, spec, customer, flats, consistent)
}

/// The checks of one step on its own (also run on each step of a fragment file).
pub fn check_step(file: &str, step: &StepSpec, node: &Node, out: &mut Vec<Diagnostic>) {
    if !valid_id(&step.id) {
        out.push(
            Diagnostic::error(
                file,
                at(node, "id").span,
                format!("invalid step id `{}`", step.id),
            )
            .with_hint("use letters, digits, `-` and `_` (ids are quoted as `${id.refs.x}`)"),
        );
    }
    match (&step.channel, &step.matrix) {
        (None, None) => out.push(
            Diagnostic::error(
                file,
                at(node, "id").span,
                format!("step `{}` has no channel", step.id),
            )
            .with_hint("add `channel:` or `matrix: { channel: [...] }`"),
        ),
        (Some(_), Some(_)) => out.push(Diagnostic::error(
            file,
            node.key("matrix").map_or(node.span, |k| k.span),
            "a step has `channel` or `matrix`, not both",
        )),
        (Some(channel), None) => check_channel(file, channel, at(node, "channel").span, out),
        (None, Some(matrix)) => {
            let list = at(at(node, "matrix"), "channel");
            if matrix.channel.is_empty() {
                out.push(Diagnostic::error(
                    file,
                    list.span,
                    "`matrix.channel` is empty",
                ));
            }
            let mut seen = HashSet::new();
            for (i, channel) in matrix.channel.iter().enumerate() {
                let span = list.items().get(i).map_or(list.span, |n| n.span);
                if !seen.insert(channel) {
                    out.push(Diagnostic::error(
                        file,
                        span,
                        format!("channel `{channel}` appears twice in the matrix"),
                    ));
                }
                check_channel(file, channel, span, out);
            }
        }
    }
    let intents = intent_names();
    if !intents.contains(&step.intent.as_str()) {
        out.push(
            Diagnostic::warning(
                file,
                at(node, "intent").span,
                format!(
                    "intent `{}` is unknown to the reference retailer",
                    step.intent
                ),
            )
            .did_you_mean(&step.intent, intents.iter().copied()),
        );
    }
    if let Some(text) = &step.at {
        if step.after.is_some() {
            out.push(
                Diagnostic::error(
                    file,
                    node.key("after").map_or(node.span, |k| k.span),
                    "a step has `at` or `after`, not both",
                )
                .with_hint("`at` is an absolute time, `after` a delay since the previous step"),
            );
        }
        if let Err(e) = parse_time(text) {
            out.push(Diagnostic::error(file, at(node, "at").span, e).with_hint(TIME_HINT));
        }
    }
    if let Some(text) = &step.after {
        duration(file, text, at(node, "after").span, out);
    }
    if let Some(expect) = &step.expect {
        let expect_node = at(node, "expect");
        if let Some(status) = &expect.status {
            let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            let status_node = at(expect_node, "status");
            for (i, value) in status.to_vec().iter().enumerate() {
                if !names.contains(&value.as_str()) {
                    let span = status_node
                        .items()
                        .get(i)
                        .map_or(status_node.span, |n| n.span);
                    let d = Diagnostic::error(file, span, format!("unknown status `{value}`"));
                    out.push(
                        match super::diagnostic::suggest(value, names.iter().copied()) {
                            Some(best) => d.with_hint(format!("did you mean `{best}`?")),
                            None => d.with_hint(format!("statuses: {}", names.join(", "))),
                        },
                    );
                }
            }
        }
        if let Some(within) = expect.promises.as_ref().and_then(|p| p.within.as_deref()) {
            duration(
                file,
                within,
                at(at(expect_node, "promises"), "within").span,
                out,
            );
        }
    }
    for (name, path) in &step.capture {
        let head = path.split('.').next().unwrap_or_default();
        if !REPLY_FIELDS.contains(&head) {
            let span = at(at(node, "capture"), name).span;
            out.push(
                Diagnostic::error(
                    file,
                    span,
                    format!("capture `{name}` reads `{head}`, which is not a reply field"),
                )
                .did_you_mean(head, REPLY_FIELDS),
            );
        }
    }
}

/// A fragment file: its steps on their own (their references are checked where used).
pub fn check_fragment(file: &str, fragment: &FragmentFile, node: &Node, out: &mut Vec<Diagnostic>) {
    let steps = at(node, "steps");
    if fragment.steps.is_empty() {
        out.push(Diagnostic::error(
            file,
            steps.span,
            "the fragment has no steps",
        ));
    }
    for (i, step) in fragment.steps.iter().enumerate() {
        check_step(file, step, steps.items().get(i).unwrap_or(steps), out);
    }
}

/// Each identifier of each channel must be a known channel and a known fact.
pub fn check_identifiers(
    file: &str,
    node: &Node,
    facts: &BTreeMap<String, Value>,
    identifiers: &BTreeMap<String, Vec<String>>,
    out: &mut Vec<Diagnostic>,
) {
    let ids_node = at(node, "identifiers");
    for (channel, keys) in identifiers {
        check_channel(
            file,
            channel,
            ids_node.key(channel).map_or(ids_node.span, |k| k.span),
            out,
        );
        let list = at(ids_node, channel);
        for (i, key) in keys.iter().enumerate() {
            if !facts.contains_key(key) {
                let span = list.items().get(i).map_or(list.span, |n| n.span);
                out.push(
                    Diagnostic::error(
                        file,
                        span,
                        format!("identifier `{key}` is not among the customer's facts"),
                    )
                    .did_you_mean(key, facts.keys().map(String::as_str)),
                );
            }
        }
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

fn check_channel(file: &str, channel: &str, span: Span, out: &mut Vec<Diagnostic>) {
    if KNOWN_CHANNELS.contains(&channel) || (channel.len() > 2 && channel.starts_with("x-")) {
        return;
    }
    let d = Diagnostic::error(file, span, format!("unknown channel `{channel}`"));
    out.push(match super::diagnostic::suggest(channel, KNOWN_CHANNELS) {
        Some(best) => d.with_hint(format!("did you mean `{best}`?")),
        None => d.with_hint(format!(
            "known channels: {}; name a custom one `x-{channel}`",
            KNOWN_CHANNELS.join(", ")
        )),
    });
}

fn duration(
    file: &str,
    text: &str,
    span: Span,
    out: &mut Vec<Diagnostic>,
) -> Option<chrono::TimeDelta> {
    match parse_duration(text) {
        Ok(d) => Some(d),
        Err(e) => {
            out.push(Diagnostic::error(file, span, e).with_hint(DURATION_HINT));
            None
        }
    }
}

/// Cross-step checks: duplicate ids, `continues`, `${...}` references.
fn check_flow(file: &str, flats: &mut [Flat<'_>], out: &mut Vec<Diagnostic>) {
    let ids: Vec<String> = flats.iter().map(|f| f.step.id.clone()).collect();
    let groups: HashSet<&str> = flats.iter().filter_map(|f| f.group.as_deref()).collect();
    let mut earlier: HashMap<&str, Span> = HashMap::new();
    let mut captures: HashSet<&str> = HashSet::new();
    for (i, flat) in flats.iter().enumerate() {
        let id = ids[i].as_str();
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
            } else if ids[i..].iter().any(|x| x == target) {
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
                Some(what) if what.is_empty() => out.push(Diagnostic::error(file, flat.span(&["continues"]), format!("`continues` names unknown step `{target}`{origin}")).did_you_mean(target, ids[..i].iter().map(String::as_str))),
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
                let (head, tail) = reference.split_once('.').unwrap_or((reference, ""));
                if captures.contains(head) && !earlier.contains_key(head) {
                    continue;
                }
                // `${facts.key}`: a persona fact (checked against the persona at replay).
                if head == "facts" && !tail.is_empty() && !earlier.contains_key(head) {
                    continue;
                }
                match position(head) {
                    None => {
                        let field = tail.split('.').next().unwrap_or_default();
                        if !REPLY_FIELDS.contains(&field) {
                            out.push(Diagnostic::error(file, span, format!("`${{{reference}}}` reads `{field}`, which is not a reply field{origin}")).did_you_mean(field, REPLY_FIELDS).with_hint_if_none("write `${step-id.refs.key}` or `${step-id.answer.key}`"));
                        }
                    }
                    Some(what) if what.is_empty() => {
                        let known: Vec<&str> = ids[..i]
                            .iter()
                            .map(String::as_str)
                            .chain(captures.iter().copied())
                            .collect();
                        out.push(Diagnostic::error(file, span, format!("`${{{reference}}}` names unknown step or capture `{head}`{origin}")).did_you_mean(head, known));
                    }
                    Some(what) => out.push(
                        Diagnostic::error(
                            file,
                            span,
                            format!("`${{{reference}}}` refers to {what}{origin}"),
                        )
                        .with_hint("a step can only quote replies of earlier steps"),
                    ),
                }
            }
        }
        earlier.entry(id).or_insert(flat.span(&["id"]));
        captures.extend(flat.step.capture.keys().map(String::as_str));
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
fn check_timeline(
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
fn check_rules(
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
