//! `Walk`: the scenario files under the given paths. Folders are walked in path order,
//! `personas/`, `fragments/`, dot-folders and the project config (`seam.yaml`) skipped;
//! each folder is entered once (a set of visited canonical paths), so a symlink loop is
//! reported once and not followed; a folder that cannot be read is an error.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::diagnostic::Diagnostic;
use super::yaml::Span;

/// Folders nested deeper than this under a given path are reported, not entered.
const MAX_DEPTH: usize = 256;

/// The files found, each once (by canonical path), and the problems met.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub problems: Vec<Diagnostic>,
    /// Canonical paths of the folders entered and files kept.
    visited: HashSet<PathBuf>,
    /// Canonical folders a loop was reported for.
    loops: HashSet<PathBuf>,
}

impl Walk {
    /// Adds what `path` stands for: a file, or the scenario files of a folder.
    pub fn add(&mut self, path: &Path) {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let (files, problems) = (self.files.len(), self.problems.len());
                let Some(canonical) = self.canonical(path) else {
                    return;
                };
                if self.visited.insert(canonical.clone()) {
                    self.folder(path, &mut vec![canonical], 0);
                }
                let failed = self.problems[problems..].iter().any(Diagnostic::is_error);
                if self.files.len() == files && !failed {
                    self.problems.push(
                        whole(path, "no scenario files here")
                            .with_hint("scenario files end in .yaml or .yml"),
                    );
                }
            }
            // A FIFO or a device is kept: reading it reports what it is.
            Ok(_) => self.file(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => self.problems.push(
                whole(path, "no such file or directory")
                    .with_hint("give scenario files or folders that hold them"),
            ),
            Err(e) => self.problems.push(
                whole(path, format!("cannot read: {e}"))
                    .with_hint("check the path and its permissions"),
            ),
        }
    }

    fn file(&mut self, path: &Path) {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.visited.insert(key) {
            self.files.push(path.to_path_buf());
        }
    }

    fn canonical(&mut self, path: &Path) -> Option<PathBuf> {
        match std::fs::canonicalize(path) {
            Ok(c) => Some(c),
            Err(e) => {
                self.problems
                    .push(whole(path, format!("cannot read folder: {e}")));
                None
            }
        }
    }

    /// The entries of `dir` in path order; `ancestors` are the canonical folders above it.
    fn folder(&mut self, dir: &Path, ancestors: &mut Vec<PathBuf>, depth: usize) {
        if depth > MAX_DEPTH {
            self.problems.push(
                whole(
                    dir,
                    format!("folders nested deeper than {MAX_DEPTH} levels"),
                )
                .with_hint("this folder and those below it were not searched"),
            );
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.problems.push(
                    whole(dir, format!("cannot read folder: {e}"))
                        .with_hint("its scenario files were not checked; check its permissions"),
                );
                return;
            }
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => paths.push(entry.path()),
                Err(e) => self
                    .problems
                    .push(whole(dir, format!("cannot read folder: {e}"))),
            }
        }
        paths.sort();
        for path in paths {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            // The project config lives beside scenarios but is none.
            let yaml = (name.ends_with(".yaml") || name.ends_with(".yml"))
                && name != crate::config::FILE_NAME;
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => {
                    if matches!(name, "personas" | "fragments") || name.starts_with('.') {
                        continue;
                    }
                    let Some(canonical) = self.canonical(&path) else {
                        continue;
                    };
                    if ancestors.contains(&canonical) {
                        if self.loops.insert(canonical.clone()) {
                            self.problems.push(
                                Diagnostic::warning(
                                    &path.display().to_string(),
                                    Span::default(),
                                    "symlink loop: this folder leads back to a folder above it",
                                )
                                .with_hint(format!(
                                    "not followed; {} is searched once",
                                    canonical.display()
                                )),
                            );
                        }
                    } else if self.visited.insert(canonical.clone()) {
                        ancestors.push(canonical);
                        self.folder(&path, ancestors, depth + 1);
                        ancestors.pop();
                    }
                }
                Ok(_) if yaml => self.file(&path),
                Ok(_) => {}
                Err(e) if yaml => self
                    .problems
                    .push(whole(&path, format!("cannot read file: {e}"))),
                Err(_) => {}
            }
        }
    }
}

fn whole(path: &Path, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(&path.display().to_string(), Span::default(), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(walk: &Walk, root: &Path) -> Vec<String> {
        walk.files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap_or(f).display().to_string())
            .collect()
    }

    #[test]
    fn files_in_path_order_skipping_personas_fragments_dot_folders_and_the_config() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for folder in ["b", "a", "personas", "fragments", ".git"] {
            std::fs::create_dir(root.join(folder)).expect("mkdir");
            std::fs::write(root.join(folder).join("x.yaml"), "").expect("write");
        }
        std::fs::write(root.join("c.yml"), "").expect("write");
        std::fs::write(root.join("notes.txt"), "").expect("write");
        std::fs::write(root.join("seam.yaml"), "").expect("write");
        std::fs::write(root.join("a").join("seam.yaml"), "").expect("write");
        let mut walk = Walk::default();
        walk.add(root);
        assert_eq!(names(&walk, root), ["a/x.yaml", "b/x.yaml", "c.yml"]);
        assert!(walk.problems.is_empty(), "{:?}", walk.problems);
    }

    #[cfg(unix)]
    #[test]
    fn two_links_to_the_folder_itself_are_one_loop_each_not_followed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(root.join("j.yaml"), "").expect("write");
        std::os::unix::fs::symlink(".", root.join("a")).expect("symlink");
        std::os::unix::fs::symlink(".", root.join("b")).expect("symlink");
        std::os::unix::fs::symlink("j.yaml", root.join("k.yaml")).expect("symlink");
        let mut walk = Walk::default();
        walk.add(root);
        assert_eq!(names(&walk, root), ["j.yaml"]);
        let loops: Vec<&str> = walk.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            loops,
            ["symlink loop: this folder leads back to a folder above it"]
        );
        assert!(!walk.problems[0].is_error());
    }
}
