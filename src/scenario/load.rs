//! `load_paths` and `Loaded`: finds scenario files under the given paths, parses them with
//! positions, checks their shape and cross-references, and resolves them into `Journey`s.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;

use super::diagnostic::{Diagnostic, Sources};
use super::files::{display, find_named};
use super::model::{FragmentFile, Journey, PersonaFile, ScenarioFile};
use super::node_de::NodeDeserializer;
pub use super::read::MAX_FILE_BYTES;
use super::read::{Unreadable, read_text};
use super::schema::{fragment_schema, persona_schema, scenario_schema};
use super::shape::{Shape, shape_of};
use super::validate;
use super::vocabulary::Vocabulary;
use super::walk::Walk;
use super::yaml::{self, Node, NodeKind, Span};

/// What `load_paths` found: journeys only from files without errors, and every
/// diagnostic of every file, ordered by file then position.
#[derive(Debug, Default)]
pub struct Loaded {
    pub journeys: Vec<Journey>,
    pub diagnostics: Vec<Diagnostic>,
    /// Files read (scenarios, personas and fragments); equals `sources.len()`.
    pub files: usize,
    /// Of those: scenario files, persona files and fragment files.
    pub scenario_files: usize,
    pub personas: usize,
    pub fragments: usize,
    /// The text of every file read, to quote lines in diagnostics.
    pub sources: Sources,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// How files are read.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Files larger than this are refused, unread (`--max-file-size`).
    pub max_file_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_bytes: MAX_FILE_BYTES,
        }
    }
}

/// Loads and validates every scenario under `paths` (files, or directories searched
/// recursively for `*.yaml`/`*.yml`, skipping `personas/` and `fragments/` folders),
/// checking what the language does not own (intents, rule ids) against `vocabulary`.
pub fn load_paths(paths: &[PathBuf], vocabulary: &Vocabulary) -> Loaded {
    load_with(paths, vocabulary, LoadOptions::default())
}

/// `load_paths` with the given options.
pub fn load_with(paths: &[PathBuf], vocabulary: &Vocabulary, options: LoadOptions) -> Loaded {
    let mut session = Session::new(vocabulary, options);
    let mut walk = Walk::default();
    for path in paths {
        walk.add(path);
    }
    session.diagnostics.append(&mut walk.problems);
    for file in &walk.files {
        session.load_file(file);
    }
    let mut loaded = session.finish();
    loaded.scenario_files = walk.files.len();
    loaded
}

/// A persona or fragment looked up by name.
pub enum Lookup<T> {
    Found(T),
    /// The file exists but has errors (already reported at the file).
    Broken,
    /// No such file: a diagnostic for the place that names it.
    Missing {
        message: String,
        hint: Option<String>,
    },
}

/// One `load_paths` call: what was read and found so far, and what it checks against.
pub struct Session<'v> {
    vocabulary: &'v Vocabulary,
    options: LoadOptions,
    diagnostics: Vec<Diagnostic>,
    sources: Sources,
    journeys: Vec<Journey>,
    files: usize,
    order: HashMap<String, usize>,
    personas: HashMap<PathBuf, Option<PersonaFile>>,
    fragments: HashMap<PathBuf, Option<FragmentFile>>,
    names: HashMap<String, String>,
}

impl<'v> Session<'v> {
    fn new(vocabulary: &'v Vocabulary, options: LoadOptions) -> Self {
        Session {
            vocabulary,
            options,
            diagnostics: Vec::new(),
            sources: Sources::default(),
            journeys: Vec::new(),
            files: 0,
            order: HashMap::new(),
            personas: HashMap::new(),
            fragments: HashMap::new(),
            names: HashMap::new(),
        }
    }

    /// What intents and rule ids are checked against.
    pub fn vocabulary(&self) -> &'v Vocabulary {
        self.vocabulary
    }

    fn finish(mut self) -> Loaded {
        let order = &self.order;
        self.diagnostics
            .sort_by_key(|d| (order.get(&d.file).copied().unwrap_or(0), d.line, d.col));
        let mut seen = std::collections::HashSet::new();
        let unique: Vec<Diagnostic> = self
            .diagnostics
            .into_iter()
            .filter(|d| seen.insert(d.clone()))
            .collect();
        Loaded {
            journeys: self.journeys,
            diagnostics: unique,
            files: self.files,
            scenario_files: 0,
            personas: self.personas.len(),
            fragments: self.fragments.len(),
            sources: self.sources,
        }
    }

    /// Reads a file, reporting why it cannot be; the caller keeps the text once parsed.
    fn read(&mut self, path: &Path) -> Option<(String, String)> {
        let name = display(path);
        let next = self.order.len() + 1;
        self.order.entry(name.clone()).or_insert(next);
        self.files += 1;
        // Every file read has a source, even empty, so `render` counts it.
        self.sources.entry(name.clone()).or_default();
        match read_text(path, &name, self.options.max_file_bytes) {
            Ok(text) => Some((name, text)),
            Err(unreadable) => {
                let Unreadable { problem, text } = *unreadable;
                if let Some(text) = text {
                    self.sources.insert(name, text);
                }
                self.diagnostics.push(problem);
                None
            }
        }
    }

    fn load_file(&mut self, path: &Path) {
        let folder = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        match folder {
            "personas" => {
                self.persona_file(path);
            }
            "fragments" => {
                self.fragment_file(path);
            }
            _ => self.scenario_file(path),
        }
    }

    fn scenario_file(&mut self, path: &Path) {
        let Some((file, text)) = self.read(path) else {
            return;
        };
        let parsed = yaml::parse(&text);
        self.sources.insert(file.clone(), text); // kept (not copied) to quote lines
        let errors_before = self.error_count();
        self.report_yaml(&file, &parsed.problems);
        let documents: Vec<&Node> = if parsed.unsupported {
            Vec::new()
        } else {
            parsed.documents.iter().filter(|d| !is_empty(d)).collect()
        };
        if documents.is_empty() && parsed.problems.is_empty() {
            self.diagnostics.push(
                Diagnostic::error(
                    &file,
                    Span {
                        line: 1,
                        col: 1,
                        len: 1,
                    },
                    "file holds no journey",
                )
                .with_hint("a scenario needs at least `name`, `clock` and `steps`"),
            );
        }
        let schema = &schemas().0;
        let mut journeys = Vec::new();
        for node in documents {
            let shape_from = self.diagnostics.len();
            let Some((spec, clean)) =
                self.typed::<ScenarioFile>(schema, node, "the scenario", &file)
            else {
                continue;
            };
            let mut diags = Vec::new();
            let journey = validate::check_journey(self, &file, path, spec, node, &mut diags);
            if !clean {
                // A value the shape check refused stands in as a placeholder: what the
                // semantic checks say at the same place is about the placeholder.
                let refused: HashSet<(usize, usize)> = self.diagnostics[shape_from..]
                    .iter()
                    .filter(|d| d.file == file)
                    .map(|d| (d.line, d.col))
                    .collect();
                diags.retain(|d| !refused.contains(&(d.line, d.col)));
            }
            self.diagnostics.append(&mut diags);
            if let Some(journey) = journey.filter(|_| clean) {
                let name_span = node.get("name").map_or(node.span, |n| n.span);
                if let Some(first) = self.names.get(&journey.name) {
                    self.diagnostics.push(
                        Diagnostic::error(
                            &file,
                            name_span,
                            format!("duplicate journey name `{}`", journey.name),
                        )
                        .with_hint(format!("already used in {first}")),
                    );
                    continue;
                }
                self.names.insert(journey.name.clone(), file.clone());
                journeys.push(journey);
            }
        }
        if self.error_count() == errors_before {
            self.journeys.extend(journeys);
        }
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    fn report_yaml(&mut self, file: &str, problems: &[yaml::YamlProblem]) {
        for p in problems {
            let mut d = Diagnostic::error(file, p.span, p.message.clone());
            d.hint = p.hint.clone();
            self.diagnostics.push(d);
        }
    }

    /// Shape check, then serde on the repaired value: `(value, shape was clean)`, or
    /// `None` (with diagnostics) when nothing usable is left.
    fn typed<T: DeserializeOwned>(
        &mut self,
        schema: &serde_json::Value,
        node: &Node,
        what: &str,
        file: &str,
    ) -> Option<(T, bool)> {
        let repaired = match shape_of(schema, node, what, file, &mut self.diagnostics) {
            Shape::Clean => match T::deserialize(NodeDeserializer(node)) {
                Ok(value) => return Some((value, true)),
                Err(e) => {
                    self.diagnostics.push(Diagnostic::error(
                        file,
                        node.span,
                        format!("invalid {what}: {e}"),
                    ));
                    return None;
                }
            },
            Shape::Repaired(value) => value,
            Shape::Unusable => return None,
        };
        // The shape problems already explain why it may not read.
        serde_json::from_value(repaired)
            .ok()
            .map(|value| (value, false))
    }

    /// Parses a single-document persona or fragment file.
    fn single<T: DeserializeOwned>(
        &mut self,
        path: &Path,
        schema: &serde_json::Value,
        what: &str,
    ) -> Option<(String, T, Node, bool)> {
        let (file, text) = self.read(path)?;
        let parsed = yaml::parse(&text);
        self.sources.insert(file.clone(), text); // kept (not copied) to quote lines
        self.report_yaml(&file, &parsed.problems);
        if !parsed.problems.is_empty() || parsed.unsupported {
            return None;
        }
        let mut documents = parsed.documents.into_iter().filter(|d| !is_empty(d));
        let node = documents.next().unwrap_or(Node {
            span: Span {
                line: 1,
                col: 1,
                len: 1,
            },
            kind: NodeKind::Map(Vec::new()),
        });
        if let Some(extra) = documents.next() {
            self.diagnostics.push(Diagnostic::error(
                &file,
                extra.span,
                format!("{what} file holds more than one document"),
            ));
            return None;
        }
        let (value, clean) = self.typed::<T>(schema, &node, what, &file)?;
        Some((file, value, node, clean))
    }

    fn persona_file(&mut self, path: &Path) -> Option<PersonaFile> {
        if let Some(cached) = self.personas.get(path) {
            return cached.clone();
        }
        let result = self
            .single::<PersonaFile>(path, &schemas().1, "the persona")
            .and_then(|(file, persona, node, clean)| {
                let mut diags = Vec::new();
                validate::check_identifiers(
                    &file,
                    &node,
                    &persona.facts,
                    &persona.identifiers,
                    &mut diags,
                );
                let ok = clean && diags.is_empty();
                self.diagnostics.append(&mut diags);
                ok.then_some(persona)
            });
        self.personas.insert(path.to_path_buf(), result.clone());
        result
    }

    fn fragment_file(&mut self, path: &Path) -> Option<FragmentFile> {
        if let Some(cached) = self.fragments.get(path) {
            return cached.clone();
        }
        let result = self
            .single::<FragmentFile>(path, &schemas().2, "the fragment")
            .and_then(|(file, fragment, node, clean)| {
                let mut diags = Vec::new();
                validate::check_fragment(&file, &fragment, &node, self.vocabulary, &mut diags);
                let ok = clean && !diags.iter().any(Diagnostic::is_error);
                self.diagnostics.append(&mut diags);
                ok.then_some(fragment)
            });
        self.fragments.insert(path.to_path_buf(), result.clone());
        result
    }

    /// The persona `name` for the scenario at `scenario`.
    pub fn persona(&mut self, scenario: &Path, name: &str) -> Lookup<PersonaFile> {
        match find_named(scenario, "personas", name) {
            Ok(path) => match self.persona_file(&path) {
                Some(p) => Lookup::Found(p),
                None => Lookup::Broken,
            },
            Err((message, hint)) => Lookup::Missing { message, hint },
        }
    }

    /// The fragment `name` for the scenario at `scenario`.
    pub fn fragment(&mut self, scenario: &Path, name: &str) -> Lookup<FragmentFile> {
        match find_named(scenario, "fragments", name) {
            Ok(path) => match self.fragment_file(&path) {
                Some(f) => Lookup::Found(f),
                None => Lookup::Broken,
            },
            Err((message, hint)) => Lookup::Missing { message, hint },
        }
    }
}

/// The scenario, persona and fragment schemas, generated once.
fn schemas() -> &'static (serde_json::Value, serde_json::Value, serde_json::Value) {
    static SCHEMAS: OnceLock<(serde_json::Value, serde_json::Value, serde_json::Value)> =
        OnceLock::new();
    SCHEMAS.get_or_init(|| (scenario_schema(), persona_schema(), fragment_schema()))
}

fn is_empty(node: &Node) -> bool {
    matches!(&node.kind, NodeKind::Scalar { text, quoted: false } if text.is_empty())
}
