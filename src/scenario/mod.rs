//! The scenario language: `model` (serde types), `yaml` (positioned YAML tree) and
//! `controls` (control characters found before parsing), `shape`
//! (types and keys, from the JSON Schema, read through `schema_index`), `node_de` (typed straight from the tree), `validate`, `matchers` and `flow` (semantic and cross-step
//! checks), `rules` (the `rules:` map), `resolve` (fragments, matrices, customer), `load`
//! (the session), `walk` (folders), `read` (one file's text) and `files` (personas,
//! fragments), `duration` (clock values), `diagnostic`
//! (file:line:col with a caret), `schema` (JSON Schema of the format), `vocabulary` (what
//! it is checked against that it does not own: the target's intents, the rule ids);
//! `document` reads the other one-document YAML files (mappings, `seam.yaml`) the same way.

pub mod controls;
pub mod diagnostic;
pub mod document;
pub mod duration;
pub mod files;
pub mod flow;
pub mod load;
pub mod matchers;
pub mod model;
pub mod node_de;
pub mod read;
pub mod resolve;
pub mod rules;
pub mod schema;
pub mod schema_index;
pub mod shape;
pub mod validate;
pub mod vocabulary;
pub mod walk;
pub mod yaml;

pub use diagnostic::{Diagnostic, Level};
pub use load::{LoadOptions, Loaded, load_paths, load_with};
pub use vocabulary::{Catalogue, Vocabulary};
