//! `load`: reads a mapping file with the scenario loader's positioned YAML, its shape walk
//! against the JSON Schema, and its file:line:col diagnostics; then compiles it.

use std::path::Path;
use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::compile::{Mapping, Problem, compile};
use super::model::MappingFile;
use crate::scenario::diagnostic::{Diagnostic, Sources};
use crate::scenario::load::MAX_FILE_BYTES;
use crate::scenario::read::read_text;
use crate::scenario::shape::check_shape;
use crate::scenario::yaml::{self, Node, Span};

/// Why a mapping could not be loaded: its diagnostics, and the text to quote them.
#[derive(Debug, Clone, Default)]
pub struct LoadFailure {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl LoadFailure {
    /// Prints the diagnostics rustc-style with a summary line.
    pub fn render(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        crate::scenario::diagnostic::render(&self.diagnostics, &self.sources, out)
    }
}

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
    let file = path.display().to_string();
    let mut failure = LoadFailure::default();
    failure.sources.insert(file.clone(), String::new());
    // Only a regular file, never more than the cap (a FIFO or /dev/zero would not end).
    let text = match read_text(path, &file, MAX_FILE_BYTES) {
        Ok(t) => t,
        Err(unreadable) => {
            if let Some(text) = unreadable.text {
                failure.sources.insert(file.clone(), text);
            }
            failure.diagnostics.push(unreadable.problem);
            return Err(failure);
        }
    };
    failure.sources.insert(file.clone(), text.clone());
    let result = load_text(&file, &text, env);
    result.map_err(|diagnostics| LoadFailure {
        diagnostics,
        ..failure
    })
}

/// Parses, checks and compiles mapping `text` (named `file` in diagnostics).
pub fn load_text(
    file: &str,
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Mapping, Vec<Diagnostic>> {
    let parsed = yaml::parse(text);
    let mut diags: Vec<Diagnostic> = parsed
        .problems
        .iter()
        .map(|p| {
            let mut d = Diagnostic::error(file, p.span, p.message.clone());
            d.hint = p.hint.clone();
            d
        })
        .collect();
    if !diags.is_empty() || parsed.unsupported {
        return Err(diags);
    }
    let mut documents = parsed
        .documents
        .iter()
        .filter(|d| !matches!(d.to_json(), Value::Null));
    let first = Span {
        line: 1,
        col: 1,
        len: 1,
    };
    let Some(node) = documents.next() else {
        return Err(vec![
            Diagnostic::error(file, first, "the mapping file is empty")
                .with_hint("a mapping needs at least `base`, `touchpoints` and `outbox`"),
        ]);
    };
    if let Some(extra) = documents.next() {
        return Err(vec![Diagnostic::error(
            file,
            extra.span,
            "a mapping file holds one YAML document",
        )]);
    }
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
