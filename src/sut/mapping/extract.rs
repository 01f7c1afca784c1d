//! `Extract`: one value read from an HTTP response with JSONPath (serde_json_path) or the
//! status code, then transformed: `regex`, `map`, `default`. Never panics on the response.

use std::collections::BTreeMap;

use regex::Regex;
use serde_json::Value;
use serde_json_path::JsonPath;

use super::model::{ExtractFull, ExtractSpec, Source};

/// A compiled `ExtractSpec`.
#[derive(Debug, Clone)]
pub struct Extract {
    /// What it reads, for messages (`$.state`, `the status code`, `a constant`).
    label: String,
    path: Option<JsonPath>,
    from: Source,
    value: Option<Value>,
    regex: Option<Regex>,
    map: BTreeMap<String, Value>,
    default: Option<Value>,
    optional: bool,
}

/// A compile error and which part of the spec it concerns (`path`, `regex`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractError {
    pub key: &'static str,
    pub message: String,
}

/// Parses a JSONPath with a readable error.
pub fn json_path(text: &str) -> Result<JsonPath, String> {
    if !text.starts_with('$') {
        let key = text.trim_start_matches('.');
        return Err(format!(
            "invalid JSONPath `{text}`: a JSONPath starts with `$` (`$.{key}`)"
        ));
    }
    JsonPath::parse(text).map_err(|e| format!("invalid JSONPath `{text}`: {e}"))
}

impl Extract {
    pub fn compile(spec: &ExtractSpec) -> Result<Extract, ExtractError> {
        let full = match spec {
            ExtractSpec::Path(p) => ExtractFull {
                path: Some(p.clone()),
                ..ExtractFull::default()
            },
            ExtractSpec::Full(f) => f.clone(),
        };
        let path = match (&full.path, full.from, &full.value) {
            (Some(p), Source::Body, None) => {
                Some(json_path(p).map_err(|message| ExtractError {
                    key: "path",
                    message,
                })?)
            }
            (None, Source::Body, None) => {
                return Err(ExtractError {
                    key: "path",
                    message: "give a `path`, `from: status` or a constant `value`".into(),
                });
            }
            (Some(_), _, _) => {
                return Err(ExtractError {
                    key: "path",
                    message: "`path` cannot go with `from: status` or `value`".into(),
                });
            }
            _ => None,
        };
        let regex = match &full.regex {
            Some(r) => Some(Regex::new(r).map_err(|e| ExtractError {
                key: "regex",
                message: format!("invalid regex: {}", one_line(&e.to_string())),
            })?),
            None => None,
        };
        let label = match (&full.path, full.from) {
            (Some(p), _) => format!("`{p}`"),
            (None, Source::Status) => "the status code".into(),
            (None, Source::Body) => "a constant".into(),
        };
        Ok(Extract {
            label,
            path,
            from: full.from,
            value: full.value,
            regex,
            map: full.map,
            default: full.default,
            optional: full.optional,
        })
    }

    /// What it reads, for messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The value read from `root` (or the status); `Ok(None)` when optional and absent,
    /// `Err` (naming the path) when required and absent.
    pub fn apply(&self, status: u16, root: &Value) -> Result<Option<Value>, String> {
        let mut value = match (&self.value, self.from, &self.path) {
            (Some(v), _, _) => Some(v.clone()),
            (None, Source::Status, _) => Some(Value::from(status)),
            (None, Source::Body, Some(path)) => {
                let nodes = path.query(root).all();
                match nodes.as_slice() {
                    [] => None,
                    [one] => Some((*one).clone()),
                    many => Some(Value::Array(many.iter().map(|v| (*v).clone()).collect())),
                }
            }
            (None, Source::Body, None) => None,
        };
        if let (Some(re), Some(v)) = (&self.regex, &value) {
            value = key_text(v).and_then(|text| {
                re.captures(&text).map(|c| {
                    let m = c.get(1).or_else(|| c.get(0));
                    Value::String(m.map_or("", |m| m.as_str()).to_string())
                })
            });
        }
        if !self.map.is_empty()
            && let Some(v) = &value
            && let Some(key) = key_text(v)
            && let Some(mapped) = self.map.get(&key).or_else(|| self.map.get("*"))
        {
            value = Some(mapped.clone());
        }
        if value.as_ref().is_none_or(Value::is_null)
            && let Some(d) = &self.default
        {
            value = Some(d.clone());
        }
        match value {
            Some(v) => Ok(Some(v)),
            None if self.optional => Ok(None),
            None => Err(format!("the response has nothing at {}", self.label)),
        }
    }
}

/// The text a value is matched and mapped by (scalars only).
fn key_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(value.to_string()),
        Value::Null => Some("null".into()),
        _ => None,
    }
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn full(f: ExtractFull) -> Extract {
        Extract::compile(&ExtractSpec::Full(f)).expect("compiles")
    }

    fn path(p: &str) -> Extract {
        Extract::compile(&ExtractSpec::Path(p.into())).expect("compiles")
    }

    #[test]
    fn json_paths_read_one_value_or_a_list() {
        let body = json!({"state": "ok", "items": [{"sku": "a"}, {"sku": "b"}], "empty": []});
        assert_eq!(path("$.state").apply(200, &body), Ok(Some(json!("ok"))));
        assert_eq!(
            path("$.items[*].sku").apply(200, &body),
            Ok(Some(json!(["a", "b"])))
        );
        assert_eq!(path("$.empty").apply(200, &body), Ok(Some(json!([]))));
        assert_eq!(
            path("$.nope").apply(200, &body),
            Err("the response has nothing at `$.nope`".into())
        );
    }

    #[test]
    fn map_default_regex_status_and_constants() {
        let body = json!({"state": "completed", "code": "ORD-0042/x", "n": null});
        let mapped = full(ExtractFull {
            path: Some("$.state".into()),
            map: BTreeMap::from([("completed".into(), json!("done"))]),
            ..ExtractFull::default()
        });
        assert_eq!(mapped.apply(200, &body), Ok(Some(json!("done"))));
        let status = full(ExtractFull {
            from: Source::Status,
            map: BTreeMap::from([
                ("422".into(), json!("needs_info")),
                ("*".into(), json!("done")),
            ]),
            ..ExtractFull::default()
        });
        assert_eq!(status.apply(422, &body), Ok(Some(json!("needs_info"))));
        assert_eq!(status.apply(200, &body), Ok(Some(json!("done"))));
        let regex = full(ExtractFull {
            path: Some("$.code".into()),
            regex: Some("ORD-([0-9]+)".into()),
            ..ExtractFull::default()
        });
        assert_eq!(regex.apply(200, &body), Ok(Some(json!("0042"))));
        let defaulted = full(ExtractFull {
            path: Some("$.n".into()),
            default: Some(json!(false)),
            ..ExtractFull::default()
        });
        assert_eq!(defaulted.apply(200, &body), Ok(Some(json!(false))));
        let optional = full(ExtractFull {
            path: Some("$.missing".into()),
            optional: true,
            ..ExtractFull::default()
        });
        assert_eq!(optional.apply(200, &body), Ok(None));
        let constant = full(ExtractFull {
            value: Some(json!(true)),
            ..ExtractFull::default()
        });
        assert_eq!(constant.apply(500, &json!(null)), Ok(Some(json!(true))));
    }

    #[test]
    fn bad_specs_do_not_compile() {
        assert_eq!(
            Extract::compile(&ExtractSpec::Path("state".into()))
                .map_err(|e| e.key)
                .err(),
            Some("path")
        );
        let bad_regex = ExtractSpec::Full(ExtractFull {
            path: Some("$.a".into()),
            regex: Some("(".into()),
            ..ExtractFull::default()
        });
        assert_eq!(
            Extract::compile(&bad_regex).map_err(|e| e.key).err(),
            Some("regex")
        );
        let nothing = ExtractSpec::Full(ExtractFull::default());
        assert!(Extract::compile(&nothing).is_err());
    }
}
