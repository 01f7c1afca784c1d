//! `Event`: what the runner reports while it replays, for progress bars and reporters.
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

/// Where events go. Called from many tasks at once: keep it quick.
pub type EventSink = Arc<dyn Fn(&Event<'_>) + Send + Sync>;

/// A sink that drops every event.
pub fn ignore() -> EventSink {
    Arc::new(|_| {})
}
