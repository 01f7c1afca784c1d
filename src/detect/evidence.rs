//! Quoting helpers: render what the customer said and what the SUT asked or answered
//! as compact, deterministic `Evidence` lines, and a few value comparisons detectors share.

use serde_json::Value;

use crate::detect::finding::Evidence;
use crate::engine::trace::{StepTrace, SutFault};
use crate::protocol::{OutboxMessage, Promise, Reply};

/// A JSON value rendered compactly (strings keep their quotes; objects are sorted).
pub fn value(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| String::from("<unprintable>"))
}

/// `key=value` for one fact or field, or `key (absent)`.
pub fn field(key: &str, v: Option<&Value>) -> String {
    match v {
        Some(v) => format!("{key}={}", value(v)),
        None => format!("{key} (absent)"),
    }
}

/// A piece of evidence located on a step.
pub fn on_step(step: &StepTrace, what: impl Into<String>, quote: impl Into<String>) -> Evidence {
    Evidence {
        step: step.id.clone(),
        channel: step.channel.clone(),
        at: step.at.clone(),
        what: what.into(),
        quote: quote.into(),
    }
}

/// The SUT's reply, compactly: status, text, and the given answer fields.
pub fn reply(r: &Reply, fields: &[&str]) -> String {
    let mut out = r.status.as_str().to_string();
    if !r.reply.is_empty() {
        out.push_str(&format!(" {:?}", r.reply));
    }
    let shown: Vec<String> = fields.iter().map(|k| field(k, r.answer.get(*k))).collect();
    if !shown.is_empty() {
        out.push_str(&format!(" [{}]", shown.join(", ")));
    }
    out
}

/// What the SUT asked for in a reply: `asks [k1, k2]: "text"`.
pub fn asked(r: &Reply) -> String {
    let mut out = format!("asks [{}]", r.asks.join(", "));
    if !r.reply.is_empty() {
        out.push_str(&format!(" {:?}", r.reply));
    }
    out
}

/// A promise: `arrival_sms (p1) on sms by 2026-12-23T20:00:00+01:00`.
pub fn promise(p: &Promise) -> String {
    format!("{} ({}) on {} by {}", p.what, p.id, p.channel, p.by)
}

/// An outbox message, with what it keeps and where it redirects.
pub fn message(m: &OutboxMessage) -> String {
    let mut out = format!("{:?}", m.text);
    if let Some(id) = &m.fulfils {
        out.push_str(&format!(" fulfils {id}"));
    }
    if let Some(r) = &m.redirect {
        out.push_str(&format!(
            " redirect to {} with refs {}",
            r.channel,
            facts(&r.refs)
        ));
    }
    out
}

/// Evidence for an outbox message (located on `outbox`, at the message time).
pub fn outbox(m: &OutboxMessage, what: impl Into<String>) -> Evidence {
    Evidence {
        step: String::from("outbox"),
        channel: m.channel.clone(),
        at: m.at.clone(),
        what: what.into(),
        quote: message(m),
    }
}

/// A map of facts as compact JSON (`{}` when empty).
pub fn facts(f: &crate::protocol::Facts) -> String {
    serde_json::to_string(f).unwrap_or_else(|_| String::from("{}"))
}

/// A SUT fault in one line.
pub fn fault(f: &SutFault) -> String {
    match f {
        SutFault::Timeout { after_ms } => format!("no reply after {after_ms} ms"),
        SutFault::Connection { message } => format!("connection failed: {message}"),
        SutFault::HttpStatus { code, body } => format!("HTTP {code}: {}", excerpt(body)),
        SutFault::Rejected { code, error } => format!("HTTP {code} (rejected): {error}"),
        SutFault::Garbage { message, body } => format!("{message}: {}", excerpt(body)),
    }
}

/// The rule name of a fault kind (`timeout`, `http-status`...).
pub fn fault_rule(f: &SutFault) -> &'static str {
    match f {
        SutFault::Timeout { .. } => "timeout",
        SutFault::Connection { .. } => "connection",
        SutFault::HttpStatus { .. } => "http-status",
        SutFault::Rejected { .. } => "rejected",
        SutFault::Garbage { .. } => "garbage",
    }
}

/// At most 120 characters of a body, quoted.
fn excerpt(body: &str) -> String {
    let mut s: String = body.chars().take(120).collect();
    if body.chars().count() > 120 {
        s.push('…');
    }
    format!("{s:?}")
}

/// Equality that treats `1` and `1.0` as the same number.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        _ => a == b,
    }
}

/// Whether a reply states a business outcome (not a fault, a question or an unknown ref).
pub fn is_business_answer(r: &Reply) -> bool {
    use crate::protocol::Status;
    matches!(
        r.status,
        Status::Done | Status::Pending | Status::Redirected | Status::Refused
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Status;

    #[test]
    fn quotes_are_compact_and_deterministic() {
        let mut r = Reply::with_status(Status::Done);
        r.reply = "ok".into();
        r.answer.insert("b".into(), Value::from(2));
        r.answer
            .insert("a".into(), serde_json::json!({"y": 1, "x": [1, "z"]}));
        assert_eq!(
            reply(&r, &["a", "b", "c"]),
            r#"done "ok" [a={"x":[1,"z"],"y":1}, b=2, c (absent)]"#
        );
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(same(&serde_json::json!(1), &serde_json::json!(1.0)));
        assert!(!same(
            &serde_json::json!([1, 2]),
            &serde_json::json!([2, 1])
        ));
        assert!(!same(&serde_json::json!("1"), &serde_json::json!(1)));
    }
}
