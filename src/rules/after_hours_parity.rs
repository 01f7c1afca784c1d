//! `after-hours-parity/worse-outcome`: the same need gets a worse outcome outside the
//! intent's opening hours than inside them. A customer who writes at night about the
//! incident that the live line fixed by day should get the same resolution, by another
//! process if need be (an e-mail desk, a call-back), not a ticket that leaves it open.
//!
//! The same need: contacts of the same intent asking the same question (the same subject
//! values, as `same-question` reads them). Inside or outside: the intent's hours
//! (`Knowledge::hours`) at the contact's time; intents without hours, or times that do not
//! parse, are not judged. Worse: when the intent has a `resolved` role, that field true
//! inside and not true outside; else (or when neither is resolved) final status `done`
//! inside and not `done` outside. The same resolution with another status (pending
//! outside, done inside) is parity. Only business answers compare (a fault or a question
//! left open is another rule's). One finding per contact outside the hours, on it.

use std::sync::Arc;

use chrono::DateTime;
use serde_json::Value;

use crate::catalogue::Hours;
use crate::conversation::{Contact, Conversation};
use crate::protocol::{Reply, Status};
use crate::rules::evidence;
use crate::rules::finding::{Finding, Kind};
use crate::rules::inconsistent_answer::push_question;
use crate::rules::new_finding;
use crate::rules::text::{Json, text};
use crate::rules::{Check, Rule};

pub struct WorseOutcome;

/// An answered contact of an intent with opening hours.
struct Timed<'a> {
    contact: &'a Contact,
    reply: &'a Reply,
    /// The question it asks (intent and subject values).
    question: String,
    hours: &'a Hours,
    inside: bool,
}

/// How the outcome outside the hours is worse.
enum Worse<'a> {
    /// The `resolved` field (named) is true inside and this outside.
    Resolved(&'a str, Option<&'a Value>),
    /// The status is `done` inside and this outside.
    Status(Status),
}

impl Rule for WorseOutcome {
    fn ids(&self) -> &'static [&'static str] {
        &["after-hours-parity/worse-outcome"]
    }

    fn check(&self, conv: &Conversation, cx: &Check<'_>, out: &mut Vec<Finding>) {
        let timed: Vec<Timed> = conv.contacts.iter().filter_map(|c| timed(c, cx)).collect();
        for late in timed.iter().filter(|t| !t.inside) {
            let resolved = cx.know.role(&late.contact.intent, "resolved");
            let better = timed
                .iter()
                .filter(|t| t.inside && t.question == late.question)
                .find_map(|t| worse(t.reply, late.reply, resolved).map(|w| (t, w)));
            if let Some((open, why)) = better {
                out.push(finding(conv, open, late, resolved, &why));
            }
        }
    }
}

/// `contact` with its reply, question and hours, when it can be judged.
fn timed<'a>(contact: &'a Contact, cx: &Check<'a>) -> Option<Timed<'a>> {
    let hours = cx.know.hours(&contact.intent)?;
    let at = DateTime::parse_from_rfc3339(&contact.at).ok()?;
    let inside = hours.contains(&at)?;
    let reply = contact.final_reply()?;
    if !evidence::is_business_answer(reply) {
        return None;
    }
    let mut question = String::new();
    if !push_question(&mut question, contact) {
        return None;
    }
    Some(Timed {
        contact,
        reply,
        question,
        hours,
        inside,
    })
}

/// How `outside` is worse than `inside`, if it is.
fn worse<'a>(inside: &Reply, outside: &'a Reply, resolved: Option<&'a str>) -> Option<Worse<'a>> {
    if let Some(field) = resolved {
        let is_true = |r: &Reply| r.answer.get(field) == Some(&Value::Bool(true));
        if is_true(outside) {
            return None;
        }
        if is_true(inside) {
            return Some(Worse::Resolved(field, outside.answer.get(field)));
        }
    }
    (inside.status == Status::Done && outside.status != Status::Done)
        .then_some(Worse::Status(outside.status))
}

fn finding(
    conv: &Conversation,
    open: &Timed,
    late: &Timed,
    resolved: Option<&str>,
    why: &Worse,
) -> Finding {
    let (i, o) = (open.contact, late.contact);
    let hours = late.hours;
    let offset = hours
        .offset
        .as_deref()
        .map_or(String::new(), |o| text!(" ", o));
    let days = if hours.days.is_empty() {
        String::new()
    } else {
        text!(" ", hours.days.join(","))
    };
    let because = match why {
        Worse::Resolved(field, Some(v)) => {
            text!("`", field, "` true inside, ", Json(v), " outside")
        }
        Worse::Resolved(field, None) => text!("`", field, "` true inside, absent outside"),
        Worse::Status(s) => text!("done inside, ", s.as_str(), " outside"),
    };
    let message = text!(
        "step `",
        o.id,
        "` (",
        o.channel,
        ") at ",
        o.at,
        " is outside the hours of `",
        o.intent,
        "` (",
        hours.open,
        "-",
        hours.close,
        offset,
        days,
        ") and gets a worse outcome than step `",
        i.id,
        "` (",
        i.channel,
        ") inside them: ",
        because
    );
    let fields: Vec<&str> = resolved.into_iter().collect();
    let evidence = vec![
        evidence::on_step(
            i,
            "SUT answered in hours",
            evidence::reply(open.reply, &fields),
        ),
        evidence::on_step(
            o,
            "SUT answered after hours",
            evidence::reply(late.reply, &fields),
        ),
    ];
    new_finding(
        Kind::AfterHoursParity,
        conv,
        &o.id,
        vec![Arc::clone(&i.id)],
        "worse-outcome",
        resolved.map(String::from),
        message,
        evidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::engine::trace::{StepTrace, Trace};
    use crate::rules::Knowledge;
    use crate::rules::testkit::*;
    use serde_json::json;

    /// `x.y` served 08:00-22:00 UTC, subject `k1`, with a `resolved` role when `role`.
    fn know(role: bool) -> Knowledge {
        let roles = if role {
            json!({"resolved": "ok"})
        } else {
            json!({})
        };
        let catalogue: Catalogue = serde_json::from_value(json!({"intents": [{
            "intent": "x.y", "channels": ["c1", "c2"], "subject": ["k1"], "roles": roles,
            "hours": {"open": "08:00", "close": "22:00", "offset": "+00:00"}
        }]}))
        .expect("catalogue");
        Knowledge::of(Some(catalogue))
    }

    fn run(t: &Trace, know: &Knowledge) -> Vec<Finding> {
        let conv = crate::conversation::scripted(t.clone(), &journey(t));
        let cx = Check { expect: None, know };
        let mut out = Vec::new();
        WorseOutcome.check(&conv, &cx, &mut out);
        out
    }

    /// A step asking about `k1 = value`, answered with `status` and `ok`.
    fn asked(
        id: &str,
        channel: &str,
        hour: u32,
        value: &str,
        status: Status,
        ok: Value,
    ) -> StepTrace {
        let mut s = step(id, channel, hour);
        s.subject = Some(vec!["k1".into()]);
        s.turns[0].request.says.insert("k1".into(), json!(value));
        let r = reply_mut(&mut s, 0);
        r.status = status;
        r.answer.insert("ok".into(), ok);
        s
    }

    #[test]
    fn unresolved_after_hours_what_was_resolved_in_hours() {
        let t = trace(vec![
            asked("day", "c1", 20, "v", Status::Done, json!(true)),
            asked("night", "c2", 23 + 24, "v", Status::Pending, json!(false)),
        ]);
        let found = run(&t, &know(true));
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!((&*f.step, f.subject.as_deref()), ("night", Some("ok")));
        assert_eq!(strs(&f.steps), ["day", "night"]);
        assert_eq!(
            f.message,
            "step `night` (c2) at 2026-01-02T23:00:00+00:00 is outside the hours of `x.y` \
             (08:00-22:00 +00:00) and gets a worse outcome than step `day` (c1) inside them: \
             `ok` true inside, false outside"
        );
        assert_eq!(f.evidence[1].quote, "pending [ok=false]");
    }

    #[test]
    fn the_same_resolution_by_another_process_is_parity() {
        let t = trace(vec![
            asked("day", "c1", 20, "v", Status::Done, json!(true)),
            asked("night", "c2", 23, "v", Status::Pending, json!(true)),
        ]);
        assert!(run(&t, &know(true)).is_empty());
    }

    #[test]
    fn without_a_resolved_role_the_status_decides() {
        let t = trace(vec![
            asked("day", "c1", 10, "v", Status::Done, json!(null)),
            asked("night", "c2", 2, "v", Status::Refused, json!(null)),
        ]);
        let found = run(&t, &know(false));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].subject, None);
        assert!(found[0].message.ends_with("done inside, refused outside"));
        // Neither resolved: the status still tells.
        assert_eq!(run(&t, &know(true)).len(), 1);
    }

    #[test]
    fn another_need_or_no_hours_is_not_compared() {
        let t = trace(vec![
            asked("day", "c1", 20, "v", Status::Done, json!(true)),
            asked("night", "c2", 23, "w", Status::Pending, json!(false)),
        ]);
        assert!(run(&t, &know(true)).is_empty());
        let t = trace(vec![
            asked("day", "c1", 20, "v", Status::Done, json!(true)),
            asked("night", "c2", 23, "v", Status::Pending, json!(false)),
        ]);
        assert!(run(&t, &Knowledge::default()).is_empty());
        // Both in hours: no after-hours contact.
        let t = trace(vec![
            asked("a", "c1", 9, "v", Status::Done, json!(true)),
            asked("b", "c2", 12, "v", Status::Pending, json!(false)),
        ]);
        assert!(run(&t, &know(true)).is_empty());
    }

    #[test]
    fn better_after_hours_or_a_bad_time_is_no_finding() {
        let t = trace(vec![
            asked("day", "c1", 20, "v", Status::Pending, json!(false)),
            asked("night", "c2", 23, "v", Status::Done, json!(true)),
        ]);
        assert!(run(&t, &know(true)).is_empty());
        let t = trace(vec![
            asked("day", "c1", 20, "v", Status::Done, json!(true)),
            asked("night", "c2", 23, "v", Status::Pending, json!(false)),
        ]);
        assert_eq!(run(&t, &know(true)).len(), 1);
        let mut conv = crate::conversation::scripted(t.clone(), &journey(&t));
        conv.contacts[1].at = "late at night".into();
        let know = know(true);
        let mut out = Vec::new();
        WorseOutcome.check(
            &conv,
            &Check {
                expect: None,
                know: &know,
            },
            &mut out,
        );
        assert!(out.is_empty());
    }
}
