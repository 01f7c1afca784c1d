//! `walk`, `find_named` and `read_text`: which files a path stands for (directories walked
//! in path order, `personas/` and `fragments/` skipped), where a persona or fragment lives,
//! and a file's text or why it cannot be read.

use std::path::{Path, PathBuf};

use super::diagnostic::{Diagnostic, suggest};
use super::yaml::Span;

/// Folders deeper than this under a given path are not searched (a symlink loop ends).
const MAX_DEPTH: usize = 32;

/// Files larger than this are refused rather than parsed.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Recursively collects `*.yaml`/`*.yml` files, sorted by path.
pub fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    walk_at(dir, out, 0);
}

fn walk_at(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            if !matches!(name, "personas" | "fragments") && !name.starts_with('.') {
                walk_at(&path, out, depth + 1);
            }
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push(path);
        }
    }
}

pub fn display(path: &Path) -> String {
    path.display().to_string()
}

/// `FOLDER/NAME.yaml` in the nearest ancestor of `scenario` that has `FOLDER/`.
pub fn find_named(
    scenario: &Path,
    folder: &str,
    name: &str,
) -> Result<PathBuf, (String, Option<String>)> {
    let kind = folder.trim_end_matches('s');
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err((
            format!("invalid {kind} name `{name}`"),
            Some(format!("name a file of `{folder}/` without its extension")),
        ));
    }
    let Some(dir) = scenario
        .ancestors()
        .skip(1)
        .map(|a| a.join(folder))
        .find(|d| d.is_dir())
    else {
        return Err((
            format!("unknown {kind} `{name}`: no `{folder}/` folder next to or above this file"),
            None,
        ));
    };
    for ext in ["yaml", "yml"] {
        let path = dir.join(format!("{name}.{ext}"));
        if path.is_file() {
            return Ok(path);
        }
    }
    let mut known: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let p = e.path();
            let ext = p.extension().and_then(|x| x.to_str())?;
            matches!(ext, "yaml" | "yml").then(|| p.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    known.sort();
    let hint = match suggest(name, known.iter().map(String::as_str)) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if known.is_empty() => None,
        None => Some(format!("known in {}: {}", display(&dir), known.join(", "))),
    };
    Err((
        format!("unknown {kind} `{name}` (no {}/{name}.yaml)", display(&dir)),
        hint,
    ))
}

/// Why a file cannot be read, and the text to quote if there is one (lossy, when the file
/// is not UTF-8).
pub struct Unreadable {
    pub problem: Diagnostic,
    pub text: Option<String>,
}

/// The UTF-8 text of `path` (named `name` in diagnostics), or why it cannot be read.
pub fn read_text(path: &Path, name: &str) -> Result<String, Box<Unreadable>> {
    let fail = |message: String| {
        let problem = Diagnostic::error(name, Span::default(), message);
        Box::new(Unreadable {
            problem,
            text: None,
        })
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            return Err(fail(format!(
                "file is larger than {} MiB",
                MAX_FILE_BYTES / 1024 / 1024
            )));
        }
        Ok(_) => {}
        Err(e) => return Err(fail(format!("cannot read file: {e}"))),
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let before = String::from_utf8_lossy(valid);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let span = Span { line, col, len: 1 };
        let problem = Diagnostic::error(name, span, "file is not valid UTF-8")
            .with_hint("save the file as UTF-8");
        let text = Some(String::from_utf8_lossy(e.as_bytes()).into_owned());
        Box::new(Unreadable { problem, text })
    })
}
