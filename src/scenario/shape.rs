//! `check_shape`: walks a YAML `Node` tree against the JSON Schema generated from the
//! model types and reports every wrong type, unknown key and missing key with its position.

use serde_json::Value;

use super::diagnostic::{Diagnostic, suggest};
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
    let walker = Walker { root: schema, file };
    let (errors, repaired) = walker.walk(schema, node, what);
    out.extend(errors);
    repaired
}

struct Walker<'a> {
    root: &'a Value,
    file: &'a str,
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
    /// Follows `$ref`s to the schema they name.
    fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..16 {
            // `allOf: [one]` is how schemars adds a description or default to a `$ref`.
            if let Some([only]) = schema
                .get("allOf")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                schema = only;
                continue;
            }
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                return schema;
            };
            let name = reference.rsplit('/').next().unwrap_or_default();
            let target = self
                .root
                .get("definitions")
                .and_then(|d| d.get(name))
                .or_else(|| self.root.get("$defs").and_then(|d| d.get(name)));
            match target {
                Some(t) => schema = t,
                None => return &Value::Bool(true),
            }
        }
        schema
    }

    /// The JSON types a schema admits (empty: any).
    fn types(&self, schema: &'a Value) -> Vec<&'a str> {
        let schema = self.resolve(schema);
        if let Some(branches) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            let mut all = Vec::new();
            for branch in branches.as_array().into_iter().flatten() {
                let types = self.types(branch);
                if types.is_empty() {
                    return Vec::new();
                }
                for t in types {
                    if !all.contains(&t) {
                        all.push(t);
                    }
                }
            }
            return all;
        }
        match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    fn admits(types: &[&str], found: &str) -> bool {
        types.is_empty()
            || types.contains(&found)
            || (found == "integer" && types.contains(&"number"))
    }

    /// The problems of `node`, and its value repaired for further checks: wrong values
    /// dropped (`None`), unknown keys renamed to their likely spelling or dropped.
    fn walk(&self, schema: &'a Value, node: &Node, what: &str) -> Checked {
        let schema = self.resolve(schema);
        // Collections are rebuilt from their checked children; only scalars resolve here.
        let value = match &node.kind {
            NodeKind::Scalar { .. } => node.to_json(),
            NodeKind::Seq(_) => Value::Array(Vec::new()),
            NodeKind::Map(_) => Value::Object(serde_json::Map::new()),
        };
        let found = json_type(&value);
        let types = self.types(schema);
        if !Self::admits(&types, found) {
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
        if let Some(branches) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            return self.walk_branches(branches, node, what, value);
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array)
            && !options.contains(&value)
        {
            return (vec![self.not_one_of(options, node, what)], None);
        }
        if let Some(constant) = schema.get("const")
            && constant != &value
        {
            let d = self.not_one_of(std::slice::from_ref(constant), node, what);
            return (vec![d], None);
        }
        if found == "integer"
            && schema.get("format").and_then(Value::as_str) == Some("uint32")
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
            NodeKind::Map(entries) => self.walk_map(schema, node, entries, what),
            NodeKind::Seq(items) => {
                let Some(item_schema) = schema.get("items") else {
                    return (Vec::new(), Some(node.to_json()));
                };
                let mut out = Vec::new();
                let mut kept = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let (errors, repaired) =
                        self.walk(item_schema, item, &format!("item {} of {what}", i + 1));
                    out.extend(errors);
                    kept.extend(repaired);
                }
                (out, Some(Value::Array(kept)))
            }
            NodeKind::Scalar { .. } => (Vec::new(), Some(value)),
        }
    }

    fn not_one_of(&self, options: &[Value], node: &Node, what: &str) -> Diagnostic {
        let names: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
        let text = node.as_str().unwrap_or_default();
        let d = Diagnostic::error(
            self.file,
            node.span,
            format!("unknown value `{text}` for {what}"),
        );
        match suggest(text, names.iter().copied()) {
            Some(best) => d.with_hint(format!("did you mean `{best}`?")),
            None => d.with_hint(format!("expected one of: {}", names.join(", "))),
        }
    }

    fn walk_map(
        &self,
        schema: &'a Value,
        node: &Node,
        entries: &[(Node, Node)],
        what: &str,
    ) -> Checked {
        let properties = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties");
        let names: Vec<&str> = properties
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
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
            } else if additional == Some(&Value::Bool(false)) {
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
                (additional.filter(|a| a.is_object()), name)
            };
            match property {
                Some(property) => {
                    let (errors, repaired) = self.walk(property, item, &format!("`{as_name}`"));
                    out.extend(errors);
                    if let Some(repaired) = repaired {
                        kept.insert(as_name.to_string(), repaired);
                    }
                }
                None => {
                    kept.insert(as_name.to_string(), item.to_json());
                }
            }
        }
        let required = schema.get("required").and_then(Value::as_array);
        for required in required.into_iter().flatten().filter_map(Value::as_str) {
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
        }
        (out, Some(Value::Object(kept)))
    }

    /// `anyOf`: fine if one branch fits; otherwise the errors of the likeliest branch.
    fn walk_branches(&self, branches: &'a Value, node: &Node, what: &str, value: Value) -> Checked {
        let found = json_type(&value);
        let mut best: Option<((usize, usize), Checked)> = None;
        for branch in branches.as_array().into_iter().flatten() {
            if !Self::admits(&self.types(branch), found) {
                continue;
            }
            let checked = self.walk(branch, node, what);
            if checked.0.is_empty() {
                return checked;
            }
            let score = self.affinity(branch, node);
            let better = best.as_ref().is_none_or(|(s, (errors, _))| {
                score > *s || (score == *s && checked.0.len() < errors.len())
            });
            if better {
                best = Some((score, checked));
            }
        }
        best.map(|(_, checked)| checked)
            .unwrap_or_else(|| (Vec::new(), Some(node.to_json())))
    }

    /// How well a mapping matches an object schema: (required keys present, known keys).
    fn affinity(&self, branch: &'a Value, node: &Node) -> (usize, usize) {
        let branch = self.resolve(branch);
        let present = |key: &str| node.key(key).is_some();
        let required = branch
            .get("required")
            .and_then(Value::as_array)
            .map_or(0, |r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .filter(|k| present(k))
                    .count()
            });
        let known = branch
            .get("properties")
            .and_then(Value::as_object)
            .map_or(0, |p| p.keys().filter(|k| present(k)).count());
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
