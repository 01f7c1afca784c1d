//! `seam run`: load scenarios, pick the journeys, replay them against the target (or the
//! embedded retailer), detect findings, write the summary and every report, exit code.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use super::baseline::Baseline;
use super::exit;
use super::progress;
use super::run_args::select;
pub use super::run_args::{ReportTarget, RunArgs};
use super::runtimes::EmbeddedRetailer;
use crate::detect::RunDetector;
use crate::detect::finding::Finding;
use crate::engine::events::EventSink;
use crate::engine::runner::{RunOptions, RunOutcome, RunSummary, run as replay, run_each};
use crate::engine::trace::Trace;
use crate::reference::ServerConfig;
use crate::report::{JourneyReport, RunReport};
use crate::scenario::model::Journey;
use crate::sut::mapping::MappingConnector;
use crate::sut::{ClientConfig, Connector, ProtocolClient};

/// Version of the `RunReport` this command writes.
pub const REPORT_SCHEMA: u32 = 1;

/// Runs the command and returns the exit code.
pub fn run(args: &RunArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    if let Err(message) = check_args(args) {
        let _ = writeln!(stderr, "error: {message}");
        return exit::USAGE;
    }
    let loaded = crate::scenario::load_paths(&args.paths, &super::vocabulary::default_vocabulary());
    if !loaded.diagnostics.is_empty() {
        let _ = crate::scenario::diagnostic::render(&loaded.diagnostics, &loaded.sources, stderr);
    }
    if loaded.has_errors() {
        return exit::USAGE;
    }
    let journeys = loaded.journeys;
    let journeys = select(journeys, &args.tags, args.name.as_deref());
    if args.list {
        for j in &journeys {
            let tags = if j.tags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", j.tags.join(", "))
            };
            let _ = writeln!(
                stdout,
                "{}: {} ({} steps){tags}",
                j.file,
                j.name,
                j.steps.len()
            );
        }
        return exit::OK;
    }
    if journeys.is_empty() {
        let _ = writeln!(
            stderr,
            "error: no journey matches the given paths, tags and name"
        );
        return exit::USAGE;
    }
    let runtime = match super::runtimes::harness() {
        Ok(rt) => rt,
        Err(e) => {
            let _ = writeln!(stderr, "error: cannot start the async runtime: {e}");
            return exit::USAGE;
        }
    };
    runtime.block_on(execute(journeys, args, stdout, stderr))
}

fn check_args(args: &RunArgs) -> Result<(), String> {
    if args.target.is_some()
        && (args.profile.is_some() || !args.break_seams.is_empty() || !args.fix_seams.is_empty())
    {
        return Err("--profile, --break and --fix configure the embedded retailer; they cannot go with --target".into());
    }
    if let Some(target) = &args.target
        && !(target.starts_with("http://") || target.starts_with("https://"))
    {
        return Err(format!("--target `{target}`: expected an http:// URL"));
    }
    Ok(())
}

/// Replay `journeys` (already loaded and selected) as `args` say; returns the exit code.
pub async fn execute(
    journeys: Vec<Journey>,
    args: &RunArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let baseline = match &args.baseline {
        Some(path) => match Baseline::read(path) {
            Ok(b) => Some(b),
            Err(e) => {
                let _ = writeln!(stderr, "error: {e}");
                return exit::USAGE;
            }
        },
        None => None,
    };

    let (base, target, server) = match &args.target {
        Some(url) => (url.clone(), url.clone(), None),
        None => {
            let profile = args.profile.as_deref().unwrap_or("siloed");
            match start_reference(profile, &args.break_seams, &args.fix_seams).await {
                Ok((server, label)) => (
                    format!("http://{}", server.addr()),
                    format!("reference:{label}"),
                    Some(server),
                ),
                Err(e) => {
                    let _ = writeln!(stderr, "error: {e}");
                    return exit::USAGE;
                }
            }
        }
    };
    let config = ClientConfig {
        timeout: args.timeout,
        pool: args.jobs,
        ..ClientConfig::default()
    };
    let options = RunOptions {
        jobs: args.jobs,
        run_id: args.run_id.clone().unwrap_or_else(random_run_id),
        deadline: Some(args.deadline),
    };
    let (sink, bar) = progress::sink(progress::wanted(args.no_progress));
    let journeys = Arc::new(journeys);
    let mut notes = Vec::new();
    let mut target = target;
    let keep_traces = args.trace.is_some();
    let replayed = match &args.mapping {
        Some(path) => {
            let env = |name: &str| std::env::var(name).ok();
            let connector = match crate::sut::mapping::load(path, &env)
                .map_err(|failure| {
                    let _ = failure.render(stderr);
                    String::new()
                })
                .inspect(|m| warn_unrouted(m, &journeys, stderr))
                .and_then(|m| MappingConnector::new(m, &base, config))
            {
                Ok(c) => c,
                Err(e) => {
                    if !e.is_empty() {
                        let _ = writeln!(stderr, "error: {e}");
                    }
                    return exit::USAGE;
                }
            };
            target = connector.redact_text(&target);
            let outbox = connector.has_outbox();
            if !outbox {
                notes.push(NO_OUTBOX.to_string());
            }
            let plan = Plan {
                outbox,
                keep_traces,
            };
            replay_detect(&journeys, Arc::new(connector), &options, sink, plan).await
        }
        None => {
            let client = match ProtocolClient::new(&base, config) {
                Ok(c) => Arc::new(c),
                Err(e) => {
                    let _ = writeln!(stderr, "error: {e}");
                    return exit::USAGE;
                }
            };
            let plan = Plan {
                outbox: true,
                keep_traces,
            };
            replay_detect(&journeys, client, &options, sink, plan).await
        }
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(server) = server {
        server.stop().await;
    }

    let Replayed {
        summary,
        stats,
        findings,
        traces,
    } = replayed;
    let findings = order_findings(findings, &journeys);
    let mut code = exit::OK;
    if let (Some(path), Some(traces)) = (&args.trace, &traces)
        && let Err(e) = write_file(path, |out| write_traces(traces, out))
    {
        let _ = writeln!(stderr, "error: cannot write traces {}: {e}", path.display());
        code = exit::USAGE;
    }
    if let Some(path) = &args.write_baseline
        && let Err(e) = write_file(path, |out| Baseline::write(&findings, out))
    {
        let _ = writeln!(
            stderr,
            "error: cannot write baseline {}: {e}",
            path.display()
        );
        code = exit::USAGE;
    }
    let (findings, baselined) = match &baseline {
        Some(b) => b.filter(findings),
        None => (findings, 0),
    };
    let mut report = build_report(
        &journeys, &stats, &summary, target, args, findings, baselined,
    );
    report.notes = notes;

    let color =
        crate::report::terminal::color_wanted(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let _ = crate::report::terminal::write(&report, stdout, color);
    for r in &args.reports {
        if let Err(e) = write_file(&r.path, |out| crate::report::write(r.format, &report, out)) {
            let _ = writeln!(
                stderr,
                "error: cannot write the {} report {}: {e}",
                r.format.as_str(),
                r.path.display()
            );
            code = exit::USAGE;
        }
    }
    if summary.touchpoints > 0 && !summary.sut_answered {
        let _ = writeln!(stderr, "error: the SUT at {base} answered no touchpoint");
        return exit::SUT_DOWN;
    }
    if code != exit::OK {
        return code;
    }
    if report.failed() {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// Replays through a mapping; without an outbox, promises cannot be checked: the outbox
/// reads are dropped (so no rule judges them) and the report says so.
pub async fn replay_mapped(
    journeys: Arc<Vec<Journey>>,
    connector: MappingConnector,
    options: &RunOptions,
    sink: crate::engine::events::EventSink,
    notes: &mut Vec<String>,
) -> RunOutcome {
    let has_outbox = connector.has_outbox();
    let mut outcome = replay(journeys, Arc::new(connector), options, sink).await;
    if !has_outbox {
        for trace in &mut outcome.traces {
            forget_outbox(trace);
        }
        notes.push(NO_OUTBOX.to_string());
    }
    outcome
}

/// Without an outbox, no promise can be judged: the reads are dropped before detection.
fn forget_outbox(trace: &mut Trace) {
    trace.outbox_reads.clear();
}

/// How `replay_detect` treats each trace.
#[derive(Debug, Clone, Copy)]
struct Plan {
    /// Whether the connector reads an outbox (else `forget_outbox`).
    outbox: bool,
    /// Whether each trace is kept as a JSON line (`--trace`).
    keep_traces: bool,
}

/// What `seam run` keeps of a replay: no trace, unless asked for as JSON lines.
struct Replayed {
    summary: RunSummary,
    /// Per journey, in run order.
    stats: Vec<JourneyStats>,
    /// Every finding (`detect_run`'s, in its order).
    findings: Vec<Finding>,
    /// With `--trace`: each journey's trace as one JSON line, in run order.
    traces: Option<Vec<Result<Vec<u8>, String>>>,
}

/// What the report says of one journey's replay.
#[derive(Debug, Clone, Copy, Default)]
struct JourneyStats {
    touchpoints: u64,
    faults: u64,
    elapsed_ms: u64,
}

/// Replay `journeys` and detect as each journey finishes: its trace is read by the
/// detectors (`RunDetector`), counted, kept as a JSON line with `--trace`, then dropped,
/// so memory follows the findings and `--jobs`, not the number of journeys.
async fn replay_detect<C: Connector>(
    journeys: &Arc<Vec<Journey>>,
    sut: Arc<C>,
    options: &RunOptions,
    sink: EventSink,
    plan: Plan,
) -> Replayed {
    let mut detector = RunDetector::new(journeys.iter());
    let mut stats = vec![JourneyStats::default(); journeys.len()];
    let mut traces = plan
        .keep_traces
        .then(|| vec![Ok(Vec::new()); journeys.len()]);
    let summary = run_each(
        Arc::clone(journeys),
        sut,
        options,
        sink,
        |index, mut trace| {
            if !plan.outbox {
                forget_outbox(&mut trace);
            }
            if let Some(slot) = stats.get_mut(index) {
                let turns = trace.steps.iter().flat_map(|s| &s.turns);
                *slot = JourneyStats {
                    touchpoints: turns.clone().count() as u64,
                    faults: turns.filter(|t| t.reply.is_err()).count() as u64,
                    elapsed_ms: trace.elapsed_ms,
                };
            }
            if let Some(slot) = traces.as_mut().and_then(|t| t.get_mut(index)) {
                *slot = serde_json::to_vec(&trace).map_err(|e| e.to_string());
            }
            detector.add(index, trace);
        },
    )
    .await;
    Replayed {
        summary,
        stats,
        findings: detector.finish(),
        traces,
    }
}

/// Before any request: the (channel, intent) pairs the journeys use that the mapping does
/// not route (each such step will be a `sut-error` naming them).
fn warn_unrouted(
    mapping: &crate::sut::mapping::Mapping,
    journeys: &[Journey],
    stderr: &mut dyn Write,
) {
    let used = journeys
        .iter()
        .flat_map(|j| j.steps.iter())
        .map(|s| (s.channel.as_str(), s.intent.as_str()));
    for (channel, intent) in mapping.unrouted(used) {
        let _ = writeln!(
            stderr,
            "warning: the mapping has no route for intent `{intent}` on channel `{channel}`; those steps will fail"
        );
    }
}

/// The note of a run whose mapping reads no outbox.
pub const NO_OUTBOX: &str = "promises unchecked: the mapping has no outbox";

/// One JSON object per journey trace, one per line (JSON Lines).
fn write_traces(traces: &[Result<Vec<u8>, String>], out: &mut dyn Write) -> std::io::Result<()> {
    for trace in traces {
        out.write_all(
            trace
                .as_ref()
                .map_err(|e| std::io::Error::other(e.clone()))?,
        )?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Starts the embedded reference retailer (on its own runtime) on an ephemeral loopback
/// port with the profile and seam toggles; returns it with its label (`siloed+fix:notifier`).
async fn start_reference(
    profile: &str,
    breaks: &[String],
    fixes: &[String],
) -> Result<(EmbeddedRetailer, String), String> {
    let p = super::serve::resolve_profile(profile, breaks, fixes).map_err(|e| e.to_string())?;
    let label = p.label();
    let server = EmbeddedRetailer::start(ServerConfig::loopback(p)).await?;
    Ok((server, label))
}

/// Deterministic order, whatever `--jobs`: file, journey, step order in the journey, kind,
/// rule, subject, then message and fingerprint.
pub fn order_findings(mut findings: Vec<Finding>, journeys: &[Journey]) -> Vec<Finding> {
    let positions: HashMap<(&str, &str, &str), usize> = journeys
        .iter()
        .flat_map(|j| {
            j.steps
                .iter()
                .enumerate()
                .map(move |(i, s)| ((j.file.as_str(), j.name.as_str(), s.id.as_str()), i))
        })
        .collect();
    let position = |f: &Finding| {
        positions
            .get(&(&*f.file, &*f.journey, &*f.step))
            .copied()
            .unwrap_or(usize::MAX)
    };
    findings.sort_by(|a, b| {
        (&*a.file, &*a.journey, position(a), a.kind, &*a.rule)
            .cmp(&(&*b.file, &*b.journey, position(b), b.kind, &*b.rule))
            .then_with(|| a.subject.cmp(&b.subject))
            .then_with(|| a.message.cmp(&b.message))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    findings
}

fn build_report(
    journeys: &[Journey],
    stats: &[JourneyStats],
    summary: &RunSummary,
    target: String,
    args: &RunArgs,
    findings: Vec<Finding>,
    baselined: usize,
) -> RunReport {
    let journeys = journeys
        .iter()
        .zip(stats)
        .map(|(j, s)| JourneyReport {
            name: j.name.clone(),
            file: j.file.clone(),
            tags: j.tags.clone(),
            steps: j.steps.len(),
            touchpoints: s.touchpoints,
            faults: s.faults,
            elapsed_ms: s.elapsed_ms,
        })
        .collect();
    RunReport {
        schema: REPORT_SCHEMA,
        target,
        fail_on: args.fail_on,
        journeys,
        findings,
        baselined,
        touchpoints: summary.touchpoints,
        elapsed_ms: summary.elapsed_ms,
        notes: Vec::new(),
    }
}

/// Write a file through `render`, creating its folder.
fn write_file(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    render(&mut out)?;
    out.flush()
}

fn random_run_id() -> String {
    format!("r-{:08x}", rand::random::<u32>())
}
