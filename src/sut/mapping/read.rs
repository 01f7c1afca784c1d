//! `ReplyReader` and `OutboxReader`: compiled `reply` and `outbox` specs that turn a JSON
//! response into the protocol's `Reply` or `OutboxMessage`s, or say which mapped field is missing.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use super::extract::{Extract, json_path};
use super::model::{ExtractSpec, OutboxEndpoint, PromisesSpec, RedirectSpec, ReplySpec};
use crate::protocol::{OutboxMessage, Reply};

/// A compile error: the keys leading to the bad part (relative to the spec) and why.
pub type SpecError = (Vec<String>, String);

/// Named extracts building one JSON object.
#[derive(Debug, Clone)]
struct Fields(Vec<(&'static str, Extract)>);

impl Fields {
    fn compile(
        specs: &[(&'static str, Option<&ExtractSpec>)],
        errors: &mut Vec<SpecError>,
    ) -> Fields {
        let mut out = Vec::new();
        for (name, spec) in specs {
            if let Some(spec) = spec {
                match Extract::compile(spec) {
                    Ok(e) => out.push((*name, e)),
                    Err(e) => errors.push((keys(&[name, e.key]), e.message)),
                }
            }
        }
        Fields(out)
    }

    fn read(&self, status: u16, root: &Value, what: &str) -> Result<Map<String, Value>, String> {
        let mut map = Map::new();
        for (name, extract) in &self.0 {
            match extract.apply(status, root) {
                Ok(Some(v)) => {
                    map.insert((*name).to_string(), v);
                }
                Ok(None) => {}
                Err(e) => return Err(format!("{e} (mapped to `{what}{name}`)")),
            }
        }
        Ok(map)
    }
}

fn keys(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| (*s).to_string()).collect()
}

fn path_at(key: &str, text: &str, errors: &mut Vec<SpecError>) -> Option<JsonPath> {
    json_path(text)
        .map_err(|m| errors.push((keys(&[key]), m)))
        .ok()
}

/// Runs `f` with its own error list, then files its errors under `prefix`.
fn nested<T>(
    prefix: &str,
    errors: &mut Vec<SpecError>,
    f: impl FnOnce(&mut Vec<SpecError>) -> T,
) -> T {
    let mut inner = Vec::new();
    let out = f(&mut inner);
    for (mut k, m) in inner {
        k.insert(0, prefix.to_string());
        errors.push((k, m));
    }
    out
}

/// `Ok` when nothing was wrong.
fn done<T>(value: Option<T>, errors: Vec<SpecError>) -> Result<T, Vec<SpecError>> {
    match value {
        Some(v) if errors.is_empty() => Ok(v),
        _ => Err(errors),
    }
}

/// A redirect read under `at`.
#[derive(Debug, Clone)]
struct RedirectReader {
    at: JsonPath,
    fields: Fields,
}

impl RedirectReader {
    fn compile(spec: &RedirectSpec, errors: &mut Vec<SpecError>) -> Option<RedirectReader> {
        let at = path_at("at", &spec.at, errors);
        let fields = Fields::compile(
            &[
                ("channel", Some(&spec.channel)),
                ("reason", spec.reason.as_ref()),
                ("refs", spec.refs.as_ref()),
            ],
            errors,
        );
        Some(RedirectReader { at: at?, fields })
    }

    fn read(&self, status: u16, root: &Value) -> Result<Value, String> {
        match self.at.query(root).all().first() {
            None | Some(Value::Null) => Ok(Value::Null),
            Some(node) => Ok(Value::Object(self.fields.read(
                status,
                node,
                "redirect.",
            )?)),
        }
    }
}

/// Promises: one object per node of `each`.
#[derive(Debug, Clone)]
struct PromisesReader {
    each: JsonPath,
    fields: Fields,
}

impl PromisesReader {
    fn compile(spec: &PromisesSpec, errors: &mut Vec<SpecError>) -> Option<PromisesReader> {
        let each = path_at("each", &spec.each, errors);
        let fields = Fields::compile(
            &[
                ("id", Some(&spec.id)),
                ("what", Some(&spec.what)),
                ("channel", Some(&spec.channel)),
                ("by", Some(&spec.by)),
            ],
            errors,
        );
        Some(PromisesReader {
            each: each?,
            fields,
        })
    }

    fn read(&self, status: u16, root: &Value) -> Result<Value, String> {
        let mut out = Vec::new();
        for node in self.each.query(root).all() {
            out.push(Value::Object(self.fields.read(
                status,
                node,
                "promises.",
            )?));
        }
        Ok(Value::Array(out))
    }
}

/// Reads a `Reply` from a response.
#[derive(Debug, Clone)]
pub struct ReplyReader {
    fields: Fields,
    redirect: Option<RedirectReader>,
    promises: Option<PromisesReader>,
}

impl ReplyReader {
    pub fn compile(spec: &ReplySpec) -> Result<ReplyReader, Vec<SpecError>> {
        let mut errors = Vec::new();
        let fields = Fields::compile(
            &[
                ("status", Some(&spec.status)),
                ("reply", spec.reply.as_ref()),
                ("asks", spec.asks.as_ref()),
                ("answer", spec.answer.as_ref()),
                ("refs", spec.refs.as_ref()),
                ("recognized", spec.recognized.as_ref()),
                ("agent", spec.agent.as_ref()),
            ],
            &mut errors,
        );
        let redirect = nested("redirect", &mut errors, |e| {
            spec.redirect
                .as_ref()
                .map(|r| RedirectReader::compile(r, e))
        });
        let promises = nested("promises", &mut errors, |e| {
            spec.promises
                .as_ref()
                .map(|p| PromisesReader::compile(p, e))
        });
        let reader = match (redirect, promises) {
            (Some(None), _) | (_, Some(None)) => None,
            (r, p) => Some(ReplyReader {
                fields,
                redirect: r.flatten(),
                promises: p.flatten(),
            }),
        };
        done(reader, errors)
    }

    /// The reply, or why the response is not one (a missing mapped field, a bad value).
    pub fn read(&self, status: u16, body: &Value) -> Result<Reply, String> {
        let mut map = self.fields.read(status, body, "")?;
        if let Some(r) = &self.redirect {
            map.insert("redirect".into(), r.read(status, body)?);
        }
        if let Some(p) = &self.promises {
            map.insert("promises".into(), p.read(status, body)?);
        }
        typed(map, "reply")
    }
}

/// Reads the outbox messages from a response.
#[derive(Debug, Clone)]
pub struct OutboxReader {
    each: JsonPath,
    fields: Fields,
    redirect: Option<RedirectReader>,
}

impl OutboxReader {
    pub fn compile(spec: &OutboxEndpoint) -> Result<OutboxReader, Vec<SpecError>> {
        let mut errors = Vec::new();
        let each = path_at("each", &spec.each, &mut errors);
        let fields = Fields::compile(
            &[
                ("channel", Some(&spec.channel)),
                ("at", Some(&spec.at)),
                ("text", spec.text.as_ref()),
                ("fulfils", spec.fulfils.as_ref()),
                ("refs", spec.refs.as_ref()),
                ("answer", spec.answer.as_ref()),
            ],
            &mut errors,
        );
        let redirect = nested("redirect", &mut errors, |e| {
            spec.redirect
                .as_ref()
                .map(|r| RedirectReader::compile(r, e))
        });
        let reader = match (each, redirect) {
            (Some(each), Some(Some(r))) => Some(OutboxReader {
                each,
                fields,
                redirect: Some(r),
            }),
            (Some(each), None) => Some(OutboxReader {
                each,
                fields,
                redirect: None,
            }),
            _ => None,
        };
        done(reader, errors)
    }

    pub fn read(&self, status: u16, body: &Value) -> Result<Vec<OutboxMessage>, String> {
        let mut out = Vec::new();
        for node in self.each.query(body).all() {
            let mut map = self.fields.read(status, node, "outbox.")?;
            if let Some(r) = &self.redirect {
                map.insert("redirect".into(), r.read(status, node)?);
            }
            out.push(typed(map, "outbox message")?);
        }
        Ok(out)
    }
}

fn typed<T: DeserializeOwned>(map: Map<String, Value>, what: &str) -> Result<T, String> {
    serde_json::from_value(Value::Object(map))
        .map_err(|e| format!("the mapped {what} is not valid: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Status;
    use serde_json::json;

    fn spec(yaml: &str) -> ReplySpec {
        serde_yaml::from_str(yaml).expect("spec")
    }

    #[test]
    fn reads_a_full_reply() {
        let reader = ReplyReader::compile(&spec(
            r#"
status: { path: "$.state", map: { missing_data: needs_info } }
reply: "$.message"
asks: { path: "$.missing", default: [] }
recognized: "$.known"
redirect: { at: "$.transfer", channel: "$.to", refs: { path: "$.refs", default: {} } }
promises: { each: "$.commitments[*]", id: "$.ref", what: "$.kind", channel: "$.via", by: "$.due" }
"#,
        ))
        .expect("compiles");
        let body = json!({"state": "missing_data", "message": "phone?", "missing": ["phone"],
            "known": true, "transfer": {"to": "web"},
            "commitments": [{"ref": "p1", "kind": "sms", "via": "sms", "due": "2026-01-01T00:00:00Z"}]});
        let reply = reader.read(422, &body).expect("reads");
        assert_eq!(reply.status, Status::NeedsInfo);
        assert_eq!(reply.asks, vec!["phone".to_string()]);
        assert_eq!(reply.recognized, Some(true));
        assert_eq!(reply.redirect.map(|r| r.channel), Some("web".into()));
        assert_eq!(reply.promises.len(), 1);
        let none = json!({"state": "missing_data", "message": "", "known": null, "transfer": null});
        let reply = reader.read(422, &none).expect("reads");
        assert_eq!(reply.redirect, None);
        assert!(reply.promises.is_empty());
    }

    #[test]
    fn a_missing_mapped_field_or_a_bad_status_says_which() {
        let reader =
            ReplyReader::compile(&spec("status: \"$.state\"\nagent: \"$.by\"")).expect("ok");
        assert_eq!(
            reader.read(200, &json!({"state": "done"})),
            Err("the response has nothing at `$.by` (mapped to `agent`)".into())
        );
        let err = reader.read(200, &json!({"state": "fine", "by": "x"}));
        assert!(err.is_err_and(|e| e.contains("unknown variant `fine`")));
    }

    #[test]
    fn compile_errors_name_the_key() {
        let err = ReplyReader::compile(&spec(
            "status: state\nredirect: { at: \"$[\", channel: \"$.c\" }",
        ));
        let keys = |e: Vec<SpecError>| e.into_iter().map(|e| e.0).collect::<Vec<_>>();
        assert_eq!(
            err.map(|_| ()).map_err(keys),
            Err(vec![
                vec!["status".to_string(), "path".into()],
                vec!["redirect".into(), "at".into()]
            ])
        );
        let err = ReplyReader::compile(&spec(
            "status: $.s\nredirect: { at: \"$[\", channel: \"$.c\" }",
        ));
        assert_eq!(
            err.map(|_| ()).map_err(keys),
            Err(vec![vec!["redirect".to_string(), "at".into()]])
        );
    }
}
