//! `Template` and `JsonTemplate`: `${...}` templates over a touchpoint (`says.x`, `refs.x`,
//! `customer.x`, `at`, `journey`, `step`, `turn`...), captured values, `env.NAME` and `target`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::protocol::Touchpoint;
use crate::sut::protocol::percent_encode;

/// A parsed text template: literal text and `${a.b.c}` expressions.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Expr(Vec<String>),
}

/// A JSON body template: strings are templates, and a string that is exactly one
/// `${...}` becomes the value itself (null when it has none).
#[derive(Debug, Clone, PartialEq)]
pub enum JsonTemplate {
    Literal(Value),
    Text(Template),
    Whole(Vec<String>),
    Array(Vec<JsonTemplate>),
    Object(Vec<(String, JsonTemplate)>),
}

/// What templates can read.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub target: &'a str,
    pub env: &'a BTreeMap<String, String>,
    pub touchpoint: Option<&'a Touchpoint>,
    /// Captured values and per-request names (`until`, `journey` for the outbox).
    pub vars: &'a BTreeMap<String, Value>,
}

/// Names a template may start with besides captured values.
pub const ROOTS: [&str; 14] = [
    "target", "env", "says", "refs", "customer", "answers", "declines", "at", "journey", "step",
    "turn", "channel", "intent", "until",
];

impl Template {
    /// Parses `text`; `$$` is a literal `$`. Errors name the problem and its char offset.
    pub fn parse(text: &str) -> Result<Template, (usize, String)> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match (chars[i], chars.get(i + 1)) {
                ('$', Some('$')) => {
                    literal.push('$');
                    i += 2;
                }
                ('$', Some('{')) => {
                    let start = i;
                    let Some(len) = chars[i + 2..].iter().position(|c| *c == '}') else {
                        return Err((start, "`${` is not closed by `}`".into()));
                    };
                    let inner: String = chars[i + 2..i + 2 + len].iter().collect();
                    let path = parse_path(inner.trim()).map_err(|e| (start, e))?;
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Expr(path));
                    i += len + 3;
                }
                (c, _) => {
                    literal.push(c);
                    i += 1;
                }
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Template { parts })
    }

    /// The expressions used, for load-time checks.
    pub fn paths(&self) -> impl Iterator<Item = &[String]> {
        self.parts.iter().filter_map(|p| match p {
            Part::Expr(path) => Some(path.as_slice()),
            Part::Text(_) => None,
        })
    }

    /// The single expression when the template is exactly `${...}`.
    fn whole(&self) -> Option<&[String]> {
        match self.parts.as_slice() {
            [Part::Expr(path)] => Some(path),
            _ => None,
        }
    }

    /// Renders as text; `encode` percent-encodes inserted values (paths, query strings).
    pub fn render(&self, scope: &Scope, encode: bool) -> Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Expr(path) => {
                    let text = scope
                        .lookup(path)
                        .and_then(|v| as_text(&v))
                        .ok_or_else(|| format!("`${{{}}}` has no value", path.join(".")))?;
                    if encode {
                        out.push_str(&percent_encode(&text));
                    } else {
                        out.push_str(&text);
                    }
                }
            }
        }
        Ok(out)
    }
}

fn parse_path(inner: &str) -> Result<Vec<String>, String> {
    if inner.is_empty() {
        return Err("empty `${}`".into());
    }
    let path: Vec<String> = inner.split('.').map(str::to_string).collect();
    let ok = path.iter().all(|p| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
    });
    if ok {
        Ok(path)
    } else {
        Err(format!(
            "`${{{inner}}}` is not a name: use letters, digits, `_`, `-`, and `.` between keys"
        ))
    }
}

/// A value as text in a URL, header or string: null has none; lists and objects are JSON.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(value.to_string()),
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
    }
}

impl JsonTemplate {
    /// Compiles a JSON value; errors carry the offending string.
    pub fn compile(value: &Value) -> Result<JsonTemplate, (String, usize, String)> {
        Ok(match value {
            Value::String(s) if s.contains('$') => {
                let t = Template::parse(s).map_err(|(at, e)| (s.clone(), at, e))?;
                match t.whole() {
                    Some(path) => JsonTemplate::Whole(path.to_vec()),
                    None => JsonTemplate::Text(t),
                }
            }
            Value::Array(items) => JsonTemplate::Array(
                items
                    .iter()
                    .map(JsonTemplate::compile)
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => JsonTemplate::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), JsonTemplate::compile(v)?)))
                    .collect::<Result<_, _>>()?,
            ),
            other => JsonTemplate::Literal(other.clone()),
        })
    }

    /// Every expression used, for load-time checks.
    pub fn paths(&self) -> Vec<&[String]> {
        match self {
            JsonTemplate::Literal(_) => Vec::new(),
            JsonTemplate::Text(t) => t.paths().collect(),
            JsonTemplate::Whole(p) => vec![p.as_slice()],
            JsonTemplate::Array(items) => items.iter().flat_map(JsonTemplate::paths).collect(),
            JsonTemplate::Object(entries) => entries.iter().flat_map(|(_, v)| v.paths()).collect(),
        }
    }

    pub fn render(&self, scope: &Scope) -> Result<Value, String> {
        Ok(match self {
            JsonTemplate::Literal(v) => v.clone(),
            JsonTemplate::Text(t) => Value::String(t.render(scope, false)?),
            JsonTemplate::Whole(path) => scope.lookup(path).unwrap_or(Value::Null),
            JsonTemplate::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| i.render(scope))
                    .collect::<Result<_, _>>()?,
            ),
            JsonTemplate::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), v.render(scope)?)))
                    .collect::<Result<_, String>>()?,
            ),
        })
    }
}

fn facts(map: &BTreeMap<String, Value>) -> Value {
    Value::Object(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn strings(list: &[String]) -> Value {
    Value::Array(list.iter().cloned().map(Value::String).collect())
}

/// `value.a.b` (object keys, or list indexes).
fn descend(mut value: Value, keys: &[String]) -> Option<Value> {
    for key in keys {
        value = match value {
            Value::Object(mut map) => map.remove(key)?,
            Value::Array(mut items) => {
                let i: usize = key.parse().ok()?;
                if i >= items.len() {
                    return None;
                }
                items.swap_remove(i)
            }
            _ => return None,
        };
    }
    Some(value)
}

impl Scope<'_> {
    /// The value of `a.b.c`, if any.
    pub fn lookup(&self, path: &[String]) -> Option<Value> {
        let (root, rest) = path.split_first()?;
        if let Some(v) = self.vars.get(root) {
            return descend(v.clone(), rest);
        }
        let tp = self.touchpoint;
        let value = match root.as_str() {
            "target" => Value::String(self.target.to_string()),
            "env" => {
                let (name, rest) = rest.split_first()?;
                return self
                    .env
                    .get(name)
                    .filter(|_| rest.is_empty())
                    .map(|v| Value::String(v.clone()));
            }
            "says" => facts(&tp?.says),
            "refs" => facts(&tp?.refs),
            "customer" => facts(&tp?.customer),
            "answers" => strings(&tp?.answers),
            "declines" => strings(&tp?.declines),
            "at" => Value::String(tp?.at.clone()),
            "journey" => Value::String(tp?.journey.clone()),
            "step" => Value::String(tp?.step.clone()),
            "channel" => Value::String(tp?.channel.clone()),
            "intent" => Value::String(tp?.intent.clone()),
            "turn" => Value::from(tp?.turn),
            _ => return None,
        };
        descend(value, rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn touchpoint() -> Touchpoint {
        serde_json::from_value(json!({
            "journey": "r-1/book", "step": "s1", "turn": 2, "channel": "store",
            "at": "2026-12-14T11:05:00+01:00", "customer": {"phone": "+34 600"},
            "intent": "order.create", "says": {"sku": "978", "skus": ["a", "b"]},
            "refs": {"order": "S-0001"}
        }))
        .expect("touchpoint")
    }

    fn render(text: &str, encode: bool) -> Result<String, String> {
        let tp = touchpoint();
        let env = BTreeMap::from([("TOKEN".to_string(), "s3cret".to_string())]);
        let vars = BTreeMap::from([("cart".to_string(), json!({"id": 7}))]);
        let scope = Scope {
            target: "http://sut",
            env: &env,
            touchpoint: Some(&tp),
            vars: &vars,
        };
        Template::parse(text)
            .map_err(|e| e.1)?
            .render(&scope, encode)
    }

    #[test]
    fn renders_touchpoint_fields_captures_env_and_target() {
        assert_eq!(
            render("${target}/pos/${says.sku}?t=${turn}", false).as_deref(),
            Ok("http://sut/pos/978?t=2")
        );
        assert_eq!(render("${refs.order}", false).as_deref(), Ok("S-0001"));
        assert_eq!(render("${says.skus.1}", false).as_deref(), Ok("b"));
        assert_eq!(render("${cart.id}", false).as_deref(), Ok("7"));
        assert_eq!(
            render("Bearer ${env.TOKEN}", false).as_deref(),
            Ok("Bearer s3cret")
        );
        assert_eq!(render("$${x}", false).as_deref(), Ok("${x}"));
        assert_eq!(
            render("/j/${journey}/${customer.phone}", true).as_deref(),
            Ok("/j/r-1%2Fbook/%2B34%20600")
        );
    }

    #[test]
    fn missing_values_and_bad_syntax_are_errors() {
        assert_eq!(
            render("/x/${says.nope}", false),
            Err("`${says.nope}` has no value".into())
        );
        assert!(render("${env.OTHER}", false).is_err());
        assert!(Template::parse("${says.sku").is_err());
        assert!(Template::parse("${}").is_err());
        assert!(Template::parse("${says sku}").is_err());
    }

    #[test]
    fn json_templates_keep_whole_values() {
        let tp = touchpoint();
        let env = BTreeMap::new();
        let vars = BTreeMap::new();
        let scope = Scope {
            target: "",
            env: &env,
            touchpoint: Some(&tp),
            vars: &vars,
        };
        let body = json!({"data": "${says}", "n": "${turn}", "label": "turn ${turn}",
                          "none": "${says.nope}", "k": [1, "${step}"]});
        let t = JsonTemplate::compile(&body).expect("compiles");
        assert_eq!(
            t.render(&scope),
            Ok(
                json!({"data": {"sku": "978", "skus": ["a", "b"]}, "n": 2, "label": "turn 2",
                      "none": null, "k": [1, "s1"]})
            )
        );
    }
}
