//! `Event`: what the engine reports while it replays: journeys, turns, outbox reads.
//! The engine never formats output; consumers render these.

use std::sync::Arc;

/// One thing that happened during a run. Journeys are numbered by their position in the
/// list given to the runner. Names are borrowed from the journeys: a sink that keeps an
/// event copies what it needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    RunStarted {
        journeys: usize,
        steps: usize,
    },
    JourneyStarted {
        index: usize,
        name: &'a str,
    },
    /// One turn of a touchpoint is about to be sent.
    TouchpointSent {
        index: usize,
        step: &'a str,
        channel: &'a str,
        turn: u32,
    },
    /// What came back for it: `fault` names the fault when it is not a protocol reply.
    TouchpointAnswered {
        index: usize,
        step: &'a str,
        turn: u32,
        elapsed_ms: u64,
        fault: Option<&'static str>,
    },
    /// The outbox was read up to `until`: `messages` is how many it held, `None` when the
    /// read failed.
    OutboxRead {
        index: usize,
        until: &'a str,
        reason: &'a str,
        messages: Option<usize>,
    },
    StepFinished {
        index: usize,
        step: &'a str,
        /// Turns sent for this step.
        turns: u32,
        /// Turns that ended in a SUT fault.
        faults: u32,
    },
    JourneyFinished {
        index: usize,
        name: &'a str,
        touchpoints: u64,
        faults: u64,
        elapsed_ms: u64,
    },
    RunFinished {
        touchpoints: u64,
        elapsed_ms: u64,
    },
}

/// Where events go, shared (for `runner::run`). Keep it quick: it is called for every turn.
pub type EventSink = Arc<dyn Fn(&Event<'_>) + Send + Sync>;

/// Where the events of one run go, as the engine sees it.
pub type Sink<'a> = &'a dyn Fn(&Event<'_>);

/// A sink that drops every event.
pub fn ignore() -> EventSink {
    Arc::new(|_| {})
}
