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
    let _ = writeln!(stdout, "ok: {}", summary(&loaded));
    exit::OK
}

/// `13 journeys in 13 scenario files (6 personas, 1 fragment)`: each kind of file apart.
fn summary(loaded: &crate::scenario::Loaded) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut used = Vec::new();
    if loaded.personas > 0 {
        used.push(count(loaded.personas, "persona", "personas"));
    }
    if loaded.fragments > 0 {
        used.push(count(loaded.fragments, "fragment", "fragments"));
    }
    let used = match used.is_empty() {
        true => String::new(),
        false => format!(" ({})", used.join(", ")),
    };
    format!(
        "{} in {}{used}",
        count(loaded.journeys.len(), "journey", "journeys"),
        count(loaded.scenario_files, "scenario file", "scenario files"),
    )
}
