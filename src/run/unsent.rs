//! `Unsent`: what a run cut short (by its deadline or a stop) did not send, gathered as
//! journeys finish and from the journeys never started: the report's `not_sent` and
//! `abandoned` lists, in run order.

use crate::engine::trace::{StepEnd, Trace};
use crate::run::outcome::{Abandoned, NotSent};
use crate::scenario::model::Journey;

/// The steps not sent and the steps abandoned, by journey position.
#[derive(Debug, Default)]
pub struct Unsent {
    not_sent: Vec<(usize, NotSent)>,
    abandoned: Vec<(usize, Abandoned)>,
}

impl Unsent {
    /// The steps of a replayed journey that the cut left unsent or abandoned.
    pub fn replayed(&mut self, index: usize, trace: &Trace) {
        let mut steps = Vec::new();
        for s in &trace.steps {
            match &s.end {
                StepEnd::NotSent { .. } => steps.push(s.id.to_string()),
                StepEnd::Abandoned { turn, request, .. } => self.abandoned.push((
                    index,
                    Abandoned {
                        file: trace.file.to_string(),
                        journey: trace.journey.to_string(),
                        step: s.id.to_string(),
                        turn: *turn,
                        in_flight: request.is_some(),
                    },
                )),
                _ => {}
            }
        }
        if !steps.is_empty() {
            self.push(index, &trace.file, &trace.journey, steps);
        }
    }

    /// A journey the run never started: every step of it.
    pub fn never_started(&mut self, index: usize, journey: &Journey) {
        let steps = journey.steps.iter().map(|s| s.id.clone()).collect();
        self.push(index, &journey.file, &journey.name, steps);
    }

    fn push(&mut self, index: usize, file: &str, journey: &str, steps: Vec<String>) {
        self.not_sent.push((
            index,
            NotSent {
                file: file.to_string(),
                journey: journey.to_string(),
                steps,
            },
        ));
    }

    /// Whether anything was left unsent or abandoned.
    pub fn is_empty(&self) -> bool {
        self.not_sent.is_empty() && self.abandoned.is_empty()
    }

    /// (`not_sent`, `abandoned`), each in run order.
    pub fn into_lists(mut self) -> (Vec<NotSent>, Vec<Abandoned>) {
        self.not_sent.sort_by_key(|(i, _)| *i);
        self.abandoned.sort_by_key(|(i, _)| *i);
        (
            self.not_sent.into_iter().map(|(_, n)| n).collect(),
            self.abandoned.into_iter().map(|(_, a)| a).collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Cut;
    use crate::engine::trace::StepTrace;

    fn step(id: &str, end: StepEnd) -> StepTrace {
        StepTrace {
            id: id.into(),
            channel: "web".into(),
            intent: "x".into(),
            at: "2026-12-20T11:00:00+01:00".into(),
            continues: None,
            quotes: Vec::new(),
            customer: Default::default(),
            subject: None,
            turns: Vec::new(),
            end,
        }
    }

    #[test]
    fn cut_steps_are_listed_in_run_order() {
        let trace = |name: &str, steps| Trace {
            journey: name.into(),
            file: "f.yaml".into(),
            journey_id: format!("r/{name}"),
            steps,
            outbox_reads: Vec::new(),
            elapsed_ms: 0,
        };
        let mut unsent = Unsent::default();
        assert!(unsent.is_empty());
        let cut = Cut::Stopped;
        unsent.replayed(
            1,
            &trace(
                "late",
                vec![
                    step("a", StepEnd::Answered),
                    step(
                        "b",
                        StepEnd::Abandoned {
                            cut,
                            turn: 2,
                            request: None,
                        },
                    ),
                    step("c", StepEnd::NotSent { cut }),
                ],
            ),
        );
        unsent.replayed(
            0,
            &trace("early", vec![step("a", StepEnd::NotSent { cut })]),
        );
        unsent.replayed(2, &trace("done", vec![step("a", StepEnd::Answered)]));
        let (not_sent, abandoned) = unsent.into_lists();
        let names: Vec<(&str, Vec<String>)> = not_sent
            .iter()
            .map(|n| (n.journey.as_str(), n.steps.clone()))
            .collect();
        assert_eq!(
            names,
            vec![("early", vec!["a".into()]), ("late", vec!["c".into()])]
        );
        assert_eq!(abandoned.len(), 1);
        assert_eq!((abandoned[0].step.as_str(), abandoned[0].turn), ("b", 2));
        assert!(!abandoned[0].in_flight);
    }
}
