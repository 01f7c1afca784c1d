//! The scorecard from the real binary: the bundled scenarios under `siloed` and
//! `unified`, `--compare` against a JSON report written before, and its usage errors.

mod cli;

use cli::seam;
use seam::report::RunReport;

/// `seam run scenarios --profile P --report json=...` and more `extra` arguments: the
/// outcome and the report.
fn run(dir: &std::path::Path, profile: &str, extra: &[&str]) -> (cli::Outcome, RunReport) {
    let json = dir.join(format!("{profile}.json"));
    let target = format!("json={}", json.display());
    let mut args = vec!["run", "scenarios", "--no-progress", "--color", "never"];
    args.extend(["--profile", profile, "--report", &target]);
    args.extend(extra);
    let out = seam(&args);
    assert!(matches!(out.code, 0 | 1), "seam run failed: {}", out.stderr);
    let text = std::fs::read_to_string(&json).expect("JSON report written");
    let report = serde_json::from_str(&text).expect("JSON report parses");
    (out, report)
}

#[test]
fn unified_scores_better_than_siloed_and_compare_shows_the_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, siloed) = run(dir.path(), "siloed", &[]);
    assert!(out.stdout.contains("Scorecard"), "{}", out.stdout);
    let old = dir.path().join("siloed.json");
    let text_path = dir.path().join("unified.txt");
    let text_target = format!("text={}", text_path.display());
    let old_arg = old.display().to_string();
    let (out, unified) = run(
        dir.path(),
        "unified",
        &["--compare", &old_arg, "--report", &text_target],
    );
    let (s, u) = (&siloed.scorecard.overall, &unified.scorecard.overall);
    assert_eq!(s.journeys, u.journeys);
    assert!(
        u.first_contact_resolution > s.first_contact_resolution,
        "{s:?} {u:?}"
    );
    assert!(
        u.repeated_questions_per_journey < s.repeated_questions_per_journey,
        "{s:?} {u:?}"
    );
    assert!(
        u.customer_effort_score < s.customer_effort_score,
        "{s:?} {u:?}"
    );
    assert!(
        u.handoff_success_rate > s.handoff_success_rate,
        "{s:?} {u:?}"
    );
    // The terminal and the text report show each measure then and now.
    let text = std::fs::read_to_string(&text_path).expect("text report written");
    for shown in [&out.stdout, &text] {
        assert!(shown.contains("Scorecard change since"), "{shown}");
        let fcr = shown
            .lines()
            .filter(|l| l.contains("FCR"))
            .nth(1)
            .unwrap_or_default();
        assert!(fcr.contains("76%") && fcr.contains("94%"), "{fcr}");
        assert!(fcr.contains("+18 pts"), "{fcr}");
    }
    assert_eq!(
        unified.compared.map(|c| c.scorecard),
        Some(siloed.scorecard)
    );
}

#[test]
fn a_missing_or_bad_compare_file_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.json");
    let out = seam(
        &["run", "scenarios", "--no-progress", "--compare"]
            .into_iter()
            .chain([missing.to_str().unwrap_or("missing.json")])
            .collect::<Vec<_>>(),
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("cannot read --compare"),
        "{}",
        out.stderr
    );
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"schema": 1, "target": "x"}"#).expect("write");
    let out = seam(
        &["run", "scenarios", "--no-progress", "--compare"]
            .into_iter()
            .chain([bad.to_str().unwrap_or("bad.json")])
            .collect::<Vec<_>>(),
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("has no scorecard"), "{}", out.stderr);
}
