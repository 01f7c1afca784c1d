//! The replay engine: runs journeys on their virtual clocks against a SUT connector
//! and records a `Trace` per journey.

pub mod clock;
pub mod context;
pub mod customer;
pub mod cutoff;
pub mod events;
pub mod journey;
pub mod outbox;
pub mod runner;
pub mod substitute;
pub mod trace;

pub use cutoff::{Cut, Cutoff, STOP_GRACE, Stop};
pub use events::Sink;
pub use events::{Event, EventSink};
pub use runner::{RunOptions, RunSummary, read_catalogue, run, run_each};
