//! The JSON report (`--report json=PATH`): `RunReport` serialised as is, pretty-printed.
//! Its schema is documented in docs/reports.md; `schema` is bumped on incompatible change.

use std::io::{self, Write};

use crate::report::RunReport;

/// The `schema` value this version writes.
pub const SCHEMA_VERSION: u32 = 1;

pub fn write(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn round_trips() {
        let report = sample::report();
        let mut out = Vec::new();
        write(&report, &mut out).expect("write");
        let back: RunReport = serde_json::from_slice(&out).expect("parses");
        assert_eq!(back, report);
    }
}
