//! Snapshots of the text, JSON and JUnit reports of a hand-built run (times fixed at 0),
//! and of the same run interrupted by SIGINT; validation of the JUnit report against
//! Jenkins' junit-10.xsd with xmllint.

use std::path::PathBuf;
use std::process::Command;

use seam::report::{self, Format, RunReport, sample};

fn render(format: Format, report: &RunReport) -> String {
    let mut out = Vec::new();
    report::write(format, report, &mut out).expect("report writes");
    String::from_utf8(out).expect("report is UTF-8")
}

#[test]
fn text_report() {
    let text = render(Format::Text, &sample::report());
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("report_text", text);
    });
}

#[test]
fn json_report() {
    // Elapsed times are fixed at 0 in the sample; the snapshot keeps the real field order.
    let json = render(Format::Json, &sample::report());
    let _: serde_json::Value = serde_json::from_str(&json).expect("JSON parses");
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("report_json", json);
    });
}

#[test]
fn junit_report() {
    let xml = render(Format::Junit, &sample::report());
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("report_junit", xml);
    });
}

#[test]
fn terminal_report_without_colour_has_tables_and_findings() {
    let mut out = Vec::new();
    report::terminal::write(&sample::report(), &mut out, false).expect("writes");
    let text = String::from_utf8(out).expect("UTF-8");
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("report_terminal", text);
    });
}

/// An interrupted run: every report says so, and lists what it left.
#[test]
fn interrupted_reports() {
    let report = sample::interrupted();
    let text = render(Format::Text, &report);
    let json = render(Format::Json, &report);
    let xml = render(Format::Junit, &report);
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON parses");
    assert_eq!(value["interrupted"], serde_json::json!(true));
    assert_eq!(value["incomplete"], serde_json::json!(true));
    let mut terminal = Vec::new();
    report::terminal::write(&report, &mut terminal, false).expect("writes");
    let terminal = String::from_utf8(terminal).expect("UTF-8");
    assert!(
        terminal.contains("\ninterrupted: by SIGINT: "),
        "{terminal}"
    );
    assert!(terminal.contains("result: INTERRUPTED"), "{terminal}");
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("interrupted_text", text);
        insta::assert_snapshot!("interrupted_json", json);
        insta::assert_snapshot!("interrupted_junit", xml);
    });
}

/// The JUnit report validates against the schema Jenkins' xUnit plugin uses.
#[test]
fn junit_report_is_valid_against_jenkins_xsd() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let xsd = root.join("tests/junit/jenkins-junit-10.xsd");
    if Command::new("xmllint").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint is missing on CI: install libxml2-utils"
        );
        eprintln!("skipped: xmllint is not installed (apt-get install libxml2-utils)");
        return;
    }
    let mut empty = sample::report();
    empty.findings.clear();
    let mut no_journey = sample::report();
    no_journey.journeys.clear();
    no_journey.findings.truncate(1);
    for (name, report) in [
        ("sample", sample::report()),
        ("clean", empty),
        ("findings-only", no_journey),
        ("interrupted", sample::interrupted()),
    ] {
        let dir = std::env::temp_dir().join(format!("seam-junit-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("junit.xml");
        std::fs::write(&file, render(Format::Junit, &report)).expect("write report");
        let out = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(&file)
            .output()
            .expect("xmllint runs");
        assert!(
            out.status.success(),
            "{name}: JUnit report invalid:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
