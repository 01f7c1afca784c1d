//! TEMPORARY STAND-INS for what `seam run` uses from the other branches (scenario loader,
//! reference retailer, detectors, report renderers). Every function here is one seam:
//! once `validate`, `retailer` and `detect` are merged, replace each body by the call
//! noted above it (the lead can drop the stand-in code wholesale).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

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
