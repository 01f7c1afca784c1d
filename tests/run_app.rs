//! `seam run` orchestration (`app::run::execute`) against the scripted SUT: exit codes,
//! reports written whatever happens, baselines, argument checks.

mod common;

use clap::Parser;
use serde_json::{Value, json};

use common::{journey, refused_url, start_sut, step};
use seam::app::exit;
use seam::app::run::{RunArgs, execute, run};
use seam::scenario::model::Journey;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: RunArgs,
}

fn args(list: &[&str]) -> RunArgs {
    let mut argv = vec!["seam"];
    argv.extend_from_slice(list);
    Cli::try_parse_from(argv).expect("valid arguments").args
}

fn journeys(intent: &str) -> Vec<Journey> {
    vec![journey(
        "one",
        vec![
            step("a", "web", intent, "2026-12-20T11:00:00+01:00", json!({})),
            step("b", "web", "fine", "2026-12-20T12:00:00+01:00", json!({})),
        ],
    )]
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("seam-run-app-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sut_that_answers_nothing_exits_3_and_still_writes_every_report() {
    let url = refused_url().await;
    let dir = temp_dir("refused");
    let json_path = dir.join("out/seam.json");
    let junit_path = dir.join("seam.xml");
    let a = args(&[
        "--target",
        &url,
        "--timeout",
        "300ms",
        "--run-id",
        "r-1",
        "--report",
        &format!("json={}", json_path.display()),
        "--report",
        &format!("junit={}", junit_path.display()),
    ]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = execute(journeys("fine"), &a, &mut out, &mut err).await;
    assert_eq!(code, exit::SUT_DOWN, "{}", String::from_utf8_lossy(&err));
    assert!(String::from_utf8_lossy(&err).contains("answered no touchpoint"));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("json report"))
            .expect("json");
    assert_eq!(report["touchpoints"], json!(2));
    assert_eq!(report["target"], json!(url));
    assert!(junit_path.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sut_faults_fail_the_run_and_a_baseline_hides_them() {
    let (url, _log) = start_sut(false).await;
    let dir = temp_dir("baseline");
    let baseline = dir.join("baseline.json");
    let first = args(&[
        "--target",
        &url,
        "--write-baseline",
        &baseline.display().to_string(),
    ]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = execute(journeys("boom"), &first, &mut out, &mut err).await;
    assert_eq!(code, exit::FINDINGS, "{}", String::from_utf8_lossy(&err));

    let second = args(&[
        "--target",
        &url,
        "--baseline",
        &baseline.display().to_string(),
    ]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = execute(journeys("boom"), &second, &mut out, &mut err).await;
    assert_eq!(code, exit::OK, "{}", String::from_utf8_lossy(&err));

    let missing = args(&[
        "--target",
        &url,
        "--baseline",
        &dir.join("nope.json").display().to_string(),
    ]);
    let code = execute(journeys("boom"), &missing, &mut Vec::new(), &mut Vec::new()).await;
    assert_eq!(code, exit::USAGE);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_run_exits_0() {
    let (url, _log) = start_sut(true).await;
    let a = args(&["--target", &url, "--jobs", "3", "--no-progress"]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = execute(journeys("fine"), &a, &mut out, &mut err).await;
    assert_eq!(code, exit::OK, "{}", String::from_utf8_lossy(&err));
}

#[test]
fn embedded_retailer_flags_do_not_go_with_a_target() {
    let a = args(&["--target", "http://127.0.0.1:1", "--fix", "notifier"]);
    let mut err = Vec::new();
    assert_eq!(run(&a, &mut Vec::new(), &mut err), exit::USAGE);
    assert!(String::from_utf8_lossy(&err).contains("cannot go with --target"));
    let a = args(&["--target", "ftp://x"]);
    assert_eq!(run(&a, &mut Vec::new(), &mut Vec::new()), exit::USAGE);
}

#[test]
fn bad_flags_are_refused_by_the_parser() {
    let mut argv = vec!["seam"];
    for bad in [
        ["--jobs", "0"],
        ["--timeout", "5x"],
        ["--report", "html=x"],
        ["--fail-on", "huge"],
    ] {
        argv.truncate(1);
        argv.extend_from_slice(&bad);
        assert!(Cli::try_parse_from(&argv).is_err(), "{bad:?}");
    }
}
