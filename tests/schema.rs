//! The JSON Schema of `seam schema`, checked with a real validator (jsonschema): it
//! accepts every bundled scenario and valid fixture, and rejects the schema-level mistakes.

use std::path::{Path, PathBuf};

use seam::scenario::schema::{fragment_schema, persona_schema, scenario_schema};
use serde::Deserialize;
use serde_json::Value;

/// Every YAML document of `path`, read by serde_yaml (independently of Seam's loader).
fn documents(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("readable fixture");
    serde_yaml::Deserializer::from_str(&text)
        .map(|doc| {
            let value = serde_yaml::Value::deserialize(doc).expect("YAML");
            serde_json::to_value(value).expect("JSON-compatible YAML")
        })
        .filter(|v| !v.is_null())
        .collect()
}

/// `*.yaml` files under `dir`, recursively; `(scenarios, personas, fragments)`.
fn files(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<PathBuf>) {
    let mut found = (Vec::new(), Vec::new(), Vec::new());
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                let folder = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                match folder {
                    "personas" => found.1.push(path),
                    "fragments" => found.2.push(path),
                    _ => found.0.push(path),
                }
            }
        }
    }
    found
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn assert_all_valid(schema: &Value, paths: &[PathBuf]) {
    let validator = jsonschema::validator_for(schema).expect("a valid JSON Schema");
    for path in paths {
        for doc in documents(path) {
            let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        }
    }
}

#[test]
fn the_schema_accepts_every_valid_fixture_and_bundled_scenario() {
    let mut checked = 0;
    for dir in ["fixtures/valid", "scenarios"] {
        let dir = root().join(dir);
        if !dir.is_dir() {
            continue;
        }
        let (scenarios, personas, fragments) = files(&dir);
        assert_all_valid(&scenario_schema(), &scenarios);
        assert_all_valid(&persona_schema(), &personas);
        assert_all_valid(&fragment_schema(), &fragments);
        checked += scenarios.len();
    }
    assert!(checked >= 3);
}

#[test]
fn the_schema_rejects_the_schema_level_invalid_fixtures() {
    let validator = jsonschema::validator_for(&scenario_schema()).expect("a valid JSON Schema");
    for name in [
        "wrong-types",
        "unknown-keys",
        "missing-keys",
        "top-level-list",
        "three-mistakes",
        "bad-duration",
    ] {
        let path = root().join(format!("fixtures/invalid/{name}.yaml"));
        let docs = documents(&path);
        assert!(!docs.is_empty(), "{name}");
        assert!(
            docs.iter().any(|doc| !validator.is_valid(doc)),
            "the schema accepts {name}.yaml"
        );
    }
}

#[test]
fn the_committed_schema_file_is_up_to_date() {
    let committed = std::fs::read_to_string(root().join("docs/scenario.schema.json"))
        .expect("docs/scenario.schema.json");
    let committed: Value = serde_json::from_str(&committed).expect("JSON");
    assert_eq!(
        committed,
        scenario_schema(),
        "run `seam schema > docs/scenario.schema.json`"
    );
}
