//! `Audit`: a `RuleSet` applied to a run whose conversations come one by one, in any
//! order. Each conversation's findings are stamped as it comes (its policy applied) and
//! handed back; the conversation is not kept. At the end the rules across journeys give
//! theirs, and every finding is ordered (`order::merge`), whatever order journeys came in.

use crate::conversation::Conversation;
use crate::rules::finding::Finding;
use crate::rules::order::{self, Keys, Part};
use crate::rules::policy::Policy;
use crate::rules::{Check, Expectations, Knowledge, RuleSet, RunRule};

/// Findings a journey is expected to give at most, for sizing a journey's vector (the
/// bundled journeys on the siloed retailer give about five).
const FINDINGS_PER_JOURNEY: usize = 6;

/// The rules of one run, fed one conversation at a time.
pub struct Audit<'r> {
    rules: &'r RuleSet,
    know: &'r Knowledge,
    run_rules: Vec<Box<dyn RunRule>>,
    /// What stamping needs of each journey read, by run position.
    keys: Vec<Option<Keys>>,
    /// Each journey's findings, stamped, in the order read.
    parts: Vec<(usize, Part)>,
}

/// The findings of a whole run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Audited {
    /// Those found across journeys (also in `findings`), in order.
    pub across: Vec<Finding>,
    /// Every finding, in order.
    pub findings: Vec<Finding>,
}

impl<'r> Audit<'r> {
    pub fn new(rules: &'r RuleSet, know: &'r Knowledge) -> Audit<'r> {
        Audit {
            rules,
            know,
            run_rules: rules.run_rules(),
            keys: Vec::new(),
            parts: Vec::new(),
        }
    }

    /// The findings of the conversation at run position `index`, stamped with `policy`
    /// and in order.
    pub fn journey(
        &mut self,
        index: usize,
        conv: &Conversation,
        expect: Option<Expectations<'_>>,
        policy: Policy,
    ) -> &[Finding] {
        let mut raw = Vec::with_capacity(FINDINGS_PER_JOURNEY);
        let cx = Check {
            expect,
            know: self.know,
        };
        self.rules.check(conv, &cx, &mut raw);
        for rule in &mut self.run_rules {
            rule.observe(index, conv, self.know);
        }
        let keys = Keys::of(conv, policy);
        let part = order::stamp(raw, &keys);
        if self.keys.len() <= index {
            self.keys.resize_with(index + 1, || None);
        }
        self.keys[index] = Some(keys);
        self.parts.push((index, part));
        self.parts
            .last()
            .map_or(&[][..], |(_, p)| p.findings.as_slice())
    }

    /// Every finding of the run, in order; those across journeys also on their own.
    pub fn finish(mut self) -> Audited {
        let mut across: Vec<(usize, Finding)> = Vec::new();
        for rule in &mut self.run_rules {
            across.extend(rule.finish());
        }
        across.sort_by_key(|(index, _)| *index);
        let mut across_parts = Vec::new();
        for same in across.chunk_by(|a, b| a.0 == b.0) {
            let index = same[0].0;
            let Some(Some(keys)) = self.keys.get(index) else {
                continue;
            };
            let raw = same.iter().map(|(_, f)| f.clone()).collect();
            across_parts.push((index, order::stamp(raw, keys)));
        }
        let across_ordered = order::merge(across_parts.clone());
        self.parts.extend(across_parts);
        Audited {
            across: across_ordered,
            findings: order::merge(self.parts),
        }
    }
}

#[cfg(test)]
#[path = "audit_tests.rs"]
mod tests;
