//! Messages nobody asked for: `marketing.optin` promotions and the survey after an
//! order (seam `marketing`: reminders, and promotions that ignore purchase history).

use serde_json::json;

use crate::protocol::{Reply, Status};

use super::clock::{days, hours};
use super::context::{Ctx, Message, facts};
use super::profile::Seam;

pub fn optin(c: &mut Ctx) -> Reply {
    let channel = if c.channel() == "sms" { "sms" } else { "email" };
    let mut history: Vec<String> = c
        .marketing_customer()
        .map(|k| k.history.clone())
        .unwrap_or_default();
    history.extend(c.st.bought.iter().cloned());
    history.sort();
    history.dedup();
    let topics: Vec<String> = if c.broken(Seam::Marketing) {
        // "Picked at random": a fixed pick that ignores the history.
        let mut all: Vec<String> =
            c.fx.catalogue
                .items
                .iter()
                .map(|i| i.category.clone())
                .filter(|cat| !history.contains(cat))
                .collect();
        all.sort();
        all.dedup();
        all
    } else {
        history
    };
    if !topics.is_empty() {
        for i in 0..c.fx.policies.promotions {
            let topic = topics[i as usize % topics.len()].clone();
            c.send(
                days(1 + 7 * i64::from(i)),
                Message::new(channel, format!("This week: offers on {topic}."))
                    .answer(facts([("topic", json!(topic))])),
            );
        }
    }
    let mut reply = c.reply(Status::Done, "You are subscribed.");
    reply.answer = facts([("subscribed", json!(true))]);
    reply
}

/// After the journey's first order: a survey, and (broken) reminders to fill it in.
pub fn after_order(c: &mut Ctx) {
    if c.st.surveyed {
        return;
    }
    c.st.surveyed = true;
    let p = &c.fx.policies;
    let (first, every, reminders) = (p.survey_after_hours, p.reminder_every_hours, p.reminders);
    c.send(
        hours(first),
        Message::new("email", "How did we do? Take our survey.")
            .answer(facts([("topic", json!("survey"))])),
    );
    if c.broken(Seam::Marketing) {
        for i in 1..=i64::from(reminders) {
            c.send(
                hours(first + every * i),
                Message::new("email", "Reminder: take our survey.")
                    .answer(facts([("topic", json!("survey"))])),
            );
        }
    }
}
