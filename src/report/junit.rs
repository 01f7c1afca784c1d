//! The JUnit XML report (`--report junit=PATH`): one `<testsuite>` per scenario file, one
//! `<testcase>` per journey step (and one for a journey's journey-level findings), each
//! with at most one `<failure>` (or `<error>`, when its worst finding is a `sut-error`):
//! the message is the worst finding, the text every finding of the step with its evidence.
//! That is what Jenkins, GitLab and junit2html show (one failure a test case), so no
//! finding hides another. A step a cut-short run did not send, or abandoned, is a
//! `<skipped>` test case, and every suite of such a run says so in its `<properties>` and
//! `<system-err>`. The first suite's `<properties>` carry the scorecard
//! (`seam.scorecard.SCOPE.MEASURE`). Written with quick-xml; valid against Jenkins' junit-10.xsd.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::report::junit_cut::{Cut, CutNote, cut_note};
use crate::report::{JourneyReport, RunReport};
use crate::rules::expectation::JOURNEY;
use crate::rules::finding::{Finding, Kind};

/// One journey step (or a journey's journey-level findings) as a test case.
struct Case<'a> {
    file: &'a str,
    journey: &'a str,
    step: &'a str,
    elapsed_ms: u64,
    findings: Vec<&'a Finding>,
    /// Why the step was not (fully) sent, when the run's cut left it.
    skipped: Option<String>,
}

impl Case<'_> {
    /// The finding the case is reported as: the most severe, the first of equals.
    fn worst(&self) -> Option<&Finding> {
        let mut worst: Option<&Finding> = None;
        for f in &self.findings {
            if worst.is_none_or(|w| f.severity > w.severity) {
                worst = Some(f);
            }
        }
        worst
    }

    /// `error` when the worst finding is a SUT error, `failure` for another, `skipped`
    /// for a step without finding that was not (fully) sent, none for the others.
    fn outcome(&self) -> Option<&'static str> {
        match self.worst() {
            Some(f) if f.kind == Kind::SutError => Some("error"),
            Some(_) => Some("failure"),
            None => self.skipped.as_ref().map(|_| "skipped"),
        }
    }
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
    let (tests, failures, errors, _) = counts(&all);
    let cut = cut_note(report);
    // Every suite says why a run was cut short; the first also carries the scorecard.
    let cut_properties: Vec<(String, String)> = cut
        .iter()
        .flat_map(|c| &c.properties)
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    let mut first_properties = cut_properties.clone();
    first_properties.extend(crate::report::scorecard::properties(&report.scorecard));
    w.create_element("testsuites")
        .with_attribute(("name", "seam"))
        .with_attribute(("tests", tests.as_str()))
        .with_attribute(("failures", failures.as_str()))
        .with_attribute(("errors", errors.as_str()))
        .with_attribute(("time", seconds(report.elapsed_ms).as_str()))
        .write_inner_content(|w| {
            for (i, file) in files.iter().enumerate() {
                let in_file: Vec<&Case> = cases.iter().filter(|c| c.file == *file).collect();
                let properties = if i == 0 {
                    &first_properties
                } else {
                    &cut_properties
                };
                write_suite(w, file, &in_file, cut.as_ref(), properties)?;
            }
            Ok(())
        })?;
    writeln!(w.get_mut())
}

fn write_suite<W: Write>(
    w: &mut Writer<W>,
    file: &str,
    cases: &[&Case],
    cut: Option<&CutNote>,
    properties: &[(String, String)],
) -> io::Result<()> {
    let (tests, failures, errors, skipped) = counts(cases);
    let time: u64 = cases.iter().map(|c| c.elapsed_ms).sum();
    w.create_element("testsuite")
        .with_attribute(("name", clean(file).as_str()))
        .with_attribute(("tests", tests.as_str()))
        .with_attribute(("failures", failures.as_str()))
        .with_attribute(("errors", errors.as_str()))
        .with_attribute(("skipped", skipped.as_str()))
        .with_attribute(("time", seconds(time).as_str()))
        .write_inner_content(|w| {
            if !properties.is_empty() {
                w.create_element("properties").write_inner_content(|w| {
                    for (name, value) in properties {
                        w.create_element("property")
                            .with_attribute(("name", clean(name).as_str()))
                            .with_attribute(("value", clean(value).as_str()))
                            .write_empty()?;
                    }
                    Ok(())
                })?;
            }
            for c in cases {
                write_case(w, c)?;
            }
            if let Some(cut) = cut {
                w.create_element("system-err")
                    .write_text_content(BytesText::new(&clean(&cut.line)))?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write_case<W: Write>(w: &mut Writer<W>, case: &Case) -> io::Result<()> {
    let name = format!("{} > {}", case.journey, case.step);
    let element = w
        .create_element("testcase")
        .with_attribute(("name", clean(&name).as_str()))
        .with_attribute(("classname", clean(case.file).as_str()))
        .with_attribute(("time", seconds(case.elapsed_ms).as_str()));
    let (Some(worst), Some(tag)) = (case.worst(), case.outcome()) else {
        match &case.skipped {
            Some(why) => element.write_inner_content(|w| {
                w.create_element("skipped")
                    .with_attribute(("message", clean(why).as_str()))
                    .write_empty()?;
                Ok(())
            })?,
            None => element.write_empty()?,
        };
        return Ok(());
    };
    let mut message = format!(
        "[{}] {}/{}: {}",
        worst.severity, worst.kind, worst.rule, worst.message
    );
    if case.findings.len() > 1 {
        message.push_str(&format!(" (and {} more)", case.findings.len() - 1));
    }
    element.write_inner_content(|w| {
        w.create_element(tag)
            .with_attribute(("message", clean(&message).as_str()))
            .with_attribute(("type", format!("{}/{}", worst.kind, worst.rule).as_str()))
            .write_text_content(BytesText::from_escaped(partial_escape(clean(&body(case)))))?;
        Ok(())
    })?;
    Ok(())
}

/// Every finding of the case, in report order: a line with its severity, id and message,
/// its evidence (one line each), the rules that corroborate it, then its steps, channels
/// and fingerprint.
fn body(case: &Case) -> String {
    let mut out = String::new();
    for (i, f) in case.findings.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(&format!(
            "[{}] {}/{}: {}\n",
            f.severity, f.kind, f.rule, f.message
        ));
        for e in &f.evidence {
            out.push_str(&format!(
                "  {} {} {} {}: {}\n",
                e.step, e.channel, e.at, e.what, e.quote
            ));
        }
        if !f.corroborated_by.is_empty() {
            let ids: Vec<&str> = f.corroborated_by.iter().map(|c| c.id.as_str()).collect();
            out.push_str(&format!("  also found by: {}\n", ids.join(", ")));
        }
        out.push_str(&format!(
            "  steps: {}; channels: {}; fingerprint: {}",
            f.steps.join(", "),
            f.channels.join(", "),
            f.fingerprint
        ));
    }
    out
}

/// The cases of one journey: a case per step, then one for the findings on no step of
/// it (its journey-level findings), when there are any.
fn journey_cases<'a>(
    journey: &'a JourneyReport,
    findings: &[&'a Finding],
    cut: &Cut<'_>,
) -> Vec<Case<'a>> {
    let share = journey.elapsed_ms / journey.step_ids.len().max(1) as u64;
    let mut cases: Vec<Case> = journey
        .step_ids
        .iter()
        .map(|step| Case {
            file: &journey.file,
            journey: &journey.name,
            step,
            elapsed_ms: share,
            findings: Vec::new(),
            skipped: cut.of(&journey.file, &journey.name, step),
        })
        .collect();
    for f in findings {
        match cases.iter_mut().find(|c| *c.step == *f.step) {
            Some(c) => c.findings.push(f),
            None => match cases.iter_mut().find(|c| c.step == JOURNEY) {
                Some(c) => c.findings.push(f),
                None => cases.push(Case {
                    file: &journey.file,
                    journey: &journey.name,
                    step: JOURNEY,
                    elapsed_ms: 0,
                    findings: vec![f],
                    skipped: None,
                }),
            },
        }
    }
    cases
}

fn cases(report: &RunReport) -> Vec<Case<'_>> {
    let mut by_journey = report.by_journey();
    let cut = Cut::of_report(report);
    let mut cases = Vec::new();
    for journey in &report.journeys {
        let findings = by_journey
            .remove(&(&*journey.file, &*journey.name))
            .unwrap_or_default();
        cases.extend(journey_cases(journey, &findings, &cut));
    }
    // Journeys never started: a skipped case per step.
    let listed: std::collections::HashSet<(&str, &str)> = report
        .journeys
        .iter()
        .map(|j| (&*j.file, &*j.name))
        .collect();
    for n in &report.not_sent {
        if listed.contains(&(&*n.file, &*n.journey)) {
            continue;
        }
        cases.extend(n.steps.iter().map(|step| Case {
            file: &n.file,
            journey: &n.journey,
            step,
            elapsed_ms: 0,
            findings: Vec::new(),
            skipped: cut.of(&n.file, &n.journey, step),
        }));
    }
    // Findings of a journey the report does not list (a report built by hand), in order.
    let mut extra: Vec<Case> = Vec::new();
    let mut at: std::collections::HashMap<(&str, &str, &str), usize> = Default::default();
    for f in &report.findings {
        if listed.contains(&(&*f.file, &*f.journey)) {
            continue;
        }
        let key = (&*f.file, &*f.journey, &*f.step);
        match at.get(&key) {
            Some(&i) => extra[i].findings.push(f),
            None => {
                at.insert(key, extra.len());
                extra.push(Case {
                    file: &f.file,
                    journey: &f.journey,
                    step: &f.step,
                    elapsed_ms: 0,
                    findings: vec![f],
                    skipped: None,
                });
            }
        }
    }
    cases.extend(extra);
    cases
}

/// (tests, failures, errors, skipped) as attribute text: test cases, those with a
/// `<failure>`, an `<error>`, a `<skipped>`.
fn counts(cases: &[&Case]) -> (String, String, String, String) {
    let outcome = |tag: &str| cases.iter().filter(|c| c.outcome() == Some(tag)).count();
    (
        cases.len().to_string(),
        outcome("failure").to_string(),
        outcome("error").to_string(),
        outcome("skipped").to_string(),
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

    fn xml(report: &RunReport) -> String {
        let mut out = Vec::new();
        write(report, &mut out).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn one_suite_per_file_one_case_per_step_and_errors_apart() {
        let report = sample::report();
        let xml = xml(&report);
        assert_eq!(xml.matches("<testsuite ").count(), 2);
        let steps: usize = report.journeys.iter().map(|j| j.step_ids.len()).sum();
        let journey_level = xml.matches(" &gt; journey\"").count();
        assert_eq!(xml.matches("<testcase ").count(), steps + journey_level);
        assert!(xml.contains("<error message="));
        assert!(!xml.contains("disabled"));
    }

    #[test]
    fn a_case_shows_its_worst_finding_and_lists_every_one() {
        let mut report = sample::report();
        // Two findings on one step: a minor one first, then a major one.
        let mut minor = report.findings[0].clone();
        minor.severity = crate::rules::finding::Severity::Minor;
        minor.message = "the minor one".into();
        let mut major = minor.clone();
        major.severity = crate::rules::finding::Severity::Major;
        major.message = "the major one".into();
        report.findings = vec![minor, major];
        let xml = xml(&report);
        assert_eq!(
            xml.matches("<failure ").count() + xml.matches("<error ").count(),
            1
        );
        assert!(xml.contains("message=\"[major] "), "{xml}");
        assert!(xml.contains("the major one (and 1 more)"), "{xml}");
        assert!(xml.contains("the minor one\n"), "{xml}");
        assert!(xml.contains(" failures=\"1\""), "{xml}");
    }

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(clean("a\u{0}b\nc"), "a\u{fffd}b\nc");
    }
}
