//! The bank-like desk: `account.help` (identity, transfers to a specialist), and the
//! content every channel must agree on: `booking.slots`, `queue.status`, `info.request`.

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Value, json};

use crate::protocol::{Redirect, Reply, Status};

use super::clock::{minutes, parse_hhmm};
use super::context::{Ctx, Need, facts};

const IDENTITY: [&str; 3] = ["name", "tax_id", "account"];

pub fn account_help(c: &mut Ctx) -> Reply {
    let Some(topic) = c.known_str("topic") else {
        return c.ask(vec!["topic".into()]);
    };
    match c.need(&IDENTITY) {
        Need::Ask(keys) => return c.ask(keys),
        Need::Declined(keys) => return c.refuse_declined(&keys, "verify your identity"),
        Need::Have => {}
    }
    let quoted = c.reference("case");
    if let Some(case) = &quoted
        && c.st.find_case(case).is_none()
    {
        return c.reply(
            Status::UnknownReference,
            format!("We cannot find case {case}."),
        );
    }
    let specialist = c.fx.policies.specialist_topics.contains(&topic);
    if c.channel() == "phone" && quoted.is_none() && specialist {
        let case = c.next_case(&topic);
        let refs = facts([("case", json!(case))]);
        let mut reply = c.reply(Status::Redirected, "I am transferring you to a specialist.");
        reply.redirect = Some(Redirect {
            channel: "phone".into(),
            reason: format!("specialist for {topic}"),
            refs: refs.clone(),
        });
        reply.refs = refs;
        return reply;
    }
    let case = match quoted {
        Some(case) => case,
        None => {
            let existing = c.st.cases.iter().find(|k| k.topic == topic);
            match existing {
                Some(k) => k.reference.clone(),
                None => c.next_case(&topic),
            }
        }
    };
    let mut reply = c.reply(
        Status::Done,
        format!("Your {topic} request is open as {case}."),
    );
    if c.channel() == "phone" && c.tp.refs.contains_key("case") {
        reply.agent = Some(c.fx.agents.specialist.clone());
    }
    reply.refs = facts([("case", json!(case))]);
    reply.answer = facts([("case_status", json!("open"))]);
    reply
}

pub fn booking_slots(c: &mut Ctx) -> Reply {
    match c.need(&["branch", "date"]) {
        Need::Ask(keys) => return c.ask(keys),
        Need::Declined(keys) => return c.refuse_declined(&keys, "show the free slots"),
        Need::Have => {}
    }
    let (branch_id, date) = (
        c.known_str("branch").unwrap_or_default(),
        c.known_str("date").unwrap_or_default(),
    );
    let Some(branch) = c.fx.branch(&branch_id) else {
        return c.reply(Status::Refused, format!("We have no branch `{branch_id}`."));
    };
    let Ok(day) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") else {
        return c.reply(
            Status::Refused,
            format!("`{date}` is not a date (YYYY-MM-DD)."),
        );
    };
    let mut slots = Vec::new();
    let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    if weekday
        && let (Some(mut t), Some(end)) = (parse_hhmm(&branch.opens), parse_hhmm(&branch.closes))
    {
        let step = minutes(i64::from(branch.slot_minutes.max(5)));
        while t + step <= end {
            slots.push(t.format("%H:%M").to_string());
            t += step;
        }
    }
    let mut reply = c.reply(
        Status::Done,
        format!("{} free slots at {}.", slots.len(), branch.name),
    );
    reply.answer = facts([("slots", json!(slots))]);
    reply
}

pub fn queue_status(c: &mut Ctx) -> Reply {
    let Some(branch_id) = c.known_str("branch") else {
        return c.ask(vec!["branch".into()]);
    };
    let Some(branch) = c.fx.branch(&branch_id) else {
        return c.reply(Status::Refused, format!("We have no branch `{branch_id}`."));
    };
    let q = &branch.queue;
    let mut reply = c.reply(
        Status::Done,
        format!(
            "{} people waiting, about {} minutes.",
            q.waiting, q.wait_minutes
        ),
    );
    reply.answer = facts([
        ("waiting", json!(q.waiting)),
        ("wait_minutes", json!(q.wait_minutes)),
    ]);
    reply
}

pub fn info_request(c: &mut Ctx) -> Reply {
    let Some(topic) = c.known_str("topic") else {
        return c.ask(vec!["topic".into()]);
    };
    let Some(info) = c.fx.topic(&topic) else {
        return c.reply(
            Status::Refused,
            format!("We have no information on `{topic}`."),
        );
    };
    let mut reply = c.reply(Status::Done, info.content.clone());
    reply.answer = facts([
        ("content", json!(info.content)),
        ("fee", info.fee.map_or(Value::Null, |f| json!(f))),
        (
            "hours",
            info.hours.as_ref().map_or(Value::Null, |h| json!(h)),
        ),
    ]);
    reply
}
