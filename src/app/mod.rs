//! One entry point per command; `main.rs` parses arguments and calls these.
//! Each returns an `ExitCode`-like integer or an `AppError` that maps to exit code 2.

use std::fmt;

pub mod baseline;
pub mod progress;
pub mod run;
pub mod run_args;
pub mod runtimes;
pub mod schema;
pub mod serve;
pub mod validate;
pub mod vocabulary;

/// Process exit codes, in one place.
pub mod exit {
    /// Clean run.
    pub const OK: i32 = 0;
    /// Findings at or above the fail-on severity.
    pub const FINDINGS: i32 = 1;
    /// Bad scenario, bad arguments or configuration.
    pub const USAGE: i32 = 2;
    /// The SUT answered no touchpoint at all.
    pub const SUT_DOWN: i32 = 3;
}

/// A usage or configuration error: printed on stderr, exit code 2.
#[derive(Debug)]
pub struct AppError(pub String);

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AppError {}
