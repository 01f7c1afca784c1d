//! `check_shape`: walks a YAML `Node` tree against the JSON Schema generated from the
//! model types and reports every wrong type, unknown key and missing key with its position.

use std::rc::Rc;

use serde_json::Value;

use super::diagnostic::{Diagnostic, suggest};
use super::schema_index::{Compiled, SchemaIndex};
use super::yaml::{Node, NodeKind, Span};

/// Problems, and the value repaired for further checks (`None`: unusable).
type Checked = (Vec<Diagnostic>, Option<Value>);

/// Checks `node` against the root `schema`; every problem goes to `out`. Returns the
/// node's value with wrong parts dropped and misspelt keys corrected, so that later
/// checks still run on the rest of the file.
pub fn check_shape(
    schema: &Value,
    node: &Node,
    what: &str,
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Value> {
    let (errors, repaired) = Walker::new(schema, file, true).walk(schema, node, what);
    out.extend(errors);
    repaired
}

/// What `shape_of` found.
#[derive(Debug)]
pub enum Shape {
    /// No problem: the node can be typed as it is.
    Clean,
    /// Problems (reported): the value repaired for further checks.
    Repaired(Value),
    /// Problems (reported), and nothing usable is left.
    Unusable,
}

/// `check_shape`, building no value when the node is clean (the common case; a clean
/// node is typed straight from the tree).
pub fn shape_of(
    schema: &Value,
    node: &Node,
    what: &str,
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> Shape {
    let (errors, _) = Walker::new(schema, file, false).walk(schema, node, what);
    if errors.is_empty() {
        return Shape::Clean;
    }
    match check_shape(schema, node, what, file, out) {
        Some(value) => Shape::Repaired(value),
        None => Shape::Unusable,
    }
}

struct Walker<'a> {
    index: SchemaIndex<'a>,
    file: &'a str,
    /// Build the repaired value (otherwise only the problems are wanted).
    repair: bool,
}

/// The JSON type of a node as JSON Schema names it.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_words(t: &str) -> &'static str {
    match t {
        "null" => "nothing",
        "boolean" => "a boolean (true or false)",
        "integer" => "an integer",
        "number" => "a number",
        "string" => "a string",
        "array" => "a list",
        _ => "a mapping",
    }
}

impl<'a> Walker<'a> {
    fn new(root: &'a Value, file: &'a str, repair: bool) -> Self {
        Walker {
            index: SchemaIndex::new(root),
            file,
            repair,
        }
    }

    fn compiled(&self, schema: &'a Value) -> Rc<Compiled<'a>> {
        self.index.compiled(schema)
    }

    fn types(&self, schema: &'a Value) -> Rc<[&'a str]> {
        self.index.types(schema)
    }

    fn admits(types: &[&str], found: &str) -> bool {
        types.is_empty()
            || types.contains(&found)
            || (found == "integer" && types.contains(&"number"))
    }

    /// The problems of `node`, and its value repaired for further checks: wrong values
    /// dropped (`None`), unknown keys renamed to their likely spelling or dropped.
    fn walk(&self, schema: &'a Value, node: &Node, what: &str) -> Checked {
        let schema = self.compiled(schema);
        // Collections are rebuilt from their checked children; only scalars resolve here.
        let value = match &node.kind {
            NodeKind::Scalar { .. } => node.to_json(),
            NodeKind::Seq(_) => Value::Array(Vec::new()),
            NodeKind::Map(_) => Value::Object(serde_json::Map::new()),
        };
        let found = json_type(&value);
        let types = &schema.types;
        if !Self::admits(types, found) {
            let expected: Vec<&str> = types
                .iter()
                .filter(|t| **t != "null")
                .map(|t| type_words(t))
                .collect();
            let mut d = Diagnostic::error(
                self.file,
                node.span,
                format!(
                    "{what} must be {}, found {}",
                    expected.join(" or "),
                    node.describe()
                ),
            );
            if found != "string" && types.contains(&"string") && node.as_str().is_some() {
                d = d.with_hint("quote the value to make it a string");
            }
            return (vec![d], None);
        }
        if let Some(branches) = schema.branches {
            return self.walk_branches(branches, node, what, value);
        }
        if let Some(options) = schema.options
            && !options.contains(&value)
        {
            return (vec![self.not_one_of(options, node, what)], None);
        }
        if let Some(constant) = schema.constant
            && constant != &value
        {
            let d = self.not_one_of(std::slice::from_ref(constant), node, what);
            return (vec![d], None);
        }
        if found == "integer"
            && schema.uint32
            && value.as_u64().is_none_or(|n| n > u64::from(u32::MAX))
        {
            let d = Diagnostic::error(
                self.file,
                node.span,
                format!("{what} must be a whole number from 0 to {}", u32::MAX),
            );
            return (vec![d], None);
        }
        match &node.kind {
            NodeKind::Map(entries) => self.walk_map(&schema, node, entries, what),
            NodeKind::Seq(items) => {
                let Some(item_schema) = schema.items else {
                    return (Vec::new(), Some(self.value_of(node)));
                };
                let mut out = Vec::new();
                let mut kept = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let (errors, repaired) =
                        self.walk(item_schema, item, &format!("item {} of {what}", i + 1));
                    out.extend(errors);
                    if self.repair {
                        kept.extend(repaired);
                    }
                }
                (out, Some(Value::Array(kept)))
            }
            NodeKind::Scalar { .. } => (Vec::new(), Some(value)),
        }
    }

    /// The node's value, when a repaired value is being built.
    fn value_of(&self, node: &Node) -> Value {
        if self.repair {
            node.to_json()
        } else {
            Value::Null
        }
    }

    fn not_one_of(&self, options: &[Value], node: &Node, what: &str) -> Diagnostic {
        let names: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
        self.unknown_value(&names, &[], node, what)
    }

    /// `unknown value`, the hint listing every value allowed (and the keys of the
    /// mappings allowed instead), after "did you mean" for a near miss.
    fn unknown_value(&self, names: &[&str], keys: &[&str], node: &Node, what: &str) -> Diagnostic {
        let text = node.as_str().unwrap_or_default();
        let d = Diagnostic::error(
            self.file,
            node.span,
            format!("unknown value `{text}` for {what}"),
        );
        let mut all = names.join(", ");
        for key in keys {
            all.push_str(&format!(", {{ {key}: ... }}"));
        }
        let candidates = names.iter().chain(keys).copied();
        match suggest(text, candidates) {
            Some(best) => d.with_hint(format!("did you mean `{best}`? expected one of: {all}")),
            None => d.with_hint(format!("expected one of: {all}")),
        }
    }

    /// Every string an `anyOf` allows, and the keys of its one-key mapping branches
    /// (`{ numeric: ... }`).
    fn branch_values(&self, branches: &'a Value) -> (Vec<&'a str>, Vec<&'a str>) {
        let (mut names, mut keys) = (Vec::new(), Vec::new());
        for branch in branches.as_array().into_iter().flatten() {
            let compiled = self.compiled(branch);
            let strings = compiled
                .options
                .into_iter()
                .flatten()
                .chain(compiled.constant);
            names.extend(strings.filter_map(Value::as_str));
            if let [only] = compiled.required.as_slice()
                && compiled.types.contains(&"object")
            {
                keys.push(*only);
            }
        }
        (names, keys)
    }

    fn walk_map(
        &self,
        schema: &Compiled<'a>,
        node: &Node,
        entries: &[(Node, Node)],
        what: &str,
    ) -> Checked {
        let properties = schema.properties;
        let names = &schema.names;
        let mut out = Vec::new();
        let mut kept = serde_json::Map::new();
        let mut guessed = Vec::new();
        for (i, (key, item)) in entries.iter().enumerate() {
            let name = key.as_str().unwrap_or_default();
            if entries[..i].iter().any(|(k, _)| k.as_str() == Some(name)) {
                out.push(
                    Diagnostic::error(self.file, key.span, format!("duplicate key `{name}`"))
                        .with_hint("a key may appear once per mapping"),
                );
                continue;
            }
            let (property, as_name) = if let Some(p) = properties.and_then(|p| p.get(name)) {
                (Some(p), name)
            } else if schema.closed {
                let d = Diagnostic::error(
                    self.file,
                    key.span,
                    format!("unknown key `{name}` in {what}"),
                );
                let best = suggest(name, names.iter().copied());
                out.push(match best {
                    Some(best) => d.with_hint(format!("did you mean `{best}`?")),
                    None => d.with_hint(format!("known keys: {}", names.join(", "))),
                });
                // Check the value as if spelled right, so one typo hides nothing else.
                match best.filter(|b| node.key(b).is_none() && !guessed.contains(b)) {
                    Some(best) => {
                        guessed.push(best);
                        (properties.and_then(|p| p.get(best)), best)
                    }
                    None => continue,
                }
            } else {
                (schema.additional, name)
            };
            match property {
                Some(property) => {
                    let (errors, repaired) = self.walk(property, item, &format!("`{as_name}`"));
                    out.extend(errors);
                    if let Some(repaired) = repaired.filter(|_| self.repair) {
                        kept.insert(as_name.to_string(), repaired);
                    }
                }
                None if self.repair => {
                    kept.insert(as_name.to_string(), item.to_json());
                }
                None => {}
            }
        }
        for &required in &schema.required {
            if node.key(required).is_none() && !guessed.contains(&required) {
                let span = Span {
                    len: 1,
                    ..node.span
                };
                out.push(Diagnostic::error(
                    self.file,
                    span,
                    format!("missing key `{required}` in {what}"),
                ));
            }
            // A required value that is wrong or missing gets a stand-in, so the rest of
            // the document is still typed and its other checks run.
            let property = schema.properties.and_then(|p| p.get(required));
            if let Some(property) = property.filter(|_| self.repair && !kept.contains_key(required))
            {
                kept.insert(required.to_string(), self.index.placeholder(property, 0));
            }
        }
        (out, Some(Value::Object(kept)))
    }

    /// `anyOf`: fine if one branch fits; otherwise the errors of the likeliest branch.
    /// The likeliest branches (by keys present) are tried first, so a valid node is
    /// usually walked once.
    fn walk_branches(&self, branches: &'a Value, node: &Node, what: &str, value: Value) -> Checked {
        let found = json_type(&value);
        let mut candidates: Vec<((usize, usize), &'a Value)> = branches
            .as_array()
            .into_iter()
            .flatten()
            .filter(|branch| Self::admits(&self.types(branch), found))
            .map(|branch| (self.affinity(branch, node), branch))
            .collect();
        candidates.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        let mut best: Option<((usize, usize), Checked)> = None;
        for (score, branch) in candidates {
            let checked = self.walk(branch, node, what);
            if checked.0.is_empty() {
                return checked;
            }
            let better = best.as_ref().is_none_or(|(s, (errors, _))| {
                score > *s || (score == *s && checked.0.len() < errors.len())
            });
            if better {
                best = Some((score, checked));
            }
        }
        if best.is_some() && found == "string" {
            let (names, keys) = self.branch_values(branches);
            if !names.is_empty() {
                return (vec![self.unknown_value(&names, &keys, node, what)], None);
            }
        }
        best.map(|(_, checked)| checked)
            .unwrap_or_else(|| (Vec::new(), Some(self.value_of(node))))
    }

    /// How well a mapping matches an object schema: (required keys present, known keys).
    fn affinity(&self, branch: &'a Value, node: &Node) -> (usize, usize) {
        let branch = self.compiled(branch);
        let present = |key: &str| node.key(key).is_some();
        let required = branch.required.iter().filter(|k| present(k)).count();
        let known = branch.names.iter().filter(|k| present(k)).count();
        (required, known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::schema::scenario_schema;
    use crate::scenario::yaml::parse;

    fn problems(text: &str) -> Vec<String> {
        let parsed = parse(text);
        let mut out = Vec::new();
        check_shape(
            &scenario_schema(),
            &parsed.documents[0],
            "the scenario",
            "x.yaml",
            &mut out,
        );
        out.iter()
            .map(|d| format!("{}:{} {} ({:?})", d.line, d.col, d.message, d.hint))
            .collect()
    }

    #[test]
    fn a_valid_scenario_has_no_shape_problem() {
        let text = "name: a\nclock: {start: '2026-12-18T20:00:00+01:00'}\nsteps:\n  - id: s\n    channel: web\n    intent: stock.check\n    expect: {status: [done, pending], answer: {price: {lt: 30}, in_stock: true}}\n  - use: ask\n    as: again\nconsistent:\n  - {steps: [s, t], fields: [price], compare: {numeric: {tolerance: 0.5}}}\n";
        assert_eq!(problems(text), Vec::<String>::new());
    }

    #[test]
    fn reports_every_shape_problem_with_its_position() {
        let text = "nmae: a\nclock: {start: x}\nmax_turns: -1\nsteps:\n  - id: s\n    chanel: web\n    intent: 3\nseverity: {broken-handoff: majr}\n";
        let found = problems(text);
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(found[0].starts_with("1:1 unknown key `nmae`"), "{found:#?}");
        assert!(found.iter().any(|p| p.contains("did you mean `channel`")));
        assert!(found.iter().any(|p| p.contains("did you mean `major`")));
        assert!(!found.iter().any(|p| p.contains("missing key `name`")));
    }
}
