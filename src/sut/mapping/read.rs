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
    fn compile(specs: &[(&'static str, Option<&ExtractSpec>)]) -> Result<Fields, SpecError> {
        let mut out = Vec::new();
        for (name, spec) in specs {
            if let Some(spec) = spec {
                let e = Extract::compile(spec)
                    .map_err(|e| (keys(&[name, e.key]), e.message.clone()))?;
                out.push((*name, e));
            }
        }
        Ok(Fields(out))
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

fn path_at(key: &str, text: &str) -> Result<JsonPath, SpecError> {
    json_path(text).map_err(|m| (keys(&[key]), m))
}

fn nest(prefix: &str, (mut k, m): SpecError) -> SpecError {
    k.insert(0, prefix.to_string());
    (k, m)
}

/// A redirect read under `at`.
#[derive(Debug, Clone)]
struct RedirectReader {
    at: JsonPath,
    fields: Fields,
}

impl RedirectReader {
    fn compile(spec: &RedirectSpec) -> Result<RedirectReader, SpecError> {
        Ok(RedirectReader {
            at: path_at("at", &spec.at)?,
            fields: Fields::compile(&[
                ("channel", Some(&spec.channel)),
                ("reason", spec.reason.as_ref()),
                ("refs", spec.refs.as_ref()),
            ])?,
        })
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
    fn compile(spec: &PromisesSpec) -> Result<PromisesReader, SpecError> {
        Ok(PromisesReader {
            each: path_at("each", &spec.each)?,
            fields: Fields::compile(&[
                ("id", Some(&spec.id)),
                ("what", Some(&spec.what)),
                ("channel", Some(&spec.channel)),
                ("by", Some(&spec.by)),
            ])?,
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
    pub fn compile(spec: &ReplySpec) -> Result<ReplyReader, SpecError> {
        Ok(ReplyReader {
            fields: Fields::compile(&[
                ("status", Some(&spec.status)),
                ("reply", spec.reply.as_ref()),
                ("asks", spec.asks.as_ref()),
                ("answer", spec.answer.as_ref()),
                ("refs", spec.refs.as_ref()),
                ("recognized", spec.recognized.as_ref()),
                ("agent", spec.agent.as_ref()),
            ])?,
            redirect: spec
                .redirect
                .as_ref()
                .map(RedirectReader::compile)
                .transpose()
                .map_err(|e| nest("redirect", e))?,
            promises: spec
                .promises
                .as_ref()
                .map(PromisesReader::compile)
                .transpose()
                .map_err(|e| nest("promises", e))?,
        })
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
    pub fn compile(spec: &OutboxEndpoint) -> Result<OutboxReader, SpecError> {
        Ok(OutboxReader {
            each: path_at("each", &spec.each)?,
            fields: Fields::compile(&[
                ("channel", Some(&spec.channel)),
                ("at", Some(&spec.at)),
                ("text", spec.text.as_ref()),
                ("fulfils", spec.fulfils.as_ref()),
                ("refs", spec.refs.as_ref()),
                ("answer", spec.answer.as_ref()),
            ])?,
            redirect: spec
                .redirect
                .as_ref()
                .map(RedirectReader::compile)
                .transpose()
                .map_err(|e| nest("redirect", e))?,
        })
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
        assert_eq!(
            err.map(|_| ()).map_err(|e| e.0),
            Err(vec!["status".into(), "path".into()])
        );
        let err = ReplyReader::compile(&spec(
            "status: $.s\nredirect: { at: \"$[\", channel: \"$.c\" }",
        ));
        assert_eq!(
            err.map(|_| ()).map_err(|e| e.0),
            Err(vec!["redirect".into(), "at".into()])
        );
    }
}
