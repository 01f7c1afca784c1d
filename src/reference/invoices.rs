//! `invoice.change`: the seller promises a corrected invoice, the administration
//! (e-mail, phone) issues it; seam `invoice-backoffice` hides online sales from it.

use serde_json::json;

use crate::protocol::{Reply, Status};

use super::clock::{days, hours};
use super::context::{Ctx, Message, Need, facts};
use super::profile::Seam;
use super::state::System;

pub const SEPARATE: &str = "Online and offline channels operate separately: \
the store's administration cannot change an invoice for a sale made online.";

pub fn change(c: &mut Ctx) -> Reply {
    let Some(reference) = c.reference("order") else {
        return match c.need(&["order"]) {
            Need::Declined(keys) => c.refuse_declined(&keys, "find the sale"),
            _ => c.ask(vec!["order".into()]),
        };
    };
    let Some(order) = c.st.find_order(&reference).cloned() else {
        return c.reply(
            Status::UnknownReference,
            format!("We cannot find sale {reference}."),
        );
    };
    let seller = c.channel() == "store";
    let admin_blind = order.system == System::Web && c.broken(Seam::InvoiceBackoffice);
    if !seller && admin_blind {
        let mut reply = c.reply(Status::Refused, SEPARATE);
        reply.agent = Some(c.fx.agents.administration.clone());
        reply.answer = facts([("changeable", json!(false))]);
        return reply;
    }
    // The type and tax id travel with a pending request; otherwise ask for them.
    let pending = order.invoice_change.clone();
    let invoice_type = match (c.known_str("invoice_type"), &pending) {
        (Some(t), _) => t,
        (None, Some((t, _))) => t.clone(),
        (None, None) => return c.ask(vec!["invoice_type".into()]),
    };
    let policies = &c.fx.policies;
    if !policies.invoice_types.contains(&invoice_type) {
        let mut reply = c.reply(
            Status::Refused,
            format!(
                "We issue invoices of type {} only.",
                policies.invoice_types.join(", ")
            ),
        );
        reply.answer = facts([("changeable", json!(false))]);
        return reply;
    }
    if c.at > order.at + days(policies.invoice_change_window_days) {
        let mut reply = c.reply(
            Status::Refused,
            "That sale is too old to change its invoice.",
        );
        reply.answer = facts([("changeable", json!(false))]);
        return reply;
    }
    let tax_id = match (c.known_str("tax_id"), &pending) {
        (Some(t), _) => Some(t),
        (None, Some((_, t))) => t.clone(),
        (None, None) => None,
    };
    if invoice_type == "A" && tax_id.is_none() {
        return match c.need(&["tax_id"]) {
            Need::Declined(keys) => c.refuse_declined(&keys, "issue a type A invoice"),
            _ => c.ask(vec!["tax_id".into()]),
        };
    }
    let refs = facts([("order", json!(reference))]);
    let answer = facts([
        ("changeable", json!(true)),
        ("invoice_type", json!(invoice_type)),
    ]);
    if let Some(o) = c.st.orders.iter_mut().find(|o| o.reference == reference) {
        o.invoice_change = Some((invoice_type.clone(), tax_id));
    }
    let mut reply;
    if seller {
        reply = c.reply(
            Status::Pending,
            "Administration will change the invoice within the week.",
        );
        let promise = c.promise(
            "invoice_change",
            "email",
            days(c.fx.policies.invoice_change_days),
        );
        if !admin_blind && pending.is_none() {
            c.send(
                days(2),
                Message::new(
                    "email",
                    format!("Corrected invoice ({invoice_type}) for {reference}."),
                )
                .fulfils(&promise)
                .refs(refs.clone())
                .answer(answer.clone()),
            );
        }
        reply.promises.push(promise);
    } else {
        reply = c.reply(Status::Done, "Your corrected invoice is on its way.");
        reply.agent = Some(c.fx.agents.administration.clone());
        if pending.is_none() {
            c.send(
                hours(1),
                Message::new(
                    "email",
                    format!("Corrected invoice ({invoice_type}) for {reference}."),
                )
                .refs(refs.clone())
                .answer(answer.clone()),
            );
        }
    }
    reply.refs = refs;
    reply.answer = answer;
    reply
}
