//! `broken-handoff`: a step that carries on an earlier case (`continues`, or quotes its
//! refs) and finds it unknown, forgotten or dropped; and promises not kept by their deadline.
//!
//! Rules: `unknown-reference`, `not-recognised`, `reference-asked-again`, `context-lost`,
//! `state-lost`, `promise-not-kept`, `redirect-drops-case`.

use std::borrow::Cow;
use std::sync::Arc;

use crate::detect::evidence;
use crate::detect::finding::{Evidence, Finding, Kind};
use crate::detect::new_finding;
use crate::detect::promises::{self, PromiseState};
use crate::detect::text::{self, Json, Piece, text};
use crate::engine::trace::{StepTrace, Trace};
use crate::protocol::{OutboxMessage, Reply, Status};
use crate::scenario::model::Journey;

pub fn detect(journey: &Journey, trace: &Trace) -> Vec<Finding> {
    let mut out = Vec::new();
    detect_into(journey, trace, &mut out);
    out
}

/// `detect`, the findings added to `out`.
pub(crate) fn detect_into(journey: &Journey, trace: &Trace, out: &mut Vec<Finding>) {
    for step in &trace.steps {
        if step.continues.is_none() && step.quotes.is_empty() {
            continue;
        }
        let prev = step.continues.as_deref().and_then(|id| trace.step(id));
        let related: Vec<Arc<str>> = step
            .quotes
            .iter()
            .chain(&step.continues)
            .map(|id| shared_id(trace, id))
            .collect();
        let h = Handoff {
            trace,
            step,
            prev,
            related,
        };
        h.unknown_reference(out);
        h.not_recognised(out);
        h.reference_asked_again(out);
        h.context_lost(out);
        h.state_lost(out);
        h.redirect_drops_case(out);
    }
    promises_not_kept(journey, trace, out);
}

/// One handoff step and the step(s) it carries on.
struct Handoff<'a> {
    trace: &'a Trace,
    step: &'a StepTrace,
    prev: Option<&'a StepTrace>,
    /// The ids of the steps it carries on (quoted, then continued).
    related: Vec<Arc<str>>,
}

/// Step `id` as the trace's own `Arc` when the trace has the step, else a new one.
fn shared_id(trace: &Trace, id: &str) -> Arc<str> {
    trace
        .step(id)
        .map_or_else(|| Arc::from(id), |s| Arc::clone(&s.id))
}

impl Handoff<'_> {
    fn finding(
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
            self.trace,
            &self.step.id,
            steps,
            rule,
            subject,
            message,
            ev,
        )
    }

    /// The customer's quoted refs and identifiers on the first turn.
    fn quoted(&self) -> Vec<Evidence> {
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

    fn unknown_reference(&self, out: &mut Vec<Finding>) {
        let hit = self
            .step
            .turns
            .iter()
            .filter_map(|t| t.reply.as_ref().ok())
            .find(|r| r.status == Status::UnknownReference);
        if let Some(r) = hit {
            let mut ev = self.quoted();
            ev.push(evidence::on_step(
                self.step,
                "SUT answered",
                evidence::reply(r, &[]),
            ));
            out.push(self.finding(
                "unknown-reference",
                None,
                &[&"the SUT does not know the reference"],
                ev,
            ));
        }
    }

    fn not_recognised(&self, out: &mut Vec<Finding>) {
        let Some(r) = self.step.final_reply() else {
            return;
        };
        let known_before = self
            .prev
            .and_then(StepTrace::final_reply)
            .is_some_and(|p| p.recognized == Some(true));
        if r.recognized != Some(false) || (self.step.customer.is_empty() && !known_before) {
            return;
        }
        let mut ev = Vec::new();
        if known_before && let Some(p) = self.prev {
            ev.push(evidence::on_step(
                p,
                "SUT recognised the customer",
                "recognized=true",
            ));
        }
        if !self.step.customer.is_empty() {
            ev.push(evidence::on_step(
                self.step,
                "customer presented",
                evidence::facts(&self.step.customer),
            ));
        }
        ev.push(evidence::on_step(
            self.step,
            "SUT answered",
            evidence::reply(r, &[]) + " recognized=false",
        ));
        out.push(self.finding(
            "not-recognised",
            None,
            &[&"the SUT does not recognise the customer"],
            ev,
        ));
    }

    fn reference_asked_again(&self, out: &mut Vec<Finding>) {
        let issued = self
            .prev
            .map(|p| replies(p).flat_map(|r| r.refs.iter()).collect::<Vec<_>>())
            .unwrap_or_default();
        let mut reported: Vec<&str> = Vec::new();
        for turn in &self.step.turns {
            let Ok(r) = &turn.reply else { continue };
            for key in &r.asks {
                let quoted = turn.request.refs.get(key);
                let from_prev = issued.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
                if (quoted.is_none() && from_prev.is_none()) || reported.contains(&key.as_str()) {
                    continue;
                }
                reported.push(key);
                let mut ev = Vec::new();
                if let (Some(p), Some(v)) = (self.prev, from_prev) {
                    ev.push(evidence::on_step(
                        p,
                        "SUT issued",
                        evidence::field(key, Some(v)),
                    ));
                }
                if let Some(v) = quoted {
                    ev.push(evidence::on_step(
                        self.step,
                        "customer quoted",
                        evidence::field(key, Some(v)),
                    ));
                }
                ev.push(evidence::on_step(
                    self.step,
                    "SUT asked",
                    evidence::asked(r),
                ));
                out.push(self.finding(
                    "reference-asked-again",
                    Some(key.clone()),
                    &[&"the SUT asks again for the reference `", key, &"`"],
                    ev,
                ));
            }
        }
    }

    /// The case travelled but its context did not: the SUT asks again, in this handoff
    /// step, for facts the customer gave in the step(s) it carries on (one finding per
    /// handoff step, listing the facts; `repeated-question` counts each fact).
    fn context_lost(&self, out: &mut Vec<Finding>) {
        let chain = self.chain();
        let mut lost: Vec<(&str, &StepTrace, &serde_json::Value)> = Vec::new();
        let mut asked_in: Option<&Reply> = None;
        for r in replies(self.step) {
            for key in &r.asks {
                if lost.iter().any(|(k, ..)| k == key) {
                    continue;
                }
                let given = chain.iter().find_map(|s| {
                    s.turns
                        .iter()
                        .find_map(|t| t.request.says.get(key).or(t.request.customer.get(key)))
                        .map(|v| (*s, v))
                });
                if let Some((s, v)) = given {
                    lost.push((key, s, v));
                    asked_in.get_or_insert(r);
                }
            }
        }
        let Some(r) = asked_in else {
            return;
        };
        let mut ev: Vec<Evidence> = lost
            .iter()
            .map(|(k, s, v)| evidence::on_step(s, "customer gave", evidence::field(k, Some(v))))
            .collect();
        ev.push(evidence::on_step(
            self.step,
            "SUT asked",
            evidence::asked(r),
        ));
        let keys: Vec<&str> = lost.iter().map(|(k, ..)| *k).collect();
        out.push(self.finding(
            "context-lost",
            Some(keys.join(",")),
            &[
                &"the case came without its context: the SUT asks again for `",
                &keys.join("`, `"),
                &"`",
            ],
            ev,
        ));
    }

    /// The steps this one carries on, nearest first, following `continues` back.
    fn chain(&self) -> Vec<&StepTrace> {
        let mut out: Vec<&StepTrace> = Vec::new();
        let mut next = self.prev;
        while let Some(s) = next {
            if out.iter().any(|seen| seen.id == s.id) {
                break;
            }
            out.push(s);
            next = s.continues.as_deref().and_then(|id| self.trace.step(id));
        }
        for id in &self.step.quotes {
            if let Some(s) = self.trace.step(id)
                && !out.iter().any(|seen| seen.id == s.id)
            {
                out.push(s);
            }
        }
        out
    }

    fn state_lost(&self, out: &mut Vec<Finding>) {
        let (Some(prev), Some(now)) = (self.prev, self.step.final_reply()) else {
            return;
        };
        let Some(before) = prev.final_reply() else {
            return;
        };
        if !evidence::is_business_answer(before) || !evidence::is_business_answer(now) {
            return;
        }
        // A reference the customer quotes must be acknowledged; a field asserted before
        // must not change.
        let quoted = |k: &str| {
            self.step
                .turns
                .iter()
                .any(|t| t.request.refs.contains_key(k))
        };
        // (prefix, key, was, is, whether it is a ref); the name is written only for a
        // finding.
        let refs = before.refs.iter().map(|(k, v)| {
            let is = now.refs.get(k).or_else(|| now.answer.get(k));
            ("refs.", k, v, is, true)
        });
        let answers = before
            .answer
            .iter()
            .map(|(k, v)| ("", k, v, now.answer.get(k), false));
        for (prefix, key, was, is, is_ref) in refs.chain(answers) {
            let now_is: [&dyn Piece; 2] = match is {
                Some(is) if evidence::same(was, is) => continue,
                Some(is) => [&"is now ", &Json(is)],
                None if is_ref && quoted(key) => [&"is gone", &""],
                None => continue,
            };
            let name = text!(prefix, key);
            let ev = vec![
                evidence::on_step(prev, "SUT answered", evidence::field(&name, Some(was))),
                evidence::on_step(self.step, "SUT answered", evidence::field(&name, is)),
            ];
            out.push(self.finding(
                "state-lost",
                Some(name.clone()),
                &[
                    &"`",
                    &name,
                    &"` was ",
                    &Json(was),
                    &" and ",
                    now_is[0],
                    now_is[1],
                ],
                ev,
            ));
        }
    }

    fn redirect_drops_case(&self, out: &mut Vec<Finding>) {
        let Some(r) = self.step.final_reply() else {
            return;
        };
        let Some(redirect) = r.redirect.as_ref().filter(|d| d.refs.is_empty()) else {
            return;
        };
        let mut ev = self.quoted();
        ev.push(evidence::on_step(
            self.step,
            "SUT redirected",
            evidence::reply(r, &[]) + " to " + &redirect.channel + " with refs {}",
        ));
        out.push(self.finding(
            "redirect-drops-case",
            Some(redirect.channel.clone()),
            &[
                &"the SUT sends the customer to ",
                &redirect.channel,
                &" without the case",
            ],
            ev,
        ));
    }
}

fn replies(step: &StepTrace) -> impl Iterator<Item = &Reply> {
    step.turns.iter().filter_map(|t| t.reply.as_ref().ok())
}

/// `promise-not-kept` for every promise not kept by its deadline (a promise hands the
/// case to the company's future self, often on another channel; a scenario that says
/// `kept: false` waives it), and `redirect-drops-case` for every promise whose message
/// sends the customer away without the case.
fn promises_not_kept(journey: &Journey, trace: &Trace, out: &mut Vec<Finding>) {
    for (step, p) in promises::all(trace) {
        let fulfilling = promises::fulfilling(trace, &p.id);
        let state = promises::state_of(trace, p, &fulfilling);
        let waived = || {
            journey
                .step(&step.id)
                .and_then(|s| s.expect.promises.as_ref())
                .is_some_and(|e| !e.kept)
        };
        let not_kept = matches!(state, PromiseState::Late(_) | PromiseState::Missing) && !waived();
        let drops = |m: &OutboxMessage| m.redirect.as_ref().is_some_and(|r| r.refs.is_empty());
        if !not_kept && !fulfilling.iter().any(|m| drops(m)) {
            continue;
        }
        let made = evidence::on_step(step, "SUT promised", evidence::promise(p));
        if not_kept {
            let (why, ev): ([&dyn Piece; 2], Evidence) = match state {
                PromiseState::Late(m) => (
                    [&"kept late, at ", &m.at],
                    evidence::outbox(m, "outbox, late"),
                ),
                _ => (
                    [&"no outbox message fulfils it", &""],
                    Evidence {
                        step: evidence::outbox_step(),
                        channel: p.channel.as_str().into(),
                        at: p.by.as_str().into(),
                        what: Cow::Borrowed("outbox at the deadline"),
                        quote: text!("nothing fulfils ", p.id),
                    },
                ),
            };
            let message = text!(
                "promise `",
                p.what,
                "` made in step `",
                step.id,
                "` (",
                step.channel,
                ") for ",
                p.channel,
                " by ",
                p.by,
                " was not kept: ",
                why[0],
                why[1],
            );
            out.push(new_finding(
                Kind::BrokenHandoff,
                trace,
                &step.id,
                vec![],
                "promise-not-kept",
                Some(p.what.clone()),
                message,
                vec![made.clone(), ev],
            ));
        }
        for m in fulfilling.iter().filter(|m| drops(m)) {
            let Some(r) = &m.redirect else { continue };
            let message = text!(
                "the message keeping promise `",
                p.what,
                "` of step `",
                step.id,
                "` sends the customer to ",
                r.channel,
                " without the case",
            );
            out.push(new_finding(
                Kind::BrokenHandoff,
                trace,
                &step.id,
                vec![],
                "redirect-drops-case",
                Some(p.what.clone()),
                message,
                vec![made.clone(), evidence::outbox(m, "outbox message")],
            ));
        }
    }
}

#[cfg(test)]
#[path = "handoff_tests.rs"]
mod tests;
