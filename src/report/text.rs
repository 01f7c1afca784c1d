//! The plain-text report (`--report text=PATH`): a run summary, a table per journey and
//! per finding kind, then every finding with its evidence. No colour, deterministic.
//!
//! `terminal` reuses the tables and the finding layout, with colour when asked.

use std::io::{self, Write};

use tabled::Table;
use tabled::builder::Builder;

use crate::report::paint::Paint;
use crate::report::visible::visible;
use crate::report::{RunReport, cut, scorecard};
use crate::rules::finding::{Finding, Kind, Severity};

pub fn write(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    write_header(report, out, Paint::PLAIN)?;
    writeln!(out)?;
    writeln!(out, "Journeys")?;
    writeln!(out, "{}", plain(journey_table(report)))?;
    writeln!(out)?;
    writeln!(out, "Findings by kind")?;
    writeln!(out, "{}", plain(kind_table(report)))?;
    writeln!(out)?;
    writeln!(out, "Scorecard")?;
    writeln!(out, "{}", plain(scorecard::table(&report.scorecard)))?;
    if let Some(compared) = &report.compared {
        writeln!(out)?;
        writeln!(out, "{}", scorecard::change_title(compared))?;
        writeln!(
            out,
            "{}",
            plain(scorecard::change_table(compared, &report.scorecard))
        )?;
    }
    cut::write_lists(report, out, Paint::PLAIN, None)?;
    write_findings(report, out, Paint::PLAIN)
}

/// ` (3 major, 1 minor)`: the findings by severity, worst first; empty without findings.
pub fn severity_counts(report: &RunReport) -> String {
    let counts: Vec<String> = [
        Severity::Critical,
        Severity::Major,
        Severity::Minor,
        Severity::Info,
    ]
    .into_iter()
    .filter_map(|s| {
        let n = report.findings.iter().filter(|f| f.severity == s).count();
        (n > 0).then(|| format!("{n} {s}"))
    })
    .collect();
    if counts.is_empty() {
        String::new()
    } else {
        format!(" ({})", counts.join(", "))
    }
}

/// Two lines: what ran, and whether it failed; between them, the notes and what a run
/// cut short did not send.
pub fn write_header(report: &RunReport, out: &mut dyn Write, paint: Paint) -> io::Result<()> {
    let detail = severity_counts(report);
    writeln!(
        out,
        "{} {}: {} {}, {} {}, {} {}{detail}, {} baselined, {}",
        paint.bold("seam run against"),
        visible(&report.target),
        report.journeys.len(),
        plural(report.journeys.len(), "journey"),
        report.touchpoints,
        plural(report.touchpoints as usize, "touchpoint"),
        report.findings.len(),
        plural(report.findings.len(), "finding"),
        report.baselined,
        seconds(report.elapsed_ms),
    )?;
    for note in &report.notes {
        writeln!(out, "note: {}", visible(note))?;
    }
    cut::write_line(report, out, paint)?;
    writeln!(
        out,
        "result: {} (fails on {} and above)",
        paint.verdict(report.verdict()),
        report.fail_on
    )
}

/// One row per journey: file, journey, steps, touchpoints, faults, findings, worst severity.
pub fn journey_table(report: &RunReport) -> Table {
    let mut b = Builder::default();
    b.push_record([
        "file",
        "journey",
        "steps",
        "touchpoints",
        "faults",
        "findings",
        "worst",
    ]);
    let by_journey = report.by_journey();
    for j in &report.journeys {
        let none = Vec::new();
        let findings = by_journey.get(&(&*j.file, &*j.name)).unwrap_or(&none);
        let worst = findings
            .iter()
            .map(|f| f.severity)
            .max()
            .map_or("-".to_string(), |s| s.to_string());
        b.push_record([
            visible(&j.file).into_owned(),
            visible(&j.name).into_owned(),
            j.steps.to_string(),
            j.touchpoints.to_string(),
            j.faults.to_string(),
            findings.len().to_string(),
            worst,
        ]);
    }
    b.build()
}

/// One row per finding kind, counts per severity.
pub fn kind_table(report: &RunReport) -> Table {
    let order = [
        Severity::Critical,
        Severity::Major,
        Severity::Minor,
        Severity::Info,
    ];
    let mut b = Builder::default();
    let mut head = vec!["kind".to_string()];
    head.extend(order.iter().map(|s| s.to_string()));
    head.push("total".into());
    b.push_record(head);
    // Counts by kind and severity, in one pass.
    let mut counts = [[0usize; 4]; Kind::ALL.len()];
    for f in &report.findings {
        if let Some(i) = order.iter().position(|s| *s == f.severity) {
            counts[f.kind as usize][i] += 1;
        }
    }
    let mut total = [0usize; 4];
    for kind in Kind::ALL {
        let of_kind = counts[kind as usize];
        // The five kinds Seam always had are always listed; a CX rule's kind when it found
        // something.
        if kind as usize >= Kind::Sla as usize && of_kind.iter().all(|n| *n == 0) {
            continue;
        }
        let mut row = vec![kind.to_string()];
        for (i, n) in of_kind.iter().enumerate() {
            total[i] += n;
            row.push(n.to_string());
        }
        row.push(of_kind.iter().sum::<usize>().to_string());
        b.push_record(row);
    }
    let mut row = vec!["total".to_string()];
    row.extend(total.iter().map(usize::to_string));
    row.push(report.findings.len().to_string());
    b.push_record(row);
    b.build()
}

/// A table in the psql style, without trailing blanks.
pub fn plain(mut t: Table) -> String {
    t.with(tabled::settings::Style::psql());
    let text = t.to_string();
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every finding with its evidence, or `No findings.`.
pub fn write_findings(report: &RunReport, out: &mut dyn Write, paint: Paint) -> io::Result<()> {
    writeln!(out)?;
    if report.findings.is_empty() {
        return writeln!(out, "No findings.");
    }
    writeln!(out, "{}", paint.bold("Findings"))?;
    for f in &report.findings {
        writeln!(out)?;
        write_finding(f, out, paint)?;
    }
    Ok(())
}

/// One finding: a title line, the message, the evidence, the rules that corroborate it,
/// steps, channels and fingerprint.
pub fn write_finding(f: &Finding, out: &mut dyn Write, paint: Paint) -> io::Result<()> {
    let subject = f
        .subject
        .as_ref()
        .map_or(String::new(), |s| format!(" `{s}`"));
    writeln!(
        out,
        "{} {}{}  {} > {}",
        paint.severity(f.severity),
        paint.bold(&format!("{}/{}", f.kind, f.rule)),
        visible(&subject),
        visible(&f.journey),
        visible(&f.step)
    )?;
    writeln!(out, "  {}", visible(&f.message))?;
    for e in &f.evidence {
        writeln!(
            out,
            "    {} {} {} {}: {}",
            visible(&e.step),
            visible(&e.channel),
            paint.dim(&visible(&e.at)),
            e.what,
            visible(&e.quote)
        )?;
    }
    if !f.corroborated_by.is_empty() {
        let ids: Vec<&str> = f.corroborated_by.iter().map(|c| c.id.as_str()).collect();
        writeln!(out, "  also found by: {}", visible(&ids.join(", ")))?;
    }
    writeln!(
        out,
        "  {}",
        paint.dim(&visible(&format!(
            "{}; steps: {}; channels: {}; fingerprint {}",
            f.file,
            f.steps.join(", "),
            f.channels.join(", "),
            f.fingerprint
        )))
    )
}

/// Milliseconds as `1.234s`.
pub fn seconds(ms: u64) -> String {
    format!("{}.{:03}s", ms / 1000, ms % 1000)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_is_plain_without_colour() {
        assert_eq!(Paint::PLAIN.severity(Severity::Major), "[major]");
        assert_eq!(
            Paint { color: true }.severity(Severity::Minor),
            "\x1b[33m[minor]\x1b[0m"
        );
        assert_eq!(seconds(1234), "1.234s");
        assert_eq!(seconds(5), "0.005s");
    }
}
