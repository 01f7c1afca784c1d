//! `seam validate` and `seam schema` through the real binary: exact output for the
//! three-mistakes file, a snapshot of the diagnostics of every invalid fixture.

use std::path::Path;

mod cli;

use cli::seam;

#[test]
fn three_independent_mistakes_are_all_reported() {
    let out = seam(&["validate", "fixtures/invalid/three-mistakes.yaml"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "\
error: unknown channel `phnoe`
   --> fixtures/invalid/three-mistakes.yaml:11:14
 11 |     channel: phnoe
    |              ^^^^^
    = hint: did you mean `phone`?

error: `continues` names unknown step `order-in-stor`
   --> fixtures/invalid/three-mistakes.yaml:13:16
 13 |     continues: order-in-stor
    |                ^^^^^^^^^^^^^
    = hint: did you mean `order-in-store`?

error: unknown key `max_repeated_question` in the scenario
   --> fixtures/invalid/three-mistakes.yaml:15:1
 15 | max_repeated_question: 1
    | ^^^^^^^^^^^^^^^^^^^^^
    = hint: did you mean `max_repeated_questions`?

3 errors, 0 warnings in 1 file
"
    );
}

#[test]
fn rules_keys_must_name_known_rules_and_values_must_be_off_or_a_severity() {
    let out = seam(&["validate", "fixtures/invalid/rules.yaml"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "\
error: unknown channel `phnoe`
  --> fixtures/invalid/rules.yaml:6:14
 6 |     channel: phnoe
   |              ^^^^^
   = hint: did you mean `phone`?

error: unknown rule `broken-handoff/not-recognized`
  --> fixtures/invalid/rules.yaml:9:3
 9 |   broken-handoff/not-recognized: off
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = hint: did you mean `broken-handoff/not-recognised`?

error: unknown value `loud` for `repeated-question/asked-again`
   --> fixtures/invalid/rules.yaml:10:34
 10 |   repeated-question/asked-again: loud
    |                                  ^^^^
    = hint: expected one of: off, info, minor, major, critical

error: rule pattern `nope/*` matches no known rule
   --> fixtures/invalid/rules.yaml:11:3
 11 |   nope/*: info
    |   ^^^^^^
    = hint: rule kinds: repeated-question, broken-handoff, inconsistent-answer, expectation, sut-error, sla, dead-end, after-hours-parity, recognition, deflection, agent-continuity, follow-up, split-fulfilment, irrelevant-offer, survey-fatigue

error: unknown rule `broken-handoff`
   --> fixtures/invalid/rules.yaml:12:3
 12 |   broken-handoff: off
    |   ^^^^^^^^^^^^^^
    = hint: rule ids are `kind/rule`; `broken-handoff/*` names every rule of `broken-handoff`

error: duplicate key `expectation/answer.*`
   --> fixtures/invalid/rules.yaml:14:3
 14 |   expectation/answer.*: info
    |   ^^^^^^^^^^^^^^^^^^^^
    = hint: a key may appear once per mapping

6 errors, 0 warnings in 1 file
"
    );
}

#[test]
fn valid_fixtures_pass_with_a_summary_on_stdout() {
    let out = seam(&["validate", "fixtures/valid"]);
    assert_eq!(out.stderr, "");
    // Scenario files, personas and fragments are counted apart.
    assert_eq!(
        out.stdout,
        "ok: 5 journeys in 4 scenario files (1 persona, 1 fragment)\n"
    );
    assert_eq!(out.code, 0);
}

#[test]
fn warnings_alone_do_not_fail() {
    let dir = std::env::temp_dir().join(format!("seam-warn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("warn.yaml");
    std::fs::write(
        &file,
        "name: w\nclock: {start: '2026-01-01T00:00:00Z'}\nsteps:\n  - {id: a, channel: web, intent: stock.chek}\n",
    )
    .expect("write");
    let path = file.to_string_lossy().into_owned();
    let out = seam(&["validate", &path]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("warning: intent `stock.chek` is unknown")
    );
    assert!(out.stderr.contains("did you mean `stock.check`?"));
    assert!(out.stderr.ends_with("0 errors, 1 warning in 1 file\n"));
    assert_eq!(out.stdout, "ok: 1 journey in 1 scenario file\n");
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let out = seam(&["validate", "fixtures/nowhere"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: no such file or directory\n  --> fixtures/nowhere\n   = hint: give scenario files or folders that hold them\n\n1 error, 0 warnings in 0 files\n"
    );
}

#[test]
fn every_problem_of_every_file_is_reported() {
    let out = seam(&["validate", "fixtures/invalid"]);
    assert_eq!(out.code, 2);
    for name in [
        "three-mistakes.yaml",
        "bad-yaml.yaml",
        "not-utf8.yaml",
        "wrong-types.yaml",
    ] {
        assert!(out.stderr.contains(name), "{name} missing");
    }
    assert_eq!(out.stdout, "");
}

#[test]
fn schema_prints_a_json_schema() {
    let out = seam(&["schema"]);
    assert_eq!(out.code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(schema["title"], "Seam scenario");
}

#[test]
fn invalid_fixtures_match_their_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/invalid")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "only {} invalid fixtures", files.len());
    for file in files {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let out = seam(&["validate", &format!("fixtures/invalid/{stem}.yaml")]);
        assert_eq!(out.code, 2, "{stem} should fail validation");
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            snapshot_suffix => "",
            description => format!("seam validate fixtures/invalid/{stem}.yaml"),
        }, {
            insta::assert_snapshot!(format!("invalid__{stem}"), out.stderr);
        });
    }
}
