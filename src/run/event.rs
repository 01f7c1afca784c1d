//! `Event`: what a run session reports as it goes, and `Reporter`, what consumes it. Every
//! reporter gets every event, in order, and knows nothing of the others (the terminal
//! summary, the progress bar, JSON, JUnit, text, the JSONL trace, the baseline, a test's
//! own counter).

use crate::conversation::Conversation;
use crate::engine;
use crate::engine::trace::Trace;
use crate::error::Error;
use crate::rules::finding::Finding;
use crate::run::outcome::{JourneyReport, RunOutcome};

/// One thing that happened in a run. Journeys are numbered by their position in the run.
#[derive(Debug)]
pub enum Event<'a> {
    /// Before any journey; the totals when the source knows them up front.
    RunStarted {
        target: &'a str,
        journeys: Option<usize>,
        steps: Option<usize>,
    },
    /// What the engine reports while it replays: a journey started, a touchpoint sent and
    /// answered, the outbox read, a step or a journey's replay finished.
    Replay(&'a engine::Event<'a>),
    /// A journey's replay, as the engine recorded it, before it is read by the rules.
    JourneyReplayed { index: usize, trace: &'a Trace },
    /// A journey is done: its conversation and its findings (ordered, policy applied).
    JourneyFinished {
        index: usize,
        journey: &'a JourneyReport,
        conversation: &'a Conversation,
        findings: &'a [Finding],
    },
    /// After the last journey: the findings across journeys, and every finding of the
    /// run in its final order (before a baseline hides any).
    RunFindings {
        across: &'a [Finding],
        findings: &'a [Finding],
    },
    /// The run is over.
    RunFinished { outcome: &'a RunOutcome },
}

/// A consumer of a run's events.
pub trait Reporter {
    /// Take one event. An error stops this reporter (not the run, nor the others) and is
    /// reported at the end of the run.
    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Error>;

    /// The run is over and every event was given: flush what is left.
    fn finish(&mut self) -> Result<(), Error> {
        Ok(())
    }
}
