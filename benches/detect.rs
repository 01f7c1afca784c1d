//! Detection benchmark: replays 2,000 journeys (the bundled scenarios, cycled) once
//! against the embedded reference retailer (siloed), then runs the rules (`rules::Audit`) on
//! their conversations
//! several times and prints the CPU of one detection (the mean: the thread's CPU time, read
//! from `/proc/thread-self/schedstat`, is only brought up to date at scheduler ticks while
//! the thread runs, so single detections are not timed with it), its wall time (median and
//! best), and the number of findings.
//!
//! `cargo bench --bench detect` (release, from the repository root). Knobs:
//! `SEAM_BENCH_JOURNEYS=N` (2000), `SEAM_BENCH_ROUNDS=N` (20 detections), and
//! `SEAM_BENCH_FINDINGS=FILE`, which writes the findings of one more detection (JSON
//! Lines) for checking that a change left them alone.

/// The allocator of the `seam` binary (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use std::sync::Arc;
use std::time::Instant;

use seam::conversation::{self, Conversation};
use seam::engine::events;
use seam::engine::trace::Trace;
use seam::engine::{RunOptions, run};
use seam::rules::finding::Finding;
use seam::rules::{Audit, Expectations, Policy, RuleSet};
use seam::scenario::model::Journey;
use seam::sut::{ClientConfig, ProtocolClient};

use common::{dump_findings, env_number, journeys, runtime, siloed_retailer};

fn main() {
    let n = env_number("SEAM_BENCH_JOURNEYS").unwrap_or(2000);
    let rounds = env_number("SEAM_BENCH_ROUNDS").unwrap_or(20).max(1);
    let journeys = Arc::new(journeys(n));
    let traces = replay(&journeys);
    let conversations: Vec<Conversation> = journeys
        .iter()
        .zip(traces)
        .map(|(j, t)| conversation::scripted(t, j))
        .collect();
    let rules = RuleSet::standard();
    let detect_run = |_: &()| audit(&rules, &journeys, &conversations);
    let pairs = ();
    let mut walls = Vec::with_capacity(rounds);
    let mut count = 0;
    let cpu_before = thread_cpu_ns();
    for _ in 0..rounds {
        let started = Instant::now();
        let findings = detect_run(&pairs);
        count = findings.len();
        drop(findings);
        walls.push(started.elapsed().as_secs_f64() * 1e3);
    }
    let cpu = (thread_cpu_ns().saturating_sub(cpu_before)) as f64 / 1e6 / rounds as f64;
    if let Ok(path) = std::env::var("SEAM_BENCH_FINDINGS") {
        dump_findings(&path, &detect_run(&pairs));
    }
    walls.sort_by(f64::total_cmp);
    println!("journeys        {n}, {rounds} detections");
    println!("findings        {count}");
    println!(
        "detecting       {cpu:.2} ms cpu (mean), {:.2} ms wall (median), {:.2} ms wall (best), \
         {:.2} us cpu per finding",
        walls[walls.len() / 2],
        walls[0],
        1e3 * cpu / count.max(1) as f64
    );
}

/// The traces of `journeys` replayed against the reference retailer (siloed) served on
/// the same runtime.
fn replay(journeys: &Arc<Vec<Journey>>) -> Vec<Trace> {
    runtime(2).block_on(async {
        let server = siloed_retailer().await;
        let config = ClientConfig {
            pool: 64,
            ..ClientConfig::default()
        };
        let target = format!("http://{}", server.addr);
        let client =
            Arc::new(ProtocolClient::new(&target, config).unwrap_or_else(|e| panic!("{e}")));
        let options = RunOptions {
            jobs: 64,
            run_id: "bench".into(),
            deadline: None,
            ..RunOptions::default()
        };
        run(Arc::clone(journeys), client, &options, events::ignore())
            .await
            .traces
    })
}

/// Every finding of the run, as a session finds them.
fn audit(rules: &RuleSet, journeys: &[Journey], conversations: &[Conversation]) -> Vec<Finding> {
    // What a session against the reference retailer knows: its catalogue.
    let know = seam::rules::Knowledge::of(Some(seam::reference::intents::catalogue()));
    let mut audit = Audit::new(rules, &know);
    for (index, (j, c)) in journeys.iter().zip(conversations).enumerate() {
        audit.journey(index, c, Some(Expectations::of(j)), Policy::of(j));
    }
    audit.finish().findings
}

/// CPU time of the calling thread in nanoseconds (first field of its schedstat).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
