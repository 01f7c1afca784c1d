//! `walk` and `find_named`: which files a path stands for (directories walked in path
//! order, `personas/` and `fragments/` skipped) and where a persona or fragment lives.

use std::path::{Path, PathBuf};

use super::diagnostic::suggest;

/// Folders deeper than this under a given path are not searched (a symlink loop ends).
const MAX_DEPTH: usize = 32;

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
