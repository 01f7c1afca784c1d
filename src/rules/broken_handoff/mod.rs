//! `broken-handoff`: a contact that carries on an earlier case (it continues it, or
//! quotes its references) and finds it unknown, forgotten or dropped (a promise not kept
//! by its deadline is `follow-up/not-kept`). One rule a file; here what they share:
//! `Handoff`, one handoff contact with the contact(s) it carries on.

pub mod context_lost;
pub mod not_recognised;
pub mod redirect_drops_case;
pub mod reference_asked_again;
pub mod state_lost;
pub mod unknown_reference;

use std::sync::Arc;

use crate::conversation::{Contact, Conversation};
use crate::protocol::Reply;
use crate::rules::Rule;
use crate::rules::evidence;
use crate::rules::finding::{Evidence, Finding, Kind};
use crate::rules::new_finding;
use crate::rules::text::{self, Piece};

/// The rules of this kind, for the registry.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(unknown_reference::UnknownReference),
        Box::new(not_recognised::NotRecognised),
        Box::new(reference_asked_again::ReferenceAskedAgain),
        Box::new(context_lost::ContextLost),
        Box::new(state_lost::StateLost),
        Box::new(redirect_drops_case::RedirectDropsCase),
    ]
}

/// A rule (unit struct `$name`, id `$id`) that runs `Handoff::$check` on every handoff
/// contact of a conversation.
macro_rules! handoff_rule {
    ($name:ident, $id:literal, $check:ident) => {
        #[doc = concat!("`", $id, "`: see the module.")]
        pub struct $name;

        impl crate::rules::Rule for $name {
            fn ids(&self) -> &'static [&'static str] {
                &[$id]
            }

            fn check(
                &self,
                conv: &crate::conversation::Conversation,
                _: &crate::rules::Check<'_>,
                out: &mut Vec<crate::rules::finding::Finding>,
            ) {
                for h in super::handoffs(conv) {
                    h.$check(out);
                }
            }
        }
    };
}
pub(crate) use handoff_rule;

/// One handoff contact and the contact(s) it carries on.
pub(crate) struct Handoff<'a> {
    conv: &'a Conversation,
    /// Its index in the conversation.
    index: usize,
    step: &'a Contact,
    /// The contact whose case it continues, if any.
    prev: Option<&'a Contact>,
    /// The ids of the contacts it carries on (quoted, then continued).
    related: Vec<Arc<str>>,
}

/// Every handoff contact of `conv`, in order.
pub(crate) fn handoffs(conv: &Conversation) -> impl Iterator<Item = Handoff<'_>> {
    conv.contacts
        .iter()
        .enumerate()
        .filter(|(i, _)| conv.is_handoff(*i))
        .map(|(index, step)| {
            let prev = conv.continued(index);
            let related = conv
                .quoted(index)
                .chain(prev)
                .map(|c| Arc::clone(&c.id))
                .collect();
            Handoff {
                conv,
                index,
                step,
                prev,
                related,
            }
        })
}

impl<'a> Handoff<'a> {
    pub(super) fn finding(
        &self,
        rule: &'static str,
        subject: Option<String>,
        what: &[&dyn Piece],
        ev: Vec<Evidence>,
    ) -> Finding {
        let head: [&dyn Piece; 5] = [&"step `", &self.step.id, &"` (", &self.step.channel, &")"];
        let related: usize = self.related.iter().map(|id| id.len() + 4).sum();
        let size = text::size(&head) + 40 + related + text::size(what);
        let mut message = String::with_capacity(size);
        text::put(&mut message, &head);
        match self.prev {
            Some(p) => text::put(
                &mut message,
                &[&" continuing `", &p.id, &"` (", &p.channel, &"): "],
            ),
            None => {
                message.push_str(" quoting refs of `");
                text::put_joined(&mut message, &self.related, "`, `");
                message.push_str("`: ");
            }
        }
        text::put(&mut message, what);
        // Room for this step, which `new_finding` adds.
        let mut steps = Vec::with_capacity(self.related.len() + 1);
        steps.extend(self.related.iter().cloned());
        new_finding(
            Kind::BrokenHandoff,
            self.conv,
            &self.step.id,
            steps,
            rule,
            subject,
            message,
            ev,
        )
    }

    /// The customer's quoted refs and identifiers on the first turn.
    pub(super) fn quoted(&self) -> Vec<Evidence> {
        let mut ev = Vec::new();
        if let Some(p) = self.prev
            && let Some(r) = p.final_reply()
            && !r.refs.is_empty()
        {
            ev.push(evidence::on_step(
                p,
                "SUT issued refs",
                evidence::facts(&r.refs),
            ));
        }
        if let Some(t) = self.step.turns.first()
            && !t.request.refs.is_empty()
        {
            ev.push(evidence::on_step(
                self.step,
                "customer quoted",
                evidence::facts(&t.request.refs),
            ));
        }
        ev
    }

    /// The contacts this one carries on, nearest first, following continuations back,
    /// then those it quotes.
    pub(super) fn chain(&self) -> Vec<&'a Contact> {
        let mut out: Vec<&Contact> = Vec::new();
        let mut next = self.prev;
        while let Some(s) = next {
            if out.iter().any(|seen| seen.id == s.id) {
                break;
            }
            out.push(s);
            next = self
                .conv
                .position(&s.id)
                .and_then(|i| self.conv.continued(i));
        }
        for s in self.conv.quoted(self.index) {
            if !out.iter().any(|seen| seen.id == s.id) {
                out.push(s);
            }
        }
        out
    }
}

pub(crate) fn replies(step: &Contact) -> impl Iterator<Item = &Reply> {
    step.turns.iter().filter_map(|t| t.reply.as_ref().ok())
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
