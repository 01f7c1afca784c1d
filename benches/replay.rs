//! Replay benchmark: 2,000 journeys against a SUT in a child process; prints touchpoints/s,
//! the CPU split harness vs server and peak memory (VmHWM) of both, as the median of
//! several rounds (each against a fresh server). CPU is read per thread from
//! `/proc/PID/task/*/schedstat` (nanoseconds), not from 10 ms ticks.
//!
//! `cargo bench --bench replay` (release, from the repository root). The journeys are the
//! bundled scenarios cycled to 2,000; detection is included in the harness CPU. The server
//! is this same binary re-run with `SEAM_BENCH_ROLE=server`: the reference retailer
//! (siloed) in its own process, so that the CPU of harness and server can be told apart.
//! The harness runs on `seam run`'s runtime (current-thread, `app::runtimes::harness`) and
//! the server on a multi-thread one, like the embedded retailer of `seam run`.
//!
//! Knobs: `SEAM_BENCH_JOURNEYS=N` (2000), `SEAM_BENCH_ROUNDS=N` (5), `SEAM_BENCH_JOBS=N`
//! (64 journeys at once), `SEAM_BENCH_TARGET=URL` (an already running SUT; no server CPU
//! figures), `SEAM_BENCH_THREADS=N` (N > 1: the harness on N workers, for comparison),
//! `SEAM_BENCH_SERVER_THREADS=N` (2), and `SEAM_BENCH_FINDINGS=FILE`, which writes the
//! findings (JSON Lines) for checking that a change left them alone.

/// The allocator of the `seam` binary (src/main.rs), so that both processes allocate as
/// `seam run` does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use seam::run::{Error, Event, Reporter, Session, Settings, Shared};
use seam::scenario::model::Journey;
use seam::sut::{ClientConfig, ProtocolClient};

use common::{dump_findings, env_number, journeys, runtime, siloed_retailer};

fn main() {
    if std::env::var("SEAM_BENCH_ROLE").as_deref() == Ok("server") {
        serve();
        return;
    }
    let n = env_number("SEAM_BENCH_JOURNEYS").unwrap_or(2000);
    let rounds = env_number("SEAM_BENCH_ROUNDS").unwrap_or(5).max(1);
    let runtime = match env_number("SEAM_BENCH_THREADS") {
        Some(n) if n > 1 => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(n)
            .enable_all()
            .build(),
        _ => seam::app::runtimes::harness(),
    }
    .unwrap_or_else(|e| panic!("runtime: {e}"));
    let journeys: Vec<Arc<Journey>> = journeys(n).into_iter().map(Arc::new).collect();
    println!("journeys        {n} (the bundled scenarios, cycled), {rounds} rounds");
    let mut results = Vec::new();
    for round in 1..=rounds {
        let result = one_round(&runtime, &journeys);
        println!(
            "round {round}         {:.0} touchpoints/s, harness {:.3} s cpu ({:.3} replaying, \
             {:.3} detecting), server {}",
            result.throughput(),
            result.harness_replay + result.harness_detect,
            result.harness_replay,
            result.harness_detect,
            result
                .server
                .map_or("-".to_string(), |s| format!("{s:.3} s cpu")),
        );
        results.push(result);
    }
    let last = results
        .last()
        .map(|r| (r.findings, r.touchpoints, r.faults, r.reads));
    if let Some((findings, touchpoints, faults, reads)) = last {
        println!("findings        {findings}");
        println!("touchpoints     {touchpoints} ({faults} faults), outbox reads {reads}");
    }
    let median = |f: &dyn Fn(&Round) -> f64| {
        let mut v: Vec<f64> = results.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("median of {rounds} rounds:");
    println!(
        "throughput      {:.0} touchpoints/s",
        median(&Round::throughput)
    );
    let harness = median(&|r| r.harness_replay + r.harness_detect);
    println!(
        "harness cpu     {harness:.3} s ({:.3} s replaying, {:.3} s detecting)",
        median(&|r| r.harness_replay),
        median(&|r| r.harness_detect)
    );
    if results.iter().all(|r| r.server.is_some()) {
        let server = median(&|r| r.server.unwrap_or(0.0));
        println!("server cpu      {server:.3} s");
        println!(
            "cpu split       harness {:.0}% / server {:.0}% (harness/server {:.2})",
            100.0 * harness / (harness + server),
            100.0 * server / (harness + server),
            median(&|r| (r.harness_replay + r.harness_detect) / r.server.unwrap_or(1.0))
        );
    }
    println!(
        "harness VmHWM   {} kB",
        vm_hwm(std::process::id()).unwrap_or(0)
    );
    if let Some(hwm) = results.iter().filter_map(|r| r.server_hwm).max() {
        println!("server VmHWM    {hwm} kB");
    }
}

/// What one round measured.
struct Round {
    wall: f64,
    touchpoints: u64,
    faults: usize,
    reads: usize,
    findings: usize,
    /// CPU seconds of the harness replaying, then detecting (the time spent in the
    /// detectors, which run as each journey finishes).
    harness_replay: f64,
    harness_detect: f64,
    /// CPU seconds of the server process (none with `SEAM_BENCH_TARGET`).
    server: Option<f64>,
    server_hwm: Option<u64>,
}

impl Round {
    fn throughput(&self) -> f64 {
        self.touchpoints as f64 / self.wall
    }
}

/// One replay of `journeys` against a fresh server (or `SEAM_BENCH_TARGET`), then detection.
fn one_round(runtime: &tokio::runtime::Runtime, journeys: &[Arc<Journey>]) -> Round {
    let (target, mut child) = match std::env::var("SEAM_BENCH_TARGET") {
        Ok(url) => (url, None),
        Err(_) => match spawn_server() {
            Some((url, child)) => (url, Some(child)),
            None => {
                eprintln!("cannot start the benchmark server");
                std::process::exit(1);
            }
        },
    };
    let server_pid = child.as_ref().map(Child::id);
    let server_before = server_pid.and_then(cpu_ns).unwrap_or(0);
    let harness_before = cpu_ns(std::process::id()).unwrap_or(0);
    let jobs = env_number("SEAM_BENCH_JOBS").unwrap_or(64);
    let started = Instant::now();
    // Through the run session, as `seam run`: each trace becomes a conversation that the
    // rules read as its journey finishes; a reporter of the bench's own times that part.
    let mut clock = Clock::default();
    let outcome = runtime.block_on(async {
        let config = ClientConfig {
            pool: jobs,
            ..ClientConfig::default()
        };
        let client = ProtocolClient::new(&target, config).unwrap_or_else(|e| panic!("{e}"));
        let settings = Settings {
            jobs,
            run_id: "bench".into(),
            ..Settings::default()
        };
        Session::new(settings)
            .with_reporter(&mut clock)
            .run(&mut Shared::new(journeys), &client)
            .await
    });
    if let Ok(path) = std::env::var("SEAM_BENCH_FINDINGS") {
        dump_findings(&path, &outcome.report.findings);
    }
    let (summary, findings, detecting, counts) = (
        outcome.report.touchpoints,
        outcome.report.findings.len(),
        clock.detecting,
        (clock.faults, clock.reads),
    );
    let wall = started.elapsed().as_secs_f64();
    let harness_after = cpu_ns(std::process::id()).unwrap_or(0);
    let server = server_pid
        .and_then(cpu_ns)
        .map(|t| secs(t.saturating_sub(server_before)));
    let server_hwm = server_pid.and_then(vm_hwm);
    if let Some(child) = child.as_mut() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let harness = secs(harness_after.saturating_sub(harness_before));
    let detecting = detecting.as_secs_f64().min(harness);
    Round {
        wall,
        touchpoints: summary,
        faults: counts.0,
        reads: counts.1,
        findings,
        harness_replay: harness - detecting,
        harness_detect: detecting,
        server,
        server_hwm,
    }
}

/// Times what the rules do to each journey (from its trace to its findings) and counts
/// faults and outbox reads.
#[derive(Default)]
struct Clock {
    since: Option<Instant>,
    detecting: Duration,
    faults: usize,
    reads: usize,
}

impl Reporter for &mut Clock {
    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Error> {
        match event {
            Event::JourneyReplayed { trace, .. } => {
                let turns = trace.steps.iter().flat_map(|s| &s.turns);
                self.faults += turns.filter(|t| t.reply.is_err()).count();
                self.reads += trace.outbox_reads.len();
                self.since = Some(Instant::now());
            }
            Event::JourneyFinished { .. } => {
                if let Some(since) = self.since.take() {
                    self.detecting += since.elapsed();
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Re-run this binary as the server; it prints its URL on the first line of stdout.
fn spawn_server() -> Option<(String, Child)> {
    let exe = std::env::current_exe().ok()?;
    let mut child = Command::new(exe)
        .env("SEAM_BENCH_ROLE", "server")
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).ok()?;
    Some((line.trim().to_string(), child))
}

/// CPU time of every live thread of `pid`, in nanoseconds (`/proc/PID/task/*/schedstat`,
/// whose first field is the time spent on a CPU): finer than the 10 ms ticks of `stat`.
fn cpu_ns(pid: u32) -> Option<u64> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let mut total = 0;
    for task in tasks.flatten() {
        let stat = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
        total += stat
            .split_whitespace()
            .next()
            .and_then(|ns| ns.parse::<u64>().ok())
            .unwrap_or(0);
    }
    Some(total)
}

fn secs(ns: u64) -> f64 {
    ns as f64 / 1e9
}

fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The server role: the reference retailer (siloed, every seam broken) on loopback.
fn serve() {
    let threads = env_number("SEAM_BENCH_SERVER_THREADS").unwrap_or(2);
    runtime(threads).block_on(async {
        let server = siloed_retailer().await;
        println!("http://{}", server.addr);
        std::future::pending::<()>().await;
    });
}
