//! `Scope`: what `${...}` references resolve against in a journey (earlier steps' refs and
//! answers, captures, persona facts), and the substitution of `says`/`refs` values.
//!
//! `${step.refs.x}`, `${step.answer.x}`, `${capture}`, `${facts.key}`; a string that is
//! exactly one reference keeps the JSON type of the value; any other string interpolates.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::protocol::Facts;

/// What one finished step offers to later references.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepValues {
    /// Refs of every reply of the step (later turns win), then its redirect's refs.
    pub refs: Facts,
    /// Answers of every reply of the step (later turns win).
    pub answer: Facts,
}

/// A captured value and the step it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Captured {
    pub value: Value,
    pub step: String,
}

/// Everything references can point at, as the journey goes.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    /// The persona's facts (borrowed from the journey).
    facts: &'a Facts,
    steps: BTreeMap<String, StepValues>,
    captures: BTreeMap<String, Captured>,
}

/// The result of substituting one value: the value and the steps it quoted refs of.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub value: Value,
    pub quotes: Vec<String>,
}

impl<'a> Scope<'a> {
    pub fn new(facts: &'a Facts) -> Self {
        Scope {
            facts,
            steps: BTreeMap::new(),
            captures: BTreeMap::new(),
        }
    }

    /// Record what a finished step offers.
    pub fn add_step(&mut self, id: &str, values: StepValues) {
        self.steps.insert(id.to_string(), values);
    }

    pub fn add_capture(&mut self, name: &str, value: Value, step: &str) {
        self.captures.insert(
            name.to_string(),
            Captured {
                value,
                step: step.to_string(),
            },
        );
    }

    /// Substitute every `${...}` in the strings of `value` (nested lists and maps too).
    pub fn substitute(&self, value: &Value) -> Result<Resolved, String> {
        let mut quotes = Vec::new();
        let value = self.walk(value, &mut quotes)?;
        Ok(Resolved { value, quotes })
    }

    /// Substitute one string.
    pub fn substitute_str(&self, text: &str) -> Result<Resolved, String> {
        let mut quotes = Vec::new();
        let value = self.string(text, &mut quotes)?;
        Ok(Resolved { value, quotes })
    }

    fn walk(&self, value: &Value, quotes: &mut Vec<String>) -> Result<Value, String> {
        Ok(match value {
            Value::String(s) => self.string(s, quotes)?,
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.walk(v, quotes))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), self.walk(v, quotes)?)))
                    .collect::<Result<_, String>>()?,
            ),
            other => other.clone(),
        })
    }

    fn string(&self, text: &str, quotes: &mut Vec<String>) -> Result<Value, String> {
        let parts = split(text)?;
        if let [Part::Ref(expr)] = parts.as_slice() {
            return self.lookup(expr, quotes);
        }
        if !parts.iter().any(|p| matches!(p, Part::Ref(_))) {
            return Ok(Value::String(text.to_string()));
        }
        let mut out = String::new();
        for part in parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Ref(expr) => match self.lookup(expr, quotes)? {
                    Value::String(s) => out.push_str(&s),
                    other => out.push_str(&other.to_string()),
                },
            }
        }
        Ok(Value::String(out))
    }

    /// Resolve one reference expression (the text between `${` and `}`).
    fn lookup(&self, expr: &str, quotes: &mut Vec<String>) -> Result<Value, String> {
        let expr = expr.trim();
        if let Some(key) = expr.strip_prefix("facts.") {
            return self
                .facts
                .get(key)
                .cloned()
                .ok_or_else(|| format!("`${{{expr}}}`: the customer has no fact `{key}`"));
        }
        if let Some(captured) = self.captures.get(expr) {
            note_quote(quotes, &captured.step);
            return Ok(captured.value.clone());
        }
        let mut segments = expr.splitn(3, '.');
        let (Some(step), Some(section), Some(path)) =
            (segments.next(), segments.next(), segments.next())
        else {
            return Err(format!("`${{{expr}}}`: nothing was captured as `{expr}`"));
        };
        let Some(values) = self.steps.get(step) else {
            return Err(format!(
                "`${{{expr}}}`: no earlier step `{step}` gave anything"
            ));
        };
        let source = match section {
            "refs" => &values.refs,
            "answer" => &values.answer,
            other => {
                return Err(format!(
                    "`${{{expr}}}`: `{other}` is not `refs` or `answer`"
                ));
            }
        };
        let value = path_in(source, path)
            .ok_or_else(|| format!("`${{{expr}}}`: step `{step}` gave no {section} `{path}`"))?;
        if section == "refs" {
            note_quote(quotes, step);
        }
        Ok(value)
    }
}

fn note_quote(quotes: &mut Vec<String>, step: &str) {
    if !quotes.iter().any(|q| q == step) {
        quotes.push(step.to_string());
    }
}

/// Walk a dotted path (`a.b.0`) into facts.
pub fn path_in(facts: &Facts, path: &str) -> Option<Value> {
    let mut segments = path.split('.');
    let mut value = facts.get(segments.next()?)?;
    for segment in segments {
        value = step_into(value, segment)?;
    }
    Some(value.clone())
}

/// Walk a dotted path into a JSON value.
pub fn path_in_value(value: &Value, path: &str) -> Option<Value> {
    let mut value = value;
    for segment in path.split('.') {
        value = step_into(value, segment)?;
    }
    Some(value.clone())
}

fn step_into<'v>(value: &'v Value, segment: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
        _ => None,
    }
}

#[derive(Debug, PartialEq)]
enum Part<'a> {
    Text(&'a str),
    Ref(&'a str),
}

/// Split a string into text and `${...}` references.
fn split(text: &str) -> Result<Vec<Part<'_>>, String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        if start > 0 {
            parts.push(Part::Text(&rest[..start]));
        }
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err(format!("`{text}`: `${{` without a closing `}}`"));
        };
        parts.push(Part::Ref(&after[..end]));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The persona of the test scope.
    static FACTS: std::sync::LazyLock<Facts> =
        std::sync::LazyLock::new(|| [("email".to_string(), json!("ana@example.com"))].into());

    fn scope() -> Scope<'static> {
        let mut scope = Scope::new(&FACTS);
        scope.add_step(
            "order-in-store",
            StepValues {
                refs: [("order".to_string(), json!("S-0042"))].into(),
                answer: [
                    ("total".to_string(), json!(31.5)),
                    ("dates".to_string(), json!(["d1", "d2"])),
                ]
                .into(),
            },
        );
        scope.add_capture("case", json!(17), "ivr");
        scope
    }

    #[test]
    fn a_whole_reference_keeps_its_json_type() {
        let s = scope();
        assert_eq!(
            s.substitute_str("${order-in-store.answer.total}")
                .map(|r| r.value),
            Ok(json!(31.5))
        );
        assert_eq!(s.substitute_str("${case}").map(|r| r.value), Ok(json!(17)));
        assert_eq!(
            s.substitute_str("${order-in-store.answer.dates.1}")
                .map(|r| r.value),
            Ok(json!("d2"))
        );
    }

    #[test]
    fn references_inside_text_interpolate() {
        let s = scope();
        let r =
            s.substitute_str("order ${order-in-store.refs.order} for ${facts.email}, case ${case}");
        assert_eq!(
            r.map(|r| r.value),
            Ok(json!("order S-0042 for ana@example.com, case 17"))
        );
    }

    #[test]
    fn quoting_refs_or_captures_records_the_step() {
        let s = scope();
        let r = s.substitute(&json!({"o": "${order-in-store.refs.order}", "l": ["${case}"], "t": "${order-in-store.answer.total}"}));
        assert_eq!(
            r.map(|r| r.quotes),
            Ok(vec!["ivr".to_string(), "order-in-store".to_string()])
        );
    }

    #[test]
    fn unresolvable_references_are_errors_not_panics() {
        let s = scope();
        assert!(s.substitute_str("${missing-step.refs.order}").is_err());
        assert!(s.substitute_str("${order-in-store.refs.case}").is_err());
        assert!(s.substitute_str("${order-in-store.reply.x}").is_err());
        assert!(s.substitute_str("${facts.tax_id}").is_err());
        assert!(s.substitute_str("${nothing}").is_err());
        assert!(s.substitute_str("broken ${facts.email").is_err());
        assert_eq!(
            s.substitute_str("plain $ text {}").map(|r| r.value),
            Ok(json!("plain $ text {}"))
        );
    }
}
