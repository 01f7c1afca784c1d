//! `seam schema`: prints the JSON Schema of the scenario format, of mapping files or of
//! the project config (for editors through yaml-language-server, and for any JSON Schema
//! validator).

use std::io::Write;

use super::exit;
use crate::scenario::schema::scenario_schema;

/// The formats `seam schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Scenario,
    /// HTTP mapping files (docs/mappings.md).
    Mapping,
    /// `seam.yaml` (docs/config.md).
    Config,
}

pub fn run(stdout: &mut dyn Write) -> i32 {
    run_of(Format::Scenario, stdout)
}

/// `seam schema [--mapping]`: the scenario schema, or the mapping schema.
pub fn run_for(mapping: bool, stdout: &mut dyn Write) -> i32 {
    let format = if mapping {
        Format::Mapping
    } else {
        Format::Scenario
    };
    run_of(format, stdout)
}

/// `seam schema [--mapping | --config]`: the schema of `format`.
pub fn run_of(format: Format, stdout: &mut dyn Write) -> i32 {
    let schema = match format {
        Format::Scenario => scenario_schema(),
        Format::Mapping => crate::sut::mapping::mapping_schema().clone(),
        Format::Config => crate::config::config_schema().clone(),
    };
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    match writeln!(stdout, "{text}") {
        Ok(()) => exit::OK,
        Err(_) => exit::USAGE,
    }
}
