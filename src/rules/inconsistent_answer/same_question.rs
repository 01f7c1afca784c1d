//! `inconsistent-answer/same-question`: two contacts with the same intent and subject
//! values (the same question) whose answers give a field different values (exact
//! comparison, `1` = `1.0`, lists of scalars as sets unless the SUT's catalogue says their
//! order matters: `evidence::same_answer_in`). A field that a declared comparison covers
//! for both contacts is left to `consistent`.

use crate::conversation::Conversation;
use crate::rules::evidence;
use crate::rules::finding::Finding;
use crate::rules::text::Piece;
use crate::rules::{Check, Rule};

use super::{answers, differ};

pub struct SameQuestion;

impl Rule for SameQuestion {
    fn ids(&self) -> &'static [&'static str] {
        &["inconsistent-answer/same-question"]
    }

    fn check(&self, conv: &Conversation, cx: &Check<'_>, out: &mut Vec<Finding>) {
        let all = answers(conv);
        let answers = all.list.as_slice();
        let covered = |i: usize, j: usize, field: &str| {
            conv.declared.comparisons.iter().any(|rule| {
                rule.contacts.contains(&answers[i].index)
                    && rule.contacts.contains(&answers[j].index)
                    && rule.fields.iter().any(|f| f == field)
            })
        };
        // The answers to each question, by question then in conversation order.
        let mut asked: Vec<(&str, usize)> = answers
            .iter()
            .enumerate()
            .filter_map(|(i, a)| Some((all.question(a)?, i)))
            .collect();
        asked.sort_unstable();
        for same in asked.chunk_by(|a, b| a.0 == b.0) {
            let key = same[0].0;
            for (x, &(_, i)) in same.iter().enumerate() {
                for &(_, j) in &same[x + 1..] {
                    let (a, b) = (&answers[i], &answers[j]);
                    for (field, va) in &a.reply.answer {
                        let Some(vb) = b.reply.answer.get(field) else {
                            continue;
                        };
                        let ordered = cx.know.ordered(&a.step.intent, field);
                        if covered(i, j, field) || evidence::same_answer_in(va, vb, ordered) {
                            continue;
                        }
                        let why: [&dyn Piece; 3] = [&"to the same question (", &key, &")"];
                        out.push(differ(conv, "same-question", field, a, b, &why));
                    }
                }
            }
        }
    }
}
