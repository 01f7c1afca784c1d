//! What the replay and detection benchmarks share: the journeys they replay, their
//! numeric knobs, and the findings dump that proves an optimisation changed nothing.

use std::io::Write;
use std::path::PathBuf;

use seam::app::vocabulary::default_vocabulary;
use seam::reference::{self, Profile, RunningServer, ServerConfig};
use seam::rules::finding::Finding;
use seam::scenario::load_paths;
use seam::scenario::model::Journey;

/// A numeric knob from the environment (`SEAM_BENCH_...`), if set and a number.
pub fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|s| s.parse().ok())
}

/// `n` journeys: the bundled scenarios cycled, each copy with its own name. Run from the
/// repository root.
pub fn journeys(n: usize) -> Vec<Journey> {
    let loaded = load_paths(&[PathBuf::from("scenarios")], &default_vocabulary());
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

/// `SEAM_BENCH_FINDINGS=FILE`: the findings, one JSON object per line, in their order (to
/// check that an optimisation changed none of them; `cmp` two dumps).
pub fn dump_findings(path: &str, findings: &[Finding]) {
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

/// A multi-thread runtime with `threads` workers, like the embedded retailer's.
pub fn runtime(threads: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"))
}

/// The reference retailer, siloed (every seam broken), on an ephemeral loopback port.
pub async fn siloed_retailer() -> RunningServer {
    reference::start(ServerConfig::loopback(Profile::siloed()))
        .await
        .unwrap_or_else(|e| panic!("reference retailer: {e}"))
}
