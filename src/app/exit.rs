//! Process exit codes, in one place: the table `seam --help` prints under `Exit codes:`
//! (and the README and docs/reports.md repeat), and the mapping of error kinds and run
//! outcomes to codes.

use crate::run::{ErrorKind, RunOutcome};

/// Clean run.
pub const OK: i32 = 0;
/// Findings at or above the fail-on severity.
pub const FINDINGS: i32 = 1;
/// Bad scenario, bad arguments or configuration.
pub const USAGE: i32 = 2;
/// The SUT answered no touchpoint at all, or its certificate is not trusted.
pub const SUT_DOWN: i32 = 3;
/// A report, trace or baseline file could not be written.
pub const WRITE: i32 = 4;

/// Every code with what it means, in order.
pub const TABLE: [(i32, &str); 5] = [
    (OK, "clean: no finding at or above --fail-on"),
    (FINDINGS, "findings at or above --fail-on (default minor)"),
    (USAGE, "bad scenario, mapping, arguments or configuration"),
    (
        SUT_DOWN,
        "the SUT answered no touchpoint at all, or its TLS certificate is not trusted",
    ),
    (
        WRITE,
        "a report, trace or baseline file could not be written",
    ),
];

/// The code of an error of `kind`.
pub fn code(kind: ErrorKind) -> i32 {
    match kind {
        ErrorKind::Usage => USAGE,
        ErrorKind::SutDown => SUT_DOWN,
        ErrorKind::Write => WRITE,
    }
}

/// The code of a finished run: the SUT answered nothing (3), else a file could not be
/// written (4), else findings (1) or clean (0).
pub fn of_outcome(outcome: &RunOutcome) -> i32 {
    if outcome.sut_down {
        SUT_DOWN
    } else if let Some(e) = outcome.errors.first() {
        code(e.kind())
    } else if outcome.report.failed() {
        FINDINGS
    } else {
        OK
    }
}

/// The `Exit codes:` section of `seam --help`.
pub fn help() -> String {
    let mut out = String::from("Exit codes:\n");
    for (code, meaning) in TABLE {
        out.push_str(&format!("  {code}  {meaning}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_in_the_table_once_in_order() {
        let codes: Vec<i32> = TABLE.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, vec![0, 1, 2, 3, 4]);
        assert!(help().starts_with("Exit codes:\n  0  clean"));
        assert_eq!(code(ErrorKind::Write), WRITE);
    }
}
