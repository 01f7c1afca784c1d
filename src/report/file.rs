//! `create`: a report file, its folder made first, opened before the run so that a path
//! that cannot be written stops nothing and is known early; and the `Error` that names it.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::run::Error;

/// An open report file and what it is, for messages.
pub struct ReportFile {
    pub out: BufWriter<File>,
    what: String,
    path: PathBuf,
}

impl ReportFile {
    /// Create (or truncate) `path`, making its folder; `what` names it in errors.
    pub fn create(what: &str, path: &Path) -> Result<ReportFile, Error> {
        let open = || -> std::io::Result<File> {
            if let Some(dir) = path.parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir)?;
            }
            File::create(path)
        };
        match open() {
            Ok(file) => Ok(ReportFile {
                out: BufWriter::new(file),
                what: what.to_string(),
                path: path.to_path_buf(),
            }),
            Err(source) => Err(Error::Write {
                what: what.to_string(),
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// The error of writing this file.
    pub fn error(&self, source: std::io::Error) -> Error {
        Error::Write {
            what: self.what.clone(),
            path: self.path.clone(),
            source,
        }
    }
}
