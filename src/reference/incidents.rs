//! `incident.report`: the telco's emergency line (phone, chat, 08:00–22:00 local) and
//! its written path (e-mail, or out of hours), seam `after-hours`.

use serde_json::json;

use crate::protocol::{Facts, Reply, Status};

use super::clock::{self, hours};
use super::context::{Ctx, Message, Need, facts};
use super::data::IncidentOutcome;
use super::profile::Seam;

pub fn report(c: &mut Ctx) -> Reply {
    match c.need(&["service", "symptom"]) {
        Need::Ask(keys) => return c.ask(keys),
        Need::Declined(keys) => return c.refuse_declined(&keys, "diagnose the fault"),
        Need::Have => {}
    }
    // The caller id is the line when calling from it.
    let caller_id = matches!(c.channel(), "phone" | "ivr") && c.tp.customer.contains_key("phone");
    if !caller_id && let Need::Ask(keys) = c.need(&["line"]) {
        return c.ask(keys);
    }
    let symptom = c.known_str("symptom").unwrap_or_default();
    let p = &c.fx.policies;
    let outcome: IncidentOutcome = p
        .incidents
        .iter()
        .find(|i| i.symptom == symptom)
        .map(|i| i.outcome.clone())
        .unwrap_or_else(|| p.unknown_incident.clone());
    let line = &c.fx.stores.emergency_line;
    let live = matches!(c.channel(), "phone" | "chat")
        && clock::within_hours(c.at, &line.utc_offset, &line.opens, &line.closes);
    let answer = facts([
        ("resolution", json!(outcome.resolution)),
        ("fault_owner", json!(outcome.fault_owner)),
        ("resolved", json!(outcome.resolved)),
    ]);
    let case = c.next_case(&symptom);
    let refs = facts([("case", json!(case))]);
    if live {
        let mut reply = c.reply(
            Status::Done,
            "I understand: the login codes stop arriving and your team cannot work. It is \
probably not our fault, but let us reset your line remotely: switch the phone off, wait \
10 minutes and try again. We will call you to check.",
        );
        let (within, after) = (
            hours(p.follow_up_call_hours),
            hours(p.follow_up_after_hours),
        );
        let promise = c.promise("follow_up_call", "phone", within);
        c.send(
            after,
            Message::new("phone", "Follow-up call: is the line working now?")
                .fulfils(&promise)
                .refs(refs.clone()),
        );
        reply.promises.push(promise);
        reply.answer = answer;
        reply.refs = refs;
        return reply;
    }
    if c.broken(Seam::AfterHours) {
        let within = hours(p.ticket_reply_hours);
        let mut reply = c.reply(
            Status::Pending,
            format!(
                "The emergency line is closed. Ticket {case} opened; we reply within 48 hours."
            ),
        );
        let promise = c.promise("ticket_reply", "email", within);
        c.send(
            within - hours(1),
            Message::new(
                "email",
                format!("About ticket {case}: {}", outcome.resolution),
            )
            .fulfils(&promise)
            .refs(refs.clone())
            .answer(answer),
        );
        reply.promises.push(promise);
        reply.answer = facts([
            ("resolution", json!("ticket")),
            ("fault_owner", json!("unknown")),
            ("resolved", json!(false)),
        ]);
        reply.refs = refs;
        return reply;
    }
    written_path(c, outcome, answer, refs)
}

fn written_path(c: &mut Ctx, outcome: IncidentOutcome, answer: Facts, refs: Facts) -> Reply {
    let p = &c.fx.policies;
    let (within, after) = (
        hours(p.written_reply_hours),
        hours(p.written_reply_after_hours),
    );
    let mut reply = c.reply(
        Status::Done,
        "Let us reset your line remotely: switch the phone off, wait 10 minutes and try \
again. You will have our written reply within 4 hours.",
    );
    let promise = c.promise("written_reply", "email", within);
    c.send(
        after,
        Message::new("email", "Written reply: your line was reset remotely.")
            .fulfils(&promise)
            .refs(refs.clone())
            .answer(answer.clone()),
    );
    reply.promises.push(promise);
    let wants_call = c.tp.says.get("callback").and_then(|v| v.as_bool()) == Some(true);
    if wants_call || !outcome.resolved {
        let promise = c.promise("call_back", "phone", within);
        c.send(
            after + hours(1),
            Message::new("phone", "Call-back about your incident.")
                .fulfils(&promise)
                .refs(refs.clone()),
        );
        reply.promises.push(promise);
    }
    reply.answer = answer;
    reply.refs = refs;
    reply
}
