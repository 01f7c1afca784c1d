//! Stamping and ordering findings: each journey's findings get their journey's severities
//! (`Policy`, dropping rules that are off) and fingerprints as they come, sorted within the
//! journey (`Part`); `merge` then orders the run, whatever order journeys finished in.
//!
//! Order: file, journey, position of `step` in the journey, kind, rule, subject, steps,
//! message; journeys of the same file and name keep their run order.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::conversation::Conversation;
use crate::rules::finding::{Finding, Fnv, Kind};
use crate::rules::policy::Policy;

/// What stamping needs of a journey, kept after its conversation is gone (for the findings
/// across journeys that come at the end of the run).
#[derive(Debug, Clone)]
pub struct Keys {
    pub file: Arc<str>,
    pub journey: Arc<str>,
    /// The contact ids, in journey order.
    pub steps: Vec<Arc<str>>,
    pub policy: Policy,
}

impl Keys {
    pub fn of(conv: &Conversation, policy: Policy) -> Keys {
        Keys {
            file: Arc::clone(&conv.file),
            journey: Arc::clone(&conv.journey),
            steps: conv.contacts.iter().map(|c| Arc::clone(&c.id)).collect(),
            policy,
        }
    }

    fn position(&self, step: &str) -> usize {
        self.steps
            .iter()
            .position(|s| **s == *step)
            .unwrap_or(usize::MAX)
    }
}

/// One journey's findings, stamped and in journey order, with their steps' positions.
#[derive(Debug, Clone, Default)]
pub struct Part {
    pub findings: Vec<Finding>,
    positions: Vec<usize>,
}

/// Apply the journey's policy (dropping what is off), fingerprint, clip what is quoted
/// (`Finding::clip`), report each problem once (`corroborate`), and sort.
pub fn stamp(raw: Vec<Finding>, keys: &Keys) -> Part {
    let mut stamped: Vec<(usize, Finding)> = Vec::with_capacity(raw.len());
    // The hash of (kind, file, journey) that starts each fingerprint, once per kind.
    let mut starts: [Option<Fnv>; Kind::ALL.len()] = [None; Kind::ALL.len()];
    for mut f in raw {
        let Some(severity) = keys.policy.severity(f.kind, &f.rule) else {
            continue;
        };
        f.severity = severity;
        f.fingerprint = if f.file == keys.file && f.journey == keys.journey {
            let start = starts[f.kind as usize]
                .get_or_insert_with(|| Fnv::of_journey(f.kind, &keys.file, &keys.journey));
            f.fingerprint_from(*start)
        } else {
            f.compute_fingerprint()
        };
        f.clip();
        stamped.push((keys.position(&f.step), f));
    }
    let mut stamped = crate::rules::corroborate::one_per_problem(stamped);
    stamped.sort_by(|(pa, a), (pb, b)| in_journey_order((a, *pa), (b, *pb)));
    let (positions, findings) = stamped.into_iter().unzip();
    Part {
        findings,
        positions,
    }
}

/// Every finding of the run in order, from the parts of each journey (by run position;
/// a journey may have several parts).
pub fn merge(mut parts: Vec<(usize, Part)>) -> Vec<Finding> {
    parts.retain(|(_, p)| !p.findings.is_empty());
    let names = |p: &Part| {
        (
            Arc::clone(&p.findings[0].file),
            Arc::clone(&p.findings[0].journey),
        )
    };
    parts.sort_by(|(ia, a), (ib, b)| {
        let (na, nb) = (names(a), names(b));
        (&*na.0, &*na.1, ia).cmp(&(&*nb.0, &*nb.1, ib))
    });
    let total = parts.iter().map(|(_, p)| p.findings.len()).sum();
    let mut all = Vec::with_capacity(total);
    for group in parts.chunk_by_mut(|(_, a), (_, b)| names(a) == names(b)) {
        if let [(_, only)] = group {
            all.append(&mut only.findings);
            continue;
        }
        let mut joined: Vec<(usize, Finding)> = Vec::new();
        for (_, part) in group.iter_mut() {
            let positions = std::mem::take(&mut part.positions);
            joined.extend(
                positions
                    .into_iter()
                    .zip(std::mem::take(&mut part.findings)),
            );
        }
        joined.sort_by(|(pa, a), (pb, b)| in_journey_order((a, *pa), (b, *pb)));
        all.extend(joined.into_iter().map(|(_, f)| f));
    }
    all
}

/// The order of two findings of one journey, each with the position of its step: by
/// position, kind, rule, subject, steps and message.
pub fn in_journey_order((a, pa): (&Finding, usize), (b, pb): (&Finding, usize)) -> Ordering {
    (pa, a.kind, &a.rule, &a.subject)
        .cmp(&(pb, b.kind, &b.rule, &b.subject))
        .then_with(|| a.steps.cmp(&b.steps))
        .then_with(|| a.message.cmp(&b.message))
}
