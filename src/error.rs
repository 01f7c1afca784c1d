//! `Error`: what stops a command or spoils its output, each with a kind (`ErrorKind`);
//! `app::exit` maps kinds to exit codes, in one place.

use std::path::PathBuf;

/// Kinds of error, each with its exit code (`app::exit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad arguments, scenario, mapping or configuration.
    Usage,
    /// The SUT answered no touchpoint at all, or cannot be trusted.
    SutDown,
    /// A report, trace or baseline file could not be written.
    Write,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("the SUT at {target} answered no touchpoint")]
    SutDown { target: String },
    /// Found before any step: every request would fail alike (an untrusted certificate).
    #[error("{0}")]
    Unreachable(String),
    #[error("cannot write the {what} {}: {source}", path.display())]
    Write {
        /// `json report`, `trace`, `baseline`.
        what: String,
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Usage(_) => ErrorKind::Usage,
            Error::SutDown { .. } | Error::Unreachable(_) => ErrorKind::SutDown,
            Error::Write { .. } => ErrorKind::Write,
        }
    }
}
