//! `seam validate`: loads every scenario under the paths and prints every problem with
//! `file:line:col`, a caret and a hint (stderr), then `ok: ...` (stdout) when clean.

use std::io::Write;
use std::path::PathBuf;

use super::exit;
use super::vocabulary::default_vocabulary;
use crate::scenario::diagnostic::render;
use crate::scenario::load_paths;

/// Runs the command; exit 2 when any file has an error, 0 otherwise (warnings alone pass).
pub fn run(paths: &[PathBuf], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let loaded = load_paths(paths, &default_vocabulary());
    if !loaded.diagnostics.is_empty() {
        // A closed pipe is no reason to panic or to change the verdict.
        let _ = render(&loaded.diagnostics, &loaded.sources, stderr);
    }
    if loaded.has_errors() {
        return exit::USAGE;
    }
    let journeys = loaded.journeys.len();
    let _ = writeln!(
        stdout,
        "ok: {journeys} {} in {} {}",
        if journeys == 1 { "journey" } else { "journeys" },
        loaded.files,
        if loaded.files == 1 { "file" } else { "files" }
    );
    exit::OK
}
