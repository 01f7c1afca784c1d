//! The replay engine: runs journeys on their virtual clocks against a SUT connector
//! and records a `Trace` per journey.

pub mod trace;
