//! The scenario language: `model` (serde types), `yaml` (positioned YAML tree), `shape`
//! (types and keys, from the JSON Schema), `validate` and `flow` (semantic and cross-step
//! checks), `rules` (the `rules:` map), `resolve` (fragments, matrices, customer), `load`
//! and `files` (paths, personas, fragments), `duration` (clock values), `diagnostic`
//! (file:line:col with a caret), `schema` (JSON Schema of the format), `vocabulary` (what
//! it is checked against that it does not own: the target's intents, the rule ids).

pub mod diagnostic;
pub mod duration;
pub mod files;
pub mod flow;
pub mod load;
pub mod model;
pub mod resolve;
pub mod rules;
pub mod schema;
pub mod shape;
pub mod validate;
pub mod vocabulary;
pub mod yaml;

pub use diagnostic::{Diagnostic, Level};
pub use load::{Loaded, load_paths};
pub use vocabulary::{Catalogue, Vocabulary};
