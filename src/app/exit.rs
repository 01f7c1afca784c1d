//! Process exit codes, in one place: the table `seam --help` prints under `Exit codes:`
//! (and the README and docs/reports.md repeat), the order in which they win when several
//! apply, and the mapping of error kinds and run outcomes to codes.

use crate::run::{ErrorKind, RunOutcome};

/// Clean run.
pub const OK: i32 = 0;
/// Findings at or above the fail-on severity.
pub const FINDINGS: i32 = 1;
/// Bad scenario, bad arguments or configuration.
pub const USAGE: i32 = 2;
/// The run is incomplete (not allowed), replayed nothing, the SUT answered nothing, or its certificate is not trusted.
pub const INCOMPLETE: i32 = 3;
/// The SUT answered no touchpoint at all (one of the cases of `INCOMPLETE`).
pub const SUT_DOWN: i32 = INCOMPLETE;
/// A report, trace or baseline file could not be written.
pub const WRITE: i32 = 4;
/// Stopped by SIGINT (Ctrl-C): 128 + 2.
pub const INTERRUPTED: i32 = 130;
/// Stopped by SIGTERM: 128 + 15.
pub const TERMINATED: i32 = 143;

/// Every code with what it means, in numeric order.
pub const TABLE: [(i32, &str); 7] = [
    (OK, "clean: no finding at or above --fail-on"),
    (FINDINGS, "findings at or above --fail-on (default minor)"),
    (USAGE, "bad scenario, mapping, arguments or configuration"),
    (
        INCOMPLETE,
        "incomplete: the deadline left steps unsent (unless --allow-incomplete), nothing was replayed, the SUT answered no touchpoint at all, or its TLS certificate is not trusted",
    ),
    (
        WRITE,
        "a report, trace or baseline file could not be written",
    ),
    (
        INTERRUPTED,
        "interrupted by SIGINT (Ctrl-C); every report was written",
    ),
    (
        TERMINATED,
        "interrupted by SIGTERM; every report was written",
    ),
];

/// When several codes apply, the first of this list wins.
pub const PRECEDENCE: [i32; 7] = [
    INTERRUPTED,
    TERMINATED,
    WRITE,
    INCOMPLETE,
    USAGE,
    FINDINGS,
    OK,
];

/// The code of an error of `kind`.
pub fn code(kind: ErrorKind) -> i32 {
    match kind {
        ErrorKind::Usage => USAGE,
        ErrorKind::SutDown => SUT_DOWN,
        ErrorKind::Write => WRITE,
    }
}

/// The code that wins among `codes` (`PRECEDENCE`); `OK` when there is none.
pub fn first_of(codes: &[i32]) -> i32 {
    PRECEDENCE
        .into_iter()
        .find(|c| codes.contains(c))
        .unwrap_or(OK)
}

/// The code of a finished run, stopped by a signal (its code) or not: of everything that applies
/// (the signal; a file not written; incomplete, nothing replayed or the SUT down;
/// findings), the first in `PRECEDENCE`.
pub fn of_outcome(outcome: &RunOutcome, signal: Option<i32>) -> i32 {
    let mut codes: Vec<i32> = signal.into_iter().collect();
    codes.extend(outcome.errors.iter().map(|e| code(e.kind())));
    if outcome.sut_down || outcome.report.unfinished() {
        codes.push(INCOMPLETE);
    }
    if outcome.report.failed() {
        codes.push(FINDINGS);
    }
    first_of(&codes)
}

/// The `Exit codes:` section of `seam --help`.
pub fn help() -> String {
    let mut out = String::from("Exit codes:\n");
    for (code, meaning) in TABLE {
        out.push_str(&format!("  {code:>3}  {meaning}\n"));
    }
    let order: Vec<String> = PRECEDENCE.iter().map(i32::to_string).collect();
    out.push_str(&format!(
        "When several apply, the first of {} wins.\n",
        order.join(", ")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;
    use crate::run::Error;

    fn outcome() -> RunOutcome {
        let mut report = sample::report();
        report.findings.clear();
        RunOutcome {
            report,
            sut_down: false,
            errors: Vec::new(),
        }
    }

    #[test]
    fn every_code_is_in_the_table_once_in_order() {
        let codes: Vec<i32> = TABLE.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, vec![0, 1, 2, 3, 4, 130, 143]);
        let mut ranked = PRECEDENCE.to_vec();
        ranked.sort_unstable();
        assert_eq!(ranked, codes, "every code has its rank");
        assert!(help().starts_with("Exit codes:\n    0  clean"));
        assert!(help().ends_with("the first of 130, 143, 4, 3, 2, 1, 0 wins.\n"));
        assert_eq!(code(ErrorKind::Write), WRITE);
    }

    #[test]
    fn the_readme_and_the_reports_doc_list_every_code_and_the_order() {
        for doc in [
            include_str!("../../README.md"),
            include_str!("../../docs/reports.md"),
        ] {
            for (code, _) in TABLE {
                assert!(doc.contains(&format!("\n| {code} | ")), "{code}");
            }
            assert!(doc.contains("130/143, 4, 3, 2, 1, 0"));
        }
    }

    #[test]
    fn the_first_that_applies_wins() {
        assert_eq!(first_of(&[FINDINGS, INCOMPLETE, WRITE]), WRITE);
        assert_eq!(first_of(&[FINDINGS, USAGE]), USAGE);
        assert_eq!(first_of(&[]), OK);

        let mut o = outcome();
        assert_eq!(of_outcome(&o, None), OK);
        o.report.findings = sample::report().findings;
        assert_eq!(of_outcome(&o, None), FINDINGS);
        o.report.incomplete = true;
        assert_eq!(of_outcome(&o, None), INCOMPLETE);
        o.report.allow_incomplete = true;
        assert_eq!(of_outcome(&o, None), FINDINGS, "judged by its findings");
        o.errors.push(Error::Write {
            what: "json report".into(),
            path: "r.json".into(),
            source: std::io::Error::other("disk full"),
        });
        assert_eq!(of_outcome(&o, None), WRITE);
        assert_eq!(of_outcome(&o, Some(TERMINATED)), TERMINATED);
        assert_eq!(of_outcome(&o, Some(INTERRUPTED)), INTERRUPTED);
    }

    #[test]
    fn a_run_that_replayed_nothing_never_passes() {
        let mut o = outcome();
        o.report.touchpoints = 0;
        o.report.incomplete = true;
        o.report.allow_incomplete = true;
        assert_eq!(of_outcome(&o, None), INCOMPLETE);
    }
}
