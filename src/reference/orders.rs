//! `order.create`, `order.status` and `device.activate`: the store system (refs `S-…`)
//! and the online system (refs `W-…`), with seams `store-web-orders`, `fulfilment`, `notifier`.

use serde_json::json;

use crate::protocol::{Facts, Redirect, Reply, Status};

use super::clock::{self, days, minutes};
use super::context::{Ctx, Message, Need, facts};
use super::marketing;
use super::profile::Seam;
use super::state::{Order, System};
use super::stock::{self, round2};

/// What phone and web say about store orders when `store-web-orders` is broken.
pub const DEFLECTION: &str = "That book cannot be ordered in the store; order it on the web, \
where you can choose home delivery or store pickup.";

pub fn create(c: &mut Ctx) -> Reply {
    let Some(skus) = stock::skus(c) else {
        return c.ask(vec!["sku".into()]);
    };
    if let Some(unknown) = skus.iter().find(|s| c.fx.item(s).is_none()) {
        return c.reply(Status::Refused, format!("We do not sell `{unknown}`."));
    }
    let online_sale = c.said("channel") == Some("online");
    match c.channel() {
        "store" | "phone" if !online_sale => store_order(c, &skus),
        _ => web_order(c, &skus),
    }
}

fn store_order(c: &mut Ctx, skus: &[String]) -> Reply {
    let Some(store) = c.known_str("store") else {
        return c.ask(vec!["store".into()]);
    };
    let Some(shop) = c.fx.store(&store) else {
        return c.reply(Status::Refused, format!("We have no store `{store}`."));
    };
    if c.channel() == "store"
        && !clock::within_hours(c.at, &shop.utc_offset, &shop.opens, &shop.closes)
    {
        return c.reply(Status::Refused, "The store is closed.");
    }
    let items: Vec<_> = skus.iter().filter_map(|s| c.fx.item(s)).collect();
    let on_shelf = items.iter().all(|i| stock::live(c, i, &store) > 0);
    if !on_shelf && let Some(item) = items.iter().find(|i| !stock::store_orderable(c, i)) {
        let mut reply = if item.store_orderable {
            // Only reached when `store-web-orders` is broken and we are not in the store.
            let mut r = c.reply(Status::Refused, DEFLECTION);
            r.redirect = Some(Redirect {
                channel: "web".into(),
                reason: DEFLECTION.into(),
                refs: Facts::new(),
            });
            r
        } else {
            c.reply(Status::Refused, "It cannot be ordered for store pickup.")
        };
        reply.answer = facts([
            ("orderable", json!(false)),
            ("wait_weeks", json!(item.wait_weeks)),
        ]);
        return reply;
    }
    let phone = if on_shelf {
        None
    } else {
        match c.need(&["phone"]) {
            Need::Ask(keys) => return c.ask(keys),
            Need::Declined(_) => None,
            Need::Have => c.known_str("phone"),
        }
    };
    let total: f64 = items.iter().map(|i| i.price).sum();
    let (total, payment) = payment(c, total);
    c.st.store_orders += 1;
    let reference = format!("S-{:04}", c.st.store_orders);
    let restock = items
        .iter()
        .filter_map(|i| i.restock_days)
        .max()
        .unwrap_or(2);
    let ready_at = if on_shelf { c.at } else { c.at + days(restock) };
    for item in &items {
        if on_shelf {
            *c.st
                .taken
                .entry((item.sku.clone(), store.clone()))
                .or_default() += 1;
        }
        c.st.bought.push(item.category.clone());
    }
    c.st.orders.push(Order {
        reference: reference.clone(),
        system: System::Store,
        skus: skus.to_vec(),
        at: c.at,
        ready_at: Some(ready_at),
        delivery_at: Vec::new(),
        pickup: "store".into(),
        invoice_change: None,
    });
    let refs = facts([("order", json!(reference))]);
    let mut reply = if on_shelf {
        c.reply(Status::Done, "Here you are.")
    } else {
        c.reply(
            Status::Pending,
            "We can get it for you; pick it up here in a few days. We will text you when it arrives.",
        )
    };
    reply.refs = refs.clone();
    reply.answer = facts([
        ("orderable", json!(true)),
        ("total", json!(total)),
        ("pickup", json!("store")),
        ("payment", json!(payment)),
    ]);
    if !on_shelf && phone.is_some() {
        let within = days(c.fx.policies.arrival_sms_days);
        let promise = c.promise("arrival_sms", "sms", within);
        if !c.broken(Seam::Notifier) {
            let text = format!("Your order {reference} has arrived at {}.", store);
            c.send(
                days(restock),
                Message::new("sms", text).fulfils(&promise).refs(refs),
            );
        }
        reply.promises.push(promise);
    }
    marketing::after_order(c);
    reply
}

fn payment(c: &Ctx, total: f64) -> (f64, String) {
    let payment = c.said("payment").unwrap_or("card").to_string();
    let total = if payment == "cash" && c.channel() == "store" {
        total * (1.0 - c.fx.policies.cash_discount_pct / 100.0)
    } else {
        total
    };
    (round2(total), payment)
}

fn web_order(c: &mut Ctx, skus: &[String]) -> Reply {
    let wanted = c.said("pickup").unwrap_or("home").to_string();
    let plan = stock::plan(c, skus);
    let pickup = if wanted == "store" && !plan.split {
        "store"
    } else {
        "home"
    };
    let store = if pickup == "store" {
        match c.known_str("store") {
            Some(s) if c.fx.store(&s).is_some() => Some(s),
            Some(s) => return c.reply(Status::Refused, format!("We have no store `{s}`.")),
            None => return c.ask(vec!["store".into()]),
        }
    } else {
        None
    };
    match c.need(&["email"]) {
        Need::Ask(keys) => return c.ask(keys),
        Need::Declined(keys) => return c.refuse_declined(&keys, "send your receipt"),
        Need::Have => {}
    }
    let items: Vec<_> = skus.iter().filter_map(|s| c.fx.item(s)).collect();
    if let Some(item) = items.iter().find(|i| stock::live(c, i, "online") == 0) {
        let mut reply = c.reply(Status::Refused, format!("{} is out of stock.", item.name));
        reply.answer = facts([("orderable", json!(false))]);
        return reply;
    }
    let p = &c.fx.policies;
    let subtotal: f64 = items.iter().map(|i| i.price).sum();
    // A sale made in the store through the online channel is delivered free.
    let shipping = if pickup == "store" || c.channel() == "store" {
        0.0
    } else {
        p.shipping_fee * plan.parcels as f64
    };
    let (total, payment) = payment(c, subtotal);
    let total = round2(total + shipping);
    let (carriers, dates): (Vec<String>, Vec<_>) = if pickup == "store" {
        (vec!["omnia".into()], vec![c.at + days(p.pickup_days)])
    } else {
        (0..plan.parcels)
            .map(|i| {
                let carrier = p.carriers[i % p.carriers.len()].clone();
                let d = p.home_delivery_days[i.min(p.home_delivery_days.len() - 1)];
                (carrier, c.at + days(d))
            })
            .unzip()
    };
    c.st.web_orders += 1;
    let reference = format!("W-{:04}", c.st.web_orders);
    for item in &items {
        *c.st
            .taken
            .entry((item.sku.clone(), "online".into()))
            .or_default() += 1;
        c.st.bought.push(item.category.clone());
    }
    c.st.orders.push(Order {
        reference: reference.clone(),
        system: System::Web,
        skus: skus.to_vec(),
        at: c.at,
        ready_at: (pickup == "store").then(|| dates[0]),
        delivery_at: if pickup == "store" {
            Vec::new()
        } else {
            dates.clone()
        },
        pickup: pickup.into(),
        invoice_change: None,
    });
    let refs = facts([("order", json!(reference))]);
    let mut reply = c.reply(
        Status::Done,
        if plan.split {
            format!("Ordered: {} parcels delivered to your home.", plan.parcels)
        } else {
            format!("Ordered: {pickup} delivery.")
        },
    );
    reply.refs = refs.clone();
    reply.answer = facts([
        ("parcels", json!(plan.parcels)),
        ("carriers", json!(carriers)),
        (
            "delivery_dates",
            json!(
                dates
                    .iter()
                    .map(|d| d.date_naive().to_string())
                    .collect::<Vec<_>>()
            ),
        ),
        ("total", json!(total)),
        ("pickup", json!(pickup)),
        ("payment", json!(payment)),
        ("orderable", json!(true)),
    ]);
    if let Some(store) = store {
        let promise = c.promise("ready_email", "email", days(p.ready_email_days));
        let after = days(c.fx.policies.pickup_days);
        if !c.broken(Seam::Notifier) {
            let text = format!("Your order {reference} is ready at {store}.");
            c.send(
                after,
                Message::new("email", text).fulfils(&promise).refs(refs),
            );
        }
        reply.promises.push(promise);
    }
    marketing::after_order(c);
    reply
}

pub fn status(c: &mut Ctx) -> Reply {
    let Some(reference) = c.reference("order") else {
        return match c.need(&["order"]) {
            Need::Declined(keys) => c.refuse_declined(&keys, "find your order"),
            _ => c.ask(vec!["order".into()]),
        };
    };
    let hidden = |o: &Order| {
        o.system == System::Store && c.channel() != "store" && c.broken(Seam::StoreWebOrders)
    };
    let order = match c.st.find_order(&reference) {
        Some(o) if !hidden(o) => o.clone(),
        Some(_) => {
            let mut reply = c.reply(Status::UnknownReference, DEFLECTION);
            reply.redirect = Some(Redirect {
                channel: "web".into(),
                reason: DEFLECTION.into(),
                refs: Facts::new(),
            });
            return reply;
        }
        None => {
            return c.reply(
                Status::UnknownReference,
                format!("We cannot find order {reference}."),
            );
        }
    };
    let ready = order.ready_at.is_some_and(|r| c.at >= r);
    let state = if let Some(r) = order.ready_at {
        if c.at >= r {
            "ready_for_pickup"
        } else {
            "ordered"
        }
    } else if order.delivery_at.iter().all(|d| c.at >= *d) {
        "delivered"
    } else if order.delivery_at.iter().any(|d| c.at >= *d) {
        "partly_delivered"
    } else {
        "shipped"
    };
    let mut reply = c.reply(Status::Done, format!("Order {reference}: {state}."));
    reply.refs = facts([("order", json!(reference))]);
    reply.answer = facts([
        ("order_status", json!(state)),
        ("ready_for_pickup", json!(ready)),
    ]);
    reply
}

pub fn activate(c: &mut Ctx) -> Reply {
    let Some(skus) = stock::skus(c) else {
        return c.ask(vec!["skus".into()]);
    };
    if let Some(unknown) = skus.iter().find(|s| c.fx.item(s).is_none()) {
        return c.reply(Status::Refused, format!("We do not sell `{unknown}`."));
    }
    match c.need(&["email"]) {
        Need::Ask(keys) => return c.ask(keys),
        Need::Declined(keys) => return c.refuse_declined(&keys, "send your contract"),
        Need::Have => {}
    }
    let switch = c.tp.says.get("carrier_switch").and_then(|v| v.as_bool()) == Some(true);
    let p = &c.fx.policies;
    let n = skus.len() as i64;
    let mins =
        p.activation_minutes_per_line * n + if switch { p.carrier_switch_minutes } else { 0 };
    let total = round2(
        skus.iter()
            .filter_map(|s| c.fx.item(s))
            .map(|i| i.price)
            .sum(),
    );
    let (within, after) = (
        minutes(p.receipt_email_minutes),
        minutes(p.receipt_after_minutes),
    );
    c.st.store_orders += 1;
    let reference = format!("S-{:04}", c.st.store_orders);
    for sku in &skus {
        if let Some(item) = c.fx.item(sku) {
            c.st.bought.push(item.category.clone());
        }
    }
    c.st.orders.push(Order {
        reference: reference.clone(),
        system: System::Store,
        skus: skus.clone(),
        at: c.at,
        ready_at: None,
        delivery_at: Vec::new(),
        pickup: "store".into(),
        invoice_change: None,
    });
    let refs = facts([("order", json!(reference))]);
    let answer = facts([
        ("activated", json!(true)),
        ("total", json!(total)),
        ("minutes", json!(mins)),
    ]);
    let promise = c.promise("receipt_email", "email", within);
    let receipt = facts([("total", json!(total)), ("skus", json!(skus))]);
    c.send(
        after,
        Message::new("email", format!("Receipt and contract for {reference}."))
            .fulfils(&promise)
            .refs(refs.clone())
            .answer(receipt),
    );
    let mut reply = c.reply(
        Status::Done,
        format!("{n} lines activated in {mins} minutes."),
    );
    reply.refs = refs;
    reply.answer = answer;
    reply.promises.push(promise);
    marketing::after_order(c);
    reply
}
