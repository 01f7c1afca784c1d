//! `find_named`: where the persona or fragment a scenario names lives (the nearest
//! `personas/` or `fragments/` folder, from the scenario's own folder upwards).

use std::path::{Path, PathBuf};

use super::diagnostic::suggest;

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
