//! `ValidateArgs`: the flags of `seam validate`; `SutArgs`, the system under test whose
//! intent catalogue the journeys are checked against (a separate `clap::Args` struct, to be
//! flattened beside the TLS flags of `seam run` once they exist); `parse_size`.

use std::path::PathBuf;

use clap::{ArgGroup, Args, ValueEnum};

use crate::scenario::load::MAX_FILE_BYTES;

/// `seam validate [PATHS...]`
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Scenario files or directories (searched recursively for .yaml/.yml).
    #[arg(default_value = "scenarios")]
    pub paths: Vec<PathBuf>,
    /// Files larger than this are refused, unread (`512KiB`, `64MiB`, `1GiB` or bytes).
    #[arg(long, value_name = "SIZE", default_value_t = MAX_FILE_BYTES, value_parser = parse_size)]
    pub max_file_size: u64,
    #[command(flatten)]
    pub sut: SutArgs,
    /// Silence one kind of warning; repeatable.
    #[arg(long = "no-warn", value_enum, value_name = "WARNING")]
    pub no_warn: Vec<Warning>,
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

/// `64MiB`, `512KiB`, `1GiB`, `10MB`, or a number of bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let bad = || format!("`{text}`: expected a size such as 512KiB, 64MiB or 1000000");
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(split);
    let unit: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "kb" => 1_000,
        "m" | "mib" => 1 << 20,
        "mb" => 1_000_000,
        "g" | "gib" => 1 << 30,
        "gb" => 1_000_000_000,
        _ => return Err(bad()),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .filter(|n| *n > 0)
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("10MB"), Ok(10_000_000));
        assert_eq!(parse_size("1234"), Ok(1234));
        for bad in ["", "0", "MiB", "1.5MiB", "12 parsecs", "99999999999999GiB"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}
