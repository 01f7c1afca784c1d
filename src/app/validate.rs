//! `seam validate`: loads every scenario under the paths and the project config
//! (`seam.yaml`, `--config`), prints every problem with `file:line:col`, a caret and a
//! hint (stderr), then `ok: ...` (stdout) when clean.

use std::io::Write;

use super::exit;
pub use super::validate_args::{SutArgs, ValidateArgs, Warning};
use crate::scenario::diagnostic::render;
use crate::scenario::{LoadOptions, load_with};

/// Runs the command; exit 2 when any file has an error, 0 otherwise (warnings alone pass).
pub fn run(args: &ValidateArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let vocabulary = match super::vocabulary::for_validate(args, stderr) {
        Ok(v) => v,
        Err(e) => {
            let _ = writeln!(stderr, "error: {e}");
            return exit::code(e.kind());
        }
    };
    let options = LoadOptions {
        max_file_bytes: args.max_file_size,
    };
    let config = args.config.path();
    let checked = config.as_deref().map(crate::config::load);
    let mut loaded = load_with(&args.paths, &vocabulary, options);
    if let Some(Err(failure)) = checked {
        // The project's problems first, then the scenarios' (each file's in its order).
        let mut diagnostics = failure.diagnostics;
        diagnostics.append(&mut loaded.diagnostics);
        loaded.diagnostics = diagnostics;
        loaded.sources.extend(failure.sources);
    }
    if !loaded.diagnostics.is_empty() {
        // A closed pipe is no reason to panic or to change the verdict.
        let _ = render(&loaded.diagnostics, &loaded.sources, stderr);
    }
    if loaded.has_errors() {
        return exit::USAGE;
    }
    let config = match config {
        Some(path) => format!("; config: {}", path.display()),
        None => String::new(),
    };
    let _ = writeln!(stdout, "ok: {}{config}", summary(&loaded));
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
