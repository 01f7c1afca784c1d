//! `stock.check` and `cart.options`: what is in stock where, what can be ordered, and
//! how a cart would be fulfilled (seams `inventory-sync`, `store-web-orders`, `fulfilment`).

use serde_json::{Value, json};

use crate::protocol::{Reply, Status};

use super::context::{Ctx, Need, facts};
use super::data::Item;
use super::profile::Seam;

/// Live stock of `sku` at `location` (a store id or `online`), after this journey's orders.
pub fn live(c: &Ctx, item: &Item, location: &str) -> i64 {
    let base = if location == "online" {
        item.online
    } else {
        item.stores.get(location).copied().unwrap_or(0)
    };
    (base - c.st.taken(&item.sku, location)).max(0)
}

/// Can a store take an order of an item that is not on its shelf, as seen on this channel?
pub fn store_orderable(c: &Ctx, item: &Item) -> bool {
    item.store_orderable && (c.channel() == "store" || !c.broken(Seam::StoreWebOrders))
}

pub fn stock_check(c: &mut Ctx) -> Reply {
    let Some(sku) = c.known_str("sku") else {
        return match c.need(&["sku"]) {
            Need::Declined(keys) => c.refuse_declined(&keys, "look it up"),
            _ => c.ask(vec!["sku".into()]),
        };
    };
    let Some(item) = c.fx.item(&sku) else {
        let mut reply = c.reply(Status::Done, format!("We do not sell `{sku}`."));
        reply.answer = facts([
            ("in_stock", json!(false)),
            ("quantity", json!(0)),
            ("orderable", json!(false)),
        ]);
        return reply;
    };
    let online = live(c, item, "online");
    let Some(store) = c.said("store").map(str::to_string) else {
        let mut reply = c.reply(
            Status::Done,
            format!("{}: {online} available online.", item.name),
        );
        reply.answer = facts([
            ("in_stock", json!(online > 0)),
            ("quantity", json!(online)),
            ("orderable", json!(online > 0)),
            ("price", json!(item.price)),
            (
                "pickup_options",
                json!(if online > 0 {
                    vec!["home", "store"]
                } else {
                    vec![]
                }),
            ),
            ("wait_weeks", Value::Null),
            ("alternatives", json!([])),
        ]);
        return reply;
    };
    if c.fx.store(&store).is_none() {
        return c.reply(Status::Refused, format!("We have no store `{store}`."));
    }
    let snapshot = matches!(c.channel(), "web" | "app") && c.broken(Seam::InventorySync);
    let quantity = if snapshot {
        item.web_snapshot.get(&store).copied().unwrap_or(0)
    } else {
        live(c, item, &store)
    };
    let in_stock = quantity > 0;
    let orderable = in_stock || store_orderable(c, item);
    let mut pickup = Vec::new();
    if orderable {
        pickup.push("store");
    }
    if online > 0 {
        pickup.insert(0, "home");
    }
    let alternatives: Vec<String> = if in_stock || c.broken(Seam::InventorySync) {
        Vec::new()
    } else {
        let mut other: Vec<String> = item
            .stores
            .keys()
            .filter(|s| **s != store && live(c, item, s) > 0)
            .cloned()
            .collect();
        if online > 0 {
            other.push("home-delivery".into());
        }
        other
    };
    let wait_weeks = if in_stock { None } else { item.wait_weeks };
    let text = match (in_stock, orderable) {
        (true, _) => format!("{}: {quantity} on the shelf.", item.name),
        (false, true) => format!(
            "{} is not on the shelf; we can get it for you to pick up here.",
            item.name
        ),
        (false, false) if !item.store_orderable => match wait_weeks {
            Some(w) => format!("None in stock; waiting list of {w} weeks."),
            None => "None in stock.".to_string(),
        },
        (false, false) => "That cannot be ordered in the store; order it on the web.".to_string(),
    };
    let mut reply = c.reply(Status::Done, text);
    reply.answer = facts([
        ("in_stock", json!(in_stock)),
        ("quantity", json!(quantity)),
        ("orderable", json!(orderable)),
        ("price", json!(item.price)),
        ("pickup_options", json!(pickup)),
        ("wait_weeks", json!(wait_weeks)),
        ("alternatives", json!(alternatives)),
    ]);
    reply
}

/// How a web cart ships: one parcel with store pickup kept, or (broken `fulfilment`,
/// two or more items) one parcel per item, home only.
pub struct Plan {
    pub split: bool,
    pub parcels: usize,
    pub pickup_options: Vec<&'static str>,
}

pub fn plan(c: &Ctx, skus: &[String]) -> Plan {
    let split = skus.len() >= 2 && c.broken(Seam::Fulfilment);
    Plan {
        split,
        parcels: if split { skus.len() } else { 1 },
        pickup_options: if split {
            vec!["home"]
        } else {
            vec!["home", "store"]
        },
    }
}

/// The `skus` list of a request (`skus`, or a single `sku`).
pub fn skus(c: &Ctx) -> Option<Vec<String>> {
    match c.known("skus") {
        Some(Value::Array(list)) => Some(
            list.iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect(),
        ),
        Some(Value::String(s)) => Some(s.split(',').map(|s| s.trim().to_string()).collect()),
        _ => c.known_str("sku").map(|s| vec![s]),
    }
}

pub fn cart_options(c: &mut Ctx) -> Reply {
    let Some(skus) = skus(c) else {
        return c.ask(vec!["skus".into()]);
    };
    if let Some(unknown) = skus.iter().find(|s| c.fx.item(s).is_none()) {
        return c.reply(Status::Refused, format!("We do not sell `{unknown}`."));
    }
    let plan = plan(c, &skus);
    let fee = c.fx.policies.shipping_fee;
    let shipping = round2(fee * plan.parcels as f64);
    let mut reply = c.reply(
        Status::Done,
        if plan.split {
            "These items ship separately to your home.".to_string()
        } else {
            "Home delivery or free store pickup.".to_string()
        },
    );
    reply.answer = facts([
        ("pickup_options", json!(plan.pickup_options)),
        ("parcels", json!(plan.parcels)),
        ("shipping", json!(shipping)),
    ]);
    reply
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
