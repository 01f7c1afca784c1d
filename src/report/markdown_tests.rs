use super::*;
use crate::report::sample;

#[test]
fn verdict_scorecard_and_findings_by_rule_with_collapsed_evidence() {
    let report = sample::report();
    let doc = render(&report);
    assert!(doc.starts_with("## Seam: ❌ failed\n"), "{doc}");
    assert!(
        doc.contains("### Scorecard\n\n| measure | overall |"),
        "{doc}"
    );
    assert!(doc.contains("| FCR | 25% |"), "{doc}");
    let rules: std::collections::BTreeSet<String> = report
        .findings
        .iter()
        .map(|f| format!("<b>{}/{}</b>", f.kind, f.rule))
        .collect();
    for rule in &rules {
        assert_eq!(doc.matches(rule.as_str()).count(), 1, "{rule} once: {doc}");
    }
    assert_eq!(
        doc.matches("<summary>evidence</summary>").count(),
        report.findings.len(),
        "every finding's evidence, collapsed"
    );
    assert_eq!(
        doc.matches("<details>").count(),
        doc.matches("</details>").count()
    );
    assert!(!doc.contains("left out"), "a small run fits whole");
}

#[test]
fn sut_text_cannot_become_markup() {
    let mut report = sample::report();
    let f = &mut report.findings[0];
    f.message = "<script>alert(1)</script> **bold** [link](http://x) | cell\n## heading `x`".into();
    f.evidence[0].quote = "</pre></details><img src=x onerror=alert(1)>".into();
    f.subject = Some("a`b".into());
    report.target = "http://sut/`injected`".into();
    let doc = render(&report);
    assert!(!doc.contains("<script>") && !doc.contains("<img"), "{doc}");
    assert!(doc.contains("&lt;script&gt;"), "{doc}");
    assert!(
        doc.contains("\\*\\*bold\\*\\*") && doc.contains("\\[link\\]"),
        "{doc}"
    );
    assert!(doc.contains("\\| cell \\#\\# heading \\`x\\`"), "{doc}");
    assert!(
        doc.contains("`a'b`") && doc.contains("`http://sut/'injected'`"),
        "{doc}"
    );
    assert_eq!(doc.matches("</pre>").count(), report.findings.len());
}

#[test]
fn a_ten_thousand_journey_run_stays_under_the_comment_limit_and_says_what_it_left_out() {
    let sample = sample::report();
    let mut report = sample.clone();
    report.journeys.clear();
    report.findings.clear();
    for i in 0..10_000 {
        let mut journey = sample.journeys[0].clone();
        journey.name = format!("journey-{i:05}");
        report.journeys.push(journey);
        for f in &sample.findings {
            let mut f = f.clone();
            f.journey = format!("journey-{i:05}").into();
            report.findings.push(f);
        }
    }
    let doc = render(&report);
    println!(
        "10,000 journeys: {} bytes of Markdown, {} findings, {} shown",
        doc.len(),
        report.findings.len(),
        doc.matches("<summary>evidence</summary>").count()
    );
    assert!(doc.len() <= LIMIT, "{} bytes", doc.len());
    assert!(
        doc.len() > LIMIT / 2,
        "it uses the room it has: {} bytes",
        doc.len()
    );
    let shown = doc.matches("<summary>evidence</summary>").count();
    let left = report.findings.len() - shown;
    assert!(
        doc.contains(&format!(
            "_{left} of {} findings left out",
            report.findings.len()
        )),
        "{}",
        &doc[doc.len().saturating_sub(400)..]
    );
    assert_eq!(
        doc.matches("<details>").count(),
        doc.matches("</details>").count()
    );
    assert!(doc.contains("### Scorecard"));
}
