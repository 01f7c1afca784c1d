//! `seam schema`: prints the JSON Schema of the scenario format (for editors through
//! yaml-language-server, and for any JSON Schema validator).

use std::io::Write;

use super::exit;
use crate::scenario::schema::scenario_schema;

pub fn run(stdout: &mut dyn Write) -> i32 {
    run_for(false, stdout)
}

/// `seam schema [--mapping]`: the scenario schema, or the mapping schema.
pub fn run_for(mapping: bool, stdout: &mut dyn Write) -> i32 {
    let schema = if mapping {
        crate::sut::mapping::mapping_schema().clone()
    } else {
        scenario_schema()
    };
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    match writeln!(stdout, "{text}") {
        Ok(()) => exit::OK,
        Err(_) => exit::USAGE,
    }
}
