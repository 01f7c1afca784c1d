//! What the text and terminal reports say of a run cut short (interrupted by a signal, or
//! by its deadline): one line under the header (`interrupted: ...`, `incomplete: ...`)
//! and the lists of steps abandoned and not sent.

use std::io::{self, Write};

use crate::report::RunReport;
use crate::report::paint::Paint;
use crate::report::visible::visible;

/// `interrupted: ...` or `incomplete: ...`, when the run was cut short; nothing else.
pub fn write_line(report: &RunReport, out: &mut dyn Write, paint: Paint) -> io::Result<()> {
    if !report.interrupted && !report.incomplete {
        return Ok(());
    }
    let what = format!(
        "{} abandoned, {} of {} not sent",
        count(report.abandoned.len(), "step"),
        count(report.not_sent_steps(), "step"),
        count(report.not_sent.len(), "journey"),
    );
    match &report.signal {
        Some(signal) => writeln!(
            out,
            "{} by {}: {what}; the findings are those of what was replayed",
            paint.bold("interrupted:"),
            visible(signal),
        ),
        None => writeln!(
            out,
            "{} the deadline cut the run: {what}{}",
            paint.bold("incomplete:"),
            match report.allow_incomplete {
                true => " (allowed: judged by the findings)",
                false => "",
            }
        ),
    }
}

/// The steps abandoned and the steps not sent, each list cut at `limit` lines when given.
pub fn write_lists(
    report: &RunReport,
    out: &mut dyn Write,
    paint: Paint,
    limit: Option<usize>,
) -> io::Result<()> {
    let abandoned = report.abandoned.iter().map(|a| {
        let how = match a.in_flight {
            true => "in flight",
            false => "not sent",
        };
        format!(
            "{}: {} > {} (turn {}, {how})",
            visible(&a.file),
            visible(&a.journey),
            visible(&a.step),
            a.turn
        )
    });
    let not_sent = report.not_sent.iter().map(|n| {
        format!(
            "{}: {}: {}",
            visible(&n.file),
            visible(&n.journey),
            visible(&n.steps.join(", "))
        )
    });
    write_list(out, paint, "Abandoned", abandoned, limit)?;
    write_list(out, paint, "Not sent", not_sent, limit)
}

fn write_list(
    out: &mut dyn Write,
    paint: Paint,
    title: &str,
    lines: impl ExactSizeIterator<Item = String>,
    limit: Option<usize>,
) -> io::Result<()> {
    let total = lines.len();
    if total == 0 {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.bold(title))?;
    let shown = limit.unwrap_or(total).min(total);
    for line in lines.take(shown) {
        writeln!(out, "  {line}")?;
    }
    if shown < total {
        writeln!(
            out,
            "  {}",
            paint.dim(&format!(
                "... and {} more (every one is in the JSON report)",
                total - shown
            ))
        )?;
    }
    Ok(())
}

fn count(n: usize, word: &str) -> String {
    match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    fn text(report: &RunReport, limit: Option<usize>) -> String {
        let mut out = Vec::new();
        write_line(report, &mut out, Paint::PLAIN).expect("write");
        write_lists(report, &mut out, Paint::PLAIN, limit).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn an_interrupted_run_says_so_and_lists_what_it_left() {
        let out = text(&sample::interrupted(), None);
        assert!(
            out.starts_with(
                "interrupted: by SIGINT: 1 step abandoned, 3 steps of 2 journeys not sent;"
            ),
            "{out}"
        );
        assert!(out.contains("asked-three-times > transfer (turn 1, in flight)"));
        assert!(out.contains("scenarios/later.yaml: never-started: first, second"));
        let cut = text(&sample::interrupted(), Some(1));
        assert!(cut.contains("... and 1 more"), "{cut}");
    }

    #[test]
    fn a_run_the_deadline_cut_is_incomplete_and_a_whole_one_says_nothing() {
        let mut report = sample::interrupted();
        report.interrupted = false;
        report.signal = None;
        assert!(text(&report, None).starts_with("incomplete: the deadline cut the run: "));
        assert_eq!(text(&sample::report(), None), "");
    }
}
