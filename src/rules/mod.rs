//! Rules: each reads a `Conversation` and adds `Finding`s, behind one trait (`Rule`, or
//! `RunRule` for checks across the journeys of a run), in one registry (`RuleSet`).
//!
//! One rule a file; every finding has the stable id `kind/rule`
//! (`broken-handoff/state-lost`). No rule names a concrete intent, fact, channel or answer
//! field: they work on any SUT. Only `expectation` reads the scenario's expectations
//! (`Expectations`, an overlay); every other rule reads the conversation alone. A rule
//! never does I/O. `policy` switches rules off or re-rates them per journey; `audit` runs
//! the set over a run and orders the findings (`order`).

pub mod after_hours_parity;
pub mod agent_continuity;
pub mod audit;
pub mod broken_handoff;
pub mod corroborate;
pub mod dead_end;
pub mod deflection;
pub mod evidence;
pub mod expectation;
pub mod finding;
pub mod follow_up;
pub mod inconsistent_answer;
pub mod irrelevant_offer;
pub mod knowledge;
pub mod matcher;
pub mod order;
pub mod policy;
pub mod promises;
pub mod recognition;
pub mod repeated_question;
pub mod replies;
pub mod sla;
pub mod split_fulfilment;
pub mod survey_fatigue;
pub mod sut_error;
pub(crate) mod text;

#[cfg(test)]
pub(crate) mod testkit;

use std::borrow::Cow;
use std::sync::Arc;

pub use audit::Audit;
pub use knowledge::Knowledge;
pub use policy::Policy;

use crate::conversation::Conversation;
use crate::rules::finding::{Evidence, Finding, Fingerprint, Kind};
use crate::scenario::model::{Expect, Journey, OutboxExpect};

/// A check of one conversation.
pub trait Rule: Send + Sync {
    /// The ids of the findings it gives: `kind/rule`, or a family `kind/prefix*`.
    fn ids(&self) -> &'static [&'static str];
    /// Add the findings of `conv` to `out` (default severity, no fingerprint yet: the
    /// audit applies the journey's policy and stamps them), with what `cx` knows.
    fn check(&self, conv: &Conversation, cx: &Check<'_>, out: &mut Vec<Finding>);
}

/// What a rule checks a conversation with besides the conversation itself.
#[derive(Debug, Clone, Copy)]
pub struct Check<'a> {
    /// The scenario's expectations, when the conversation comes from a scenario.
    pub expect: Option<Expectations<'a>>,
    /// What is known of the SUT, and the user's targets and thresholds.
    pub know: &'a Knowledge,
}

/// A check across the conversations of a run, which come one by one in any order.
pub trait RunRule: Send {
    /// The ids of the findings it gives.
    fn ids(&self) -> &'static [&'static str];
    /// Read the conversation at position `index` of the run, with what is known of the
    /// SUT; keep only what is needed.
    fn observe(&mut self, index: usize, conv: &Conversation, know: &Knowledge);
    /// Every finding, each with the position of the journey it belongs to.
    fn finish(&mut self) -> Vec<(usize, Finding)>;
}

/// The scenario's own expectations of a journey: what the `expectation` rule checks.
#[derive(Debug, Clone, Copy)]
pub struct Expectations<'j> {
    journey: &'j Journey,
}

impl<'j> Expectations<'j> {
    pub fn of(journey: &'j Journey) -> Expectations<'j> {
        Expectations { journey }
    }

    /// What contact `index` (id `id`) is expected to get.
    pub fn step(&self, index: usize, id: &str) -> Option<&'j Expect> {
        crate::conversation::build::journey_step(self.journey, index, id).map(|s| &s.expect)
    }

    /// What the journey's outbox is expected to hold.
    pub fn outbox(&self) -> &'j OutboxExpect {
        &self.journey.outbox
    }
}

/// The rules a run applies: per conversation, and across the run.
pub struct RuleSet {
    rules: Vec<Box<dyn Rule>>,
    run_rules: Vec<Box<dyn Fn() -> Box<dyn RunRule>>>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::standard()
    }
}

impl RuleSet {
    /// No rule at all.
    pub fn empty() -> RuleSet {
        RuleSet {
            rules: Vec::new(),
            run_rules: Vec::new(),
        }
    }

    /// Every rule Seam has, in the order they run.
    pub fn standard() -> RuleSet {
        let mut set = RuleSet::empty();
        set.add(repeated_question::AskedAgain);
        for rule in broken_handoff::rules() {
            set.rules.push(rule);
        }
        set.add(inconsistent_answer::same_question::SameQuestion);
        set.add(inconsistent_answer::consistent::Consistent);
        set.add_run_rule(|| Box::new(inconsistent_answer::same_moment::SameMoment::default()));
        set.add(expectation::Expectation);
        for rule in sut_error::rules() {
            set.rules.push(rule);
        }
        // The CX rules, in `Kind::PRECEDENCE` order.
        set.add(sla::Sla);
        set.add(dead_end::NoResolution);
        set.add(after_hours_parity::WorseOutcome);
        set.add(recognition::Stranger);
        set.add(deflection::SentElsewhere);
        set.add(agent_continuity::NewAgentWithoutContext);
        set.add(follow_up::NotKept);
        set.add(split_fulfilment::SeveralParcels);
        set.add(irrelevant_offer::IgnoresProfile);
        set.add(survey_fatigue::Reminders);
        set
    }

    /// Add a rule of one conversation.
    pub fn add(&mut self, rule: impl Rule + 'static) -> &mut RuleSet {
        self.rules.push(Box::new(rule));
        self
    }

    /// Add a rule across journeys: `make` gives a fresh one for each run.
    pub fn add_run_rule(&mut self, make: impl Fn() -> Box<dyn RunRule> + 'static) -> &mut RuleSet {
        self.run_rules.push(Box::new(make));
        self
    }

    /// The id of every finding the set can give, in rule order.
    pub fn ids(&self) -> Vec<&'static str> {
        let mut ids: Vec<&'static str> = self.rules.iter().flat_map(|r| r.ids()).copied().collect();
        for make in &self.run_rules {
            ids.extend(make().ids());
        }
        let mut seen = std::collections::BTreeSet::new();
        ids.retain(|id| seen.insert(*id));
        ids
    }

    /// The raw findings of one conversation (default severities, no fingerprints).
    pub fn check(&self, conv: &Conversation, cx: &Check<'_>, out: &mut Vec<Finding>) {
        for rule in &self.rules {
            rule.check(conv, cx, out);
        }
    }

    /// Fresh rules across journeys, for one run.
    pub fn run_rules(&self) -> Vec<Box<dyn RunRule>> {
        self.run_rules.iter().map(|make| make()).collect()
    }
}

/// A finding on `conv` with default severity and no fingerprint yet; `steps` are put in
/// journey order (unknown ids first) and `channels` derived from them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_finding(
    kind: Kind,
    conv: &Conversation,
    step: &Arc<str>,
    steps: Vec<Arc<str>>,
    rule: impl Into<Cow<'static, str>>,
    subject: Option<String>,
    message: String,
    evidence: Vec<Evidence>,
) -> Finding {
    let mut steps = steps;
    if !steps.contains(step) {
        steps.push(Arc::clone(step));
    }
    // Step ids mostly are the conversation's own: the same `Arc`, found without comparing text.
    let pos = |id: &Arc<str>| {
        conv.contacts
            .iter()
            .position(|s| Arc::ptr_eq(&s.id, id) || s.id == *id)
    };
    if steps.len() > 1 {
        steps.sort_by_key(|s| pos(s).map_or(0, |p| p + 1));
        steps.dedup();
    }
    let mut channels: Vec<Arc<str>> = Vec::with_capacity(steps.len());
    for id in &steps {
        let channel = match pos(id) {
            Some(p) => Some(&conv.contacts[p].channel),
            None => evidence.iter().find(|e| e.step == *id).map(|e| &e.channel),
        };
        if let Some(c) = channel
            && !channels.contains(c)
        {
            channels.push(Arc::clone(c));
        }
    }
    if channels.is_empty() {
        for e in &evidence {
            if !channels.contains(&e.channel) {
                channels.push(Arc::clone(&e.channel));
            }
        }
    }
    Finding {
        kind,
        severity: kind.default_severity(),
        journey: Arc::clone(&conv.journey),
        file: Arc::clone(&conv.file),
        step: Arc::clone(step),
        steps,
        channels,
        rule: rule.into(),
        subject,
        message,
        evidence,
        fingerprint: Fingerprint::default(),
        corroborated_by: Vec::new(),
    }
}
