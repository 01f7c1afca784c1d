//! Seam replays scripted cross-channel customer journeys against a system under test
//! and audits the seams between channels.
//!
//! Data flows one way: journey source -> `engine` (replay through a `sut` connector) ->
//! `conversation` -> `rules` -> findings -> reporters (`report`), held together by the run
//! session (`run`). `scenario` is the journey language, `config` the project's
//! `seam.yaml`, `reference` the embedded reference retailer, `error` the typed errors;
//! `app` resolves each command's flags.
//! docs/architecture.md tells the whole story.

pub mod app;
pub mod catalogue;
pub mod config;
pub mod conversation;
pub mod engine;
pub mod error;
pub mod protocol;
pub mod reference;
pub mod report;
pub mod rules;
pub mod run;
pub mod scenario;
pub mod sut;
