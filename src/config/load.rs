//! `load`: reads a `seam.yaml` as mappings are read (`scenario::document`): one YAML
//! document with positions, its shape walked against `config_schema`, its values checked
//! (`check`); every problem a file:line:col diagnostic with a hint. An empty file is a
//! config that sets nothing.

use std::collections::HashSet;
use std::path::Path;

use super::check::check;
use super::convert::Config;
use super::model::{ConfigFile, config_schema};
use crate::scenario::diagnostic::Diagnostic;
pub use crate::scenario::document::LoadFailure;
use crate::scenario::document::{one_document, read};
use crate::scenario::load::MAX_FILE_BYTES;
use crate::scenario::shape::check_shape;

/// Loads and checks the config at `path` (named as written in diagnostics and notes).
pub fn load(path: &Path) -> Result<Config, LoadFailure> {
    // Only a regular file, never more than the cap (a FIFO or /dev/zero would not end).
    let (file, text) = read(path, MAX_FILE_BYTES)?;
    load_text(&file, &text).map_err(|diagnostics| LoadFailure::of(file, text, diagnostics))
}

/// Parses and checks config `text` (named `file` in diagnostics).
pub fn load_text(file: &str, text: &str) -> Result<Config, Vec<Diagnostic>> {
    let Some(node) = one_document(file, text, "a config file holds")? else {
        return Ok(Config::new(file, ConfigFile::default(), Default::default()));
    };
    let mut diags = Vec::new();
    let Some(value) = check_shape(config_schema(), &node, "the config", file, &mut diags) else {
        return Err(diags);
    };
    // The shape problems explain a value that does not read; the rest is still checked.
    let spec: ConfigFile = match serde_json::from_value(value) {
        Ok(spec) => spec,
        Err(e) if diags.is_empty() => {
            let d = Diagnostic::error(file, node.span, format!("invalid config: {e}"));
            return Err(vec![d]);
        }
        Err(_) => return Err(diags),
    };
    let mut values = Vec::new();
    let checked = check(file, &spec, &node, &mut values);
    // A value the shape check refused was dropped or stands in as a placeholder: what the
    // value checks say at the same place is about that.
    let refused: HashSet<(usize, usize)> = diags.iter().map(|d| (d.line, d.col)).collect();
    diags.extend(
        values
            .into_iter()
            .filter(|d| !refused.contains(&(d.line, d.col))),
    );
    diags.sort_by_key(|d| (d.line, d.col));
    if diags.is_empty() {
        Ok(Config::new(file, spec, checked))
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        match load_text("seam.yaml", text) {
            Ok(_) => Vec::new(),
            Err(diags) => diags
                .iter()
                .map(|d| {
                    format!(
                        "{}:{} {} ({})",
                        d.line,
                        d.col,
                        d.message,
                        d.hint.clone().unwrap_or_default()
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn an_empty_file_or_one_of_comments_sets_nothing() {
        for text in ["", "# nothing yet\n"] {
            let config = load_text("seam.yaml", text).expect("a config");
            assert_eq!(config.knowledge, crate::rules::Knowledge::default());
        }
    }

    #[test]
    fn the_example_of_the_docs_loads() {
        let text = "outbox:\n  window: 10d\nsla:\n  email: 24h\n  chat: 2m\nthresholds:\n  dead_end_contacts: 3\n  max_surveys: 1\ncatalogue:\n  intents:\n    - intent: incident.report\n      hours: { open: \"08:00\", close: \"22:00\", offset: \"+01:00\" }\n  outbox: { about: topic, surveys: [survey] }\n  profile: [purchases, interests]\nrules:\n  sut-error/*: off\n  repeated-question/asked-again: critical\n";
        let config = load_text("seam.yaml", text).expect("a config");
        let catalogue = config.knowledge.catalogue.expect("a catalogue");
        assert!(
            catalogue
                .intent("incident.report")
                .is_some_and(|i| i.hours.is_some())
        );
        assert_eq!(config.rules.len(), 2);
    }

    #[test]
    fn unknown_keys_are_placed_and_named_everywhere() {
        let found = messages(
            "slas: {email: 1h}\nthresholds: {dead_ends: 2}\ncatalogue:\n  intents:\n    - {intent: a, hourz: {open: '08:00', close: '22:00'}}\n",
        );
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].starts_with("1:1 unknown key `slas` in the config (did you mean `sla`?"));
        assert!(
            found[1].starts_with("2:14 unknown key `dead_ends` in `thresholds`"),
            "{found:#?}"
        );
        assert!(
            found[2].starts_with("5:19 unknown key `hourz`"),
            "{found:#?}"
        );
    }

    #[test]
    fn a_refused_value_is_reported_once_and_the_rest_still_checked() {
        let found = messages("thresholds: {max_surveys: -1}\nsla: {email: soon}\n");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].starts_with("1:27 `max_surveys` must be at least 1"),
            "{found:#?}"
        );
        assert!(found[1].contains("duration `soon`"), "{found:#?}");
        assert!(messages("- a list\n")[0].contains("the config must be a mapping"));
        assert!(messages("a: 1\n---\nb: 2\n")[0].contains("a config file holds one YAML document"));
    }
}
