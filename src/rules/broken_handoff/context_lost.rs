//! `broken-handoff/context-lost`: the case travelled but its context did not: on the
//! handoff contact the SUT asks again for facts the customer gave in the contact(s) it
//! carries on (one finding per contact, listing the facts; `repeated-question` counts each
//! fact).

use super::replies;
use crate::conversation::Contact;
use crate::protocol::Reply;
use crate::rules::evidence;
use crate::rules::finding::{Evidence, Finding};

use super::{Handoff, handoff_rule};

handoff_rule!(ContextLost, "broken-handoff/context-lost", context_lost);

impl Handoff<'_> {
    /// The case travelled but its context did not: the SUT asks again, in this handoff
    /// step, for facts the customer gave in the step(s) it carries on (one finding per
    /// handoff step, listing the facts; `repeated-question` counts each fact).
    fn context_lost(&self, out: &mut Vec<Finding>) {
        let chain = self.chain();
        let mut lost: Vec<(&str, &Contact, &serde_json::Value)> = Vec::new();
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
}
