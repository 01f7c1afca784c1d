//! Unit tests of the `inconsistent-answer` rules on hand-built traces.
use super::*;
use crate::engine::trace::Trace;
use crate::protocol::Status;
use crate::rules::testkit::*;
use crate::rules::{Rule, RunRule};
use crate::scenario::model::Journey;

fn detect(j: &Journey, t: &Trace) -> Vec<Finding> {
    check(
        &[&consistent::Consistent, &same_question::SameQuestion],
        j,
        t,
    )
}

fn across_journeys(journeys: &[(&Journey, &Trace)]) -> Vec<Finding> {
    let mut rule = same_moment::SameMoment::default();
    for (i, (j, t)) in journeys.iter().enumerate() {
        rule.observe(
            i,
            &crate::conversation::scripted((*t).clone(), j),
            &crate::rules::Knowledge::default(),
        );
    }
    let mut found = rule.finish();
    found.sort_by_key(|(i, _)| *i);
    found.into_iter().map(|(_, f)| f).collect()
}

#[test]
fn a_question_quotes_its_subject_values_like_evidence_does() {
    let mut s = step("s1", "c1", 1);
    s.subject = Some(vec!["isbn".into(), "store".into(), "gone".into()]);
    let value = serde_json::json!({"b": [1, "x\"y"], "a": null});
    s.turns[0].request.says.insert("isbn".into(), value.clone());
    s.turns[0]
        .request
        .customer
        .insert("store".into(), "Ló \n".into());
    let expected = format!(
        "{} {} {} {}",
        s.intent,
        evidence::field("isbn", Some(&value)),
        evidence::field("store", Some(&"Ló \n".into())),
        evidence::field("gone", None)
    );
    let t = trace(vec![s]);
    let c = crate::conversation::inferred(t);
    assert_eq!(question(&c.contacts[0]), Some(expected));
}
use crate::scenario::model::ConsistencyRule;
use serde_json::json;

/// Three steps asking `x.y` about k1=1 on c1, c2, c3, answering f and g.
fn asked(values: &[(Value, Value)]) -> Trace {
    let steps = values
        .iter()
        .enumerate()
        .map(|(i, (f, g))| {
            let mut s = step(&format!("s{}", i + 1), &format!("c{}", i + 1), i as u32 + 1);
            s.subject = Some(vec!["k1".into(), "k2".into()]);
            s.turns[0].request.says.insert("k1".into(), json!(1));
            let r = reply_mut(&mut s, 0);
            r.answer.insert("f".into(), f.clone());
            r.answer.insert("g".into(), g.clone());
            s
        })
        .collect();
    trace(steps)
}

#[test]
fn same_question_different_answer() {
    let t = asked(&[
        (json!(true), json!(1)),
        (json!(false), json!(1)),
        (json!(true), json!(1.0)),
    ]);
    let found = detect(&journey(&t), &t);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        (&*found[0].step, strs(&found[0].steps)),
        ("s2", vec!["s1", "s2"])
    );
    assert_eq!(strs(&found[1].steps), ["s2", "s3"]);
    assert_eq!(strs(&found[0].channels), ["c1", "c2"]);
    assert_eq!(
        found[0].message,
        "`f` differs: `s1` (c1) answered true, `s2` (c2) answered false, to the same question (x.y k1=1 k2 (absent))"
    );
    assert_eq!(found[0].evidence[1].quote, "done [f=false]");
}

#[test]
fn lists_of_scalars_compare_as_sets_unless_a_rule_says_exact() {
    let t = asked(&[
        (json!(["home", "store"]), json!(1)),
        (json!(["store", "home"]), json!(1)),
    ]);
    assert!(detect(&journey(&t), &t).is_empty(), "the same options");
    let t = asked(&[
        (json!(["home", "store"]), json!(1)),
        (json!(["home"]), json!(1)),
    ]);
    assert_eq!(detect(&journey(&t), &t).len(), 1, "one option fewer");
    let t = asked(&[(json!([[1, 2]]), json!(1)), (json!([[2, 1]]), json!(1))]);
    assert_eq!(
        detect(&journey(&t), &t).len(),
        1,
        "nested lists keep their order"
    );
    let mut t = asked(&[
        (json!(["home", "store"]), json!(1)),
        (json!(["store", "home"]), json!(1)),
    ]);
    for s in &mut t.steps {
        s.subject = None;
    }
    let mut j = journey(&t);
    j.consistent = vec![ConsistencyRule {
        steps: vec!["s1".into(), "s2".into()],
        fields: vec!["f".into()],
        compare: CompareRule::Exact,
    }];
    assert_eq!(detect(&j, &t).len(), 1, "the scenario says order matters");
}

#[test]
fn the_catalogue_says_which_lists_keep_their_order() {
    let t = asked(&[
        (json!(["home", "store"]), json!(1)),
        (json!(["store", "home"]), json!(1)),
    ]);
    let j = journey(&t);
    let intent = t.steps[0].intent.clone();
    let catalogue: crate::catalogue::Catalogue =
        serde_json::from_value(json!({"intents": [{"intent": intent, "ordered": ["f"]}]}))
            .expect("catalogue");
    let know = crate::rules::Knowledge::of(Some(catalogue));
    let conv = crate::conversation::scripted(t.clone(), &j);
    let cx = crate::rules::Check {
        expect: None,
        know: &know,
    };
    let mut out = Vec::new();
    same_question::SameQuestion.check(&conv, &cx, &mut out);
    assert_eq!(out.len(), 1, "an ordered list in another order differs");
    // Across journeys at the same moment: one journey each way round.
    let a = asked(&[(json!(["home", "store"]), json!(1))]);
    let b = asked(&[(json!(["store", "home"]), json!(1))]);
    let found = |know: &crate::rules::Knowledge| {
        let mut rule = same_moment::SameMoment::default();
        let mut second = crate::conversation::scripted(b.clone(), &journey(&b));
        second.journey = "another".into();
        rule.observe(
            0,
            &crate::conversation::scripted(a.clone(), &journey(&a)),
            know,
        );
        rule.observe(1, &second, know);
        rule.finish().len()
    };
    assert_eq!(found(&know), 1, "ordered: the same moment answers differ");
    assert_eq!(
        found(&crate::rules::Knowledge::default()),
        0,
        "a set: they agree"
    );
}

#[test]
fn different_subjects_unknown_subjects_and_non_answers_are_not_compared() {
    let mut t = asked(&[
        (json!(1), json!(0)),
        (json!(2), json!(0)),
        (json!(3), json!(0)),
    ]);
    t.steps[1].turns[0]
        .request
        .says
        .insert("k2".into(), json!("other"));
    t.steps[2].turns[0]
        .reply
        .as_mut()
        .map(|r| r.status = Status::NeedsInfo)
        .ok();
    assert!(detect(&journey(&t), &t).is_empty());
    let mut t = asked(&[(json!(1), json!(0)), (json!(2), json!(0))]);
    t.steps[1].subject = None;
    assert!(detect(&journey(&t), &t).is_empty());
}

#[test]
fn scenario_rules_compare_with_their_rule() {
    let mut t = asked(&[(json!([1, 2]), json!(10.0)), (json!([2, 1]), json!(10.4))]);
    for s in &mut t.steps {
        s.subject = None;
    }
    let mut j = journey(&t);
    let rule = |fields: &[&str], compare| ConsistencyRule {
        steps: vec!["s1".into(), "s2".into()],
        fields: fields.iter().map(|f| f.to_string()).collect(),
        compare,
    };
    j.consistent = vec![
        rule(&["f"], CompareRule::Set),
        rule(&["g"], CompareRule::Numeric { tolerance: 0.5 }),
    ];
    assert!(detect(&j, &t).is_empty());
    j.consistent = vec![rule(&["f", "g"], CompareRule::Exact)];
    let found = detect(&j, &t);
    assert_eq!(
        found.iter().map(|f| &*f.rule).collect::<Vec<_>>(),
        vec!["consistent", "consistent"]
    );
}

#[test]
fn values_are_alike_when_written_alike() {
    let values = json!([
        null, true, false, 0, 1, -1, 1.0, -0.0, 0.0, 1e300, u64::MAX, i64::MIN, "1", "a",
        [], [1], [1.0], [1, 2], [2, 1], {}, {"a": 1}, {"a": 1.0}, {"b": 1}, {"a": 1, "b": 2}
    ]);
    let Value::Array(values) = values else {
        panic!("an array");
    };
    for a in &values {
        for b in &values {
            let alike = evidence::value(a) == evidence::value(b);
            assert_eq!(written_alike(a, b), alike, "{a} {b}");
        }
    }
    let set = |v: Value| {
        let Value::Array(items) = v else {
            panic!("an array");
        };
        items
            .iter()
            .map(evidence::value)
            .collect::<std::collections::BTreeSet<_>>()
    };
    for (a, b) in [
        (json!([1, 2, 2]), json!([2, 1])),
        (json!([1, 2]), json!([2, 3])),
        (json!([1]), json!([1.0])),
        (json!([]), json!([])),
        (json!([[1, 2]]), json!([[2, 1]])),
    ] {
        let expected = set(a.clone()) == set(b.clone());
        assert_eq!(agree(&CompareRule::Set, &a, &b), expected, "{a} {b}");
    }
}

#[test]
fn ignore_rule_silences_the_automatic_comparison() {
    let t = asked(&[(json!(1), json!(0)), (json!(2), json!(0))]);
    let mut j = journey(&t);
    j.consistent = vec![ConsistencyRule {
        steps: vec!["s1".into(), "s2".into()],
        fields: vec!["f".into()],
        compare: CompareRule::Ignore,
    }];
    assert!(detect(&j, &t).is_empty());
}

#[test]
fn across_journeys_at_the_same_moment_only() {
    let t1 = asked(&[(json!(1), json!(0))]);
    let mut t2 = asked(&[(json!(2), json!(0))]);
    t2.journey = "j2".into();
    let (j1, j2) = (journey(&t1), journey(&t2));
    let found = across_journeys(&[(&j1, &t1), (&j2, &t2)]);
    assert_eq!(found.len(), 1);
    assert_eq!(&*found[0].journey, "j2");
    assert_eq!(strs(&found[0].steps), ["j/s1", "s1"]);
    assert_eq!(strs(&found[0].channels), ["c1"]);
    assert_eq!(&*found[0].evidence[0].step, "j/s1");
    t2.steps[0].at = at(5).into();
    assert!(across_journeys(&[(&j1, &t1), (&j2, &t2)]).is_empty());
}

#[test]
fn across_journeys_each_answer_is_compared_with_the_first() {
    let named = |name: &str, f: Value| {
        let mut t = asked(&[(f, json!(0))]);
        t.journey = name.into();
        t
    };
    let (t1, t2, mut t3) = (
        named("j1", json!(1)),
        named("j2", json!(1)),
        named("j3", json!(3)),
    );
    // The same moment written with another offset.
    t3.steps[0].at = "2026-01-01T02:00:00+01:00".into();
    let (j1, j2, j3) = (journey(&t1), journey(&t2), journey(&t3));
    let found = across_journeys(&[(&j1, &t1), (&j2, &t2), (&j3, &t3)]);
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (&*f.journey, &*f.evidence[0].step))
        .collect();
    assert_eq!(got, vec![("j3", "j1/s1")]);
    assert!(
        found[0]
            .message
            .contains("answered 1, `s1` (c1) answered 3")
    );
}

#[test]
fn a_matrix_step_id_stands_for_its_expansions() {
    let mut t = asked(&[(json!(1), json!(0)), (json!(2), json!(0))]);
    for s in &mut t.steps {
        s.subject = None;
    }
    let mut j = journey(&t);
    for s in &mut j.steps {
        s.group = Some("m".into());
    }
    j.consistent = vec![ConsistencyRule {
        steps: vec!["m".into()],
        fields: vec!["f".into()],
        compare: CompareRule::Exact,
    }];
    let found = detect(&j, &t);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, "consistent");
}
