//! `Diagnostic`: one problem in a scenario file at `file:line:col`, and `render`, which
//! prints diagnostics rustc/Hurl-style (the offending line, a caret, a hint) and a summary.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::yaml::Span;

/// Errors fail `seam validate` (exit 2); warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Error,
    Warning,
}

/// One problem, placed in its file. `line` and `col` are 1-based (0 when the problem
/// concerns the whole file, e.g. it cannot be read).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub severity: Level,
    pub file: String,
    pub line: usize,
    pub col: usize,
    /// Width of the caret underline, in characters.
    pub len: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Level::Error,
            file: file.to_string(),
            line: span.line,
            col: span.col,
            len: span.len.max(1),
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(file: &str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Level::Warning,
            ..Diagnostic::error(file, span, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds `did you mean ...?` when `found` is close to one of `candidates`.
    pub fn did_you_mean<'a>(
        self,
        found: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        match suggest(found, candidates) {
            Some(best) => self.with_hint(format!("did you mean `{best}`?")),
            None => self,
        }
    }

    /// Sets the hint unless one is set already.
    pub fn with_hint_if_none(self, hint: impl Into<String>) -> Self {
        if self.hint.is_some() {
            self
        } else {
            self.with_hint(hint)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Level::Error
    }
}

/// The closest candidate to `found`, if close enough to be a likely typo.
pub fn suggest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(found, candidate);
        let close = score >= 0.8 || strsim::damerau_levenshtein(found, candidate) <= 1;
        if close && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Source texts by file name, to quote the offending lines.
pub type Sources = BTreeMap<String, String>;

/// Prints every diagnostic, then a summary line (`2 errors, 1 warning in 14 files`);
/// the file count is the number of `sources` (every file read, even unreadable ones).
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    out: &mut dyn Write,
) -> io::Result<()> {
    for diagnostic in diagnostics {
        render_one(diagnostic, sources, out)?;
    }
    writeln!(out, "{}", summary(diagnostics, sources.len()))
}

/// `2 errors, 1 warning in 14 files`.
pub fn summary(diagnostics: &[Diagnostic], files: usize) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn render_one(d: &Diagnostic, sources: &Sources, out: &mut dyn Write) -> io::Result<()> {
    let level = match d.severity {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    writeln!(out, "{level}: {}", d.message)?;
    let line_text = (d.line > 0)
        .then(|| sources.get(&d.file))
        .flatten()
        .and_then(|text| text.lines().nth(d.line - 1));
    let number = d.line.to_string();
    let pad = " ".repeat(number.len() + 1);
    if d.line == 0 {
        writeln!(out, "{pad}--> {}", d.file)?;
    } else {
        writeln!(out, "{pad}--> {}:{}:{}", d.file, d.line, d.col)?;
    }
    if let Some(text) = line_text {
        let text = text.trim_end_matches('\r');
        writeln!(out, " {number} | {}", printable(text))?;
        let width = text.chars().count();
        let start = d.col.saturating_sub(1).min(width);
        let len = d.len.min(width.saturating_sub(start)).max(1);
        writeln!(out, "{pad} | {}{}", " ".repeat(start), "^".repeat(len))?;
    }
    if let Some(hint) = &d.hint {
        writeln!(out, "{pad} = hint: {hint}")?;
    }
    writeln!(out)
}

/// Tabs and control characters would shift the caret: show them as one space each.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_col_caret_and_hint() {
        let mut sources = Sources::new();
        sources.insert("x.yaml".into(), "nmae: foo\nclock: {}\n".into());
        let span = Span {
            line: 1,
            col: 1,
            len: 4,
        };
        let d = Diagnostic::error("x.yaml", span, "unknown key `nmae`")
            .did_you_mean("nmae", ["name", "steps"]);
        let mut out = Vec::new();
        render(&[d], &sources, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "error: unknown key `nmae`\n  --> x.yaml:1:1\n 1 | nmae: foo\n   | ^^^^\n   = hint: did you mean `name`?\n\n1 error, 0 warnings in 1 file\n"
        );
    }

    #[test]
    fn suggests_only_near_misses() {
        assert_eq!(suggest("emial", ["email", "sms"]), Some("email"));
        assert_eq!(suggest("fax", ["email", "store"]), None);
    }
}
