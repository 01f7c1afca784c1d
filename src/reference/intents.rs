//! `catalogue()`: the reference retailer's intents with their channels, subject keys and
//! answer keys (served at `GET /intents`, and used by `seam validate` to warn on unknown intents).

use crate::catalogue::{Catalogue, Hours, IntentInfo, OutboxInfo};

/// (intent, channels, subject keys, answer keys); `*` in channels means every channel.
type IntentRow = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

const INTENTS: &[IntentRow] = &[
    (
        "stock.check",
        &["*"],
        &["sku", "store"],
        &[
            "in_stock",
            "quantity",
            "orderable",
            "price",
            "pickup_options",
            "wait_weeks",
            "alternatives",
        ],
    ),
    (
        "cart.options",
        &["web", "app"],
        &["skus"],
        &["pickup_options", "parcels", "shipping"],
    ),
    (
        "order.create",
        &["store", "web", "app", "phone"],
        &["sku", "skus"],
        &[
            "parcels",
            "carriers",
            "delivery_dates",
            "total",
            "pickup",
            "payment",
            "orderable",
        ],
    ),
    (
        "order.status",
        &["*"],
        &["order"],
        &["order_status", "ready_for_pickup"],
    ),
    (
        "invoice.change",
        &["store", "email", "phone"],
        &["order", "invoice_type"],
        &["changeable", "invoice_type"],
    ),
    (
        "incident.report",
        &["phone", "email", "chat"],
        &["service", "symptom"],
        &["resolution", "fault_owner", "resolved"],
    ),
    (
        "account.help",
        &["phone", "store", "chat"],
        &["topic"],
        &["case_status"],
    ),
    (
        "booking.slots",
        &["web", "app", "kiosk"],
        &["branch", "date"],
        &["slots"],
    ),
    (
        "queue.status",
        &["app", "kiosk"],
        &["branch"],
        &["waiting", "wait_minutes"],
    ),
    (
        "info.request",
        &["email", "whatsapp", "sms", "social", "web"],
        &["topic"],
        &["content", "fee", "hours"],
    ),
    (
        "question.ask",
        &["email", "social", "chat", "whatsapp"],
        &["topic"],
        &["content"],
    ),
    (
        "support.request",
        &["ivr", "phone", "web"],
        &["topic"],
        &["case_status", "callback"],
    ),
    (
        "device.activate",
        &["store"],
        &["skus", "carrier_switch"],
        &["activated", "total", "minutes"],
    ),
    (
        "marketing.optin",
        &["sms", "email", "web"],
        &[],
        &["subscribed"],
    ),
];

/// Answer-field roles (intent, role, field): what the CX rules read by role.
const ROLES: &[(&str, &str, &str)] = &[
    ("cart.options", "parcels", "parcels"),
    ("order.create", "parcels", "parcels"),
    ("order.create", "carriers", "carriers"),
    ("order.create", "delivery_dates", "delivery_dates"),
    ("incident.report", "resolved", "resolved"),
];

/// The emergency line's hours (docs/reference.md, seam `after-hours`).
fn live_line() -> Hours {
    Hours {
        days: Vec::new(),
        open: "08:00".into(),
        close: "22:00".into(),
        offset: Some("+01:00".into()),
    }
}

/// The intents, as the v0 list.
pub fn intents() -> Vec<IntentInfo> {
    INTENTS
        .iter()
        .map(|(intent, channels, subject, answer)| IntentInfo {
            intent: (*intent).to_string(),
            channels: if channels == &["*"] {
                crate::protocol::KNOWN_CHANNELS
                    .iter()
                    .map(|c| (*c).to_string())
                    .collect()
            } else {
                channels.iter().map(|c| (*c).to_string()).collect()
            },
            subject: subject.iter().map(|k| (*k).to_string()).collect(),
            answer: answer.iter().map(|k| (*k).to_string()).collect(),
            roles: ROLES
                .iter()
                .filter(|(i, ..)| i == intent)
                .map(|(_, role, field)| ((*role).to_string(), (*field).to_string()))
                .collect(),
            hours: (*intent == "incident.report").then(live_line),
            ..IntentInfo::default()
        })
        .collect()
}

/// The catalogue as served by `GET /intents`: the intents, what outbox messages are about
/// (`answer.topic`, `survey` for surveys and their reminders) and the customer facts that
/// describe a customer's history (`purchases`, `interests`).
pub fn catalogue() -> Catalogue {
    Catalogue {
        intents: intents(),
        outbox: OutboxInfo {
            about: Some("topic".into()),
            surveys: vec!["survey".into()],
        },
        profile: vec!["purchases".into(), "interests".into()],
    }
}

/// Intent names only, for "did you mean" hints.
pub fn intent_names() -> Vec<&'static str> {
    INTENTS.iter().map(|(name, ..)| *name).collect()
}
