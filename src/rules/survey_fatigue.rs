//! `survey-fatigue/reminders`: more survey messages (a survey and its reminders) than the
//! journey may get (`Knowledge::max_surveys`). Asking once how it went is fair; asking
//! again and again wears out the customer the survey is meant to hear.
//!
//! Surveys: the final outbox's messages `Knowledge::is_survey` recognises (the catalogue's
//! `outbox.about` and `outbox.surveys`). One finding per journey, journey-level, no
//! subject, with every survey message as evidence.

use std::sync::Arc;

use crate::conversation::Conversation;
use crate::protocol::OutboxMessage;
use crate::rules::evidence;
use crate::rules::expectation::JOURNEY;
use crate::rules::finding::{Finding, Kind};
use crate::rules::new_finding;
use crate::rules::text::text;
use crate::rules::{Check, Rule};

pub struct Reminders;

impl Rule for Reminders {
    fn ids(&self) -> &'static [&'static str] {
        &["survey-fatigue/reminders"]
    }

    fn check(&self, conv: &Conversation, cx: &Check<'_>, out: &mut Vec<Finding>) {
        let Some(messages) = conv.final_outbox() else {
            return;
        };
        let surveys: Vec<&OutboxMessage> =
            messages.iter().filter(|m| cx.know.is_survey(m)).collect();
        let max = cx.know.max_surveys;
        if surveys.len() <= max {
            return;
        }
        let (first, last) = match (surveys.first(), surveys.last()) {
            (Some(f), Some(l)) => (f, l),
            _ => return,
        };
        let message = text!(
            surveys.len(),
            " survey messages in the outbox (",
            first.at,
            " to ",
            last.at,
            "), more than the ",
            max,
            " a journey may get"
        );
        let evidence = surveys
            .iter()
            .map(|m| evidence::outbox(m, "survey"))
            .collect();
        out.push(new_finding(
            Kind::SurveyFatigue,
            conv,
            &Arc::from(JOURNEY),
            vec![],
            "reminders",
            None,
            message,
            evidence,
        ));
    }
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
            "outbox": {"about": "topic", "surveys": ["survey", "survey-reminder"]}
        }))
        .expect("catalogue");
        Knowledge::of(Some(catalogue))
    }

    fn run(t: &Trace, know: &Knowledge) -> Vec<Finding> {
        let conv = crate::conversation::scripted(t.clone(), &journey(t));
        let cx = Check { expect: None, know };
        let mut out = Vec::new();
        Reminders.check(&conv, &cx, &mut out);
        out
    }

    fn with_topics(topics: &[&str]) -> Trace {
        let messages = topics
            .iter()
            .zip(2..)
            .map(|(topic, hour)| {
                let mut m = message("c2", hour, None);
                m.answer.insert("topic".into(), json!(topic));
                m
            })
            .collect();
        let mut t = trace(vec![step("s1", "c1", 1)]);
        t.outbox_reads = vec![outbox_read(1, vec![]), outbox_read(30, messages)];
        t
    }

    #[test]
    fn a_survey_and_reminders_are_too_many() {
        let t = with_topics(&["survey", "garden", "survey-reminder", "survey-reminder"]);
        let found = run(&t, &know());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!((&*f.step, f.subject.as_deref()), ("journey", None));
        assert_eq!(f.kind, Kind::SurveyFatigue);
        assert_eq!(f.evidence.len(), 3);
        assert_eq!(strs(&f.channels), ["c2"]);
        assert_eq!(
            f.message,
            "3 survey messages in the outbox (2026-01-01T02:00:00+00:00 to \
             2026-01-01T05:00:00+00:00), more than the 1 a journey may get"
        );
    }

    #[test]
    fn one_survey_or_a_higher_threshold_is_fine() {
        let t = with_topics(&["survey", "garden", "garden"]);
        assert!(run(&t, &know()).is_empty());
        let t = with_topics(&["survey", "survey-reminder"]);
        let mut lenient = know();
        lenient.max_surveys = 2;
        assert!(run(&t, &lenient).is_empty());
        assert_eq!(run(&t, &know()).len(), 1);
        assert!(run(&t, &Knowledge::default()).is_empty());
    }
}
