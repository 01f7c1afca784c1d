//! `broken-handoff/not-recognised`: `recognized: false` on a handoff contact while the
//! customer presented identifiers or the continued contact recognised them.

use crate::conversation::Contact;
use crate::rules::evidence;
use crate::rules::finding::Finding;

use super::{Handoff, handoff_rule};

handoff_rule!(
    NotRecognised,
    "broken-handoff/not-recognised",
    not_recognised
);

impl Handoff<'_> {
    fn not_recognised(&self, out: &mut Vec<Finding>) {
        let Some(r) = self.step.final_reply() else {
            return;
        };
        let known_before = self
            .prev
            .and_then(Contact::final_reply)
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
}
