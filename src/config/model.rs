//! `ConfigFile`: the serde types of `seam.yaml` as written (docs/config.md), and
//! `config_schema`, the JSON Schema generated from them (`seam schema --config`), which
//! `load` checks the file's shape against. Every mapping is closed: an unknown key is an
//! error, in the catalogue overrides too.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalogue::Catalogue;
use crate::scenario::model::RuleAction;

/// The project's settings for every `seam run` and `seam validate` started in its folder
/// or below.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Seam config",
    description = "The project's seam.yaml: how the outbox is read, reply-time targets, the thresholds of the CX rules, overrides of the SUT's catalogue, and rule settings."
)]
pub struct ConfigFile {
    #[serde(default)]
    pub outbox: OutboxSettings,
    /// Reply-time target per channel (`email: 24h`, `chat: 2m`); each replaces the default
    /// of its channel, the others keep theirs.
    #[serde(default)]
    pub sla: BTreeMap<String, String>,
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Overrides laid on the SUT's catalogue (`GET /intents`): an intent's settings replace
    /// the parts they set of the same intent (or add it); `outbox` and `profile` replace
    /// the SUT's when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<Catalogue>,
    /// Per rule id (`kind/rule`) or family (`kind/prefix*`): `off`, or the severity its
    /// findings get. A scenario's own `rules:` and `severity:` win over these.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleAction>,
}

/// How a journey's outbox is read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutboxSettings {
    /// How long after a journey's last step its outbox is read (`10d`, `36h`) [default: 10d].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<String>,
}

/// The thresholds of the CX rules: whole numbers, at least 1 (signed, so that `check`
/// says so of a negative one too).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Contacts about one case without a resolution that make a dead end [default: 3].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub dead_end_contacts: Option<i64>,
    /// Survey messages (a survey and its reminders) a journey may get [default: 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub max_surveys: Option<i64>,
}

/// The JSON Schema (draft-07) of `seam.yaml`.
pub fn config_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut schema = SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<ConfigFile>()
            .to_value();
        close(&mut schema);
        schema
    })
}

/// Closes every object schema with properties that does not say otherwise: the catalogue
/// types read what a SUT serves leniently, but in `seam.yaml` an unknown key is a typo.
fn close(schema: &mut Value) {
    let definitions = schema
        .get_mut("definitions")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|d| d.values_mut());
    for definition in definitions {
        if let Some(object) = definition.as_object_mut()
            && object.contains_key("properties")
        {
            object
                .entry("additionalProperties")
                .or_insert(Value::Bool(false));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_draft_07_and_closed_everywhere() {
        let schema = config_schema();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(schema["title"], "Seam config");
        assert_eq!(schema["additionalProperties"], false);
        for name in [
            "Catalogue",
            "IntentInfo",
            "Hours",
            "OutboxInfo",
            "Thresholds",
        ] {
            let definition = &schema["definitions"][name];
            assert_eq!(definition["additionalProperties"], false, "{name}");
        }
        let roles = &schema["definitions"]["IntentInfo"]["properties"]["roles"];
        assert_eq!(roles["additionalProperties"]["type"], "string");
    }

    #[test]
    fn a_config_reads_from_json() {
        let config: ConfigFile = serde_json::from_value(serde_json::json!({
            "outbox": {"window": "2d"},
            "sla": {"email": "12h"},
            "thresholds": {"max_surveys": 2},
            "rules": {"sut-error/*": "off", "expectation/status": "critical"}
        }))
        .expect("a config");
        assert_eq!(config.outbox.window.as_deref(), Some("2d"));
        assert_eq!(config.thresholds.max_surveys, Some(2));
        assert_eq!(config.rules["sut-error/*"], RuleAction::Off);
        assert!(serde_json::from_value::<ConfigFile>(serde_json::json!({"slas": {}})).is_err());
    }
}
