//! The project config, `seam.yaml` (docs/config.md): `model` (its serde types and JSON
//! Schema), `discover` (the nearest `seam.yaml` from a folder up), `load` (positioned
//! diagnostics, as scenarios and mappings get), `check` (its values, each where it is
//! written) and `convert` (`Config`: the rules' `Knowledge` and rule settings a run uses).
//!
//! Precedence, highest first: command-line flags, a scenario's own `rules:` and
//! `severity:`, `seam.yaml`, the SUT's catalogue, the defaults.

pub mod check;
pub mod convert;
pub mod discover;
pub mod load;
pub mod model;

pub use convert::Config;
pub use discover::{FILE_NAME, find};
pub use load::{LoadFailure, load, load_text};
pub use model::{ConfigFile, config_schema};
