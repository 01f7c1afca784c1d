//! `read` and `one_document`: a whole-file YAML format besides scenarios (a mapping,
//! `seam.yaml`) read as scenarios are: its text (regular files only, never more than the
//! cap), its one document parsed with positions, and `LoadFailure`, its diagnostics with
//! the text to quote them.

use std::path::Path;

use serde_json::Value;

use super::diagnostic::{Diagnostic, Sources};
use super::read::{Unreadable, read_text};
use super::yaml::{self, Node};

/// Why a file could not be loaded: its diagnostics, and the text to quote them.
#[derive(Debug, Clone, Default)]
pub struct LoadFailure {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl LoadFailure {
    /// The failure of `file` (whose text is `text`) with `diagnostics`.
    pub fn of(file: String, text: String, diagnostics: Vec<Diagnostic>) -> LoadFailure {
        LoadFailure {
            diagnostics,
            sources: Sources::from([(file, text)]),
        }
    }

    /// Prints the diagnostics rustc-style with a summary line.
    pub fn render(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        super::diagnostic::render(&self.diagnostics, &self.sources, out)
    }
}

/// The name of `path` in diagnostics and its text, or why it cannot be read (a failure
/// that still counts the file among its sources).
pub fn read(path: &Path, max_bytes: u64) -> Result<(String, String), LoadFailure> {
    let file = path.display().to_string();
    read_text(path, &file, max_bytes)
        .map(|text| (file.clone(), text))
        .map_err(|unreadable| {
            let Unreadable { problem, text } = *unreadable;
            LoadFailure::of(file.clone(), text.unwrap_or_default(), vec![problem])
        })
}

/// The one YAML document of `text` (named `file`), `None` when it holds none (empty, or
/// only comments); its YAML problems, or a second document (`"{holds} one YAML
/// document"`), as diagnostics.
pub fn one_document(file: &str, text: &str, holds: &str) -> Result<Option<Node>, Vec<Diagnostic>> {
    let parsed = yaml::parse(text);
    let diags: Vec<Diagnostic> = parsed
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
        .into_iter()
        .filter(|d| !matches!(d.to_json(), Value::Null));
    let first = documents.next();
    if let Some(extra) = documents.next() {
        return Err(vec![Diagnostic::error(
            file,
            extra.span,
            format!("{holds} one YAML document"),
        )]);
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_document_or_none_or_the_problems() {
        let one = one_document("x.yaml", "# only a comment\n", "a file holds");
        assert_eq!(one, Ok(None));
        let node = one_document("x.yaml", "a: 1\n", "a file holds").expect("one document");
        assert!(node.is_some_and(|n| n.get("a").is_some()));
        let two = one_document("x.yaml", "a: 1\n---\nb: 2\n", "a file holds").unwrap_err();
        assert_eq!(two[0].message, "a file holds one YAML document");
        assert_eq!(two[0].line, 3);
        assert!(one_document("x.yaml", "a: [\n", "a file holds").is_err());
    }

    #[test]
    fn an_unreadable_file_is_a_failure_that_counts_it() {
        let failure = read(Path::new("no/such/file.yaml"), 1024).unwrap_err();
        assert_eq!(failure.sources.len(), 1);
        assert!(
            failure.diagnostics[0]
                .message
                .starts_with("cannot read file")
        );
    }
}
