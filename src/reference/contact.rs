//! The contact centre: `question.ask` (e-mail, social, chat, WhatsApp; seam
//! `contact-desk`) and `support.request` (IVR menus, phone agent, web wizard with call-back).

use serde_json::json;

use crate::protocol::{Facts, Redirect, Reply, Status};

use super::clock::{hours, minutes};
use super::context::{Ctx, Message, Need, facts};
use super::profile::Seam;

fn content(c: &Ctx, topic: &str) -> String {
    c.fx.topic(topic).map_or_else(
        || format!("An advisor has looked into `{topic}`: there is nothing more to add."),
        |t| t.content.clone(),
    )
}

pub fn question(c: &mut Ctx) -> Reply {
    let Some(topic) = c.known_str("topic") else {
        return c.ask(vec!["topic".into()]);
    };
    let text = content(c, &topic);
    let answer = facts([("content", json!(text))]);
    match c.channel() {
        "email" => {
            let p = &c.fx.policies;
            let (within, after, slow) = (
                hours(p.email_reply_hours),
                hours(p.email_answer_after_hours),
                hours(p.email_slow_reply_hours),
            );
            let follow_up = !c.st.email_topics.insert(topic.clone());
            let mut reply = c.reply(Status::Pending, "We have received your e-mail.");
            let promise = c.promise("email_reply", "email", within);
            if !c.broken(Seam::ContactDesk) {
                c.send(
                    after,
                    Message::new("email", text).fulfils(&promise).answer(answer),
                );
            } else if follow_up {
                let redirect = Redirect {
                    channel: "phone".into(),
                    reason: "please phone us instead".into(),
                    refs: Facts::new(),
                };
                c.send(
                    slow,
                    Message::new("email", "Please phone us about this.").redirect(redirect),
                );
            }
            reply.promises.push(promise);
            reply
        }
        "social" if c.broken(Seam::ContactDesk) => {
            let mut reply = c.reply(Status::Redirected, "Call us.");
            reply.redirect = Some(Redirect {
                channel: "phone".into(),
                reason: "call us".into(),
                refs: Facts::new(),
            });
            reply
        }
        _ => {
            let mut reply = c.reply(Status::Done, text);
            reply.answer = answer;
            reply
        }
    }
}

pub fn support(c: &mut Ctx) -> Reply {
    match c.channel() {
        "ivr" => ivr(c),
        "web" => wizard(c),
        _ => agent(c),
    }
}

/// Three menus, one question each, then a transfer to an agent with the case.
fn ivr(c: &mut Ctx) -> Reply {
    for key in ["topic", "account", "reason"] {
        if let Need::Ask(keys) = c.need(&[key]) {
            let mut reply = c.ask(keys);
            reply.agent = Some(format!("ivr-menu-{key}"));
            return reply;
        }
    }
    let topic = c.known_str("topic").unwrap_or_default();
    let case = c.next_case(&topic);
    let refs = facts([("case", json!(case))]);
    let mut reply = c.reply(Status::Redirected, "Transferring you to an agent.");
    reply.redirect = Some(Redirect {
        channel: "phone".into(),
        reason: "agent".into(),
        refs: refs.clone(),
    });
    reply.refs = refs;
    reply
}

fn agent(c: &mut Ctx) -> Reply {
    match c.need(&["topic", "account", "reason"]) {
        Need::Ask(keys) => return c.ask(keys),
        Need::Declined(keys) => return c.refuse_declined(&keys, "open your case"),
        Need::Have => {}
    }
    let topic = c.known_str("topic").unwrap_or_default();
    let case = match c.reference("case") {
        Some(case) if c.st.find_case(&case).is_some() => case,
        Some(case) => {
            return c.reply(
                Status::UnknownReference,
                format!("We cannot find case {case}."),
            );
        }
        None => c.next_case(&topic),
    };
    let mut reply = c.reply(
        Status::Done,
        format!("Case {case} is open and being handled."),
    );
    reply.refs = facts([("case", json!(case))]);
    reply.answer = facts([("case_status", json!("open"))]);
    reply
}

/// The web support wizard: opens a case and promises a call-back on the phone.
fn wizard(c: &mut Ctx) -> Reply {
    let Some(topic) = c.known_str("topic") else {
        return c.ask(vec!["topic".into()]);
    };
    let phone = match c.need(&["phone"]) {
        Need::Ask(keys) => return c.ask(keys),
        Need::Declined(_) => None,
        Need::Have => c.known_str("phone"),
    };
    let case = c.next_case(&topic);
    let refs = facts([("case", json!(case))]);
    let mut reply;
    if phone.is_some() {
        let p = &c.fx.policies;
        let (within, after) = (hours(p.callback_hours), minutes(p.callback_after_minutes));
        reply = c.reply(Status::Pending, "An agent will call you back.");
        let promise = c.promise("callback", "phone", within);
        c.send(
            after,
            Message::new("phone", format!("Call-back about case {case}."))
                .fulfils(&promise)
                .refs(refs.clone()),
        );
        reply.promises.push(promise);
    } else {
        reply = c.reply(Status::Done, "Your case is open; follow it on the web.");
    }
    reply.answer = facts([
        ("case_status", json!("open")),
        ("callback", json!(phone.is_some())),
    ]);
    reply.refs = refs;
    reply
}
