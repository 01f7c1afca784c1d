//! Seam replays scripted cross-channel customer journeys against a system under test
//! and audits the seams between channels.
//!
//! Data flows one way: `scenario` (load, validate) -> `engine` (replay through a `sut`
//! connector) -> `Trace` -> `detect` -> `Finding`s -> `report`. `reference` is the
//! embedded reference retailer; `app` holds one entry point per command.

pub mod app;
pub mod conversation;
pub mod engine;
pub mod protocol;
pub mod reference;
pub mod report;
pub mod rules;
pub mod run;
pub mod scenario;
pub mod sut;
