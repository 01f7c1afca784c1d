//! The Markdown report (`--report markdown=PATH`), for a pull-request comment: the verdict,
//! the scorecard, and the findings by rule, each rule's findings and each finding's
//! evidence in collapsible `<details>`. It stays under GitHub's comment limit (`LIMIT`,
//! 65,536 bytes) however large the run: findings that do not fit are left out, and the
//! report says how many and where to find them all. Every text from a scenario or a SUT is
//! escaped, so none of it can become markup.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::report::scorecard::grid;
use crate::report::text::severity_counts;
use crate::rules::finding::{Finding, Severity};
use crate::run::RunReport;
use crate::run::outcome::Verdict;

/// GitHub's limit on the body of a comment, in bytes.
pub const LIMIT: usize = 65_536;

/// Room kept for what closes the report (the line on what was left out).
const CLOSING: usize = 512;

pub fn write(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(render(report).as_bytes())
}

/// The whole report, at most `LIMIT` bytes.
pub fn render(report: &RunReport) -> String {
    let mut doc = String::with_capacity(8 * 1024);
    header(report, &mut doc);
    scorecard(report, &mut doc);
    let budget = LIMIT.saturating_sub(CLOSING);
    let mut left_out = 0;
    if report.findings.is_empty() {
        doc.push_str("No findings.\n");
    } else {
        doc.push_str("### Findings by rule\n\n");
        left_out = findings(&report.findings, budget, &mut doc);
    }
    if left_out > 0 {
        doc.push_str(&format!(
            "\n_{left_out} of {} findings left out to stay under GitHub's {LIMIT}-byte \
             comment limit; the JSON report (`--report json=PATH`) has them all._\n",
            report.findings.len()
        ));
    }
    doc
}

fn header(report: &RunReport, doc: &mut String) {
    let verdict = match report.verdict() {
        Verdict::Passed => "✅ passed",
        Verdict::Failed => "❌ failed",
        Verdict::Incomplete => "⚠️ incomplete",
        Verdict::Interrupted => "⚠️ interrupted",
    };
    let detail = severity_counts(report);
    doc.push_str(&format!(
        "## Seam: {verdict}\n\n**{}** findings{detail} in {} journeys, {} touchpoints, \
         against `{}`; fails on {} and above; {} baselined.\n\n",
        report.findings.len(),
        report.journeys.len(),
        report.touchpoints,
        code(&report.target),
        report.fail_on,
        report.baselined,
    ));
    for note in &report.notes {
        doc.push_str(&format!("> note: {}\n", inline(note)));
    }
    if !report.notes.is_empty() {
        doc.push('\n');
    }
}

fn scorecard(report: &RunReport, doc: &mut String) {
    if report.scorecard.overall.journeys == 0 {
        return;
    }
    doc.push_str("### Scorecard\n\n");
    let rows = grid(&report.scorecard);
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| inline(c)).collect();
        doc.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            doc.push_str(&format!("|{}\n", "---|".repeat(row.len())));
        }
    }
    doc.push('\n');
}

/// The findings grouped by rule (in report order within each), as long as they fit in
/// `budget` bytes of `doc`; returns how many were left out.
fn findings(all: &[Finding], budget: usize, doc: &mut String) -> usize {
    let mut by_rule: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in all {
        by_rule
            .entry(format!("{}/{}", f.kind, f.rule))
            .or_default()
            .push(f);
    }
    let mut left_out = 0;
    for (id, found) in by_rule {
        let worst = found
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Info);
        let open = format!(
            "<details><summary><b>{}</b>: {} ({worst})</summary>\n\n",
            escape(&id),
            found.len()
        );
        let close = "</details>\n\n";
        if doc.len() + open.len() + close.len() > budget {
            left_out += found.len();
            continue;
        }
        doc.push_str(&open);
        for f in found {
            let item = finding(f);
            if doc.len() + item.len() + close.len() > budget {
                left_out += 1;
                continue;
            }
            doc.push_str(&item);
        }
        doc.push_str(close);
    }
    left_out
}

/// One finding: a list item with its severity, journey, step and message, then its
/// evidence and corroborations, collapsed.
fn finding(f: &Finding) -> String {
    let subject = f
        .subject
        .as_deref()
        .map_or(String::new(), |s| format!(" `{}`", code(s)));
    let mut item = format!(
        "- **{}**{subject} {} › {}: {}\n",
        f.severity,
        inline(&f.journey),
        inline(&f.step),
        inline(&f.message)
    );
    item.push_str("  <details><summary>evidence</summary>\n\n  <pre>");
    for e in &f.evidence {
        item.push_str(&escape(&format!(
            "{} {} {} {}: {}",
            e.step, e.channel, e.at, e.what, e.quote
        )));
        item.push('\n');
    }
    if !f.corroborated_by.is_empty() {
        let ids: Vec<&str> = f.corroborated_by.iter().map(|c| c.id.as_str()).collect();
        item.push_str(&escape(&format!("also found by: {}", ids.join(", "))));
        item.push('\n');
    }
    item.push_str(&escape(&format!(
        "{}; fingerprint {}",
        f.file, f.fingerprint
    )));
    item.push_str("</pre>\n  </details>\n");
    item
}

/// Text for HTML: `&`, `<`, `>` and quotes as entities (quick-xml's escaping).
fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// Text in Markdown: HTML-escaped, every ASCII punctuation that Markdown reads (emphasis,
/// code, links, tables, headings) backslash-escaped, line breaks as spaces.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape(text).chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text inside an inline code span: backticks and line breaks cannot close or break it.
fn code(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '`' => '\'',
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
