//! `ValidateArgs`: the flags of `seam validate` (the project config's among them);
//! `SutArgs`, the system under test whose intent catalogue the journeys are checked
//! against, reached with the TLS flags of `seam run` (`ClientArgs`).

use std::path::PathBuf;

use clap::{ArgGroup, Args, ValueEnum};

use super::client_args::ClientArgs;
use super::config::ConfigArgs;
use super::size::parse_bytes;
use crate::scenario::load::MAX_FILE_BYTES;

/// `seam validate [PATHS...]`
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Scenario files or directories (searched recursively for .yaml/.yml).
    #[arg(default_value = "scenarios")]
    pub paths: Vec<PathBuf>,
    /// Files larger than this are refused, unread (`512KiB`, `64MiB`, `1GiB` or bytes).
    #[arg(long, value_name = "SIZE", default_value_t = MAX_FILE_BYTES, value_parser = parse_bytes)]
    pub max_file_size: u64,
    #[command(flatten)]
    pub sut: SutArgs,
    /// How `--target` is reached over TLS.
    #[command(flatten)]
    pub client: ClientArgs,
    /// Silence one kind of warning; repeatable.
    #[arg(long = "no-warn", value_enum, value_name = "WARNING")]
    pub no_warn: Vec<Warning>,
    /// The project config checked with the scenarios.
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Whose intent catalogue unknown intents are checked against [default: the reference
/// retailer's].
#[derive(Debug, Clone, Default, Args)]
#[command(group = ArgGroup::new("catalogue").multiple(false))]
pub struct SutArgs {
    /// A SUT speaking the touchpoint protocol: its `GET /intents` catalogue.
    #[arg(long, value_name = "URL", group = "catalogue")]
    pub target: Option<String>,
    /// A mapping file (docs/mappings.md): the intents its routes serve.
    #[arg(long, value_name = "FILE", group = "catalogue")]
    pub mapping: Option<PathBuf>,
    /// A file listing the SUT's intents, one a line (`#` comments; a YAML list works too).
    #[arg(long, value_name = "FILE", group = "catalogue")]
    pub intents: Option<PathBuf>,
}

/// The warnings `--no-warn` can silence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Warning {
    /// An intent the catalogue does not know.
    UnknownIntent,
}
