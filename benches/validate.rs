//! Benchmark: load and validate 1,000 generated scenario files (personas, fragments,
//! matrices, references) in a temp dir, then one 100,000-step file (about 10 MB); prints
//! files/s and the big file's time. Goal for each: under 1 s on 2 cores.
//! Run with `cargo bench --bench validate`.

use std::path::PathBuf;
use std::time::Instant;

const FILES: usize = 1_000;
const BIG_STEPS: usize = 100_000;

/// One journey of `BIG_STEPS` steps (about 10 MB).
fn big_scenario() -> String {
    let mut text = String::from("name: big\nclock: {start: '2026-01-01T00:00:00Z'}\nsteps:\n");
    for i in 0..BIG_STEPS {
        text.push_str(&format!(
            "  - id: s{i}\n    channel: web\n    intent: stock.check\n    after: 1m\n    expect: {{ status: done }}\n"
        ));
    }
    text
}

fn scenario(i: usize) -> String {
    format!(
        "\
# yaml-language-server: $schema=../docs/scenario.schema.json
name: generated-{i:04}
description: Generated journey {i} for the validate benchmark.
tags: [bench, generated]
persona: ana
customer:
  facts: {{ order_hint: \"G-{i}\" }}
clock:
  start: 2026-12-18T10:00:00+01:00
steps:
  - use: check-stock
  - id: order-in-store
    channel: store
    intent: order.create
    after: 20m
    says: {{ sku: \"978-0-14-044913-{d}\", phone: \"+34 600 111 222\" }}
    capture: {{ order_ref: refs.order }}
    expect:
      status: [pending, done]
      promises: {{ made: [arrival_sms], within: 3d }}
      refs: [order]
  - id: follow-up
    matrix: {{ channel: [phone, web, email] }}
    intent: order.status
    after: 2d
    continues: order-in-store
    refs: {{ order: \"${{order-in-store.refs.order}}\" }}
    expect:
      status: done
      not_asked: [name, phone]
      answer:
        ready_for_pickup: {{ exists: true }}
  - id: chat
    channel: chat
    intent: account.help
    at: 2026-12-30T09:00:00+01:00
    says: {{ topic: \"order ${{order_ref}}\" }}
consistent:
  - steps: [follow-up]
    fields: [order_status]
severity: {{ broken-handoff: critical }}
",
        d = i % 10
    )
}

fn main() {
    let dir = std::env::temp_dir().join(format!("seam-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let valid = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/valid");
    for folder in ["personas", "fragments"] {
        std::fs::create_dir_all(dir.join(folder)).expect("temp dir");
        for entry in std::fs::read_dir(valid.join(folder))
            .expect("fixtures")
            .flatten()
        {
            std::fs::copy(entry.path(), dir.join(folder).join(entry.file_name())).expect("copy");
        }
    }
    let mut bytes = 0;
    for i in 0..FILES {
        let text = scenario(i);
        bytes += text.len();
        std::fs::write(dir.join(format!("journey-{i:04}.yaml")), text).expect("write");
    }
    let vocabulary = seam::app::vocabulary::default_vocabulary();
    let mut best = f64::MAX;
    for round in 0..5 {
        let started = Instant::now();
        let loaded = seam::scenario::load_paths(std::slice::from_ref(&dir), &vocabulary);
        let secs = started.elapsed().as_secs_f64();
        assert!(!loaded.has_errors(), "{:#?}", &loaded.diagnostics[..1]);
        assert_eq!(loaded.journeys.len(), FILES);
        println!(
            "round {round}: {FILES} files ({} KiB, {} steps) in {:.1} ms",
            bytes / 1024,
            loaded.journeys.iter().map(|j| j.steps.len()).sum::<usize>(),
            secs * 1000.0
        );
        best = best.min(secs);
    }
    println!(
        "validate: best {:.1} ms for {FILES} files = {:.0} files/s",
        best * 1000.0,
        FILES as f64 / best
    );
    let big = dir.join("big");
    std::fs::create_dir_all(&big).expect("temp dir");
    let text = big_scenario();
    std::fs::write(big.join("big.yaml"), &text).expect("write");
    let mut best = f64::MAX;
    for round in 0..3 {
        let started = Instant::now();
        let loaded = seam::scenario::load_paths(std::slice::from_ref(&big), &vocabulary);
        let secs = started.elapsed().as_secs_f64();
        assert!(!loaded.has_errors(), "{:#?}", &loaded.diagnostics[..1]);
        assert_eq!(loaded.journeys[0].steps.len(), BIG_STEPS);
        println!(
            "round {round}: one {BIG_STEPS}-step file in {:.1} ms",
            secs * 1000.0
        );
        best = best.min(secs);
    }
    println!(
        "validate: best {:.1} ms for one {BIG_STEPS}-step file ({:.1} MB)",
        best * 1000.0,
        text.len() as f64 / 1e6
    );
    let _ = std::fs::remove_dir_all(&dir);
}
