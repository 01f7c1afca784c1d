//! One journey's `Tally`s, overall and per channel, from its conversation and findings.
//!
//! A case is a contact with the later contacts of the same intent that carry it on
//! (`Basis::continues_case` links: declared `continues`, carried references, shared
//! identifiers), directly or through contacts of other intents. It is resolved
//! by the first of: a contact of the case whose final reply is `done` (and whose
//! `resolved` answer field, when the intent's catalogue names one, is not `false`), or an
//! outbox message fulfilling a promise a contact of the case made (its `resolved` field
//! not `false`); that contact is the resolving one.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::DateTime;

use super::Tally;
use crate::conversation::{Contact, Conversation};
use crate::protocol::Status;
use crate::rules::Knowledge;
use crate::rules::finding::{Finding, Kind};
use crate::rules::inconsistent_answer::answers;
use crate::rules::promises::{self, PromiseState, later};

/// The journey's tally overall, and per channel.
pub fn tally(
    conv: &Conversation,
    findings: &[Finding],
    know: &Knowledge,
) -> (Tally, BTreeMap<Arc<str>, Tally>) {
    let mut t = Tallies::default();
    t.overall.journeys = 1;
    for c in &conv.contacts {
        let ch = t.channel(&c.channel);
        ch.journeys = 1;
        t.each(&c.channel, |x| x.contacts += 1);
    }
    cases(conv, know, &mut t);
    for pair in conv.contacts.windows(2) {
        if pair[0].channel != pair[1].channel {
            t.each(&pair[0].channel, |x| x.switches += 1);
        }
    }
    for c in &conv.contacts {
        if c.redirect().is_some()
            || c.final_reply()
                .is_some_and(|r| r.status == Status::Redirected)
        {
            t.each(&c.channel, |x| x.transfers += 1);
        }
    }
    for f in findings.iter().filter(|f| found(f, Kind::RepeatedQuestion)) {
        match conv.contact(&f.step) {
            Some(c) => t.each(&c.channel, |x| x.repeated += 1),
            None => t.overall.repeated += 1,
        }
    }
    let on = |kind: Kind, c: &Contact| findings.iter().any(|f| *f.step == *c.id && found(f, kind));
    for (i, c) in conv.contacts.iter().enumerate() {
        if conv.is_handoff(i) {
            let ok = !on(Kind::BrokenHandoff, c);
            t.each(&c.channel, |x| {
                x.handoffs += 1;
                x.handoffs_ok += u64::from(ok);
            });
        }
    }
    let all = answers(conv);
    for (x, a) in all.list.iter().enumerate() {
        let earlier = &all.list[..x];
        let asked_before = all
            .question(a)
            .is_some_and(|q| earlier.iter().any(|b| all.question(b) == Some(q)));
        let declared = conv.declared.comparisons.iter().any(|cmp| {
            cmp.contacts.contains(&a.index)
                && earlier.iter().any(|b| cmp.contacts.contains(&b.index))
        });
        if asked_before || declared {
            let ok = !on(Kind::InconsistentAnswer, a.step);
            t.each(&a.step.channel, |m| {
                m.compared += 1;
                m.consistent += u64::from(ok);
            });
        }
    }
    for (c, p) in promises::all(conv) {
        let kept = match promises::state(conv, p) {
            PromiseState::Kept(_) => true,
            PromiseState::Late(_) | PromiseState::Missing => false,
            PromiseState::Unknown => continue,
        };
        t.each(&c.channel, |x| {
            x.promises += 1;
            x.promises_kept += u64::from(kept);
        });
    }
    (t.overall, t.channels)
}

#[derive(Default)]
struct Tallies {
    overall: Tally,
    channels: BTreeMap<Arc<str>, Tally>,
}

impl Tallies {
    fn channel(&mut self, channel: &Arc<str>) -> &mut Tally {
        self.channels.entry(Arc::clone(channel)).or_default()
    }

    /// Apply `f` to the overall tally and to `channel`'s.
    fn each(&mut self, channel: &Arc<str>, f: impl Fn(&mut Tally)) {
        f(&mut self.overall);
        f(self.channel(channel));
    }
}

/// Whether the finding is of `kind`, or corroborated by a rule of that kind.
fn found(f: &Finding, kind: Kind) -> bool {
    f.kind == kind
        || f.corroborated_by.iter().any(|c| {
            c.id.strip_prefix(kind.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
}

/// Count every case of the conversation under the channel it started on.
fn cases(conv: &Conversation, know: &Knowledge, t: &mut Tallies) {
    // The links that carry a case join its contacts (as `dead-end` counts a case).
    let case = conv.case_starts(|l| l.basis.continues_case());
    for (root, first) in conv.contacts.iter().enumerate() {
        if case[root] != root {
            continue;
        }
        let members: Vec<(usize, &Contact)> = conv
            .contacts
            .iter()
            .enumerate()
            .filter(|(i, _)| case[*i] == root)
            .collect();
        let resolution = resolution(conv, know, &members);
        let minutes = resolution.and_then(|(_, at)| minutes(&first.at, at));
        let size = members.len() as u64;
        t.each(&first.channel, |x| {
            x.cases += 1;
            x.case_contacts += size;
            if let Some((by, _)) = resolution {
                x.resolved += 1;
                x.first_contact += u64::from(by == root);
                x.same_channel += u64::from(conv.contacts[by].channel == first.channel);
                if let Some(m) = minutes {
                    *x.minutes.entry(m).or_default() += 1;
                }
            }
        });
    }
}

/// The contact that resolves the case of `members`, and when: the first resolving
/// contact or outbox message in time (a contact first at the same moment).
fn resolution<'c>(
    conv: &'c Conversation,
    know: &Knowledge,
    members: &[(usize, &'c Contact)],
) -> Option<(usize, &'c str)> {
    let mut best: Option<(usize, &str)> = members.iter().find_map(|(i, c)| {
        let r = c.final_reply()?;
        (r.status == Status::Done && know.not_unresolved(&c.intent, &r.answer))
            .then_some((*i, &*c.at))
    });
    for (i, c) in members {
        for p in promises::of_step(c) {
            for m in promises::fulfilling(conv, &p.id) {
                if !know.not_unresolved(&c.intent, &m.answer) {
                    continue;
                }
                if best.is_none_or(|(_, at)| later(at, &m.at)) {
                    best = Some((*i, &m.at));
                }
            }
        }
    }
    best
}

/// Whole minutes from `from` to `to`, when both parse and `to` is not before `from`.
fn minutes(from: &str, to: &str) -> Option<i64> {
    let from = DateTime::parse_from_rfc3339(from).ok()?;
    let to = DateTime::parse_from_rfc3339(to).ok()?;
    let m = (to - from).num_minutes();
    (m >= 0).then_some(m)
}
