//! The run session through the public library API: a reporter of the test's own sees
//! every event in order; and a scenario's `rules:` map switches a rule off and re-rates
//! another, through the real binary on the embedded reference retailer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use seam::engine;
use seam::reference::{self, Profile, ServerConfig};
use seam::run::{Error, Event, Reporter, Scripted, Session, Settings};
use seam::sut::{ClientConfig, ProtocolClient};
use serde_json::Value;

/// Counts events by name, and remembers their order.
#[derive(Default)]
struct Counter {
    counts: BTreeMap<&'static str, usize>,
    order: Vec<&'static str>,
    finished: bool,
}

impl Reporter for &mut Counter {
    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Error> {
        let name = match event {
            Event::RunStarted { .. } => "run-started",
            Event::Replay(engine::Event::JourneyStarted { .. }) => "journey-started",
            Event::Replay(engine::Event::TouchpointSent { .. }) => "touchpoint-sent",
            Event::Replay(engine::Event::TouchpointAnswered { .. }) => "touchpoint-answered",
            Event::Replay(engine::Event::OutboxRead { .. }) => "outbox-read",
            Event::Replay(_) => "other-replay",
            Event::JourneyReplayed { .. } => "journey-replayed",
            Event::JourneyFinished { .. } => "journey-finished",
            Event::RunFindings { .. } => "run-findings",
            Event::RunFinished { .. } => "run-finished",
        };
        *self.counts.entry(name).or_default() += 1;
        if self.order.last() != Some(&name) {
            self.order.push(name);
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.finished = true;
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporter_of_its_own_counts_every_event() {
    let loaded = seam::scenario::load_paths(
        &[PathBuf::from("scenarios")],
        &seam::app::vocabulary::default_vocabulary(),
    );
    let journeys = loaded.journeys;
    let server = reference::start(ServerConfig::loopback(Profile::siloed()))
        .await
        .expect("retailer");
    let client = ProtocolClient::new(&format!("http://{}", server.addr), ClientConfig::default())
        .expect("client");
    let mut counter = Counter::default();
    let settings = Settings {
        jobs: 1,
        ..Settings::default()
    };
    let outcome = Session::new(settings)
        .with_reporter(&mut counter)
        .run(&mut Scripted::new(journeys.clone()), &client)
        .await;
    server.shutdown().await;

    let n = journeys.len();
    let c = |name: &str| counter.counts.get(name).copied().unwrap_or(0);
    assert_eq!(c("run-started"), 1);
    assert_eq!(c("journey-started"), n);
    assert_eq!(c("journey-replayed"), n);
    assert_eq!(c("journey-finished"), n);
    assert_eq!(c("touchpoint-sent") as u64, outcome.report.touchpoints);
    assert_eq!(c("touchpoint-answered"), c("touchpoint-sent"));
    assert!(
        c("outbox-read") >= n,
        "every journey reads its outbox at its end"
    );
    assert_eq!((c("run-findings"), c("run-finished")), (1, 1));
    assert!(counter.finished);
    assert_eq!(counter.order.first(), Some(&"run-started"));
    assert_eq!(
        counter.order[counter.order.len() - 2..],
        ["run-findings", "run-finished"]
    );
    assert_eq!(outcome.report.findings.len(), 56);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// `seam run FILE --report json=...` on the embedded retailer: the findings.
fn findings_of(file: &Path, report: &Path) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_seam"))
        .arg("run")
        .arg(file)
        .args(["--no-progress", "--report"])
        .arg(format!("json={}", report.display()))
        .output()
        .expect("seam runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(report).expect("report");
    let json: Value = serde_json::from_str(&text).expect("json");
    json["findings"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_scenario_switches_a_rule_off_and_re_rates_another() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(Path::new("scenarios"), dir.path());
    let file = dir.path().join("bank/same-data-three-times.yaml");
    let before = findings_of(&file, &dir.path().join("before.json"));
    let rule = |f: &Value| {
        format!(
            "{}/{}",
            f["kind"].as_str().unwrap_or(""),
            f["rule"].as_str().unwrap_or("")
        )
    };
    assert!(
        before
            .iter()
            .any(|f| rule(f) == "broken-handoff/context-lost")
    );
    assert!(
        before
            .iter()
            .any(|f| rule(f) == "repeated-question/asked-again" && f["severity"] == "major")
    );

    let text = std::fs::read_to_string(&file).expect("scenario");
    let rules =
        "\nrules:\n  broken-handoff/context-lost: off\n  repeated-question/asked-again: critical\n";
    std::fs::write(&file, format!("{text}{rules}")).expect("write");
    let after = findings_of(&file, &dir.path().join("after.json"));

    assert!(
        !after
            .iter()
            .any(|f| rule(f) == "broken-handoff/context-lost")
    );
    let asked: Vec<&Value> = after
        .iter()
        .filter(|f| rule(f) == "repeated-question/asked-again")
        .collect();
    assert!(!asked.is_empty());
    assert!(asked.iter().all(|f| f["severity"] == "critical"));
    // Everything else is as it was, fingerprints included.
    let rest = |fs: &[Value]| -> Vec<(String, Value)> {
        fs.iter()
            .filter(|f| rule(f) != "broken-handoff/context-lost")
            .map(|f| (rule(f), f["fingerprint"].clone()))
            .collect()
    };
    assert_eq!(rest(&after), rest(&before));
}

#[test]
fn a_report_that_cannot_be_written_is_exit_4_and_help_lists_the_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a folder").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_seam"))
        .args([
            "run",
            "scenarios/bank/same-data-three-times.yaml",
            "--no-progress",
        ])
        .arg("--report")
        .arg(format!("json={}", blocker.join("r.json").display()))
        .output()
        .expect("seam runs");
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot write the json report "),
        "{stderr}"
    );

    let help = Command::new(env!("CARGO_BIN_EXE_seam"))
        .arg("--help")
        .output()
        .expect("seam runs");
    let help = String::from_utf8_lossy(&help.stdout);
    let codes = help
        .split("Exit codes:")
        .nth(1)
        .expect("an Exit codes: section");
    for code in ["0", "1", "2", "3", "4", "130", "143"] {
        assert!(
            codes
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{code}  "))),
            "{help}"
        );
    }
    assert!(
        codes.contains("When several apply, the first of 130, 143, 4, 3, 2, 1, 0 wins."),
        "{help}"
    );
}

#[test]
fn against_another_target_no_intent_is_unknown_to_the_reference_retailer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("own.yaml");
    std::fs::write(
        &file,
        "name: own-intents\nclock: { start: \"2026-12-20T11:00:00+01:00\" }\nsteps:\n  - id: a\n    channel: web\n    intent: loyalty.points\n",
    )
    .expect("write");
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_seam"))
            .arg("run")
            .arg(&file)
            .args(["--no-progress", "--timeout", "200ms"])
            .args(extra)
            .output()
            .expect("seam runs");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let warning = "intent `loyalty.points` is unknown to the reference retailer";
    assert!(run(&[]).contains(warning));
    // Nothing listens on port 9 here: the run finds the SUT down, and no warning is given.
    let elsewhere = run(&["--target", "http://127.0.0.1:9"]);
    assert!(!elsewhere.contains(warning), "{elsewhere}");
    assert!(elsewhere.contains("answered no touchpoint"), "{elsewhere}");
}

#[test]
fn the_summary_escapes_what_would_move_the_terminal_and_colours_on_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("odd.yaml");
    // A name with an ESC sequence and a right-to-left override, and a step that is
    // answered `unknown_reference` (a finding quoting SUT text).
    std::fs::write(
        &file,
        "name: \"odd\\e[2Jname\\u202Eevil\"\nclock: { start: \"2026-12-20T11:00:00+01:00\" }\nsteps:\n  - id: a\n    channel: web\n    intent: order.status\n    says: { order: \"W-9999\" }\n    expect: { status: done }\n",
    )
    .expect("write");
    let run = |color: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_seam"))
            .arg("run")
            .arg(&file)
            .args(["--no-progress", "--color", color])
            .output()
            .expect("seam runs");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let never = run("never");
    assert!(never.contains("odd\\u{1b}[2Jname\\u{202e}evil"), "{never}");
    assert!(
        !never.contains('\u{1b}') && !never.contains('\u{202e}'),
        "{never}"
    );
    let always = run("always");
    assert!(always.contains("\u{1b}[1m"), "{always}");
    assert!(!always.contains("\u{1b}[2J") && !always.contains('\u{202e}'));
}

#[test]
fn completions_are_a_script_the_shell_reads() {
    let out = Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(["completions", "bash"])
        .output()
        .expect("seam runs");
    assert_eq!(out.status.code(), Some(0));
    let script = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        script.contains("--trace") && script.contains("validate"),
        "{script}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("seam.bash");
    std::fs::write(&path, &script).expect("write");
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash runs");
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
}

#[test]
fn the_summary_tables_fit_the_terminal_width() {
    let out = Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(["run", "scenarios", "--no-progress"])
        .env("COLUMNS", "80")
        .output()
        .expect("seam runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(['│', '╭', '├', '╰']))
        .collect();
    assert!(rows.len() > 20, "{text}");
    for row in rows {
        assert!(
            row.chars().count() <= 80,
            "{} columns: {row}",
            row.chars().count()
        );
    }
}
