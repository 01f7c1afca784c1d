//! `load`: reads a mapping file with the scenario loader's positioned YAML, its shape walk
//! against the JSON Schema, and its file:line:col diagnostics; then compiles it.

use std::path::Path;
use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::compile::{Mapping, Problem, compile};
use super::model::MappingFile;
use crate::scenario::diagnostic::Diagnostic;
pub use crate::scenario::document::LoadFailure;
use crate::scenario::document::{one_document, read};
use crate::scenario::load::MAX_FILE_BYTES;
use crate::scenario::shape::check_shape;
use crate::scenario::yaml::{Node, Span};

/// The JSON Schema (draft-07) of a mapping file; `seam schema --mapping` prints it.
pub fn mapping_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<MappingFile>()
            .to_value()
    })
}

/// Loads and compiles the mapping at `path`; `env` looks up environment variables (the
/// process environment in `seam run`, a table in tests).
pub fn load(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Result<Mapping, LoadFailure> {
    // Only a regular file, never more than the cap (a FIFO or /dev/zero would not end).
    let (file, text) = read(path, MAX_FILE_BYTES)?;
    load_text(&file, &text, env).map_err(|diagnostics| LoadFailure::of(file, text, diagnostics))
}

/// Parses, checks and compiles mapping `text` (named `file` in diagnostics).
pub fn load_text(
    file: &str,
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Mapping, Vec<Diagnostic>> {
    let first = Span {
        line: 1,
        col: 1,
        len: 1,
    };
    let Some(node) = one_document(file, text, "a mapping file holds")? else {
        return Err(vec![
            Diagnostic::error(file, first, "the mapping file is empty")
                .with_hint("a mapping needs at least `base`, `touchpoints` and `outbox`"),
        ]);
    };
    let node = &node;
    let mut diags = Vec::new();
    let Some(value) = check_shape(mapping_schema(), node, "the mapping", file, &mut diags) else {
        return Err(diags);
    };
    if !diags.is_empty() {
        return Err(diags);
    }
    let spec: MappingFile = match serde_json::from_value(value) {
        Ok(s) => s,
        Err(e) => {
            return Err(vec![Diagnostic::error(
                file,
                node.span,
                format!("invalid mapping: {e}"),
            )]);
        }
    };
    compile(&spec, env).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| diagnostic(file, node, p))
            .collect()
    })
}

/// Places a compile problem on the deepest node its keys reach.
fn diagnostic(file: &str, root: &Node, p: Problem) -> Diagnostic {
    let mut node = root;
    let mut span = root.span;
    for key in &p.keys {
        let next = match key.parse::<usize>() {
            Ok(i) if !node.items().is_empty() => node.items().get(i),
            _ => node.get(key),
        };
        match next {
            Some(n) => {
                node = n;
                span = n.span;
                if let Some(text) = n.as_str() {
                    span.len = text.chars().count().max(1);
                }
            }
            None => {
                // A key that is not written (a default): point at its parent's key.
                break;
            }
        }
    }
    let d = Diagnostic::error(file, span, p.message);
    match p.hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}
