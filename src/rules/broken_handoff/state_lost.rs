//! `broken-handoff/state-lost`: a reference of the continued contact that the customer
//! quotes is gone or different, or an answer field it asserted has another value now. A
//! reference the SUT refuses to show (`refused`, as a 403 maps) is said to be refused,
//! not gone.

use crate::protocol::Status;
use crate::rules::evidence;
use crate::rules::finding::Finding;
use crate::rules::text::{Json, Piece, text};

use super::{Handoff, handoff_rule};

handoff_rule!(StateLost, "broken-handoff/state-lost", state_lost);

impl Handoff<'_> {
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
                None if is_ref && quoted(key) && now.status == Status::Refused => {
                    [&"the SUT refused to show it", &""]
                }
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
}
