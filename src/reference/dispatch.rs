//! `handle`: one validated touchpoint -> one reply. Replays a repeated (step, turn),
//! checks the intent's channels, routes to the domain module, and remembers what was said.

use crate::protocol::{Reply, Status, Touchpoint};

use super::clock::Instant;
use super::context::Ctx;
use super::data::Fixtures;
use super::profile::Profile;
use super::state::JourneyState;
use super::{bank, contact, incidents, invoices, marketing, orders, stock};

/// Channels per intent (`None`: every channel); mirrors `intents::catalogue()`.
fn channels(intent: &str) -> Option<&'static [&'static str]> {
    Some(match intent {
        "cart.options" => &["web", "app"],
        "order.create" => &["store", "web", "app", "phone"],
        "invoice.change" => &["store", "email", "phone"],
        "incident.report" => &["phone", "email", "chat"],
        "account.help" => &["phone", "store", "chat"],
        "booking.slots" => &["web", "app", "kiosk"],
        "queue.status" => &["app", "kiosk"],
        "info.request" => &["email", "whatsapp", "sms", "social", "web"],
        "question.ask" => &["email", "social", "chat", "whatsapp"],
        "support.request" => &["ivr", "phone", "web"],
        "device.activate" => &["store"],
        "marketing.optin" => &["sms", "email", "web"],
        _ => return None,
    })
}

pub fn handle(
    tp: &Touchpoint,
    at: Instant,
    fx: &Fixtures,
    profile: &Profile,
    st: &mut JourneyState,
) -> Reply {
    let key = (tp.step.clone(), tp.turn);
    if let Some(reply) = st.replies.get(&key) {
        return reply.clone();
    }
    let mut c = Ctx {
        tp,
        at,
        fx,
        profile,
        st,
    };
    let reply = match channels(&tp.intent) {
        Some(list) if !list.contains(&tp.channel.as_str()) => c.reply(
            Status::Refused,
            format!(
                "`{}` is not available on {}; try {}.",
                tp.intent,
                tp.channel,
                list.join(", ")
            ),
        ),
        _ => route(&mut c),
    };
    for (k, v) in &tp.says {
        st.memory.insert(k.clone(), v.clone());
    }
    st.replies.insert(key, reply.clone());
    reply
}

fn route(c: &mut Ctx) -> Reply {
    match c.tp.intent.as_str() {
        "stock.check" => stock::stock_check(c),
        "cart.options" => stock::cart_options(c),
        "order.create" => orders::create(c),
        "order.status" => orders::status(c),
        "device.activate" => orders::activate(c),
        "invoice.change" => invoices::change(c),
        "incident.report" => incidents::report(c),
        "account.help" => bank::account_help(c),
        "booking.slots" => bank::booking_slots(c),
        "queue.status" => bank::queue_status(c),
        "info.request" => bank::info_request(c),
        "question.ask" => contact::question(c),
        "support.request" => contact::support(c),
        "marketing.optin" => marketing::optin(c),
        other => c.reply(Status::Error, format!("intent `{other}` has no handler")),
    }
}
