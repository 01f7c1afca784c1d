//! Issue 12, item 3: what a SUT sends is bounded. The real binary against a SUT that
//! answers a 50 MB body to one step and a reply with texts of 300 KB (control characters
//! among them) to another: the first is a `sut-error/too-large` finding, the second's
//! texts are quoted cut (`… (N bytes)`), every report and the trace stay under 1 MB, and
//! the run's peak memory stays under 100 MB. Alone in its binary: the peak is read from
//! `getrusage(RUSAGE_CHILDREN)`, the largest of the children this process waited for.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const SCENARIO: &str = r#"name: big-replies
clock: { start: "2026-12-20T11:00:00+01:00" }
steps:
  - id: huge
    channel: web
    intent: huge
    expect: { status: done }
  - id: long
    channel: web
    after: 5m
    intent: long-text
    expect: { status: done }
"#;

/// The largest resident set of any child waited for, in bytes.
fn children_peak_rss() -> u64 {
    // SAFETY: getrusage writes one plain struct that we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0, "getrusage");
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(u64::MAX)
}

#[test]
fn a_sut_that_floods_leaves_small_reports_and_a_small_peak() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (base, _log) = runtime.block_on(common::start_sut(false));
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = dir.path().join("big.yaml");
    std::fs::write(&scenario, SCENARIO).expect("write scenario");
    let path = |name: &str| dir.path().join(name);
    let report = |format: &str, name: &str| format!("{format}={}", path(name).display());
    let out = Command::new(env!("CARGO_BIN_EXE_seam"))
        .arg("run")
        .arg(&scenario)
        .args(["--target", &base, "--no-progress", "--color", "never"])
        .args(["--report", &report("json", "out.json")])
        .args(["--report", &report("junit", "out.xml")])
        .args(["--report", &report("text", "out.txt")])
        .arg("--trace")
        .arg(path("trace.jsonl"))
        .output()
        .expect("seam runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let peak = children_peak_rss();
    eprintln!("FIGURES peak {peak}");
    assert!(peak < 100 << 20, "peak RSS {peak} bytes");
    for name in ["out.json", "out.xml", "out.txt", "trace.jsonl"] {
        let bytes = size(&path(name));
        eprintln!("FIGURES {name} {bytes}");
        assert!(bytes < 1 << 20, "{name}: {bytes} bytes");
    }
    assert!(stdout.len() < 1 << 20, "terminal: {} bytes", stdout.len());
    assert!(
        !stdout.contains('\u{1b}'),
        "no raw escape reaches the terminal"
    );

    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(path("out.json")).expect("json"))
            .expect("parse");
    let findings = json["findings"].as_array().expect("findings");
    let too_large = findings
        .iter()
        .find(|f| f["rule"] == "too-large")
        .expect("a too-large finding");
    assert_eq!(too_large["step"], "huge");
    assert!(
        too_large["message"]
            .as_str()
            .is_some_and(|m| m.contains("1048576-byte cap")),
        "{too_large}"
    );
    // The long reply was read whole (no fault) and is quoted cut, saying its size.
    let long: Vec<&Value> = findings.iter().filter(|f| f["step"] == "long").collect();
    assert!(!long.is_empty(), "the long reply fails its expectation");
    assert!(long.iter().all(|f| f["kind"] != "sut-error"), "{long:?}");
    let quotes: Vec<&str> = long
        .iter()
        .flat_map(|f| f["evidence"].as_array().into_iter().flatten())
        .filter_map(|e| e["quote"].as_str())
        .collect();
    assert!(quotes.iter().any(|q| q.ends_with(" bytes)")), "{quotes:?}");
    assert!(quotes.iter().all(|q| q.len() < 400), "{quotes:?}");
    let trace = std::fs::read_to_string(path("trace.jsonl")).expect("trace");
    assert!(
        trace.contains("… (300000 bytes)"),
        "the trace says what it cut"
    );
}
