//! Replay benchmark: 2,000 journeys against a SUT in a child process; prints touchpoints/s,
//! the CPU split harness vs server (/proc utime+stime) and peak memory (VmHWM) of both.
//!
//! `cargo bench --bench replay` (release, from the repository root). The journeys are the
//! bundled scenarios cycled to 2,000; detection is included in the timing. The server is
//! this same binary re-run with `SEAM_BENCH_ROLE=server`: the reference retailer (siloed)
//! in its own process, so that the CPU of harness and server can be told apart.
//! `SEAM_BENCH_TARGET=URL` benchmarks an already running SUT instead (no server CPU figures).
//! `SEAM_BENCH_JOURNEYS=N` changes the number of journeys; `SEAM_BENCH_FINDINGS=FILE` writes
//! the findings (JSON Lines), for checking that a change left them alone (not for timing). The harness runs on `seam run`'s
//! runtime (current-thread, `app::runtimes::harness`) and the server on a multi-thread one,
//! like the embedded retailer of `seam run`; `SEAM_BENCH_THREADS=N` (N > 1) runs the harness
//! on N workers instead, for comparison.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use seam::detect::detect_run;
use seam::engine::events;
use seam::engine::{RunOptions, run};
use seam::reference::{self, Profile, ServerConfig};
use seam::scenario::load_paths;
use seam::scenario::model::Journey;
use seam::sut::{ClientConfig, ProtocolClient};

fn main() {
    if std::env::var("SEAM_BENCH_ROLE").as_deref() == Ok("server") {
        serve();
        return;
    }
    let n: usize = std::env::var("SEAM_BENCH_JOURNEYS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
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
    let server_before = server_pid.and_then(cpu_ticks).unwrap_or(0);
    let harness_before = cpu_ticks(std::process::id()).unwrap_or(0);

    let runtime = match std::env::var("SEAM_BENCH_THREADS")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
    {
        Some(n) if n > 1 => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(n)
            .enable_all()
            .build(),
        _ => seam::app::runtimes::harness(),
    }
    .unwrap_or_else(|e| panic!("runtime: {e}"));
    let jobs: usize = std::env::var("SEAM_BENCH_JOBS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let started = Instant::now();
    let outcome = runtime.block_on(async {
        let config = ClientConfig {
            pool: jobs,
            ..ClientConfig::default()
        };
        let client =
            Arc::new(ProtocolClient::new(&target, config).unwrap_or_else(|e| panic!("{e}")));
        let journeys = Arc::new(journeys(n));
        let options = RunOptions {
            jobs,
            run_id: "bench".into(),
            deadline: None,
        };
        let outcome = run(Arc::clone(&journeys), client, &options, events::ignore()).await;
        let replayed = (
            started.elapsed(),
            cpu_ticks(std::process::id()).unwrap_or(0),
        );
        let pairs: Vec<_> = journeys.iter().zip(&outcome.traces).collect();
        let findings = detect_run(&pairs);
        if let Ok(path) = std::env::var("SEAM_BENCH_FINDINGS") {
            dump_findings(&path, &findings);
        }
        (outcome, findings.len(), replayed)
    });
    let (outcome, findings, (replay_wall, replay_ticks)) = outcome;
    let wall = started.elapsed().as_secs_f64();

    let harness = cpu_ticks(std::process::id()).unwrap_or(0) - harness_before;
    let server = server_pid.and_then(cpu_ticks).map(|t| t - server_before);
    let touchpoints = outcome.touchpoints();
    let faults: usize = outcome
        .traces
        .iter()
        .flat_map(|t| &t.steps)
        .flat_map(|s| &s.turns)
        .filter(|t| t.reply.is_err())
        .count();
    let reads: usize = outcome.traces.iter().map(|t| t.outbox_reads.len()).sum();
    println!("journeys        {n} (the bundled scenarios, cycled)");
    println!("findings        {findings}");
    println!("touchpoints     {touchpoints} ({faults} faults), outbox reads {reads}");
    println!("wall            {wall:.2} s");
    println!(
        "throughput      {:.0} touchpoints/s",
        touchpoints as f64 / wall
    );
    println!(
        "harness cpu     {:.2} s ({:.2} s replaying in {:.2} s wall, {:.2} s detecting)",
        ticks_secs(harness),
        ticks_secs(replay_ticks.saturating_sub(harness_before)),
        replay_wall.as_secs_f64(),
        ticks_secs(harness.saturating_sub(replay_ticks.saturating_sub(harness_before)))
    );
    if let Some(server) = server {
        println!("server cpu      {:.2} s", ticks_secs(server));
        let total = (harness + server).max(1) as f64;
        println!(
            "cpu split       harness {:.0}% / server {:.0}%",
            100.0 * harness as f64 / total,
            100.0 * server as f64 / total
        );
    }
    println!(
        "harness VmHWM   {} kB",
        vm_hwm(std::process::id()).unwrap_or(0)
    );
    if let Some(pid) = server_pid {
        println!("server VmHWM    {} kB", vm_hwm(pid).unwrap_or(0));
    }
    if let Some(child) = child.as_mut() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// `SEAM_BENCH_FINDINGS=FILE`: the findings, one JSON object per line, in `detect_run`'s
/// order (to check that an optimisation changed none of them).
fn dump_findings(path: &str, findings: &[seam::detect::finding::Finding]) {
    use std::io::Write;
    let write = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        for f in findings {
            serde_json::to_writer(&mut out, f).map_err(std::io::Error::other)?;
            out.write_all(b"\n")?;
        }
        out.flush()
    };
    if let Err(e) = write() {
        eprintln!("cannot write {path}: {e}");
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

fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(") ")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn ticks_secs(ticks: u64) -> f64 {
    ticks as f64 / 100.0
}

fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `n` journeys: the bundled scenarios cycled, each copy with its own name.
fn journeys(n: usize) -> Vec<Journey> {
    let loaded = load_paths(&[PathBuf::from("scenarios")]);
    if loaded.has_errors() || loaded.journeys.is_empty() {
        eprintln!("the bundled scenarios do not load; run from the repository root");
        std::process::exit(1);
    }
    (0..n)
        .map(|i| {
            let mut j = loaded.journeys[i % loaded.journeys.len()].clone();
            j.name = format!("{}-{i:05}", j.name);
            j
        })
        .collect()
}

/// The server role: the reference retailer (siloed, every seam broken) on loopback.
fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    runtime.block_on(async {
        let server = reference::start(ServerConfig::loopback(Profile::siloed()))
            .await
            .unwrap_or_else(|e| panic!("reference retailer: {e}"));
        println!("http://{}", server.addr);
        std::future::pending::<()>().await;
    });
}
