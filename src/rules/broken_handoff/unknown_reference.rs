//! `broken-handoff/unknown-reference`: a handoff contact (it continues an earlier case, or
//! quotes its references) got `unknown_reference`: the SUT does not know the case.

use crate::protocol::Status;
use crate::rules::evidence;
use crate::rules::finding::Finding;

use super::{Handoff, handoff_rule};

handoff_rule!(
    UnknownReference,
    "broken-handoff/unknown-reference",
    unknown_reference
);

impl Handoff<'_> {
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
}
