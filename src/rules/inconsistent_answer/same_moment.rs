//! `inconsistent-answer/same-moment`: journeys of one run that ask the same question at
//! the same virtual instant and get different answers. The first answer of the run (in
//! run order) to each question at each moment is what later ones are compared with.
//!
//! Conversations come in any order and are not kept. Of each question at each moment the
//! first answer seen is kept whole (what a finding quotes); a later answer is compared
//! with it as soon as no earlier journey can still come (every journey before the first
//! one has been seen), then dropped. Only the answers of journeys that finished out of
//! order wait, so memory follows `--jobs` and the distinct questions, not the run.

use std::borrow::Borrow;
use std::sync::Arc;

use crate::conversation::Conversation;
use crate::protocol::Reply;
use crate::rules::evidence;
use crate::rules::finding::{Evidence, Finding, Fingerprint, Kind};
use crate::rules::{Knowledge, RunRule};

use super::{answers, instant};

/// One answer: its reply owned (`Reply`, when kept) or borrowed from its conversation.
struct Entry<R: Borrow<Reply>> {
    /// The journey's position in the run, then the answer's position in it.
    order: (usize, usize),
    journey: Arc<str>,
    file: Arc<str>,
    step: Arc<str>,
    channel: Arc<str>,
    at: Arc<str>,
    reply: R,
}

impl Entry<&Reply> {
    fn kept(self) -> Entry<Reply> {
        Entry {
            order: self.order,
            journey: self.journey,
            file: self.file,
            step: self.step,
            channel: self.channel,
            at: self.at,
            reply: self.reply.clone(),
        }
    }
}

/// The answers to one question at one moment.
struct Slot {
    /// The earliest answer seen, in run order.
    first: Entry<Reply>,
    /// `{journey}/{step}` of the first answer, as findings name it, once needed.
    foreign: Option<Arc<str>>,
    /// Later answers not yet compared: the first may still change.
    waiting: Vec<Entry<Reply>>,
    /// The list fields of the question's intent whose order matters (the catalogue's).
    ordered: Vec<String>,
}

#[derive(Default)]
pub struct SameMoment {
    /// The answers to each question at each moment (`{moment} {question}`).
    asked: foldhash::HashMap<String, Slot>,
    /// Each distinct time written, as its UTC instant (journeys replay the same times).
    instants: foldhash::HashMap<Arc<str>, String>,
    /// Every journey before this position has been seen.
    seen_below: usize,
    /// Journeys seen at or after `seen_below`.
    seen_above: std::collections::BTreeSet<usize>,
    /// Findings made so far, with their journey's position.
    found: Vec<(usize, Finding)>,
}

impl RunRule for SameMoment {
    fn ids(&self) -> &'static [&'static str] {
        &["inconsistent-answer/same-moment"]
    }

    fn observe(&mut self, index: usize, conv: &Conversation, know: &Knowledge) {
        self.seen_above.insert(index);
        while self.seen_above.remove(&self.seen_below) {
            self.seen_below += 1;
        }
        let answers = answers(conv);
        for (n, answer) in answers.list.iter().enumerate() {
            let Some(question) = answers.question(answer) else {
                continue;
            };
            let contact = answer.step;
            let moment = self
                .instants
                .entry(Arc::clone(&contact.at))
                .or_insert_with(|| instant(&contact.at));
            let key = format!("{moment} {question}");
            let entry = Entry {
                order: (index, n),
                journey: Arc::clone(&conv.journey),
                file: Arc::clone(&conv.file),
                step: Arc::clone(&contact.id),
                channel: Arc::clone(&contact.channel),
                at: Arc::clone(&contact.at),
                reply: answer.reply,
            };
            let Some(slot) = self.asked.get_mut(&key) else {
                let slot = Slot {
                    first: entry.kept(),
                    foreign: None,
                    waiting: Vec::new(),
                    ordered: know
                        .intent(&contact.intent)
                        .map(|i| i.ordered.clone())
                        .unwrap_or_default(),
                };
                self.asked.insert(key, slot);
                continue;
            };
            if slot.first.order.0 < self.seen_below && slot.first.order < entry.order {
                // The first is final (no journey before it can still come): compare now,
                // keeping nothing.
                compare(slot, &entry, question, &mut self.found);
            } else if entry.order < slot.first.order {
                let later = std::mem::replace(&mut slot.first, entry.kept());
                slot.foreign = None;
                slot.waiting.push(later);
            } else {
                slot.waiting.push(entry.kept());
            }
            if slot.first.order.0 < self.seen_below && !slot.waiting.is_empty() {
                compare_waiting(slot, question, &mut self.found);
            }
        }
    }

    fn finish(&mut self) -> Vec<(usize, Finding)> {
        let mut found = std::mem::take(&mut self.found);
        for (key, mut slot) in std::mem::take(&mut self.asked) {
            let question = key.split_once(' ').map_or("", |(_, q)| q);
            compare_waiting(&mut slot, question, &mut found);
        }
        found
    }
}

/// Compare the waiting answers of `slot` with its first one, and forget them.
fn compare_waiting(slot: &mut Slot, question: &str, out: &mut Vec<(usize, Finding)>) {
    for b in std::mem::take(&mut slot.waiting) {
        compare(slot, &b, question, out);
    }
}

/// The findings of answer `b` against the first answer of `slot`: one per field they
/// both give with different values (none from the first's own journey).
fn compare<R: Borrow<Reply>>(
    slot: &mut Slot,
    b: &Entry<R>,
    question: &str,
    out: &mut Vec<(usize, Finding)>,
) {
    let (first, rb) = (&slot.first, b.reply.borrow());
    if b.order.0 == first.order.0 || first.reply.answer == rb.answer {
        return;
    }
    for (field, va) in &first.reply.answer {
        let Some(vb) = rb.answer.get(field) else {
            continue;
        };
        if evidence::same_answer_in(va, vb, slot.ordered.contains(field)) {
            continue;
        }
        let foreign = slot
            .foreign
            .get_or_insert_with(|| format!("{}/{}", first.journey, first.step).into());
        out.push((b.order.0, differs(first, foreign, b, field, question)));
    }
}

/// The finding of `field` answered differently by `b` than by the first answer.
fn differs<R: Borrow<Reply>>(
    first: &Entry<Reply>,
    foreign: &Arc<str>,
    b: &Entry<R>,
    field: &str,
    question: &str,
) -> Finding {
    let rb = b.reply.borrow();
    let (va, vb) = (&first.reply.answer[field], &rb.answer[field]);
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
        quote: evidence::reply(rb, &[field]),
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
        corroborated_by: Vec::new(),
    }
}
