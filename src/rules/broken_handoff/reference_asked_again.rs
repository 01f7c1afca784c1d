//! `broken-handoff/reference-asked-again`: the SUT asks, on a handoff contact, for a
//! reference the customer quoted or the continued contact issued.

use super::replies;
use crate::rules::evidence;
use crate::rules::finding::Finding;

use super::{Handoff, handoff_rule};

handoff_rule!(
    ReferenceAskedAgain,
    "broken-handoff/reference-asked-again",
    reference_asked_again
);

impl Handoff<'_> {
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
}
