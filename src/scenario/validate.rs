//! `check_journey`: the semantic checks of one well-typed scenario (personas, fragments,
//! channels, intents, times, statuses, identifiers, `rules:`), each placed; cross-step ones
//! in `flow`.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde_json::Value;

use super::diagnostic::Diagnostic;
use super::duration::{DURATION_HINT, TIME_HINT, parse_duration, parse_time};
use super::flow;
use super::load::{Lookup, Session};
use super::model::{FragmentFile, Journey, ScenarioFile, StepEntry, StepSpec};
use super::resolve;
use super::rules;
use super::vocabulary::Vocabulary;
use super::yaml::{Node, Span};
use crate::protocol::{KNOWN_CHANNELS, Status};

/// Fields of a reply a `${step.FIELD...}` reference or a capture may read.
pub(super) const REPLY_FIELDS: [&str; 9] = [
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

pub(super) fn at<'n>(node: &'n Node, key: &str) -> &'n Node {
    node.get(key).unwrap_or(node)
}

/// Checks one scenario document and resolves it; `None` when it has errors.
pub fn check_journey(
    session: &mut Session<'_>,
    file: &str,
    path: &Path,
    mut spec: ScenarioFile,
    node: &Node,
    out: &mut Vec<Diagnostic>,
) -> Option<Journey> {
    let vocabulary = session.vocabulary();
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
    let kinds = vocabulary.kinds();
    for kind in spec.severity.keys() {
        if !kinds.contains(&kind.as_str()) {
            let span = at(node, "severity").key(kind).map_or(node.span, |k| k.span);
            let d = Diagnostic::error(file, span, format!("unknown finding kind `{kind}`"));
            out.push(
                match super::diagnostic::suggest(kind, kinds.iter().copied()) {
                    Some(best) => d.with_hint(format!(
                        "did you mean `{best}`? finding kinds: {}",
                        kinds.join(", ")
                    )),
                    None => d.with_hint(format!("finding kinds: {}", kinds.join(", "))),
                },
            );
        }
    }
    let rules = rules::check_settings(file, &spec.rules, node, vocabulary, out);
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
    // The steps move into the flats (and from there into the journey), uncopied.
    let entries = std::mem::take(&mut spec.steps);
    let mut flats = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let entry_node = steps_node.items().get(i).unwrap_or(steps_node);
        match entry {
            StepEntry::Step(step) => {
                check_step(file, &step, entry_node, vocabulary, out);
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
                        Box::new(step),
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
    flow::check_flow(file, &flats, &customer.facts, out);
    flow::check_timeline(file, start, &mut flats, out);
    let consistent = flow::check_rules(file, &spec.consistent, at(node, "consistent"), &flats, out);
    if let Some(watch) = spec.outbox.as_ref().and_then(|o| o.watch.as_deref()) {
        duration(file, watch, at(at(node, "outbox"), "watch").span, out);
    }
    if out[first_error..].iter().any(Diagnostic::is_error) {
        return None;
    }
    resolve::build(file, &spec, customer, flats, consistent, rules)
}

/// The checks of one step on its own (also run on each step of a fragment file).
pub fn check_step(
    file: &str,
    step: &StepSpec,
    node: &Node,
    vocabulary: &Vocabulary,
    out: &mut Vec<Diagnostic>,
) {
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
    out.extend(vocabulary.check_intent(file, &step.intent, at(node, "intent").span));
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
                            Some(best) => d.with_hint(format!(
                                "did you mean `{best}`? statuses: {}",
                                names.join(", ")
                            )),
                            None => d.with_hint(format!("statuses: {}", names.join(", "))),
                        },
                    );
                }
            }
        }
        super::matchers::check_answer(file, &expect.answer, at(expect_node, "answer"), out);
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
pub fn check_fragment(
    file: &str,
    fragment: &FragmentFile,
    node: &Node,
    vocabulary: &Vocabulary,
    out: &mut Vec<Diagnostic>,
) {
    let steps = at(node, "steps");
    if fragment.steps.is_empty() {
        out.push(Diagnostic::error(
            file,
            steps.span,
            "the fragment has no steps",
        ));
    }
    for (i, step) in fragment.steps.iter().enumerate() {
        check_step(
            file,
            step,
            steps.items().get(i).unwrap_or(steps),
            vocabulary,
            out,
        );
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

/// An error (with "did you mean") when `channel` is neither a known channel nor a custom `x-` one.
pub fn check_channel(file: &str, channel: &str, span: Span, out: &mut Vec<Diagnostic>) {
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
