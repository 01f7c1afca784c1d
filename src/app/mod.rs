//! One entry point per command; `main.rs` parses arguments and calls these.
//! Each returns an exit code (`exit`), or an error whose kind maps to one.

pub mod catalogue;
pub mod client_args;
pub mod config;
pub mod exit;
pub mod mapped;
pub mod run;
pub mod run_args;
pub mod run_outputs;
pub mod runtimes;
pub mod schema;
pub mod serve;
pub mod signals;
pub mod size;
pub mod validate;
pub mod validate_args;
pub mod vocabulary;
