//! `scenario_schema`: the JSON Schema (draft-07, which yaml-language-server reads) of the
//! scenario format, generated from the serde types of `model`; also drives `shape` checks.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::model::{FragmentFile, PersonaFile, ScenarioFile};

fn schema_of<T: JsonSchema>() -> Value {
    SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// The schema of a scenario file (one journey per YAML document).
pub fn scenario_schema() -> Value {
    schema_of::<ScenarioFile>()
}

/// The schema of a persona file (`personas/NAME.yaml`).
pub fn persona_schema() -> Value {
    schema_of::<PersonaFile>()
}

/// The schema of a fragment file (`fragments/NAME.yaml`).
pub fn fragment_schema() -> Value {
    schema_of::<FragmentFile>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_schema_is_draft_07_and_closed() {
        let schema = scenario_schema();
        assert_eq!(
            schema["$schema"],
            Value::from("http://json-schema.org/draft-07/schema#")
        );
        assert_eq!(schema["additionalProperties"], Value::Bool(false));
        assert!(
            schema["required"]
                .as_array()
                .is_some_and(|r| r.contains(&Value::from("steps")))
        );
    }
}
