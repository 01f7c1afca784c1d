//! Detectors: pure functions from a `Trace` (and its `Journey`) to `Finding`s.

pub mod finding;
