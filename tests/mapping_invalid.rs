//! Invalid mappings get file:line:col diagnostics (a snapshot per fixture of
//! fixtures/invalid-mappings/); `seam schema --mapping` is a JSON Schema the bundled
//! mapping satisfies; `seam run --mapping` with a bad mapping exits 2 before any request.

use std::path::Path;
use std::process::Command;

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn invalid_mappings_match_their_snapshots() {
    let dir = Path::new("fixtures/invalid-mappings");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/invalid-mappings")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "only {} invalid mappings", files.len());
    for file in files {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let failure = match seam::sut::mapping::load(&file, &no_env) {
            Ok(_) => panic!("{stem} should not load"),
            Err(f) => f,
        };
        let mut out = Vec::new();
        failure.render(&mut out).expect("render");
        let text = String::from_utf8(out).expect("utf-8");
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            snapshot_suffix => "",
            description => format!("diagnostics of fixtures/invalid-mappings/{stem}.yaml"),
        }, {
            insta::assert_snapshot!(format!("invalid_mapping__{stem}"), text);
        });
    }
}

fn seam(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(args)
        .env_remove("OMNIA_USER")
        .env_remove("OMNIA_PASSWORD")
        .output()
        .expect("seam runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_bundled_mapping_satisfies_the_printed_schema() {
    let (code, stdout, _) = seam(&["schema", "--mapping"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(schema["title"], "Seam mapping");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let text = std::fs::read_to_string("fixtures/mappings/reference-rest.yaml").expect("fixture");
    let mapping: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
    let errors: Vec<String> = validator
        .iter_errors(&mapping)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let bad: serde_json::Value =
        serde_json::json!({"base": {}, "touchpoints": [], "outbox": "nowhere"});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn seam_run_with_a_bad_mapping_or_unset_secrets_exits_2() {
    let (code, _, stderr) = seam(&[
        "run",
        "scenarios",
        "--target",
        "http://127.0.0.1:9",
        "--mapping",
        "fixtures/mappings/reference-rest.yaml",
        "--no-progress",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("environment variable `OMNIA_USER` is not set"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> fixtures/mappings/reference-rest.yaml:"),
        "{stderr}"
    );
    let (code, _, stderr) = seam(&["run", "scenarios", "--mapping", "x.yaml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--target"), "{stderr}");
}
