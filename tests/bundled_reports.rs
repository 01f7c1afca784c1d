//! Snapshots of the text, JSON and JUnit reports of the bundled scenarios, replayed by the
//! real binary against the embedded reference retailer under both profiles. Wall times are
//! the only thing that varies between runs: they are zeroed before rendering.

use std::path::PathBuf;
use std::process::Command;

use seam::report::{self, Format, RunReport};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `seam run scenarios --profile P` with a JSON and a JUnit report; returns the
/// report with times zeroed, and the JUnit file as written by the binary.
fn replay(profile: &str) -> (RunReport, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("report.json");
    let junit = dir.path().join("report.xml");
    let output = Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(["run", "scenarios", "--no-progress", "--profile", profile])
        .arg("--report")
        .arg(format!("json={}", json.display()))
        .arg("--report")
        .arg(format!("junit={}", junit.display()))
        .current_dir(root())
        .output()
        .expect("seam runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "seam run failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&json).expect("JSON report written");
    let mut report: RunReport = serde_json::from_str(&text).expect("JSON report parses");
    report.elapsed_ms = 0;
    for j in &mut report.journeys {
        j.elapsed_ms = 0;
    }
    let xml = std::fs::read_to_string(&junit).expect("JUnit report written");
    (report, xml)
}

fn render(format: Format, report: &RunReport) -> String {
    let mut out = Vec::new();
    report::write(format, report, &mut out).expect("report writes");
    String::from_utf8(out).expect("UTF-8")
}

fn snapshots(profile: &str) {
    let (report, xml) = replay(profile);
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!(format!("bundled_{profile}_text"), render(Format::Text, &report));
        insta::assert_snapshot!(format!("bundled_{profile}_json"), render(Format::Json, &report));
        insta::assert_snapshot!(format!("bundled_{profile}_junit"), render(Format::Junit, &report));
        insta::assert_snapshot!(
            format!("bundled_{profile}_markdown"),
            render(Format::Markdown, &report)
        );
    });
    xmllint_validates(&xml);
    junit_as_consumers_read_it(&report, &xml);
}

/// The binary's own JUnit file validates against Jenkins' junit-10.xsd.
fn xmllint_validates(xml: &str) {
    if Command::new("xmllint").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint is missing on CI: install libxml2-utils"
        );
        eprintln!("skipped: xmllint is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("junit.xml");
    std::fs::write(&file, xml).expect("write");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(root().join("tests/junit/jenkins-junit-10.xsd"))
        .arg(&file)
        .output()
        .expect("xmllint runs");
    assert!(
        out.status.success(),
        "JUnit report invalid: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bundled_scenarios_under_siloed() {
    snapshots("siloed");
}

#[test]
fn bundled_scenarios_under_unified() {
    snapshots("unified");
}

/// Reads the JUnit file as Jenkins, GitLab and junit2html do (one `<failure>` or
/// `<error>` a test case): every finding of the JSON report is in the text of exactly one,
/// each case's message is its most severe finding, and the counts add up.
fn junit_as_consumers_read_it(report: &RunReport, xml: &str) {
    let doc = roxmltree::Document::parse(xml).expect("the JUnit report parses");
    let root = doc.root_element();
    let number = |n: roxmltree::Node, name: &str| -> usize {
        n.attribute(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(usize::MAX)
    };
    let cases: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    fn outcome<'a, 'i>(case: &roxmltree::Node<'a, 'i>) -> Vec<roxmltree::Node<'a, 'i>> {
        case.children()
            .filter(|c| c.has_tag_name("failure") || c.has_tag_name("error"))
            .collect()
    }
    let failing: Vec<roxmltree::Node> = cases.iter().flat_map(|c| outcome(c)).collect();
    assert!(
        cases.iter().all(|c| outcome(c).len() <= 1),
        "a test case with two outcomes"
    );
    assert_eq!(number(root, "tests"), cases.len());
    assert_eq!(
        number(root, "failures") + number(root, "errors"),
        failing.len()
    );
    let steps: usize = report.journeys.iter().map(|j| j.step_ids.len()).sum();
    assert!(cases.len() >= steps, "one test case per step at least");
    let rank = |text: &str| {
        let severity = text.strip_prefix('[')?.split(']').next()?;
        ["info", "minor", "major", "critical"]
            .iter()
            .position(|r| *r == severity)
    };
    for f in &failing {
        let text = f.text().unwrap_or_default();
        let worst = text.lines().filter_map(rank).max();
        assert_eq!(f.attribute("message").and_then(rank), worst, "{text}");
    }
    for finding in &report.findings {
        let print = format!("fingerprint: {}", finding.fingerprint);
        let shown = failing
            .iter()
            .filter(|f| f.text().unwrap_or_default().contains(&print))
            .count();
        assert_eq!(
            shown, 1,
            "finding {} shown {shown} times",
            finding.fingerprint
        );
    }
}
