//! TEMPORARY STAND-INS for what `seam run` uses from the other branches (scenario loader,
//! reference retailer, detectors, report renderers). Every function here is one seam:
//! once `validate`, `retailer` and `detect` are merged, replace each body by the call
//! noted above it (the lead can drop the stand-in code wholesale).

use std::io::Write;
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
