//! `inconsistent-answer`: the same question answered differently. The rules:
//! `same-question` (two contacts with the same intent and subject values, automatic,
//! exact), `consistent` (the comparisons the scenario declares), `same-moment` (journeys
//! of one run asking the same question at the same virtual moment). One finding per
//! (field, differing pair). Here: what they share (answers, questions, comparisons).

pub mod consistent;
pub mod same_moment;
pub mod same_question;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use crate::conversation::{Contact, Conversation};
use crate::protocol::Reply;
use crate::rules::evidence;
use crate::rules::finding::{Finding, Kind};
use crate::rules::new_finding;
use crate::rules::text::{self, Json, Piece};
use crate::scenario::model::CompareRule;

/// A step whose final reply is a business answer, with the question it asks when its
/// subject is known.
pub(crate) struct Answer<'a> {
    /// The contact's index in the conversation.
    pub(crate) index: usize,
    pub(crate) step: &'a Contact,
    pub(crate) reply: &'a Reply,
    /// Where its question is in `Answers::questions`.
    pub(crate) question: Option<Range<usize>>,
}

/// The answered contacts of one conversation, in order: worked out once per rule that
/// compares answers.
pub(crate) struct Answers<'a> {
    pub(crate) list: Vec<Answer<'a>>,
    /// The questions, one after the other (one allocation for the conversation).
    questions: String,
}

impl Answers<'_> {
    /// The question `a` answers, when its subject is known.
    pub(crate) fn question(&self, a: &Answer) -> Option<&str> {
        self.questions.get(a.question.clone()?)
    }
}

/// The contacts whose final reply is a business answer, in order, with their question.
pub(crate) fn answers(conv: &Conversation) -> Answers<'_> {
    // Room for a short question a step.
    let mut questions = String::with_capacity(64 * conv.contacts.len());
    let list = conv
        .contacts
        .iter()
        .enumerate()
        .filter_map(|(index, step)| {
            let reply = step.final_reply()?;
            if !evidence::is_business_answer(reply) {
                return None;
            }
            let start = questions.len();
            let asked = push_question(&mut questions, step);
            let question = asked.then_some(start..questions.len());
            Some(Answer {
                index,
                step,
                reply,
                question,
            })
        })
        .collect();
    Answers { list, questions }
}

/// `intent k1="v" k2=(absent)`: the question a step asks, when its subject is known.
#[cfg(test)]
fn question(step: &Contact) -> Option<String> {
    let mut out = String::new();
    push_question(&mut out, step).then_some(out)
}

/// The question a step asks (`question`) written at the end of `out`, when its subject
/// is known: whether it was.
pub(crate) fn push_question(out: &mut String, step: &Contact) -> bool {
    let Some(keys) = &step.subject else {
        return false;
    };
    let Some(turn) = step.turns.last() else {
        return false;
    };
    let request = &turn.request;
    // Room for short values (most are): a long one makes it grow.
    let size: usize = keys.iter().map(|k| k.len() + 32).sum();
    out.reserve(step.intent.len() + size);
    out.push_str(&step.intent);
    for key in keys {
        let v = request
            .says
            .get(key)
            .or_else(|| request.refs.get(key))
            .or_else(|| request.customer.get(key));
        out.push(' ');
        evidence::push_field(out, key, v);
    }
    true
}

/// A time as a UTC instant when it parses, so offsets do not split a moment.
pub(crate) fn instant(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Utc).to_rfc3339())
        .unwrap_or_else(|_| at.to_string())
}

/// The steps of a finding on one step about another: the other, with room for the one.
pub(crate) fn steps_with(other: &Arc<str>) -> Vec<Arc<str>> {
    let mut steps = Vec::with_capacity(2);
    steps.push(Arc::clone(other));
    steps
}

/// Whether two answer values agree under a comparison rule.
pub fn agree(rule: &CompareRule, a: &Value, b: &Value) -> bool {
    match rule {
        CompareRule::Ignore => true,
        CompareRule::Exact => evidence::same(a, b),
        CompareRule::Set => match (a, b) {
            // The same values written (`evidence::value`), however many times each.
            (Value::Array(x), Value::Array(y)) => {
                let within = |v: &Value, set: &[Value]| set.iter().any(|w| written_alike(v, w));
                x.iter().all(|v| within(v, y)) && y.iter().all(|v| within(v, x))
            }
            _ => evidence::same(a, b),
        },
        CompareRule::Numeric { tolerance } => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= *tolerance,
            _ => evidence::same(a, b),
        },
    }
}

/// Whether two values are written alike by `evidence::value`, without writing them:
/// integers by value, floats (written shortest, so each differently) by bits, and the
/// rest by kind and content.
fn written_alike(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.is_f64(), y.is_f64()) {
            (false, false) => x.as_u64() == y.as_u64() && x.as_i64() == y.as_i64(),
            (true, true) => x.as_f64().map(f64::to_bits) == y.as_f64().map(f64::to_bits),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| written_alike(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, a), (kb, b))| ka == kb && written_alike(a, b))
        }
        _ => a == b,
    }
}

pub(crate) fn describe(rule: &CompareRule) -> Cow<'static, str> {
    match rule {
        CompareRule::Exact => Cow::Borrowed("exact"),
        CompareRule::Set => Cow::Borrowed("as sets"),
        CompareRule::Numeric { tolerance } => Cow::Owned(format!("within {tolerance}")),
        CompareRule::Ignore => Cow::Borrowed("ignored"),
    }
}

pub(crate) fn differ(
    conv: &Conversation,
    rule: &'static str,
    field: &str,
    a: &Answer,
    b: &Answer,
    why: &[&dyn Piece],
) -> Finding {
    let (va, vb) = (&a.reply.answer[field], &b.reply.answer[field]);
    let head: [&dyn Piece; 14] = [
        &"`",
        &field,
        &"` differs: `",
        &a.step.id,
        &"` (",
        &a.step.channel,
        &") answered ",
        &Json(va),
        &", `",
        &b.step.id,
        &"` (",
        &b.step.channel,
        &") answered ",
        &Json(vb),
    ];
    let mut message = String::with_capacity(text::size(&head) + 2 + text::size(why));
    text::put(&mut message, &head);
    message.push_str(", ");
    text::put(&mut message, why);
    let ev = vec![
        evidence::on_step(a.step, "SUT answered", evidence::reply(a.reply, &[field])),
        evidence::on_step(b.step, "SUT answered", evidence::reply(b.reply, &[field])),
    ];
    new_finding(
        Kind::InconsistentAnswer,
        conv,
        &b.step.id,
        steps_with(&a.step.id),
        rule,
        Some(field.to_string()),
        message,
        ev,
    )
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
