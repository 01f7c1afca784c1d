//! A fuzz target on stable Rust (issue 12, item 7): seeded mutations (`mutate`) of the
//! bundled scenarios and mappings through the scenario loader and the mapping loader.
//! Every case must end, within a time bound, without a panic, and every rejection must be
//! a placed diagnostic (file:line:col). `cargo test --test fuzz` runs 5,000 cases from a
//! fixed seed; `SEAM_FUZZ_CASES=200000 cargo test --release --test fuzz` a longer run
//! (`SEAM_FUZZ_SEED` picks another seed). A failing case is kept under the temp dir.

mod mutate;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use seam::scenario::Diagnostic;
use seam::scenario::diagnostic::render;

/// Longest a single case may take (generous for a debug build on a busy machine).
const CASE_BOUND: Duration = Duration::from_secs(20);

fn from_env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a bundled folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "yaml") {
            out.push(path);
        }
    }
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("temp dir");
    for entry in std::fs::read_dir(from).expect("bundled folder").flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

/// What one case gave: the diagnostics, and whether journeys came from a file with errors.
struct Verdict {
    diagnostics: Vec<Diagnostic>,
    rejected: bool,
    journeys_despite_errors: bool,
}

fn scenario_case(file: &Path) -> Verdict {
    let vocabulary = seam::app::vocabulary::default_vocabulary();
    let loaded = seam::scenario::load_paths(&[file.to_path_buf()], &vocabulary);
    let mut sink = Vec::new();
    render(&loaded.diagnostics, &loaded.sources, &mut sink).expect("render to memory");
    Verdict {
        rejected: loaded.has_errors(),
        journeys_despite_errors: loaded.has_errors() && !loaded.journeys.is_empty(),
        diagnostics: loaded.diagnostics,
    }
}

fn mapping_case(text: &str) -> Verdict {
    let env = |_: &str| Some("x".to_string());
    match seam::sut::mapping::load_text("case.yaml", text, &env) {
        Ok(_) => Verdict {
            diagnostics: Vec::new(),
            rejected: false,
            journeys_despite_errors: false,
        },
        Err(diagnostics) => Verdict {
            rejected: true,
            journeys_despite_errors: false,
            diagnostics,
        },
    }
}

#[test]
fn mutated_scenarios_and_mappings_end_in_placed_diagnostics() {
    let cases = from_env("SEAM_FUZZ_CASES", 5_000);
    let seed = from_env("SEAM_FUZZ_SEED", 0x5EA4_0012);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut scenarios = Vec::new();
    yaml_files(&root.join("scenarios"), &mut scenarios);
    scenarios.retain(|p| {
        !p.components()
            .any(|c| matches!(c.as_os_str().to_str(), Some("personas" | "fragments")))
    });
    let mut mappings = Vec::new();
    yaml_files(&root.join("fixtures/mappings"), &mut mappings);
    let read = |p: &PathBuf| std::fs::read(p).expect("a bundled file");
    let scenario_seeds: Vec<Vec<u8>> = scenarios.iter().map(read).collect();
    let mapping_seeds: Vec<Vec<u8>> = mappings.iter().map(read).collect();
    assert!(scenario_seeds.len() >= 10 && !mapping_seeds.is_empty());

    let dir = tempfile::tempdir().expect("temp dir");
    copy_folder(
        &root.join("scenarios/personas"),
        &dir.path().join("personas"),
    );
    copy_folder(
        &root.join("scenarios/fragments"),
        &dir.path().join("fragments"),
    );
    let mut mutator = mutate::Mutator::new(seed);
    let (mut rejected, mut slowest) = (0, Duration::ZERO);
    for case in 0..cases {
        let is_mapping = mutator.below(4) == 0;
        let seeds = if is_mapping {
            &mapping_seeds
        } else {
            &scenario_seeds
        };
        let first = &seeds[mutator.below(seeds.len())];
        let other = &scenario_seeds[mutator.below(scenario_seeds.len())];
        let (bytes, how) = mutator.mutate(first, other);
        let file = dir.path().join(format!("case-{case}.yaml"));
        std::fs::write(&file, &bytes).expect("write case");
        let (send, receive) = mpsc::channel();
        let started = Instant::now();
        let path = file.clone();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        std::thread::spawn(move || {
            let verdict = match is_mapping {
                true => mapping_case(&text),
                false => scenario_case(&path),
            };
            let _ = send.send(verdict);
        });
        let keep = || {
            let kept = std::env::temp_dir().join(format!("seam-fuzz-{seed:x}-{case}.yaml"));
            let _ = std::fs::copy(&file, &kept);
            kept.display().to_string()
        };
        let verdict = match receive.recv_timeout(CASE_BOUND) {
            Ok(verdict) => verdict,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("case {case} ({how:?}) hung; kept at {}", keep())
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!("case {case} ({how:?}) panicked; kept at {}", keep())
            }
        };
        slowest = slowest.max(started.elapsed());
        let lines = bytes.split(|b| *b == b'\n').count();
        for d in &verdict.diagnostics {
            assert!(
                d.line >= 1 && d.col >= 1 && d.line <= lines + 1,
                "case {case} ({how:?}): `{}` is not placed in the file ({}:{}, {lines} lines); kept at {}",
                d.message,
                d.line,
                d.col,
                keep()
            );
            assert!(!d.message.is_empty(), "case {case}: empty message");
        }
        assert!(
            !verdict.journeys_despite_errors,
            "case {case}: journeys from a file with errors"
        );
        if verdict.rejected {
            rejected += 1;
            assert!(
                verdict.diagnostics.iter().any(Diagnostic::is_error),
                "case {case}: rejected without an error"
            );
        }
        let _ = std::fs::remove_file(&file);
    }
    eprintln!(
        "fuzz: {cases} cases from seed {seed:#x}: {rejected} rejected, each with placed diagnostics; slowest case {slowest:?}"
    );
    // Most mutations break a file; some are harmless (a flipped bit in a comment).
    assert!(
        rejected * 2 > cases,
        "only {rejected} of {cases} mutations were caught"
    );
}
