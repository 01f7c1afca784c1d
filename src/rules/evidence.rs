//! Quoting helpers: render what the customer said and what the SUT asked or answered
//! as compact, deterministic `Evidence` lines, and a few value comparisons rules share.

use std::borrow::Cow;
use std::fmt::Write;
use std::sync::{Arc, LazyLock};

use serde_json::Value;

use crate::conversation::{Contact, Conversation};
use crate::engine::trace::SutFault;
use crate::protocol::{OutboxMessage, Promise, Reply, Status};
use crate::rules::Knowledge;
use crate::rules::finding::Evidence;
use crate::rules::promises::{self, later};
use crate::rules::text::{self, text};

pub(crate) use crate::rules::text::value_size;
pub use crate::rules::text::{push_value, value};

/// Whether `{:?}` writes `s` as it is between quotes (printable ASCII, no `"` or `\`).
fn debug_plain(s: &str) -> bool {
    s.bytes().fold(true, |plain, b| {
        plain & (b' '..=b'~').contains(&b) & (b != b'"') & (b != b'\\')
    })
}

/// `key=value` for one fact or field, or `key (absent)`.
pub fn field(key: &str, v: Option<&Value>) -> String {
    let mut out = String::new();
    push_field(&mut out, key, v);
    out
}

/// `field(key, v)` written at the end of `out`.
pub fn push_field(out: &mut String, key: &str, v: Option<&Value>) {
    out.push_str(key);
    match v {
        Some(v) => {
            out.push('=');
            push_value(out, v);
        }
        None => out.push_str(" (absent)"),
    }
}

/// `text` quoted as `{:?}` quotes it, written at the end of `out`; text of printable
/// ASCII without `"` or `\` (most replies) is copied as it is.
pub(crate) fn push_quoted(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    let plain = debug_plain(text);
    if plain {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        let _ = write!(out, "{text:?}");
    }
}

/// A piece of evidence located on a step.
pub fn on_step(
    step: &Contact,
    what: impl Into<Cow<'static, str>>,
    quote: impl Into<String>,
) -> Evidence {
    Evidence {
        step: Arc::clone(&step.id),
        channel: Arc::clone(&step.channel),
        at: Arc::clone(&step.at),
        what: what.into(),
        quote: quote.into(),
    }
}

/// The `step` of evidence found in the outbox, shared.
pub fn outbox_step() -> Arc<str> {
    static OUTBOX: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("outbox"));
    Arc::clone(&OUTBOX)
}

/// The SUT's reply, compactly: status, text, and the given answer fields.
pub fn reply(r: &Reply, fields: &[&str]) -> String {
    let quoted: usize = fields
        .iter()
        .map(|key| key.len() + 2 + r.answer.get(*key).map_or(9, |v| 1 + value_size(v)))
        .sum();
    let mut out = String::with_capacity(r.reply.len() + 16 + quoted);
    out.push_str(r.status.as_str());
    if !r.reply.is_empty() {
        out.push(' ');
        push_quoted(&mut out, &r.reply);
    }
    for (i, key) in fields.iter().enumerate() {
        out.push_str(if i == 0 { " [" } else { ", " });
        push_field(&mut out, key, r.answer.get(*key));
    }
    if !fields.is_empty() {
        out.push(']');
    }
    out
}

/// What the SUT asked for in a reply: `asks [k1, k2]: "text"`.
pub fn asked(r: &Reply) -> String {
    let keys: usize = r.asks.iter().map(|k| k.len() + 2).sum();
    let mut out = String::with_capacity(8 + keys + r.reply.len() + 3);
    out.push_str("asks [");
    text::put_joined(&mut out, &r.asks, ", ");
    out.push(']');
    if !r.reply.is_empty() {
        out.push(' ');
        push_quoted(&mut out, &r.reply);
    }
    out
}

/// A promise: `arrival_sms (p1) on sms by 2026-12-23T20:00:00+01:00`.
pub fn promise(p: &Promise) -> String {
    text!(p.what, " (", p.id, ") on ", p.channel, " by ", p.by)
}

/// An outbox message, with what it keeps and where it redirects.
pub fn message(m: &OutboxMessage) -> String {
    let fulfils = m.fulfils.as_ref().map_or(0, |id| 9 + id.len());
    let mut out = String::with_capacity(m.text.len() + 2 + fulfils);
    push_quoted(&mut out, &m.text);
    if let Some(id) = &m.fulfils {
        out.push_str(" fulfils ");
        out.push_str(id);
    }
    if let Some(r) = &m.redirect {
        let _ = write!(
            out,
            " redirect to {} with refs {}",
            r.channel,
            facts(&r.refs)
        );
    }
    out
}

/// Evidence for an outbox message (located on `outbox`, at the message time).
pub fn outbox(m: &OutboxMessage, what: impl Into<Cow<'static, str>>) -> Evidence {
    Evidence {
        step: outbox_step(),
        channel: m.channel.as_str().into(),
        at: m.at.as_str().into(),
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
        SutFault::TooLarge { limit } => {
            format!("the body is larger than the {limit}-byte cap (--max-body); read no further")
        }
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

/// The outbox message that answers contact `index` in writing, if any. Only a contact
/// left `pending` waits for one (any other status answered in place). Its reply is the
/// first message of the final outbox on its channel, at or after it, that fulfils a
/// promise it made, or that fulfils nothing, is neither a survey nor a promotion and has
/// it as the latest pending contact on that channel by then (a message answers the most
/// recent pending contact on its channel). Shared by `sla` and `deflection`.
pub fn written_reply<'a>(
    conv: &'a Conversation,
    index: usize,
    know: &Knowledge,
) -> Option<&'a OutboxMessage> {
    let waits = |c: &Contact| c.final_reply().is_some_and(|r| r.status == Status::Pending);
    let contact = conv.contacts.get(index).filter(|c| waits(c))?;
    let promised = promises::of_step(contact);
    let answers = |m: &OutboxMessage| match &m.fulfils {
        Some(id) => promised.iter().any(|p| p.id == *id),
        None => {
            !know.is_survey(m)
                && know.promotion(m).is_none()
                && conv
                    .contacts
                    .iter()
                    .rposition(|c| *c.channel == *m.channel && waits(c) && !later(&c.at, &m.at))
                    == Some(index)
        }
    };
    let mut first: Option<&OutboxMessage> = None;
    for m in conv.final_outbox().unwrap_or_default() {
        let candidate = *m.channel == *contact.channel && !later(&contact.at, &m.at) && answers(m);
        if candidate && first.is_none_or(|f| later(&f.at, &m.at)) {
            first = Some(m);
        }
    }
    first
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

/// Whether two answers say the same when no rule says how to compare them: `same`, except
/// that lists of scalars compare as sets (pickup `["home", "store"]` on the web and
/// `["store", "home"]` on the phone offer the same). A scenario's `consistent` rule with
/// `compare: exact` keeps the order.
pub fn same_answer(a: &Value, b: &Value) -> bool {
    let scalars = |items: &[Value]| items.iter().all(|v| !(v.is_array() || v.is_object()));
    match (a, b) {
        (Value::Array(x), Value::Array(y)) if scalars(x) && scalars(y) => {
            let within = |v: &Value, set: &[Value]| set.iter().any(|w| same(v, w));
            x.iter().all(|v| within(v, y)) && y.iter().all(|v| within(v, x))
        }
        _ => same(a, b),
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
    fn quoting_is_what_debug_gives() {
        for text in [
            "plain text, 'single' quotes",
            "a \"b\" c\\d",
            "tab\there\n",
            "Ló é €",
            "",
        ] {
            let mut out = String::new();
            push_quoted(&mut out, text);
            assert_eq!(out, format!("{text:?}"));
        }
        let mut r = Reply::with_status(Status::NeedsInfo);
        r.asks = vec!["k1".into(), "k2".into()];
        r.reply = "who \"are\" you?".into();
        assert_eq!(asked(&r), r#"asks [k1, k2] "who \"are\" you?""#);
        assert_eq!(field("k", None), "k (absent)");
        assert_eq!(field("k", Some(&Value::from("v"))), r#"k="v""#);
    }

    #[test]
    fn values_are_written_as_serde_json_writes_them() {
        let values = serde_json::json!([
            null, true, false, 0, 7, -1, -42, u64::MAX, i64::MIN, 1.5, -0.0, 1e300, 12.0,
            "", "plain text", "quote \"in\"", "back\\slash", "tab\there", "nl\n", "\u{1f}",
            "\u{7f} del", "Ló é €", [], [1, "a", null], {}, {"b": 1, "a": [true]}
        ]);
        let Value::Array(values) = values else {
            panic!("an array");
        };
        for v in &values {
            let expected = serde_json::to_string(v).expect("serializes");
            assert_eq!(value(v), expected);
            let mut out = String::from("x=");
            push_value(&mut out, v);
            assert_eq!(out, format!("x={expected}"));
        }
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

    /// Two contacts left pending on `c1` (hours 1 and 3), the first promising `p1`.
    fn two_waiting(messages: Vec<OutboxMessage>) -> Conversation {
        use crate::rules::testkit::{outbox_read, promise, reply, step, trace};
        let mut first = step("s1", "c1", 1);
        let mut r = reply(Status::Pending);
        r.promises = vec![promise("p1", 10)];
        first.turns[0].reply = Ok(r);
        let mut second = step("s2", "c1", 3);
        second.turns[0].reply = Ok(reply(Status::Pending));
        let mut t = trace(vec![first, second, step("s3", "c1", 4)]);
        t.outbox_reads = vec![outbox_read(20, messages)];
        crate::conversation::inferred(t)
    }

    #[test]
    fn a_written_reply_answers_the_latest_pending_contact_or_keeps_its_promise() {
        use crate::rules::testkit::message;
        let know = Knowledge::default();
        let plain = message("c1", 5, None);
        let conv = two_waiting(vec![plain.clone()]);
        assert_eq!(written_reply(&conv, 0, &know), None);
        assert_eq!(written_reply(&conv, 1, &know), Some(&plain));
        // Answered in place (`done`): it waits for nothing.
        assert_eq!(written_reply(&conv, 2, &know), None);
        let kept = message("c1", 6, Some("p1"));
        let elsewhere = message("c2", 2, None);
        let conv = two_waiting(vec![elsewhere, plain.clone(), kept.clone()]);
        assert_eq!(written_reply(&conv, 0, &know), Some(&kept));
        assert_eq!(written_reply(&conv, 1, &know), Some(&plain));
        // A message between the two contacts answers the first.
        let between = message("c1", 2, None);
        let conv = two_waiting(vec![plain.clone(), between.clone()]);
        assert_eq!(written_reply(&conv, 0, &know), Some(&between));
    }

    #[test]
    fn surveys_and_promotions_answer_nobody() {
        use crate::rules::testkit::message;
        let catalogue = serde_json::from_value(serde_json::json!({
            "intents": [], "outbox": {"about": "topic", "surveys": ["survey"]}
        }))
        .expect("catalogue");
        let know = Knowledge::of(Some(catalogue));
        let about = |topic: &str| {
            let mut m = message("c1", 5, None);
            m.answer.insert("topic".into(), Value::from(topic));
            m
        };
        let conv = two_waiting(vec![about("survey"), about("garden")]);
        assert_eq!(written_reply(&conv, 1, &know), None);
        let mut redirect = about("garden");
        redirect.redirect = Some(crate::protocol::Redirect {
            channel: "c2".into(),
            reason: String::new(),
            refs: Default::default(),
        });
        let conv = two_waiting(vec![about("survey"), redirect.clone()]);
        assert_eq!(written_reply(&conv, 1, &know), Some(&redirect));
    }
}
