//! `PromiseState`: whether a promise made in a trace was kept by its deadline, judged
//! from the conversation's outbox reads. Shared by the broken-handoff and expectation rules.

use chrono::DateTime;

use crate::conversation::{Contact, Conversation};
use crate::protocol::{OutboxMessage, Promise};

/// What the outbox says about one promise.
#[derive(Debug, Clone, PartialEq)]
pub enum PromiseState<'a> {
    /// A message `fulfils` it at or before the deadline.
    Kept(&'a OutboxMessage),
    /// Only messages after the deadline fulfil it.
    Late(&'a OutboxMessage),
    /// The outbox was read past the deadline and nothing fulfils it.
    Missing,
    /// No successful outbox read covers the deadline: cannot tell.
    Unknown,
}

/// Every promise of the conversation with the contact that made it, first occurrence of each id.
pub fn all(conv: &Conversation) -> Vec<(&Contact, &Promise)> {
    let mut out: Vec<(&Contact, &Promise)> = Vec::new();
    for step in &conv.contacts {
        for p in step.promises() {
            if !out.iter().any(|(_, q)| q.id == p.id) {
                out.push((step, p));
            }
        }
    }
    out
}

/// The promises one step made, each id once.
pub fn of_step(step: &Contact) -> Vec<&Promise> {
    let mut out: Vec<&Promise> = Vec::new();
    for p in step.promises() {
        if !out.iter().any(|q| q.id == p.id) {
            out.push(p);
        }
    }
    out
}

/// Distinct outbox messages (over every successful read) that fulfil promise `id`.
pub fn fulfilling<'a>(conv: &'a Conversation, id: &str) -> Vec<&'a OutboxMessage> {
    let mut out: Vec<&OutboxMessage> = Vec::new();
    for read in &conv.outbox_reads {
        let Ok(messages) = &read.messages else {
            continue;
        };
        for m in messages {
            if m.fulfils.as_deref() == Some(id) && !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

pub fn state<'a>(conv: &'a Conversation, p: &Promise) -> PromiseState<'a> {
    state_of(conv, p, &fulfilling(conv, &p.id))
}

/// `state`, given the messages that fulfil the promise (`fulfilling`).
pub fn state_of<'a>(
    conv: &'a Conversation,
    p: &Promise,
    messages: &[&'a OutboxMessage],
) -> PromiseState<'a> {
    if let Some(m) = messages.iter().find(|m| !later(&m.at, &p.by)) {
        return PromiseState::Kept(m);
    }
    let covered = conv
        .outbox_reads
        .iter()
        .any(|r| r.messages.is_ok() && !later(&p.by, &r.until));
    match messages.first() {
        Some(m) => PromiseState::Late(m),
        None if covered => PromiseState::Missing,
        None => PromiseState::Unknown,
    }
}

/// Whether RFC 3339 time `a` is strictly after `b` (text order if either does not parse).
pub fn later(a: &str, b: &str) -> bool {
    if same_offset(a, b) {
        // Parsed or not, the order is the text order.
        return a > b;
    }
    match (
        DateTime::parse_from_rfc3339(a),
        DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a > b,
        _ => a > b,
    }
}

/// Whether `a` and `b` are written `YYYY-MM-DDTHH:MM:SS` and end alike (same fraction
/// and offset): then they are in time order when in text order, and when one does not
/// parse `later` compares the texts anyway.
fn same_offset(a: &str, b: &str) -> bool {
    const DATE_TIME: usize = "YYYY-MM-DDTHH:MM:SS".len();
    let plain = |t: &[u8]| {
        t.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            _ => c.is_ascii_digit(),
        })
    };
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len()
        && a.len() >= DATE_TIME
        && a[DATE_TIME..] == b[DATE_TIME..]
        && plain(&a[..DATE_TIME])
        && plain(&b[..DATE_TIME])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Status;
    use crate::rules::testkit::*;

    fn with_promise() -> crate::conversation::Conversation {
        let mut s1 = step("s1", "c1", 1);
        let mut r = reply(Status::Pending);
        r.promises = vec![promise("p1", 10)];
        s1.turns[0].reply = Ok(r);
        crate::conversation::inferred(trace(vec![s1]))
    }

    #[test]
    fn kept_late_missing_unknown() {
        let mut t = with_promise();
        let p = promise("p1", 10);
        assert_eq!(state(&t, &p), PromiseState::Unknown);
        t.outbox_reads = vec![outbox_read(10, vec![])];
        assert_eq!(state(&t, &p), PromiseState::Missing);
        let late = message("c3", 11, Some("p1"));
        t.outbox_reads.push(outbox_read(12, vec![late.clone()]));
        assert_eq!(state(&t, &p), PromiseState::Late(&late));
        let on_time = message("c3", 10, Some("p1"));
        t.outbox_reads = vec![outbox_read(10, vec![on_time.clone()])];
        assert_eq!(state(&t, &p), PromiseState::Kept(&on_time));
    }

    #[test]
    fn times_with_the_same_offset_compare_as_when_parsed() {
        let parsed = |a: &str, b: &str| match (
            DateTime::parse_from_rfc3339(a),
            DateTime::parse_from_rfc3339(b),
        ) {
            (Ok(a), Ok(b)) => a > b,
            _ => a > b,
        };
        let times = [
            "2026-01-01T10:00:00+01:00",
            "2026-01-01T09:59:59+01:00",
            "2026-01-02T00:00:00+01:00",
            "2026-01-01T10:00:00-03:00",
            "2026-01-01T10:00:00Z",
            "2026-01-01T09:00:00Z",
            "2026-01-01T10:00:00.5+01:00",
            "2026-01-01T10:00:01.5+01:00",
            "2026-01-01t10:00:00+01:00",
            "2026-01-01 10:00:00+01:00",
            "2026-13-01T10:00:00+01:00",
            "2026-12-31T23:59:60+01:00",
            "2026-12-31T24:00:00+01:00",
            "not a time",
            "",
        ];
        for a in times {
            for b in times {
                assert_eq!(later(a, b), parsed(a, b), "{a} {b}");
            }
        }
    }

    #[test]
    fn times_compare_across_offsets() {
        assert!(!later(
            "2026-01-01T10:00:00+01:00",
            "2026-01-01T09:00:00+00:00"
        ));
        assert!(later(
            "2026-01-01T10:00:01+01:00",
            "2026-01-01T09:00:00+00:00"
        ));
    }
}
