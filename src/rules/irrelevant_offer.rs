//! `irrelevant-offer/ignores-profile`: a promotion about something the customer's profile
//! says nothing of. A company that knows the customer's purchases and interests and still
//! sends offers for products they would never buy shows it does not use what it knows.
//!
//! Promotions: the final outbox's messages `Knowledge::promotion` gives a topic for
//! (unsolicited, not a survey). The profile: the values (a string, or a list of strings)
//! of the customer facts the catalogue names (`Knowledge::profile`) among what the journey
//! declares of the customer. A customer with no profile value at all is not judged (there
//! is nothing to ignore). Topics and values compare without ASCII case. One finding per
//! topic, journey-level, its subject the topic, with every message about it as evidence.

use std::sync::Arc;

use serde_json::Value;

use crate::conversation::Conversation;
use crate::protocol::OutboxMessage;
use crate::rules::evidence;
use crate::rules::expectation::JOURNEY;
use crate::rules::finding::{Finding, Kind};
use crate::rules::new_finding;
use crate::rules::text::text;
use crate::rules::{Check, Rule};

pub struct IgnoresProfile;

impl Rule for IgnoresProfile {
    fn ids(&self) -> &'static [&'static str] {
        &["irrelevant-offer/ignores-profile"]
    }

    fn check(&self, conv: &Conversation, cx: &Check<'_>, out: &mut Vec<Finding>) {
        let Some(messages) = conv.final_outbox() else {
            return;
        };
        let profile = cx.know.profile();
        let values = profile_values(conv, profile);
        if values.is_empty() {
            return;
        }
        // Topics in the order they first came, each with its messages.
        let mut topics: Vec<(&str, Vec<&OutboxMessage>)> = Vec::new();
        for m in messages {
            let Some(topic) = cx.know.promotion(m) else {
                continue;
            };
            if values
                .iter()
                .any(|v| v.trim().eq_ignore_ascii_case(topic.trim()))
            {
                continue;
            }
            match topics.iter_mut().find(|(t, _)| *t == topic) {
                Some((_, ms)) => ms.push(m),
                None => topics.push((topic, vec![m])),
            }
        }
        if topics.is_empty() {
            return;
        }
        let described = describe(conv, profile);
        let step: Arc<str> = Arc::from(JOURNEY);
        for (topic, ms) in topics {
            let message = text!(
                ms.len(),
                if ms.len() == 1 {
                    " promotion"
                } else {
                    " promotions"
                },
                " about `",
                topic,
                "`, which the customer's profile does not mention (",
                described,
                ")"
            );
            let evidence = ms
                .iter()
                .map(|m| evidence::outbox(m, "promotion"))
                .collect();
            out.push(new_finding(
                Kind::IrrelevantOffer,
                conv,
                &step,
                vec![],
                "ignores-profile",
                Some(topic.to_string()),
                message,
                evidence,
            ));
        }
    }
}

/// Every string value of the profile facts the journey declares of the customer.
fn profile_values<'c>(conv: &'c Conversation, profile: &[String]) -> Vec<&'c str> {
    let mut values = Vec::new();
    for fact in profile {
        match conv.declared.customer.get(fact) {
            Some(Value::String(s)) => values.push(s.as_str()),
            Some(Value::Array(items)) => values.extend(items.iter().filter_map(Value::as_str)),
            _ => {}
        }
    }
    values
}

/// The profile facts the customer has: `purchases=["x"], interests=["y"]`.
fn describe(conv: &Conversation, profile: &[String]) -> String {
    let mut out = String::new();
    for fact in profile {
        if let Some(v) = conv.declared.customer.get(fact) {
            if !out.is_empty() {
                out.push_str(", ");
            }
            evidence::push_field(&mut out, fact, Some(v));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::engine::trace::Trace;
    use crate::rules::Knowledge;
    use crate::rules::testkit::*;
    use serde_json::json;

    fn know() -> Knowledge {
        let catalogue: Catalogue = serde_json::from_value(json!({
            "outbox": {"about": "topic", "surveys": ["survey"]},
            "profile": ["p1", "p2"]
        }))
        .expect("catalogue");
        Knowledge::of(Some(catalogue))
    }

    fn run(t: &Trace, customer: Value, know: &Knowledge) -> Vec<Finding> {
        let mut j = journey(t);
        j.customer.facts = serde_json::from_value(customer).expect("facts");
        let conv = crate::conversation::scripted(t.clone(), &j);
        let cx = Check { expect: None, know };
        let mut out = Vec::new();
        IgnoresProfile.check(&conv, &cx, &mut out);
        out
    }

    fn about(hour: u32, topic: &str, fulfils: Option<&str>) -> OutboxMessage {
        let mut m = message("c1", hour, fulfils);
        m.answer.insert("topic".into(), json!(topic));
        m
    }

    fn with_outbox(messages: Vec<OutboxMessage>) -> Trace {
        let mut t = trace(vec![step("s1", "c1", 1)]);
        t.outbox_reads = vec![outbox_read(9, messages)];
        t
    }

    #[test]
    fn promotions_about_nothing_in_the_profile() {
        let t = with_outbox(vec![
            about(2, "garden", None),
            about(3, "Games", None),
            about(4, "baby", None),
            about(5, "garden", None),
            about(6, "survey", None),
            about(7, "tools", Some("p9")),
        ]);
        let found = run(
            &t,
            json!({"p1": ["games"], "p2": "books", "k": "x"}),
            &know(),
        );
        let subjects: Vec<_> = found.iter().map(|f| f.subject.as_deref()).collect();
        assert_eq!(subjects, [Some("garden"), Some("baby")]);
        let f = &found[0];
        assert_eq!((&*f.step, &*f.rule), ("journey", "ignores-profile"));
        assert_eq!(f.kind, Kind::IrrelevantOffer);
        assert_eq!(f.evidence.len(), 2);
        assert_eq!(strs(&f.channels), ["c1"]);
        assert_eq!(
            f.message,
            r#"2 promotions about `garden`, which the customer's profile does not mention (p1=["games"], p2="books")"#
        );
    }

    #[test]
    fn no_profile_or_only_relevant_offers_gives_nothing() {
        let t = with_outbox(vec![about(2, "garden", None)]);
        assert!(run(&t, json!({"k": "x", "p1": []}), &know()).is_empty());
        assert!(run(&t, json!({"p1": ["garden"]}), &know()).is_empty());
        assert!(run(&t, json!({"p1": ["x"]}), &Knowledge::default()).is_empty());
        let mut t = t;
        t.outbox_reads.clear();
        assert!(run(&t, json!({"p1": ["x"]}), &know()).is_empty());
    }
}
