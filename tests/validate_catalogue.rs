//! Issue 12, item 2, through the real binary: every problem of a file in one pass (a shape
//! error hides no semantic check, hints list every value, misspelt comparisons are errors),
//! unknown intents checked against the SUT's catalogue (`--target`, `--mapping`,
//! `--intents`) or silenced (`--no-warn unknown-intent`), and the summary's counts.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod cli;

use cli::{Outcome, seam};

const JOURNEY: &str = "name: w\nclock: {start: '2026-01-01T00:00:00Z'}\nsteps:\n  - {id: a, channel: web, intent: stock.chek}\n  - {id: b, channel: web, intent: loyalty.points}\n  - {id: c, channel: store, intent: order.create}\n";

fn journey(dir: &Path) -> String {
    let file = dir.join("w.yaml");
    std::fs::write(&file, JOURNEY).expect("write");
    file.display().to_string()
}

fn warned(out: &Outcome) -> Vec<String> {
    out.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_shape_error_hides_no_semantic_check_elsewhere() {
    let out = seam(&["validate", "fixtures/invalid/shape-and-semantics.yaml"]);
    assert_eq!(out.code, 2);
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "`intent` must be a string, found a list",
            "missing key `id` in item 2 of `steps`",
            "unknown channel `phnoe`",
            "`continues` names unknown step `nowhere`",
            "unknown comparison `gte` for answer field `count`",
            "unknown comparison `exits` for answer field `ready`",
            "unknown value `sett` for `compare`",
        ]
    );
    assert!(out.stderr.contains(
        "= hint: did you mean `set`? expected one of: exact, ignore, set, { numeric: ... }"
    ));
    assert!(out.stderr.contains("= hint: did you mean `exists`?"));
}

#[test]
fn intents_are_checked_against_the_reference_retailer_by_default_and_can_be_silenced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = journey(dir.path());
    let out = seam(&["validate", &file]);
    assert_eq!(out.code, 0);
    assert_eq!(
        warned(&out),
        [
            "intent `stock.chek` is unknown to the reference retailer",
            "intent `loyalty.points` is unknown to the reference retailer",
        ]
    );
    let out = seam(&["validate", "--no-warn", "unknown-intent", &file]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(out.stdout, "ok: 1 journey in 1 scenario file\n");
}

#[test]
fn an_intents_file_is_the_catalogue() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = journey(dir.path());
    let list = dir.path().join("intents.txt");
    std::fs::write(
        &list,
        "# our shop\nloyalty.points\n- order.create\nstock.check\n",
    )
    .expect("write");
    let list = list.display().to_string();
    let out = seam(&["validate", "--intents", &list, &file]);
    assert_eq!(out.code, 0);
    assert_eq!(
        warned(&out),
        [format!(
            "intent `stock.chek` is unknown to the intents of {list}"
        )]
    );
    assert!(out.stderr.contains("did you mean `stock.check`?"));
}

#[test]
fn a_mapping_is_the_catalogue_without_its_secrets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = journey(dir.path());
    let out = seam(&[
        "validate",
        "--mapping",
        "fixtures/mappings/reference-rest.yaml",
        &file,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // order.create is routed; nothing is said of it.
    assert_eq!(
        warned(&out),
        [
            "intent `stock.chek` is unknown to the mapping fixtures/mappings/reference-rest.yaml",
            "intent `loyalty.points` is unknown to the mapping fixtures/mappings/reference-rest.yaml",
        ]
    );
    let out = seam(&[
        "validate",
        "--mapping",
        "fixtures/invalid-mappings/bad-yaml.yaml",
        &file,
    ]);
    assert_eq!(out.code, 2);
}

/// `seam serve` on a free port, stopped when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve() -> (Served, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(["serve", "--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("seam serve starts");
    let served = Served(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "seam serve did not listen"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (served, format!("http://127.0.0.1:{port}"))
}

#[test]
fn a_target_gives_its_catalogue_and_an_unreachable_one_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = journey(dir.path());
    let (served, url) = serve();
    let out = seam(&["validate", "--target", &url, &file]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        warned(&out),
        [
            format!("intent `stock.chek` is unknown to the target {url}"),
            format!("intent `loyalty.points` is unknown to the target {url}"),
        ]
    );
    drop(served);
    let out = seam(&["validate", "--target", &url, &file]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with(&format!("error: cannot read the intent catalogue of {url}"))
    );
    let out = seam(&["validate", "--target", &url, "--intents", "x", &file]);
    assert_eq!(out.code, 2, "the catalogue flags go one at a time");
}

#[test]
fn the_summary_counts_journeys_scenario_files_personas_and_fragments_apart() {
    let out = seam(&["validate", "scenarios"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "ok: 13 journeys in 13 scenario files (6 personas, 1 fragment)\n"
    );
}
