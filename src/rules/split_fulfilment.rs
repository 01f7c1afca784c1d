//! `split-fulfilment/several-parcels`: one order delivered as several parcels, by several
//! carriers or on several dates. The customer bought once and gets a fragmented delivery
//! (more shipping, several waits) where a unified stock would ship one parcel.
//!
//! Read by role (`Knowledge::role`) on a contact's final answer: the `parcels` field more
//! than 1, or the `carriers` or `delivery_dates` list with more than one distinct value.
//! One finding per contact, its subject the `parcels` role's field when the intent has
//! one (else the first role field that shows the split).

use serde_json::Value;

use crate::conversation::Conversation;
use crate::rules::evidence;
use crate::rules::finding::{Finding, Kind};
use crate::rules::new_finding;
use crate::rules::text::{Json, text};
use crate::rules::{Check, Rule};

pub struct SeveralParcels;

/// The list roles, after `parcels`.
const LISTS: [&str; 2] = ["carriers", "delivery_dates"];

impl Rule for SeveralParcels {
    fn ids(&self) -> &'static [&'static str] {
        &["split-fulfilment/several-parcels"]
    }

    fn check(&self, conv: &Conversation, cx: &Check<'_>, out: &mut Vec<Finding>) {
        for contact in &conv.contacts {
            let Some(reply) = contact.final_reply() else {
                continue;
            };
            let role = |r: &str| cx.know.role(&contact.intent, r);
            // (field, how it shows the split)
            let mut shown: Vec<(&str, String)> = Vec::new();
            let parcels = role("parcels");
            if let Some(field) = parcels
                && let Some(v) = reply.answer.get(field)
                && v.as_f64().is_some_and(|n| n > 1.0)
            {
                shown.push((field, text!(field, "=", Json(v))));
            }
            for field in LISTS.into_iter().filter_map(role) {
                if let Some(v @ Value::Array(items)) = reply.answer.get(field) {
                    let n = distinct(items);
                    if n > 1 {
                        shown.push((field, text!(field, "=", Json(v), " (", n, " distinct)")));
                    }
                }
            }
            let Some((first, _)) = shown.first() else {
                continue;
            };
            let subject = parcels.unwrap_or(first).to_string();
            let fields: Vec<&str> = shown.iter().map(|(f, _)| *f).collect();
            let how: Vec<&str> = shown.iter().map(|(_, h)| h.as_str()).collect();
            let message = text!(
                "step `",
                contact.id,
                "` (",
                contact.channel,
                ") splits the fulfilment: ",
                how.join(", ")
            );
            let ev = evidence::on_step(contact, "SUT answered", evidence::reply(reply, &fields));
            out.push(new_finding(
                Kind::SplitFulfilment,
                conv,
                &contact.id,
                vec![],
                "several-parcels",
                Some(subject),
                message,
                vec![ev],
            ));
        }
    }
}

/// How many distinct values a list holds (`1` and `1.0` the same).
fn distinct(items: &[Value]) -> usize {
    let mut seen: Vec<&Value> = Vec::with_capacity(items.len());
    for v in items {
        if !seen.iter().any(|s| evidence::same(s, v)) {
            seen.push(v);
        }
    }
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::engine::trace::Trace;
    use crate::rules::Knowledge;
    use crate::rules::testkit::*;
    use serde_json::json;

    /// `x.y` with all three roles, `x.z` with the lists only.
    fn know() -> Knowledge {
        let catalogue: Catalogue = serde_json::from_value(json!({"intents": [
            {"intent": "x.y", "roles": {"parcels": "n", "carriers": "cs", "delivery_dates": "ds"}},
            {"intent": "x.z", "roles": {"carriers": "cs", "delivery_dates": "ds"}}
        ]}))
        .expect("catalogue");
        Knowledge::of(Some(catalogue))
    }

    fn run(t: &Trace, know: &Knowledge) -> Vec<Finding> {
        let conv = crate::conversation::scripted(t.clone(), &journey(t));
        let cx = Check { expect: None, know };
        let mut out = Vec::new();
        SeveralParcels.check(&conv, &cx, &mut out);
        out
    }

    fn answered(id: &str, intent: &str, answer: Value) -> crate::engine::trace::StepTrace {
        let mut s = step(id, "c1", 1);
        s.intent = intent.into();
        s.turns[0].request.intent = intent.into();
        reply_mut(&mut s, 0).answer = serde_json::from_value(answer).expect("answer");
        s
    }

    #[test]
    fn several_parcels_carriers_or_dates() {
        let t = trace(vec![
            answered("a", "x.y", json!({"n": 2})),
            answered(
                "b",
                "x.y",
                json!({"n": 2, "cs": ["A", "B"], "ds": ["d1", "d2", "d1"]}),
            ),
            answered(
                "c",
                "x.y",
                json!({"n": 1, "cs": ["A", "A"], "ds": ["d1", "d2"]}),
            ),
            answered("d", "x.z", json!({"n": 3, "cs": ["A", "B"]})),
        ]);
        let found = run(&t, &know());
        let got: Vec<_> = found
            .iter()
            .map(|f| (&*f.step, f.subject.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", Some("n")),
                ("b", Some("n")),
                ("c", Some("n")),
                ("d", Some("cs"))
            ]
        );
        assert_eq!(
            found[1].message,
            r#"step `b` (c1) splits the fulfilment: n=2, cs=["A","B"] (2 distinct), ds=["d1","d2","d1"] (2 distinct)"#
        );
        assert_eq!(
            found[1].evidence[0].quote,
            r#"done [n=2, cs=["A","B"], ds=["d1","d2","d1"]]"#
        );
        assert_eq!(found[0].kind, Kind::SplitFulfilment);
    }

    #[test]
    fn one_parcel_or_unknown_roles_give_nothing() {
        let t = trace(vec![
            answered("a", "x.y", json!({"n": 1, "cs": ["A"], "ds": ["d1", "d1"]})),
            answered("b", "x.y", json!({"n": "2", "cs": "A,B"})),
            answered("c", "x.w", json!({"n": 2, "cs": ["A", "B"]})),
        ]);
        assert!(run(&t, &know()).is_empty());
        let t = trace(vec![answered("a", "x.y", json!({"n": 2}))]);
        assert!(run(&t, &Knowledge::default()).is_empty());
    }
}
