//! Unit tests of `Audit` and `order` on hand-built traces: what `detect_run` and
//! `RunDetector` asserted before the run pipeline, ported to conversations.

use super::*;
use crate::conversation;
use crate::engine::trace::{SutFault, Trace};
use crate::protocol::Status;
use crate::rules::finding::{Evidence, Fingerprint, Kind};
use crate::rules::order::in_journey_order;
use crate::rules::testkit::*;
use crate::scenario::model::{Journey, Severity};

/// The findings of `journeys` fed to one audit in `order` (positions in the run).
fn audit(journeys: &[(&Journey, &Trace)], order: &[usize]) -> Vec<Finding> {
    let rules = RuleSet::standard();
    let know = crate::rules::Knowledge::default();
    let mut audit = Audit::new(&rules, &know);
    for &index in order {
        let (j, t) = journeys[index];
        let conv = conversation::scripted(t.clone(), j);
        audit.journey(index, &conv, Some(Expectations::of(j)), Policy::of(j));
    }
    audit.finish().findings
}

fn all(journeys: &[(&Journey, &Trace)]) -> Vec<Finding> {
    audit(journeys, &(0..journeys.len()).collect::<Vec<_>>())
}

/// A bare finding for ordering tests.
fn bare(
    file: &str,
    journey: &str,
    step: &str,
    kind: Kind,
    rule: &'static str,
    msg: &str,
) -> Finding {
    Finding {
        kind,
        severity: kind.default_severity(),
        journey: journey.into(),
        file: file.into(),
        step: step.into(),
        steps: vec![step.into()],
        channels: vec![],
        rule: rule.into(),
        subject: None,
        message: msg.into(),
        evidence: vec![],
        fingerprint: Fingerprint::default(),
        corroborated_by: Vec::new(),
    }
}

#[test]
fn merge_orders_like_one_stable_sort_of_all_findings() {
    let (ja, ta) = two_step_clean();
    let file = ja.file.clone();
    let f = |j: &str, step: &str, kind: Kind, rule: &'static str, msg: &str| {
        bare(&file, j, step, kind, rule, msg)
    };
    // Journey b, then a, then more of b (as cross-journey findings come), with ties (the
    // two "same" findings differ only by where they came from), an unknown step and an
    // unknown journey.
    let mut findings = vec![
        f("b", "s2", Kind::SutError, "timeout", "1"),
        f("b", "s1", Kind::Expectation, "status", "2"),
        f("b", "s1", Kind::RepeatedQuestion, "asked-again", "3"),
        f("a", "s2", Kind::Expectation, "status", "4"),
        f("a", "nowhere", Kind::Expectation, "status", "5"),
        f("a", "s1", Kind::Expectation, "status", "same"),
        f("b", "s1", Kind::Expectation, "status", "same"),
        f("zz", "s1", Kind::SutError, "timeout", "6"),
        f("b", "s1", Kind::Expectation, "status", "same"),
        f("a", "s1", Kind::Expectation, "status", "same"),
    ];
    for (i, f) in findings.iter_mut().enumerate() {
        // Each its own problem, so that none corroborates another.
        f.subject = Some(format!("problem {i:02}"));
        f.evidence = vec![Evidence {
            step: f.step.clone(),
            channel: "".into(),
            at: "".into(),
            what: format!("finding {i}").into(),
            quote: String::new(),
        }];
    }
    let position = |f: &Finding| {
        ["s1", "s2"]
            .iter()
            .position(|s| *s == &*f.step)
            .unwrap_or(usize::MAX)
    };
    let mut expected = findings.clone();
    expected.sort_by(|a, b| {
        (&a.file, &a.journey)
            .cmp(&(&b.file, &b.journey))
            .then_with(|| in_journey_order((a, position(a)), (b, position(b))))
    });
    // Parts as journeys would give them: each part one journey's, in run order 0 (b),
    // 1 (a), 2 (zz), then b's findings across journeys.
    let conv = conversation::inferred(ta);
    let keys = |name: &str| {
        let mut k = order::Keys::of(&conv, Policy::default());
        k.journey = name.into();
        k
    };
    let of = |name: &str, range: std::ops::Range<usize>| -> Vec<Finding> {
        findings[range]
            .iter()
            .filter(|f| &*f.journey == name)
            .cloned()
            .collect()
    };
    let parts = vec![
        (0, order::stamp(of("b", 0..5), &keys("b"))),
        (1, order::stamp(of("a", 0..10), &keys("a"))),
        (2, order::stamp(of("zz", 0..10), &keys("zz"))),
        (0, order::stamp(of("b", 5..10), &keys("b"))),
    ];
    let merged = order::merge(parts);
    let what = |v: &[Finding]| -> Vec<String> {
        v.iter().map(|f| f.evidence[0].what.to_string()).collect()
    };
    assert_eq!(what(&merged), what(&expected));
}

#[test]
fn expectations_find_a_step_by_index_or_by_id() {
    let (mut j, _) = two_step_clean();
    assert_eq!(Expectations::of(&j).step(1, "s2"), Some(&j.steps[1].expect));
    j.steps.reverse();
    j.steps[0].expect.refs = vec!["x".into()];
    let e = Expectations::of(&j);
    assert_eq!(e.step(1, "s2").map(|x| x.refs.len()), Some(1));
    assert!(e.step(0, "nowhere").is_none());
}

#[test]
fn a_clean_trace_gives_no_finding() {
    let (journey, trace) = two_step_clean();
    assert_eq!(all(&[(&journey, &trace)]), vec![]);
}

#[test]
fn severity_overrides_and_fingerprints_are_applied() {
    let (mut journey, mut trace) = two_step_clean();
    trace.steps[1].continues = Some("s1".into());
    trace.steps[1].turns[0].reply = Ok(reply(Status::UnknownReference));
    journey.steps[1].continues = Some("s1".into());
    journey
        .severity
        .insert("broken-handoff".into(), Severity::Critical);
    let findings = all(&[(&journey, &trace)]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].severity, Severity::Critical);
    assert_eq!(findings[0].fingerprint, findings[0].compute_fingerprint());
    assert_eq!(findings[0].fingerprint.to_string().len(), 16);
}

#[test]
fn a_rules_entry_beats_the_kind_and_off_drops_the_finding() {
    use crate::scenario::model::{RuleAction, RuleSetting};
    let (mut journey, mut trace) = two_step_clean();
    trace.steps[1].continues = Some("s1".into());
    trace.steps[1].turns[0].reply = Ok(reply(Status::UnknownReference));
    trace.steps[0].turns[0].reply = Err(SutFault::Timeout { after_ms: 5 });
    journey.steps[1].continues = Some("s1".into());
    journey
        .severity
        .insert("broken-handoff".into(), Severity::Critical);
    journey.rules = vec![
        RuleSetting {
            pattern: "broken-handoff/unknown-reference".into(),
            setting: RuleAction::Severity(Severity::Info),
        },
        RuleSetting {
            pattern: "sut-error/*".into(),
            setting: RuleAction::Off,
        },
    ];
    let findings = all(&[(&journey, &trace)]);
    let got: Vec<(&str, Severity)> = findings.iter().map(|f| (&*f.rule, f.severity)).collect();
    assert_eq!(got, vec![("unknown-reference", Severity::Info)]);
}

#[test]
fn fingerprints_ignore_run_ids_and_order_is_deterministic() {
    let (mut journey, mut trace) = two_step_clean();
    trace.steps[1].continues = Some("s1".into());
    journey.steps[1].continues = Some("s1".into());
    trace.steps[1].turns[0].reply = Ok(reply(Status::UnknownReference));
    trace.steps[0].turns[0].reply = Err(SutFault::Timeout { after_ms: 5 });
    let a = all(&[(&journey, &trace)]);
    trace.journey_id = "other-run/j".into();
    let b = all(&[(&journey, &trace)]);
    assert_eq!(a, b);
    let order: Vec<(&str, Kind)> = a.iter().map(|f| (&*f.step, f.kind)).collect();
    assert_eq!(
        order,
        vec![("s1", Kind::SutError), ("s2", Kind::BrokenHandoff)]
    );
}

#[test]
fn findings_across_journeys_are_sorted_by_file_then_journey_whatever_the_order() {
    let answering = |name: &str, file: &str, value: i64| {
        let mut s = step("s1", "c1", 1);
        s.subject = Some(vec!["k1".into()]);
        reply_mut(&mut s, 0)
            .answer
            .insert("f".into(), serde_json::json!(value));
        let mut t = trace(vec![s]);
        t.journey = name.into();
        t.file = file.into();
        let j = journey(&t);
        (j, t)
    };
    let (ja, ta) = answering("b-journey", "a.yaml", 1);
    let (jb, tb) = answering("a-journey", "b.yaml", 2);
    let (mut jc, mut tc) = answering("c-journey", "a.yaml", 1);
    tc.steps[0].turns[0].reply = Ok(reply(Status::UnknownReference));
    tc.steps[0].quotes = vec!["s1".into()];
    let mut s0 = step("s0", "c1", 0);
    s0.subject = None;
    tc.steps.insert(0, s0);
    jc = {
        let mut j = journey(&tc);
        j.severity = jc.severity;
        j
    };
    jc.severity.insert("broken-handoff".into(), Severity::Info);
    let run = [(&jb, &tb), (&ja, &ta), (&jc, &tc)];
    let found = all(&run);
    let got: Vec<(&str, &str, &str, Severity)> = found
        .iter()
        .map(|f| (&*f.file, &*f.journey, &*f.rule, f.severity))
        .collect();
    assert_eq!(
        got,
        vec![
            ("a.yaml", "b-journey", "same-moment", Severity::Major),
            ("a.yaml", "c-journey", "unknown-reference", Severity::Info),
        ]
    );
    assert_eq!(strs(&found[0].steps), ["a-journey/s1", "s1"]);

    // Fed one by one in any order, the same findings in the same order.
    for order in [[2, 0, 1], [1, 2, 0], [0, 1, 2]] {
        assert_eq!(audit(&run, &order), found, "{order:?}");
    }
    // A journey that never comes: the others are still read.
    let partial = audit(&run, &[2, 1]);
    assert_eq!(partial.len(), 1);
    assert_eq!(partial[0].rule, "unknown-reference");
}
