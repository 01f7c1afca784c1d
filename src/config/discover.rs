//! `find`: the project's `seam.yaml`, looked for in a folder and then in each folder above
//! it; the first found wins. It is named from that folder (`seam.yaml`,
//! `../seam.yaml`), so reports and diagnostics say the same on every machine.

use std::path::{Path, PathBuf};

/// The name of the project config file; folder walks for scenarios skip files so named.
pub const FILE_NAME: &str = "seam.yaml";

/// The nearest `seam.yaml` in `dir` or above it, as a path relative to `dir`; `None` when
/// there is none up to the root.
pub fn find(dir: &Path) -> Option<PathBuf> {
    // Physical folders: `..` from `dir` is what the walk took as its parent.
    let start = std::fs::canonicalize(dir)
        .or_else(|_| std::path::absolute(dir))
        .ok()?;
    let up = start
        .ancestors()
        .position(|folder| folder.join(FILE_NAME).is_file())?;
    let mut named = PathBuf::new();
    for _ in 0..up {
        named.push("..");
    }
    named.push(FILE_NAME);
    Some(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_file_wins_named_from_the_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let deep = root.join("a/b");
        std::fs::create_dir_all(&deep).expect("mkdir");
        std::fs::write(root.join(FILE_NAME), "").expect("write");
        assert_eq!(find(&deep), Some(PathBuf::from("../../seam.yaml")));
        assert!(deep.join("../../seam.yaml").is_file());
        std::fs::write(root.join("a").join(FILE_NAME), "").expect("write");
        assert_eq!(find(&deep), Some(PathBuf::from("../seam.yaml")));
        std::fs::write(deep.join(FILE_NAME), "").expect("write");
        assert_eq!(find(&deep), Some(PathBuf::from("seam.yaml")));
    }

    #[test]
    fn a_folder_named_seam_yaml_is_not_a_config() {
        let dir = tempfile::tempdir().expect("temp dir");
        let inner = dir.path().join("x");
        std::fs::create_dir_all(inner.join(FILE_NAME)).expect("mkdir");
        // Whatever lies above the temp dir, the folder is not taken for a config.
        assert_ne!(find(&inner), Some(PathBuf::from(FILE_NAME)));
    }
}
