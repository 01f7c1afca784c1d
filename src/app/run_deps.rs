//! TEMPORARY STAND-INS for what `seam run` uses from the other branches (scenario loader,
//! reference retailer, detectors, report renderers). Every function here is one seam:
//! once `validate`, `retailer` and `detect` are merged, replace each body by the call
//! noted above it (the lead can drop the stand-in code wholesale).

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use super::run_args::ReportFormat;
use crate::detect::finding::{Evidence, Finding, Kind};
use crate::engine::trace::{StepEnd, Trace};
use crate::report::RunReport;
use crate::scenario::model::Journey;

/// Some scenario file had an error (its diagnostics were printed): exit 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadFailed;

/// Load and validate scenarios; diagnostics go to `stderr`.
///
/// After merge: `let loaded = crate::scenario::load_paths(paths);` then
/// `crate::scenario::diagnostic::render(&loaded.diagnostics, &loaded.sources, loaded.files, stderr)`
/// when there are diagnostics, `Err(LoadFailed)` if `loaded.has_errors()`, else `Ok(loaded.journeys)`.
pub fn load(paths: &[PathBuf], stderr: &mut dyn Write) -> Result<Vec<Journey>, LoadFailed> {
    let _ = paths;
    let _ = writeln!(
        stderr,
        "error: the scenario loader is not in this build yet (stand-in in src/app/run_deps.rs)"
    );
    Err(LoadFailed)
}

/// The embedded reference retailer, running on this runtime.
pub struct Embedded {
    pub addr: SocketAddr,
    /// e.g. `siloed+fix:notifier`.
    pub label: String,
}

/// Start the reference retailer on an ephemeral loopback port.
///
/// After merge: `let mut p = crate::reference::Profile::named(profile)?;` then
/// `p.break_seam(s)?` / `p.fix_seam(s)?` for each, `let label = p.label();`,
/// `crate::reference::start(crate::reference::ServerConfig::loopback(p)).await`, keeping
/// the `RunningServer` to `shutdown()` after the run (errors: `e.to_string()`).
pub async fn start_reference(
    profile: &str,
    breaks: &[String],
    fixes: &[String],
) -> Result<Embedded, String> {
    let _ = (profile, breaks, fixes);
    Err("the reference retailer is not in this build yet; give --target URL".into())
}

/// Stop the embedded retailer. After merge: `server.shutdown().await`.
pub async fn stop_reference(server: Embedded) {
    let _ = server;
}

/// After merge: `crate::detect::detect_journey(journey, trace)`.
/// Stand-in: one `sut-error` finding per step that ended in a fault.
pub fn detect_journey(journey: &Journey, trace: &Trace) -> Vec<Finding> {
    trace
        .steps
        .iter()
        .filter(|s| s.end == StepEnd::Fault)
        .map(|s| {
            let mut f = Finding {
                kind: Kind::SutError,
                severity: Kind::SutError.default_severity(),
                journey: journey.name.clone(),
                file: journey.file.clone(),
                step: s.id.clone(),
                steps: vec![s.id.clone()],
                channels: vec![s.channel.clone()],
                rule: "fault".into(),
                subject: None,
                message: format!("the SUT failed on step `{}`", s.id),
                evidence: vec![Evidence {
                    step: s.id.clone(),
                    channel: s.channel.clone(),
                    at: s.at.clone(),
                    what: "SUT fault".into(),
                    quote: s
                        .turns
                        .last()
                        .and_then(|t| t.reply.as_ref().err())
                        .and_then(|e| serde_json::to_string(e).ok())
                        .unwrap_or_default(),
                }],
                fingerprint: String::new(),
            };
            f.fingerprint = f.compute_fingerprint();
            f
        })
        .collect()
}

/// After merge: `crate::detect::detect_run(pairs)`.
pub fn detect_run(pairs: &[(&Journey, &Trace)]) -> Vec<Finding> {
    let _ = pairs;
    Vec::new()
}

/// Render one report file. After merge: the `report::{json,junit,text}` renderers.
pub fn write_report(
    format: ReportFormat,
    report: &RunReport,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::other)?;
            writeln!(out)
        }
        ReportFormat::Junit => {
            writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
            writeln!(
                out,
                r#"<testsuites name="seam" tests="{}" failures="{}"/>"#,
                report.journeys.len(),
                report.findings.len()
            )
        }
        ReportFormat::Text => write_summary(report, out),
    }
}

/// The terminal summary. After merge: the detect branch's terminal/text renderer.
pub fn write_summary(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        writeln!(
            out,
            "{} {} {}:{} {}",
            f.severity, f.kind, f.journey, f.step, f.message
        )?;
    }
    writeln!(
        out,
        "{} journeys, {} touchpoints, {} findings ({} baselined) against {}",
        report.journeys.len(),
        report.touchpoints,
        report.findings.len(),
        report.baselined,
        report.target
    )
}
