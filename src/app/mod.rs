//! One entry point per command; `main.rs` parses arguments and calls these.
//! Each returns an exit code (`exit`), or an error whose kind maps to one.

use std::fmt;

pub mod exit;
pub mod mapped;
pub mod run;
pub mod run_args;
pub mod runtimes;
pub mod schema;
pub mod serve;
pub mod validate;
pub mod vocabulary;

/// A usage or configuration error: printed on stderr, exit code 2.
#[derive(Debug)]
pub struct AppError(pub String);

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AppError {}
