//! `seam schema`: prints the JSON Schema of the scenario format (for editors through
//! yaml-language-server, and for any JSON Schema validator).

use std::io::Write;

use super::exit;
use crate::scenario::schema::scenario_schema;

pub fn run(stdout: &mut dyn Write) -> i32 {
    let text = serde_json::to_string_pretty(&scenario_schema()).unwrap_or_default();
    match writeln!(stdout, "{text}") {
        Ok(()) => exit::OK,
        Err(_) => exit::USAGE,
    }
}
