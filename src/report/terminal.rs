//! The terminal report: the run summary, `tabled` tables per journey and per finding
//! kind, then every finding with its evidence; colour only when the caller asks for it.
//!
//! The caller decides colour (`--color`; `auto`: a TTY, and `NO_COLOR` unset): see
//! `ColorChoice`.

use std::io::{self, Write};

use tabled::settings::peaker::PriorityMax;
use tabled::settings::{Style, Width};

use crate::report::paint::Paint;
use crate::report::text;
use crate::report::{RunReport, cut, scorecard};
use crate::run::{Error, Event, Reporter};

/// The summary of `seam run` on standard output, written when the run finishes.
pub struct Summary<W: Write> {
    out: W,
    color: bool,
    width: Option<usize>,
}

impl<W: Write> Summary<W> {
    pub fn new(out: W, color: bool) -> Summary<W> {
        Summary {
            out,
            color,
            width: None,
        }
    }

    /// Wrap the tables to fit `width` columns.
    pub fn within(mut self, width: Option<usize>) -> Summary<W> {
        self.width = width;
        self
    }
}

impl<W: Write> Reporter for Summary<W> {
    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Error> {
        if let Event::RunFinished { outcome } = event {
            // A closed standard output is no reason to fail the run.
            let _ = write_within(&outcome.report, &mut self.out, self.color, self.width);
            let _ = self.out.flush();
        }
        Ok(())
    }
}

/// `--color`: when the summary is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (no-color.org).
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to a terminal (`is_terminal`) or not.
    pub fn wanted(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => color_wanted(is_terminal),
        }
    }
}

/// Colour when writing to a terminal and `NO_COLOR` is unset or empty (no-color.org).
pub fn color_wanted(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Lines of each list of steps abandoned or not sent (the JSON report has them all).
const LISTED: usize = 10;

pub fn write(report: &RunReport, out: &mut dyn Write, color: bool) -> io::Result<()> {
    write_within(report, out, color, None)
}

/// `write`, the tables wrapped to fit `width` columns when given (the widest columns are
/// wrapped first, at word boundaries where they can be).
pub fn write_within(
    report: &RunReport,
    out: &mut dyn Write,
    color: bool,
    width: Option<usize>,
) -> io::Result<()> {
    let paint = Paint { color };
    let fit = |table: &mut tabled::Table| {
        table.with(Style::rounded());
        if let Some(width) = width {
            table.with(
                Width::wrap(width)
                    .priority(PriorityMax::right())
                    .keep_words(true),
            );
        }
    };
    text::write_header(report, out, paint)?;
    if !report.journeys.is_empty() {
        writeln!(out)?;
        let mut journeys = text::journey_table(report);
        fit(&mut journeys);
        writeln!(out, "{journeys}")?;
    }
    if !report.findings.is_empty() {
        let mut kinds = text::kind_table(report);
        fit(&mut kinds);
        writeln!(out, "{kinds}")?;
    }
    if report.scorecard.overall.journeys > 0 {
        writeln!(out, "{}", paint.bold("Scorecard"))?;
        let mut table = scorecard::table(&report.scorecard);
        fit(&mut table);
        writeln!(out, "{table}")?;
    }
    if let Some(compared) = &report.compared {
        writeln!(out, "{}", paint.bold(&scorecard::change_title(compared)))?;
        let mut table = scorecard::change_table(compared, &report.scorecard);
        fit(&mut table);
        writeln!(out, "{table}")?;
    }
    cut::write_lists(report, out, paint, Some(LISTED))?;
    text::write_findings(report, out, paint)
}

/// The width the summary's tables must fit: `COLUMNS` when set (at least 20), else the
/// terminal's when standard output is one; none when it goes to a file or a pipe.
pub fn width() -> Option<usize> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok());
    match columns {
        Some(c) if c >= 20 => Some(c),
        _ => terminal_size::terminal_size_of(std::io::stdout())
            .map(|(terminal_size::Width(w), _)| usize::from(w)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn colour_only_when_asked() {
        let report = sample::report();
        let mut plain = Vec::new();
        write(&report, &mut plain, false).expect("write");
        let plain = String::from_utf8(plain).expect("utf-8");
        assert!(!plain.contains('\x1b'));
        assert!(plain.contains("╭"), "tabled tables");
        let mut coloured = Vec::new();
        write(&report, &mut coloured, true).expect("write");
        assert!(String::from_utf8_lossy(&coloured).contains("\x1b[1;31m[major]"));
    }

    #[test]
    fn no_colour_off_a_terminal() {
        assert!(!color_wanted(false));
        assert!(!ColorChoice::Auto.wanted(false));
        assert!(ColorChoice::Always.wanted(false));
        assert!(!ColorChoice::Never.wanted(true));
    }
}
