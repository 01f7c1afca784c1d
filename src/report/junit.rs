//! The JUnit XML report (`--report junit=PATH`): one `<testsuite>` per scenario file, one
//! `<testcase>` per journey, a `<failure>` per finding (`<error>` for `sut-error`) with
//! its evidence. Written with quick-xml; valid against Jenkins' junit-10.xsd.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::report::RunReport;
use crate::rules::finding::{Finding, Kind};

/// One journey as a test case (journeys the report lists, plus any a finding names).
struct Case<'a> {
    file: &'a str,
    name: &'a str,
    elapsed_ms: u64,
    findings: Vec<&'a Finding>,
}

pub fn write(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    let cases = cases(report);
    let mut files: Vec<&str> = Vec::new();
    for c in &cases {
        if !files.contains(&c.file) {
            files.push(c.file);
        }
    }
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let all: Vec<&Case> = cases.iter().collect();
    let (tests, failures, errors) = counts(&all);
    w.create_element("testsuites")
        .with_attribute(("name", "seam"))
        .with_attribute(("tests", tests.as_str()))
        .with_attribute(("failures", failures.as_str()))
        .with_attribute(("errors", errors.as_str()))
        .with_attribute(("time", seconds(report.elapsed_ms).as_str()))
        .write_inner_content(|w| {
            for file in &files {
                let in_file: Vec<&Case> = cases.iter().filter(|c| c.file == *file).collect();
                write_suite(w, file, &in_file)?;
            }
            Ok(())
        })?;
    writeln!(w.get_mut())
}

fn write_suite<W: Write>(w: &mut Writer<W>, file: &str, cases: &[&Case]) -> io::Result<()> {
    let (tests, failures, errors) = counts(cases);
    let time: u64 = cases.iter().map(|c| c.elapsed_ms).sum();
    w.create_element("testsuite")
        .with_attribute(("name", clean(file).as_str()))
        .with_attribute(("tests", tests.as_str()))
        .with_attribute(("failures", failures.as_str()))
        .with_attribute(("errors", errors.as_str()))
        .with_attribute(("skipped", "0"))
        .with_attribute(("time", seconds(time).as_str()))
        .write_inner_content(|w| {
            for c in cases {
                write_case(w, c)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write_case<W: Write>(w: &mut Writer<W>, case: &Case) -> io::Result<()> {
    let element = w
        .create_element("testcase")
        .with_attribute(("name", clean(case.name).as_str()))
        .with_attribute(("classname", clean(case.file).as_str()))
        .with_attribute(("time", seconds(case.elapsed_ms).as_str()));
    if case.findings.is_empty() {
        element.write_empty()?;
        return Ok(());
    }
    element.write_inner_content(|w| {
        for f in &case.findings {
            let tag = if f.kind == Kind::SutError {
                "error"
            } else {
                "failure"
            };
            let message = format!("[{}] {} at {}: {}", f.severity, f.kind, f.step, f.message);
            w.create_element(tag)
                .with_attribute(("message", clean(&message).as_str()))
                .with_attribute(("type", format!("{}/{}", f.kind, f.rule).as_str()))
                .write_text_content(BytesText::from_escaped(partial_escape(clean(&body(f)))))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The failure text: evidence, one line each, then where and the fingerprint.
fn body(f: &Finding) -> String {
    let mut out = String::new();
    for e in &f.evidence {
        out.push_str(&format!(
            "{} {} {} {}: {}\n",
            e.step, e.channel, e.at, e.what, e.quote
        ));
    }
    out.push_str(&format!(
        "severity: {}; steps: {}; channels: {}; fingerprint: {}",
        f.severity,
        f.steps.join(", "),
        f.channels.join(", "),
        f.fingerprint
    ));
    out
}

fn cases(report: &RunReport) -> Vec<Case<'_>> {
    let mut cases: Vec<Case> = report
        .journeys
        .iter()
        .map(|j| Case {
            file: &j.file,
            name: &j.name,
            elapsed_ms: j.elapsed_ms,
            findings: Vec::new(),
        })
        .collect();
    for f in &report.findings {
        match cases
            .iter_mut()
            .find(|c| *c.file == *f.file && *c.name == *f.journey)
        {
            Some(c) => c.findings.push(f),
            None => cases.push(Case {
                file: &f.file,
                name: &f.journey,
                elapsed_ms: 0,
                findings: vec![f],
            }),
        }
    }
    cases
}

/// (tests, failures, errors) as attribute text: `<failure>` and `<error>` elements.
fn counts(cases: &[&Case]) -> (String, String, String) {
    let findings = cases.iter().flat_map(|c| c.findings.iter());
    let errors = findings
        .clone()
        .filter(|f| f.kind == Kind::SutError)
        .count();
    let failures = findings.count() - errors;
    (
        cases.len().to_string(),
        failures.to_string(),
        errors.to_string(),
    )
}

/// XML 1.0 cannot carry most control characters: replace them.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}' || c == '\u{ffff}' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// Milliseconds as seconds with three decimals (the schema's SUREFIRE_TIME).
fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn one_suite_per_file_and_errors_apart() {
        let report = sample::report();
        let mut out = Vec::new();
        write(&report, &mut out).expect("write");
        let xml = String::from_utf8(out).expect("utf-8");
        assert_eq!(xml.matches("<testsuite ").count(), 2);
        assert!(xml.contains("<error message="));
        assert!(!xml.contains("disabled"));
    }

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(clean("a\u{0}b\nc"), "a\u{fffd}b\nc");
    }
}
