//! `inconsistent-answer/same-moment`: journeys of one run that ask the same question at
//! the same virtual instant and get different answers. The first answer of the run (in
//! run order) to each question at each moment is what later ones are compared with.
//!
//! Conversations come in any order and are not kept: of each answer whose question is
//! known, only what a finding quotes is kept (names, moment, the reply), and the
//! comparisons are made at the end of the run, in run order.

use std::sync::Arc;

use crate::conversation::Conversation;
use crate::protocol::Reply;
use crate::rules::RunRule;
use crate::rules::evidence;
use crate::rules::finding::{Evidence, Finding, Fingerprint, Kind};

use super::{answers, instant};

/// What is kept of one answer.
struct Entry {
    /// The journey's position in the run, then the answer's position in it.
    order: (usize, usize),
    journey: Arc<str>,
    file: Arc<str>,
    step: Arc<str>,
    channel: Arc<str>,
    at: Arc<str>,
    reply: Reply,
}

#[derive(Default)]
pub struct SameMoment {
    /// The answers to each (moment, question).
    asked: foldhash::HashMap<(String, String), Vec<Entry>>,
    /// Each distinct time written, as its UTC instant (journeys replay the same times).
    instants: foldhash::HashMap<Arc<str>, String>,
}

impl RunRule for SameMoment {
    fn ids(&self) -> &'static [&'static str] {
        &["inconsistent-answer/same-moment"]
    }

    fn observe(&mut self, index: usize, conv: &Conversation) {
        let answers = answers(conv);
        for (n, answer) in answers.list.iter().enumerate() {
            let Some(question) = answers.question(answer) else {
                continue;
            };
            let contact = answer.step;
            let moment = self
                .instants
                .entry(Arc::clone(&contact.at))
                .or_insert_with(|| instant(&contact.at))
                .clone();
            self.asked
                .entry((moment, question.to_string()))
                .or_default()
                .push(Entry {
                    order: (index, n),
                    journey: Arc::clone(&conv.journey),
                    file: Arc::clone(&conv.file),
                    step: Arc::clone(&contact.id),
                    channel: Arc::clone(&contact.channel),
                    at: Arc::clone(&contact.at),
                    reply: answer.reply.clone(),
                });
        }
    }

    fn finish(&mut self) -> Vec<(usize, Finding)> {
        let mut out = Vec::new();
        for ((_, question), mut entries) in std::mem::take(&mut self.asked) {
            if entries.len() < 2 {
                continue;
            }
            entries.sort_by_key(|e| e.order);
            let (first, rest) = entries.split_at(1);
            let first = &first[0];
            let foreign: Arc<str> = format!("{}/{}", first.journey, first.step).into();
            for b in rest {
                if b.order.0 == first.order.0 || first.reply.answer == b.reply.answer {
                    continue;
                }
                for (field, va) in &first.reply.answer {
                    let Some(vb) = b.reply.answer.get(field) else {
                        continue;
                    };
                    if evidence::same(va, vb) {
                        continue;
                    }
                    out.push((b.order.0, differs(first, &foreign, b, field, &question)));
                }
            }
        }
        out
    }
}

/// The finding of `field` answered differently by `b` than by the first answer.
fn differs(first: &Entry, foreign: &Arc<str>, b: &Entry, field: &str, question: &str) -> Finding {
    let (va, vb) = (&first.reply.answer[field], &b.reply.answer[field]);
    let quoted = Evidence {
        step: Arc::clone(foreign),
        channel: Arc::clone(&first.channel),
        at: Arc::clone(&first.at),
        what: "SUT answered".into(),
        quote: evidence::reply(&first.reply, &[field]),
    };
    let second = Evidence {
        step: Arc::clone(&b.step),
        channel: Arc::clone(&b.channel),
        at: Arc::clone(&b.at),
        what: "SUT answered".into(),
        quote: evidence::reply(&b.reply, &[field]),
    };
    let message = format!(
        "`{field}` differs across journeys at {}: `{foreign}` ({}) answered {}, `{}` ({}) answered {}, to the same question ({question})",
        b.at,
        first.channel,
        evidence::value(va),
        b.step,
        b.channel,
        evidence::value(vb)
    );
    let mut channels = vec![Arc::clone(&first.channel)];
    if b.channel != first.channel {
        channels.push(Arc::clone(&b.channel));
    }
    Finding {
        kind: Kind::InconsistentAnswer,
        severity: Kind::InconsistentAnswer.default_severity(),
        journey: Arc::clone(&b.journey),
        file: Arc::clone(&b.file),
        step: Arc::clone(&b.step),
        steps: vec![Arc::clone(foreign), Arc::clone(&b.step)],
        channels,
        rule: "same-moment".into(),
        subject: Some(field.to_string()),
        message,
        evidence: vec![quoted, second],
        fingerprint: Fingerprint::default(),
    }
}
