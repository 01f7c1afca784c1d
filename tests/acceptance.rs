//! Acceptance of the replay on the bundled scenarios: the real binary against the real
//! embedded reference retailer over loopback. `siloed` must produce exactly the findings
//! of `fixtures/expected/siloed.yaml`; `unified` none; the core detectors must fire with
//! every `expect` block removed; renaming every id must not change the retailer's behaviour.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use serde_yaml::Value as Yaml;

/// The kinds of the ten CX rules: each must report at least one finding on siloed.
const CX_KINDS: [&str; 10] = [
    "sla",
    "deflection",
    "dead-end",
    "agent-continuity",
    "after-hours-parity",
    "follow-up",
    "recognition",
    "irrelevant-offer",
    "split-fulfilment",
    "survey-fatigue",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `seam run` on `scenarios` and returns (exit code, JSON report).
fn run(scenarios: &Path, args: &[&str]) -> (i32, Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.json");
    let output = Command::new(env!("CARGO_BIN_EXE_seam"))
        .arg("run")
        .arg(scenarios)
        .args(args)
        .arg("--no-progress")
        .arg("--report")
        .arg(format!("json={}", report.display()))
        .env("NO_COLOR", "1")
        .current_dir(root())
        .output()
        .expect("run seam");
    let code = output.status.code().unwrap_or(-1);
    let text = std::fs::read_to_string(&report).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}); exit {code}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (
        code,
        serde_json::from_str(&text).expect("JSON report parses"),
    )
}

/// (journey, step, rule id `kind/rule`, subject): one problem.
type Key = (String, String, String, String);

/// The problem of every finding in a JSON report, and how many findings there were.
fn finding_keys(report: &Value) -> (BTreeSet<Key>, usize) {
    let findings = report["findings"].as_array().expect("findings array");
    let keys = findings
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (
                text("journey"),
                text("step"),
                format!("{}/{}", text("kind"), text("rule")),
                text("subject"),
            )
        })
        .collect();
    (keys, findings.len())
}

/// The golden file's entries: each problem with the rules that corroborate it.
fn golden_entries() -> Vec<(Key, Vec<String>)> {
    let text =
        std::fs::read_to_string(root().join("fixtures/expected/siloed.yaml")).expect("golden file");
    let entries: Vec<BTreeMap<String, Yaml>> =
        serde_yaml::from_str(&text).expect("golden file parses");
    entries
        .into_iter()
        .map(|e| {
            let text = |k: &str| {
                e.get(k)
                    .and_then(Yaml::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let also = e
                .get("also")
                .and_then(Yaml::as_sequence)
                .map(|ids| {
                    ids.iter()
                        .filter_map(|id| id.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            let key = (
                text("scenario"),
                text("step"),
                text("rule"),
                text("subject"),
            );
            (key, also)
        })
        .collect()
}

/// The problems `fixtures/expected/siloed.yaml` names, and how many entries it has.
fn golden() -> (BTreeSet<Key>, usize) {
    let entries = golden_entries();
    let count = entries.len();
    (entries.into_iter().map(|(k, _)| k).collect(), count)
}

/// Each finding's problem with the rules that corroborate it, sorted.
fn corroborations(report: &Value) -> BTreeSet<(Key, Vec<String>)> {
    let findings = report["findings"].as_array().expect("findings array");
    findings
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            let key = (
                text("journey"),
                text("step"),
                format!("{}/{}", text("kind"), text("rule")),
                text("subject"),
            );
            let mut also: Vec<String> = f["corroborated_by"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["id"].as_str().map(String::from))
                .collect();
            also.sort();
            (key, also)
        })
        .collect()
}

fn kind(key: &Key) -> &str {
    key.2
        .split_once('/')
        .map_or(key.2.as_str(), |(kind, _)| kind)
}

/// (journey, step, kind, subject): a problem whichever rule of its kind reports it.
fn by_kind(keys: &BTreeSet<Key>) -> BTreeSet<(String, String, String, String)> {
    keys.iter()
        .map(|k| (k.0.clone(), k.1.clone(), kind(k).to_string(), k.3.clone()))
        .collect()
}

fn diff<K: Ord + std::fmt::Debug>(expected: &BTreeSet<K>, actual: &BTreeSet<K>) -> String {
    let mut out = String::new();
    for k in expected.difference(actual) {
        out.push_str(&format!("  missing:    {k:?}\n"));
    }
    for k in actual.difference(expected) {
        out.push_str(&format!("  unexpected: {k:?}\n"));
    }
    out
}

#[test]
fn siloed_produces_exactly_the_story_failures_one_finding_each() {
    let (code, report) = run(&root().join("scenarios"), &["--profile", "siloed"]);
    let (actual, count) = finding_keys(&report);
    let (expected, entries) = golden();
    assert_eq!(
        entries,
        expected.len(),
        "the golden file names each problem once"
    );
    assert!(
        actual == expected,
        "siloed findings differ from fixtures/expected/siloed.yaml:\n{}",
        diff(&expected, &actual)
    );
    assert_eq!(count, entries, "one finding per problem");
    let predicted: BTreeSet<(Key, Vec<String>)> = golden_entries()
        .into_iter()
        .map(|(k, mut also)| {
            also.sort();
            (k, also)
        })
        .collect();
    assert!(
        corroborations(&report) == predicted,
        "the rules that corroborate each finding differ from the golden file's `also`:\n{}",
        diff(&predicted, &corroborations(&report))
    );
    for cx in CX_KINDS {
        assert!(
            actual.iter().any(|k| kind(k) == cx),
            "{cx} reports a finding of its own"
        );
    }
    assert_eq!(code, 1, "findings fail the run");
}

#[test]
fn unified_is_clean() {
    let (code, report) = run(&root().join("scenarios"), &["--profile", "unified"]);
    let (actual, _) = finding_keys(&report);
    assert!(
        actual.is_empty(),
        "unified must be clean:\n{}",
        diff(&BTreeSet::new(), &actual)
    );
    assert_eq!(code, 0);
}

/// Copies the bundled scenarios into a temp dir, transforming every journey document.
fn transformed_copy(edit: &dyn Fn(&mut Yaml)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&root().join("scenarios"), dir.path(), edit);
    dir
}

fn copy_tree(from: &Path, to: &Path, edit: &dyn Fn(&mut Yaml)) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            let is_library = matches!(
                path.file_name().and_then(|n| n.to_str()),
                Some("personas" | "fragments")
            );
            if is_library {
                copy_tree(&path, &target, &|_| {});
            } else {
                copy_tree(&path, &target, edit);
            }
        } else {
            let text = std::fs::read_to_string(&path).expect("read scenario");
            let mut docs = Vec::new();
            for doc in serde_yaml::Deserializer::from_str(&text) {
                let mut value = Yaml::deserialize(doc).expect("scenario parses");
                edit(&mut value);
                docs.push(serde_yaml::to_string(&value).expect("yaml"));
            }
            std::fs::write(&target, docs.join("---\n")).expect("write");
        }
    }
}

use serde::Deserialize;

/// Every problem the stories name is found by a rule: with every `expect`, `consistent`,
/// `outbox` and `max_repeated_questions` block removed, the run reports the golden file's
/// problems but the scenario's own expectations (an `expectation` finding is never a
/// story's failure), each under the same kind.
#[test]
fn rules_alone_find_every_named_failure_without_any_expect_block() {
    let dir = transformed_copy(&|doc| {
        if let Some(map) = doc.as_mapping_mut() {
            map.remove("consistent");
            map.remove("outbox");
            map.remove("max_repeated_questions");
            if let Some(steps) = map.get_mut("steps").and_then(Yaml::as_sequence_mut) {
                for step in steps {
                    if let Some(step) = step.as_mapping_mut() {
                        step.remove("expect");
                    }
                }
            }
        }
    });
    let (_, report) = run(dir.path(), &["--profile", "siloed"]);
    let (actual, count) = finding_keys(&report);
    let (golden, _) = golden();
    let named: BTreeSet<Key> = golden
        .into_iter()
        .filter(|k| kind(k) != "expectation")
        .collect();
    assert!(
        actual.iter().all(|k| kind(k) != "expectation"),
        "no expect block, no expectation finding"
    );
    assert!(
        by_kind(&actual) == by_kind(&named),
        "without expect blocks the rules must find the story failures by themselves:\n{}",
        diff(&by_kind(&named), &by_kind(&actual))
    );
    assert_eq!(count, actual.len(), "one finding per problem");
    for cx in CX_KINDS {
        assert!(actual.iter().any(|k| kind(k) == cx), "{cx} fires");
    }
}

/// Renames every journey and step id (and every reference to them) to opaque names.
fn rename_ids(doc: &mut Yaml) {
    let Some(map) = doc.as_mapping_mut() else {
        return;
    };
    let mut names: Vec<(String, String)> = Vec::new();
    if let Some(steps) = map.get("steps").and_then(Yaml::as_sequence) {
        for (i, step) in steps.iter().enumerate() {
            if let Some(id) = step.get("id").and_then(Yaml::as_str) {
                names.push((id.to_string(), format!("s{i}x")));
            }
        }
    }
    if let Some(Yaml::String(name)) = map.get_mut("name") {
        let sum: usize = name.bytes().map(usize::from).sum();
        *name = format!("renamed-{}-{sum}", name.len());
    }
    // Longest ids first so that `a-b` is not rewritten through `a`.
    names.sort_by_key(|(old, _)| std::cmp::Reverse(old.len()));
    let rewrite = |s: &str| -> String {
        let mut out = s.to_string();
        for (old, new) in &names {
            out = out.replace(&format!("${{{old}."), &format!("${{{new}."));
        }
        out
    };
    let lookup = |s: &str| -> String {
        names
            .iter()
            .find(|(old, _)| old == s)
            .map(|(_, new)| new.clone())
            .unwrap_or_else(|| s.to_string())
    };
    if let Some(steps) = map.get_mut("steps").and_then(Yaml::as_sequence_mut) {
        for step in steps {
            let Some(step) = step.as_mapping_mut() else {
                continue;
            };
            for key in ["id", "continues"] {
                if let Some(Yaml::String(v)) = step.get_mut(key) {
                    *v = lookup(v);
                }
            }
            if let Some(refs) = step.get_mut("refs").and_then(Yaml::as_mapping_mut) {
                for (_, v) in refs.iter_mut() {
                    if let Yaml::String(s) = v {
                        *s = rewrite(s);
                    }
                }
            }
        }
    }
    if let Some(rules) = map.get_mut("consistent").and_then(Yaml::as_sequence_mut) {
        for rule in rules {
            if let Some(steps) = rule.get_mut("steps").and_then(Yaml::as_sequence_mut) {
                for s in steps {
                    if let Yaml::String(v) = s {
                        *v = lookup(v);
                    }
                }
            }
        }
    }
}

/// (kind, rule, step position in its journey) per journey position: a name-free shape.
fn shape(report: &Value) -> Vec<String> {
    let mut journeys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in report["findings"].as_array().expect("findings") {
        let file = f["file"].as_str().unwrap_or_default();
        let file = Path::new(file)
            .strip_prefix(root())
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| PathBuf::from(file));
        let file = file
            .components()
            .rev()
            .take(2)
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect::<Vec<_>>()
            .join("/");
        journeys.entry(file).or_default().push(format!(
            "{} {} {} {}",
            f["kind"].as_str().unwrap_or_default(),
            f["rule"].as_str().unwrap_or_default(),
            f["severity"].as_str().unwrap_or_default(),
            f["evidence"].as_array().map(Vec::len).unwrap_or(0),
        ));
    }
    journeys
        .into_iter()
        .flat_map(|(file, mut items)| {
            items.sort();
            items.into_iter().map(move |i| format!("{file}: {i}"))
        })
        .collect()
}

#[test]
fn renaming_every_id_changes_nothing() {
    let original = transformed_copy(&|_| {});
    let renamed = transformed_copy(&rename_ids);
    for profile in ["siloed", "unified"] {
        let (code_a, a) = run(original.path(), &["--profile", profile]);
        let (code_b, b) = run(renamed.path(), &["--profile", profile]);
        assert_eq!(code_a, code_b, "{profile}: same exit code");
        assert_eq!(
            shape(&a),
            shape(&b),
            "{profile}: same findings after renaming"
        );
        assert_eq!(a["touchpoints"], b["touchpoints"], "{profile}: same turns");
    }
}

/// (journey, step, kind, rule, subject): finer than the golden file, to tell seams apart.
fn fine_keys(report: &Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            format!(
                "{} / {} / {} / {} / {}",
                f["journey"].as_str().unwrap_or_default(),
                f["step"].as_str().unwrap_or_default(),
                f["kind"].as_str().unwrap_or_default(),
                f["rule"].as_str().unwrap_or_default(),
                f["subject"].as_str().unwrap_or_default(),
            )
        })
        .collect()
}

fn seams() -> Vec<&'static str> {
    seam::reference::seams().to_vec()
}

/// Each seam alone: breaking it on `unified` yields its failures; fixing it on `siloed`
/// removes exactly those of them siloed shows, and every siloed failure belongs to a seam.
/// Broken seams can mask each other: the `ready_email` of a store pickup is only promised
/// once `fulfilment` keeps store pickup, so `notifier` shows one more failure on `unified`
/// than on `siloed`, and fixing `fulfilment` on `siloed` unmasks it. Anything a fix adds
/// must be another seam's failure.
#[test]
fn each_seam_owns_exactly_its_failures() {
    let scenarios = root().join("scenarios");
    let (_, siloed) = run(&scenarios, &["--profile", "siloed"]);
    let siloed = fine_keys(&siloed);
    let owned: Vec<(&str, BTreeSet<String>)> = seams()
        .into_iter()
        .map(|seam| {
            let (_, broken) = run(&scenarios, &["--profile", "unified", "--break", seam]);
            (seam, fine_keys(&broken))
        })
        .collect();
    let mut union = BTreeSet::new();
    for (seam, broken) in &owned {
        assert!(
            broken.intersection(&siloed).next().is_some(),
            "breaking `{seam}` on unified shows none of siloed's failures: {broken:?}"
        );
        union.extend(broken.intersection(&siloed).cloned());
        let (_, fixed) = run(&scenarios, &["--profile", "siloed", "--fix", seam]);
        let fixed = fine_keys(&fixed);
        let kept: BTreeSet<String> = siloed.difference(broken).cloned().collect();
        let others: BTreeSet<&String> = owned
            .iter()
            .filter(|(s, _)| s != seam)
            .flat_map(|(_, b)| b.iter())
            .collect();
        let still: Vec<&String> = fixed.intersection(broken).collect();
        let gone: Vec<&String> = kept.difference(&fixed).collect();
        let foreign: Vec<&String> = fixed
            .difference(&kept)
            .filter(|k| !others.contains(k))
            .collect();
        assert!(
            still.is_empty() && gone.is_empty() && foreign.is_empty(),
            "fixing `{seam}` on siloed must remove exactly its failures:\n  still there: {still:?}\n  gone too: {gone:?}\n  new and no seam's: {foreign:?}"
        );
    }
    assert_eq!(union, siloed, "every siloed failure belongs to a seam");
}

/// Findings come in the same order whatever `--jobs` is, and `--trace` writes one trace per
/// journey with every turn.
#[test]
fn findings_do_not_depend_on_jobs_and_traces_are_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenarios = root().join("scenarios");
    let mut runs = Vec::new();
    for jobs in ["1", "16"] {
        let trace = dir.path().join(format!("trace-{jobs}.jsonl"));
        let trace_arg = trace.display().to_string();
        let (_, report) = run(
            &scenarios,
            &["--jobs", jobs, "--run-id", "fixed", "--trace", &trace_arg],
        );
        let text = std::fs::read_to_string(&trace).expect("trace written");
        let traces: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON trace per line"))
            .collect();
        assert_eq!(
            traces.len(),
            report["journeys"].as_array().map_or(0, Vec::len)
        );
        let turns: usize = traces
            .iter()
            .flat_map(|t| t["steps"].as_array().into_iter().flatten())
            .map(|s| s["turns"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(Some(turns as u64), report["touchpoints"].as_u64());
        runs.push(report["findings"].clone());
    }
    assert_eq!(runs[0], runs[1], "same findings in the same order");
}
