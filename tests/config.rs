//! The project config, `seam.yaml`, through the real binary: found from the current folder
//! up and applied to a run of the bundled scenarios (a rule off, another re-rated, the file
//! named in the report's notes), `--config` and `--no-config`, never read as a scenario,
//! checked by `seam validate`, its schema printed by `seam schema --config`; and every
//! fixture of fixtures/invalid-config/ with its diagnostics snapshotted.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod cli;

use cli::{Outcome, seam, seam_in};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The rule switched off and the rule re-rated by `CONFIG`: both found in the bundled
/// scenarios against the embedded retailer, and rated by no scenario of their own.
const OFF: &str = "inconsistent-answer/same-question";
const RERATED: &str = "broken-handoff/state-lost";
const CONFIG: &str = "\
outbox:
  window: 10d
sla:
  email: 24h
thresholds:
  dead_end_contacts: 3
rules:
  inconsistent-answer/same-question: off
  broken-handoff/state-lost: critical
";

/// `seam run` of the bundled scenarios from `dir` with `extra` flags: the outcome and its
/// JSON report.
fn run_bundled(dir: &Path, extra: &[&str]) -> (Outcome, Value) {
    let report = dir.join("report.json");
    let scenarios = root().join("scenarios");
    let mut args = vec![
        "run",
        scenarios.to_str().expect("UTF-8 path"),
        "--no-progress",
        "--deadline",
        "2m",
    ];
    let target = format!("json={}", report.display());
    args.extend(["--report", &target]);
    args.extend_from_slice(extra);
    let out = seam_in(dir, &args);
    assert!(matches!(out.code, 0 | 1), "{}", out.stderr);
    let text = std::fs::read_to_string(&report).expect("a JSON report");
    (out, serde_json::from_str(&text).expect("JSON"))
}

/// The severities of the findings of rule `id`.
fn severities(report: &Value, id: &str) -> Vec<String> {
    let findings = report["findings"].as_array().expect("findings");
    findings
        .iter()
        .filter(|f| {
            format!(
                "{}/{}",
                f["kind"].as_str().unwrap_or(""),
                f["rule"].as_str().unwrap_or("")
            ) == id
        })
        .map(|f| f["severity"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn notes(report: &Value) -> Vec<&str> {
    // No notes: none written.
    let notes = report["notes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    notes.iter().filter_map(Value::as_str).collect()
}

#[test]
fn the_config_found_above_the_current_folder_switches_a_rule_off_and_rerates_another() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("seam.yaml"), CONFIG).expect("write");
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("mkdir");

    let (_, plain) = run_bundled(&sub, &["--no-config"]);
    assert!(
        !severities(&plain, OFF).is_empty(),
        "{OFF} is found without the config"
    );
    let rerated = severities(&plain, RERATED);
    assert!(
        !rerated.is_empty() && rerated.iter().all(|s| s == "major"),
        "{rerated:?}"
    );
    assert!(!notes(&plain).iter().any(|n| n.starts_with("config:")));

    let (_, configured) = run_bundled(&sub, &[]);
    assert_eq!(severities(&configured, OFF), Vec::<String>::new());
    let critical = severities(&configured, RERATED);
    assert_eq!(critical.len(), rerated.len());
    assert!(critical.iter().all(|s| s == "critical"), "{critical:?}");
    assert!(
        notes(&configured).contains(&"config: ../seam.yaml"),
        "{:?}",
        notes(&configured)
    );
}

#[test]
fn config_names_the_file_and_the_window_flag_is_taken() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("project.yaml"), CONFIG).expect("write");
    let (_, report) = run_bundled(
        dir.path(),
        &["--config", "project.yaml", "--outbox-window", "2d"],
    );
    assert!(
        notes(&report).contains(&"config: project.yaml"),
        "{:?}",
        notes(&report)
    );
    assert_eq!(severities(&report, OFF), Vec::<String>::new());
    let bad = seam_in(
        dir.path(),
        &["run", "--outbox-window", "2 days", "--no-config"],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--outbox-window"), "{}", bad.stderr);
    let both = seam_in(
        dir.path(),
        &["run", "--config", "project.yaml", "--no-config"],
    );
    assert_eq!(both.code, 2, "{}", both.stderr);
}

#[test]
fn a_bad_config_stops_the_run_with_its_diagnostics() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("seam.yaml"), "rules:\n  sut-eror/*: off\n").expect("write");
    let scenarios = root().join("scenarios");
    let out = seam_in(
        dir.path(),
        &["run", scenarios.to_str().expect("UTF-8"), "--no-progress"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.starts_with(
            "error: rule pattern `sut-eror/*` matches no known rule\n  --> seam.yaml:2:3\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `sut-error/*`?"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .ends_with("error: the config seam.yaml is not valid\n"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn validate_checks_the_config_it_finds_and_never_reads_it_as_a_scenario() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = "name: j\nclock: {start: '2026-01-01T00:00:00Z'}\nsteps:\n  - {id: a, channel: web, intent: stock.check}\n";
    std::fs::write(dir.path().join("j.yaml"), scenario).expect("write");
    std::fs::write(dir.path().join("seam.yaml"), CONFIG).expect("write");
    let out = seam_in(dir.path(), &["validate", "."]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(
        out.stdout,
        "ok: 1 journey in 1 scenario file; config: seam.yaml\n"
    );
    let out = seam_in(dir.path(), &["validate", ".", "--no-config"]);
    assert_eq!(out.stdout, "ok: 1 journey in 1 scenario file\n");

    std::fs::write(dir.path().join("seam.yaml"), "sla:\n  emial: 24h\n").expect("write");
    let out = seam_in(dir.path(), &["validate", "."]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "\
error: unknown channel `emial`
  --> seam.yaml:2:3
 2 |   emial: 24h
   |   ^^^^^
   = hint: did you mean `email`?

1 error, 0 warnings in 2 files
"
    );
    let out = seam_in(dir.path(), &["validate", ".", "--no-config"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn the_printed_schema_accepts_a_good_config_and_refuses_a_typo() {
    let out = seam(&["schema", "--config"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let schema: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(schema["title"], "Seam config");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let good: Value = serde_yaml::from_str(CONFIG).expect("YAML");
    let errors: Vec<String> = validator
        .iter_errors(&good)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let typo = serde_json::json!({"catalogue": {"intents": [{"intent": "a", "hourz": {}}]}});
    assert!(!validator.is_valid(&typo));
}

#[test]
fn invalid_configs_match_their_snapshots() {
    let dir = Path::new("fixtures/invalid-config");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/invalid-config")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "only {} invalid configs", files.len());
    for file in files {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let failure = match seam::config::load(&file) {
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
            description => format!("diagnostics of fixtures/invalid-config/{stem}.yaml"),
        }, {
            insta::assert_snapshot!(format!("invalid_config__{stem}"), text);
        });
    }
}
