//! Issue 12, item 4: interrupted runs keep their work. The real binary against a SUT that
//! never answers one intent (`hang`): SIGINT and SIGTERM stop the run within the grace,
//! every report and the trace are written and say `interrupted`, the exit code is 130 or
//! 143, and a second SIGINT exits at once; the deadline abandons what is in flight, and a
//! run it cut short is incomplete (exit 3) unless `--allow-incomplete`, while a run that
//! replayed nothing never passes.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

/// Generous bound for anything the tests wait on.
const PATIENCE: Duration = Duration::from_secs(30);

/// A SUT that answers every intent `done`, except `hang`, which it never answers. Every
/// intent received is sent on the channel, so a test knows when a request is in flight.
async fn start_sut() -> (String, mpsc::UnboundedReceiver<String>) {
    let (arrived, rx) = mpsc::unbounded_channel::<String>();
    let app = Router::new()
        .route(
            "/touchpoints",
            post(move |Json(tp): Json<Value>| {
                let arrived = arrived.clone();
                async move {
                    let intent = tp["intent"].as_str().unwrap_or_default().to_string();
                    let _ = arrived.send(intent.clone());
                    if intent == "hang" {
                        std::future::pending::<()>().await;
                    }
                    Json(json!({"status": "done"}))
                }
            }),
        )
        .route("/outbox", get(|| async { Json(json!([])) }))
        .route(
            "/journeys/{id}",
            delete(|| async { axum::http::StatusCode::NO_CONTENT }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), rx)
}

/// Two journeys: `cut` (a fine step expected `pending`, a step that hangs, one more) and
/// `later`, which `--jobs 1` starts only after `cut`.
fn scenarios(dir: &Path, first: &str) -> PathBuf {
    let file = dir.join("cut.yaml");
    let text = format!(
        r#"name: cut
clock: {{ start: "2026-12-20T11:00:00+01:00" }}
steps:
  - id: a
    channel: web
    intent: {first}
    expect: {{ status: pending }}
  - id: b
    channel: web
    after: 5m
    intent: hang
  - id: c
    channel: web
    after: 5m
    intent: fine
---
name: later
clock: {{ start: "2026-12-20T11:00:00+01:00" }}
steps:
  - id: x
    channel: phone
    intent: fine
  - id: y
    channel: phone
    after: 1h
    intent: fine
"#
    );
    std::fs::write(&file, text).expect("write scenario");
    file
}

/// Where a run writes its reports and trace.
struct Outputs {
    json: PathBuf,
    junit: PathBuf,
    text: PathBuf,
    trace: PathBuf,
}

impl Outputs {
    fn in_dir(dir: &Path) -> Outputs {
        Outputs {
            json: dir.join("out/seam.json"),
            junit: dir.join("out/seam.xml"),
            text: dir.join("out/seam.txt"),
            trace: dir.join("out/trace.jsonl"),
        }
    }

    fn json(&self) -> Value {
        let text = std::fs::read_to_string(&self.json).expect("json report");
        serde_json::from_str(&text).expect("the json report parses")
    }
}

fn seam(file: &Path, url: &str, outputs: &Outputs, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_seam"))
        .arg("run")
        .arg(file)
        .args(["--target", url, "--no-progress", "--jobs", "1"])
        .args(["--run-id", "r-cut", "--color", "never"])
        .arg("--report")
        .arg(format!("json={}", outputs.json.display()))
        .arg("--report")
        .arg(format!("junit={}", outputs.junit.display()))
        .arg("--report")
        .arg(format!("text={}", outputs.text.display()))
        .arg("--trace")
        .arg(&outputs.trace)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("seam starts")
}

/// Wait until the SUT has received `intent`.
async fn until_received(rx: &mut mpsc::UnboundedReceiver<String>, intent: &str) {
    tokio::time::timeout(PATIENCE, async {
        while let Some(got) = rx.recv().await {
            if got == intent {
                return;
            }
        }
        panic!("the SUT stopped before `{intent}` arrived");
    })
    .await
    .unwrap_or_else(|_| panic!("`{intent}` never reached the SUT"));
}

fn signal(child: &Child, name: &str) {
    let pid = child.id().expect("seam is running");
    let status = std::process::Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{name} {pid}");
}

/// The exit code, standard output and standard error of a finished `seam`.
async fn finished(child: Child) -> (Option<i32>, String, String) {
    let out = tokio::time::timeout(PATIENCE, child.wait_with_output())
        .await
        .expect("seam exits")
        .expect("seam's output");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn junit_is_valid(path: &Path) {
    let xsd = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/junit/jenkins-junit-10.xsd");
    let Ok(out) = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(path)
        .output()
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint is missing on CI: install libxml2-utils"
        );
        return;
    };
    assert!(
        out.status.success(),
        "JUnit report invalid:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Everything an interrupted run wrote says so.
fn check_interrupted(outputs: &Outputs, signal: &str, stdout: &str) {
    let report = outputs.json();
    assert_eq!(report["interrupted"], json!(true));
    assert_eq!(report["signal"], json!(signal));
    assert_eq!(report["incomplete"], json!(true));
    assert_eq!(report["touchpoints"], json!(1));
    assert_eq!(
        report["not_sent"],
        json!([
            {"file": report["journeys"][0]["file"], "journey": "cut", "steps": ["c"]},
            {"file": report["journeys"][0]["file"], "journey": "later", "steps": ["x", "y"]}
        ])
    );
    assert_eq!(report["abandoned"][0]["step"], json!("b"));
    assert_eq!(report["abandoned"][0]["in_flight"], json!(true));
    let kinds: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .collect();
    assert!(
        kinds.iter().all(|f| f["kind"] != json!("sut-error")),
        "an abandoned turn is no SUT error: {kinds:?}"
    );

    let xml = std::fs::read_to_string(&outputs.junit).expect("junit report");
    assert!(
        xml.contains(r#"<property name="seam.interrupted" value="true"/>"#),
        "{xml}"
    );
    assert!(
        xml.contains("<skipped message=\"abandoned: turn 1 was in flight"),
        "{xml}"
    );
    assert!(xml.contains("<system-err>seam: interrupted by "), "{xml}");
    junit_is_valid(&outputs.junit);

    let text = std::fs::read_to_string(&outputs.text).expect("text report");
    let line =
        format!("\ninterrupted: by {signal}: 1 step abandoned, 3 steps of 2 journeys not sent");
    assert!(text.contains(&line), "{text}");
    assert!(text.contains("result: INTERRUPTED"), "{text}");
    assert!(stdout.contains(&line), "the terminal summary: {stdout}");

    let trace = std::fs::read_to_string(&outputs.trace).expect("trace");
    let lines: Vec<Value> = trace
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(
        lines.len(),
        2,
        "the journey replayed, then the end: {trace}"
    );
    assert_eq!(
        lines[0]["steps"][1]["end"]["abandoned"]["request"]["intent"],
        json!("hang")
    );
    assert_eq!(lines[1]["interrupted"], json!(true));
    assert_eq!(lines[1]["signal"], json!(signal));
    assert_eq!(lines[1]["not_sent"], report["not_sent"]);
}

async fn interrupted_by(name: &str, code: i32) {
    let (url, mut rx) = start_sut().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = scenarios(dir.path(), "fine");
    let outputs = Outputs::in_dir(dir.path());
    let child = seam(&file, &url, &outputs, &[]);
    until_received(&mut rx, "hang").await;
    signal(&child, name);
    let sent = Instant::now();
    let (status, stdout, stderr) = finished(child).await;
    let took = sent.elapsed();
    eprintln!("{name}: exit {status:?} {took:?} after the signal");
    assert_eq!(status, Some(code), "{stderr}");
    assert!(
        took < Duration::from_secs(2),
        "stopped within 2 s of {name}: {took:?}"
    );
    let full = format!("SIG{name}");
    assert!(
        stderr.contains(&format!("seam: {full}: stopping")),
        "{stderr}"
    );
    check_interrupted(&outputs, &full, &stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_stops_the_run_writes_every_report_and_exits_130() {
    interrupted_by("INT", 130).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_run_writes_every_report_and_exits_143() {
    interrupted_by("TERM", 143).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_sigint_exits_at_once() {
    let (url, mut rx) = start_sut().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = scenarios(dir.path(), "fine");
    let outputs = Outputs::in_dir(dir.path());
    let mut child = seam(&file, &url, &outputs, &[]);
    until_received(&mut rx, "hang").await;
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr")).lines();
    signal(&child, "INT");
    let stopping = tokio::time::timeout(PATIENCE, async {
        while let Ok(Some(line)) = stderr.next_line().await {
            if line.starts_with("seam: SIGINT: stopping") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(stopping, Ok(true), "the first SIGINT is acknowledged");
    signal(&child, "INT");
    let (status, _, _) = finished(child).await;
    assert_eq!(status, Some(130));
    assert_eq!(
        std::fs::metadata(&outputs.json).map(|m| m.len()).ok(),
        Some(0),
        "exited before the grace was over: no report was written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_abandons_what_is_in_flight_and_an_incomplete_run_fails() {
    let (url, _rx) = start_sut().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = scenarios(dir.path(), "fine");
    let outputs = Outputs::in_dir(dir.path());
    let run = |extra: &'static [&'static str]| {
        let (file, url, outputs) = (&file, &url, &outputs);
        async move {
            let started = Instant::now();
            let (status, stdout, stderr) = finished(seam(
                file,
                url,
                outputs,
                &[&["--deadline", "800ms"], extra].concat(),
            ))
            .await;
            assert!(started.elapsed() < Duration::from_secs(10), "{stderr}");
            (status, stdout, stderr)
        }
    };

    let (status, stdout, stderr) = run(&[]).await;
    assert_eq!(status, Some(3), "incomplete: {stderr}");
    assert!(
        stderr.contains("error: incomplete: the deadline left 3 steps unsent"),
        "{stderr}"
    );
    assert!(
        stdout.contains("\nincomplete: the deadline cut the run: 1 step abandoned"),
        "{stdout}"
    );
    assert!(stdout.contains("result: INCOMPLETE"), "{stdout}");
    let report = outputs.json();
    assert_eq!(report["interrupted"], json!(false));
    assert_eq!(report["incomplete"], json!(true));
    assert_eq!(report["not_sent"][0]["steps"], json!(["c"]));
    assert_eq!(report["not_sent"][1]["journey"], json!("later"));
    assert_eq!(report["abandoned"][0]["step"], json!("b"));
    let rules: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| &f["rule"])
        .collect();
    assert_eq!(
        rules,
        [&json!("status")],
        "step a expected pending; nothing else"
    );
    junit_is_valid(&outputs.junit);
    let trace = std::fs::read_to_string(&outputs.trace).expect("trace");
    let end: Value = serde_json::from_str(trace.lines().last().expect("a line")).expect("JSON");
    assert_eq!(
        (end["incomplete"].clone(), end["interrupted"].clone()),
        (json!(true), json!(false))
    );

    let (status, _, stderr) = run(&["--allow-incomplete"]).await;
    assert_eq!(status, Some(1), "judged by its findings: {stderr}");
    assert_eq!(outputs.json()["allow_incomplete"], json!(true));
    let (status, stdout, stderr) = run(&["--allow-incomplete", "--fail-on", "major"]).await;
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stdout.contains("result: PASSED"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_replayed_nothing_never_passes() {
    let (url, _rx) = start_sut().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = scenarios(dir.path(), "hang");
    let outputs = Outputs::in_dir(dir.path());
    let extra = [
        "--deadline",
        "500ms",
        "--allow-incomplete",
        "--fail-on",
        "critical",
    ];
    let (status, stdout, stderr) = finished(seam(&file, &url, &outputs, &extra)).await;
    assert_eq!(status, Some(3), "{stderr}");
    assert!(stdout.contains("result: INCOMPLETE"), "{stdout}");
    let report = outputs.json();
    assert_eq!(report["touchpoints"], json!(0));
    assert_eq!(report["findings"], json!([]));
}
