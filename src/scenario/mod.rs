//! The scenario language: `model` (serde types), `load` (files, personas, fragments,
//! matrices), `validate` (cross-references), `diagnostic` (file:line:col with a caret),
//! `schema` (JSON Schema of the format).

pub mod model;
