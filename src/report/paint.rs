//! `Paint`: plain text, or ANSI colours and weights for a terminal (bold, dim, the verdict
//! and each severity), for every text report.

use crate::rules::finding::Severity;
use crate::run::Verdict;

/// How to highlight: plain text, or ANSI colours (the terminal decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paint {
    pub color: bool,
}

impl Paint {
    pub const PLAIN: Paint = Paint { color: false };

    fn wrap(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }

    pub fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }

    /// `PASSED` in green, `FAILED`, `INCOMPLETE` or `INTERRUPTED` in red.
    pub fn verdict(self, verdict: Verdict) -> String {
        match verdict {
            Verdict::Passed => self.wrap("1;32", verdict.as_str()),
            _ => self.wrap("1;31", verdict.as_str()),
        }
    }

    /// `[major]`, coloured by severity.
    pub fn severity(self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;35",
            Severity::Major => "1;31",
            Severity::Minor => "33",
            Severity::Info => "36",
        };
        self.wrap(code, &format!("[{s}]"))
    }
}
