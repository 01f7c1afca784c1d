//! `inconsistent-answer/consistent`: the comparisons the journey's author declared
//! (`consistent:` in a scenario): the fields of the answers of the contacts named must
//! agree, compared exactly, as sets or within a numeric tolerance.

use crate::conversation::Conversation;
use crate::rules::finding::Finding;
use crate::rules::text::Piece;
use crate::rules::{Check, Rule};

use super::{Answer, agree, answers, describe, differ};

pub struct Consistent;

impl Rule for Consistent {
    fn ids(&self) -> &'static [&'static str] {
        &["inconsistent-answer/consistent"]
    }

    fn check(&self, conv: &Conversation, _: &Check<'_>, out: &mut Vec<Finding>) {
        if conv.declared.comparisons.is_empty() {
            return;
        }
        let answers = answers(conv);
        for rule in &conv.declared.comparisons {
            let of_rule: Vec<&Answer> = answers
                .list
                .iter()
                .filter(|a| rule.contacts.contains(&a.index))
                .collect();
            for (i, a) in of_rule.iter().enumerate() {
                for b in &of_rule[i + 1..] {
                    for field in &rule.fields {
                        let (Some(va), Some(vb)) =
                            (a.reply.answer.get(field), b.reply.answer.get(field))
                        else {
                            continue;
                        };
                        if !agree(&rule.compare, va, vb) {
                            let how = describe(&rule.compare);
                            let why: [&dyn Piece; 3] =
                                [&"the scenario requires them to agree (", &how, &")"];
                            out.push(differ(conv, "consistent", field, a, b, &why));
                        }
                    }
                }
            }
        }
    }
}
