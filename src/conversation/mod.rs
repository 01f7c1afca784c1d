//! `Conversation`: what happened to one customer, normalised, in time order: the contacts
//! (touchpoints) with what was said, asked, answered, referenced, promised and redirected,
//! the outbox messages, and the links between contacts. Rules read only this.
//!
//! A scripted run builds it from the engine's trace and the scenario (`build::scripted`);
//! `build::inferred` builds one from a trace alone (as an exported log would give), the
//! links inferred from quoted references and shared customer identifiers.

pub mod build;

use std::sync::Arc;

use serde::Serialize;

use crate::engine::trace::{OutboxRead, StepEnd, Turn};
use crate::protocol::{Facts, OutboxMessage, Promise, Redirect, Reply};
use crate::scenario::model::CompareRule;

pub use build::{inferred, scripted};

/// One customer's contacts with the company, as the rules read them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conversation {
    /// The journey (or customer case) name; findings carry it.
    pub journey: Arc<str>,
    /// Where it came from: a scenario file, a log file.
    pub file: Arc<str>,
    /// Every contact, in the order they happened.
    pub contacts: Vec<Contact>,
    /// Every read of the company's outbox (messages sent to the customer), in order.
    pub outbox_reads: Vec<OutboxRead>,
    /// Which contact continues which, and how that is known.
    pub links: Vec<Link>,
    /// What the author of the journey declared, when there is one.
    pub declared: Declared,
}

/// One touchpoint: a contact on a channel at a moment, in one or more turns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    /// Its id in the conversation (the scenario step id).
    pub id: Arc<str>,
    pub channel: Arc<str>,
    pub intent: String,
    /// RFC 3339 virtual time.
    pub at: Arc<str>,
    /// The identifiers the customer presented.
    pub customer: Facts,
    /// The subject keys of the question, when known (SUT catalogue or scenario).
    pub subject: Option<Vec<String>>,
    /// What the customer said (each request) and what came back, turn by turn.
    pub turns: Vec<Turn>,
    /// How the contact ended.
    pub end: StepEnd,
}

/// "This contact continues that one", with how it is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The later contact (its index in `contacts`).
    pub contact: usize,
    /// The earlier contact it continues (its index).
    pub earlier: usize,
    pub basis: Basis,
}

/// How a link is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "basis")]
pub enum Basis {
    /// The scenario says so (`continues`).
    Declared,
    /// The customer quotes a reference the earlier contact's reply gave.
    QuotedReference,
    /// The customer quotes a reference (`key`) the earlier contact gave: it carries on
    /// that case (inferred; a scenario declares this as `continues`).
    ReferenceCarried { key: String },
    /// The customer presents an identifier the earlier contact also had (`key`).
    SameIdentifiers { key: String },
}

impl Basis {
    /// Whether the later contact carries on the earlier one's case (rather than only
    /// quoting one of its references).
    pub fn continues_case(&self) -> bool {
        !matches!(self, Basis::QuotedReference)
    }
}

/// What the author of a journey declared about it (empty without a scenario).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Declared {
    /// Repeated questions allowed over the whole journey (0: no limit).
    pub max_repeated_questions: u32,
    /// Answer fields that contacts must agree on, and how they are compared.
    pub comparisons: Vec<Comparison>,
    /// Contacts whose promises the author expects not to be kept.
    pub promises_waived: Vec<usize>,
    /// What the author says the customer is and knows (a persona's facts: interests,
    /// purchases, identity).
    pub customer: Facts,
}

/// A declared comparison: `fields` of the answers of `contacts` must agree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Indices of the contacts compared.
    pub contacts: Vec<usize>,
    pub fields: Vec<String>,
    pub compare: CompareRule,
}

impl Conversation {
    pub fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| *c.id == *id)
    }

    /// The index of contact `id`.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.contacts.iter().position(|c| *c.id == *id)
    }

    /// The contact whose case contact `index` carries on (a declared or inferred
    /// continuation), if any.
    pub fn continued(&self, index: usize) -> Option<&Contact> {
        self.links
            .iter()
            .find(|l| l.contact == index && l.basis.continues_case())
            .and_then(|l| self.contacts.get(l.earlier))
    }

    /// The contacts whose references contact `index` quotes, in the order quoted.
    pub fn quoted(&self, index: usize) -> impl Iterator<Item = &Contact> {
        self.links
            .iter()
            .filter(move |l| l.contact == index && l.basis == Basis::QuotedReference)
            .filter_map(|l| self.contacts.get(l.earlier))
    }

    /// Whether contact `index` is linked to an earlier one at all (a handoff).
    pub fn is_handoff(&self, index: usize) -> bool {
        self.links.iter().any(|l| l.contact == index)
    }

    /// For each contact, the first contact of its case: the earliest contact of the same
    /// intent among those that the links `joins` accepts connect, directly or through
    /// contacts of other intents.
    pub fn case_starts(&self, joins: impl Fn(&Link) -> bool) -> Vec<usize> {
        let n = self.contacts.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for l in self.links.iter().filter(|l| joins(l)) {
            if l.contact < n && l.earlier < n {
                let (a, b) = (root(&mut parent, l.contact), root(&mut parent, l.earlier));
                parent[a.max(b)] = a.min(b);
            }
        }
        let component: Vec<usize> = (0..n).map(|i| root(&mut parent, i)).collect();
        (0..n)
            .map(|i| {
                let intent = &self.contacts[i].intent;
                (0..=i)
                    .find(|&j| component[j] == component[i] && self.contacts[j].intent == *intent)
                    .unwrap_or(i)
            })
            .collect()
    }

    /// The most complete outbox read that succeeded (the last one).
    pub fn final_outbox(&self) -> Option<&[OutboxMessage]> {
        self.outbox_reads
            .iter()
            .rev()
            .find_map(|r| r.messages.as_deref().ok())
    }

    /// Turns sent, over every contact.
    pub fn touchpoints(&self) -> usize {
        self.contacts.iter().map(|c| c.turns.len()).sum()
    }
}

impl Contact {
    /// The last reply the SUT gave in this contact, if any.
    pub fn final_reply(&self) -> Option<&Reply> {
        self.turns.iter().rev().find_map(|t| t.reply.as_ref().ok())
    }

    /// Every reply, in turn order.
    pub fn replies(&self) -> impl Iterator<Item = &Reply> {
        self.turns.iter().filter_map(|t| t.reply.as_ref().ok())
    }

    /// Every promise made in this contact.
    pub fn promises(&self) -> impl Iterator<Item = &Promise> {
        self.replies().flat_map(|r| r.promises.iter())
    }

    /// Everything the customer said by the end of the contact (its last request's words).
    pub fn said(&self) -> Option<&Facts> {
        self.turns.last().map(|t| &t.request.says)
    }

    /// The references the customer quoted (first turn).
    pub fn quoted_refs(&self) -> Option<&Facts> {
        self.turns.first().map(|t| &t.request.refs)
    }

    /// Where the SUT sent the customer, if its final reply redirects.
    pub fn redirect(&self) -> Option<&Redirect> {
        self.final_reply().and_then(|r| r.redirect.as_ref())
    }

    /// Who served the customer, when the SUT says.
    pub fn agent(&self) -> Option<&str> {
        self.final_reply().and_then(|r| r.agent.as_deref())
    }

    /// Whether the SUT recognised the customer, when it says.
    pub fn recognised(&self) -> Option<bool> {
        self.final_reply().and_then(|r| r.recognized)
    }
}
