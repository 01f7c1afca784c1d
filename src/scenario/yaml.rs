//! `Node`: a YAML document tree that keeps the line and column of every node, built
//! from yaml-rust2's event stream without recursion, so any position can be reported.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Nesting deeper than this is refused (a scenario needs far less).
pub const MAX_DEPTH: usize = 64;

/// Where a node starts (1-based line and column, in characters) and how wide it is
/// on its first line (for the caret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: usize,
    pub col: usize,
    pub len: usize,
}

/// A scalar, a sequence or a mapping, with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `quoted`: written in quotes or as a block scalar, hence always a string.
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    /// Keys in written order; duplicates are kept (and reported by the loader).
    Map(Vec<(Node, Node)>),
}

/// A problem found while parsing; `fatal` problems stop the parse of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlProblem {
    pub span: Span,
    pub message: String,
    pub hint: Option<String>,
}

/// The documents of one file (`---` separated), and the problems met on the way.
#[derive(Debug, Default)]
pub struct Parsed {
    pub documents: Vec<Node>,
    pub problems: Vec<YamlProblem>,
    /// Anchors, aliases or tags were met: the documents are not what the author meant.
    pub unsupported: bool,
}

enum Frame {
    Seq(Span, Vec<Node>),
    Map(Span, Vec<(Node, Node)>, Option<Node>),
}

fn span_of(mark: &Marker) -> Span {
    Span {
        line: mark.line(),
        col: mark.col() + 1,
        len: 1,
    }
}

/// Parses every document of `text`. Never panics; stops at the first syntax error.
pub fn parse(source: &str) -> Parsed {
    let mut out = Parsed::default();
    // A byte order mark is not part of the text (columns count from after it).
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let (problems, cleaned) = super::controls::scan(source);
    out.problems = problems;
    let source: &str = &cleaned;
    let mut parser = Parser::new_from_str(source);
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(pair) => pair,
            Err(err) => {
                let m = err.marker();
                let hint = (err.info().contains("flow") || err.info().contains("quoted"))
                    .then(|| "a `{`, `[` or quote opened above may not be closed".to_string());
                out.problems.push(YamlProblem {
                    span: span_of(m),
                    message: format!("invalid YAML: {}", err.info()),
                    hint,
                });
                return out;
            }
        };
        let span = span_of(&mark);
        let node = match event {
            Event::StreamEnd => return out,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {
                continue;
            }
            Event::Alias(_) => {
                out.unsupported = true;
                out.problems.push(YamlProblem {
                    span,
                    message: "YAML aliases (`*name`) are not supported".into(),
                    hint: Some(
                        "reuse steps with `use: fragment` and customers with `persona:`".into(),
                    ),
                });
                Node {
                    span,
                    kind: NodeKind::Scalar {
                        text: String::new(),
                        quoted: false,
                    },
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                note_anchor_and_tag(&mut out, source, &mark, span, anchor, tag.is_some());
                let quoted = !matches!(style, TScalarStyle::Plain);
                let len = match style {
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                        text.chars().count() + 2
                    }
                    TScalarStyle::Plain => text.lines().next().map_or(0, |l| l.chars().count()),
                    _ => 1,
                };
                Node {
                    span: Span {
                        len: len.max(1),
                        ..span
                    },
                    kind: NodeKind::Scalar { text, quoted },
                }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                note_anchor_and_tag(&mut out, source, &mark, span, anchor, tag.is_some());
                if stack.len() >= MAX_DEPTH {
                    out.problems.push(YamlProblem {
                        span,
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                        hint: None,
                    });
                    return out;
                }
                if matches!(event, Event::SequenceStart(..)) {
                    stack.push(Frame::Seq(span, Vec::new()));
                } else {
                    stack.push(Frame::Map(span, Vec::new(), None));
                }
                continue;
            }
            // A finished collection gives back what its growth reserved (up to half).
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(span, items)) => Node {
                    span,
                    kind: NodeKind::Seq(items.into_boxed_slice().into()),
                },
                Some(Frame::Map(span, entries, _)) => {
                    // A block mapping's marker sits after its first key: start at the key.
                    let span = match entries.first() {
                        Some((k, _)) if (k.span.line, k.span.col) < (span.line, span.col) => k.span,
                        _ => span,
                    };
                    Node {
                        span,
                        kind: NodeKind::Map(entries.into_boxed_slice().into()),
                    }
                }
                None => continue,
            },
        };
        match stack.last_mut() {
            None => out.documents.push(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => {
                    if !matches!(node.kind, NodeKind::Scalar { .. }) {
                        out.problems.push(YamlProblem {
                            span: node.span,
                            message: "a mapping key must be a plain scalar".into(),
                            hint: None,
                        });
                    }
                    *pending = Some(node);
                }
                Some(key) => entries.push((key, node)),
            },
        }
    }
}

/// The text up to `mark` (whose index counts characters).
fn text_before<'t>(text: &'t str, mark: &Marker) -> &'t str {
    let end = text
        .char_indices()
        .nth(mark.index())
        .map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// The position of the last `sigil` in `before` (the anchor or tag of the node at the
/// end of it), or `fallback`.
fn sigil_span(before: &str, sigil: char, fallback: Span) -> Span {
    let Some(at) = before.rfind(sigil) else {
        return fallback;
    };
    let line_start = before[..at].rfind('\n').map_or(0, |i| i + 1);
    Span {
        line: before[..at].matches('\n').count() + 1,
        col: before[line_start..at].chars().count() + 1,
        len: before[at..]
            .find(char::is_whitespace)
            .unwrap_or(before.len() - at)
            .max(1),
    }
}

/// Anchors and tags are refused; the text before the node (read from the start of the
/// file) is looked at only then, so positions cost nothing for the nodes of a valid file.
fn note_anchor_and_tag(
    out: &mut Parsed,
    source: &str,
    mark: &Marker,
    span: Span,
    anchor: usize,
    tagged: bool,
) {
    if anchor == 0 && !tagged {
        return;
    }
    out.unsupported = true;
    let before = text_before(source, mark);
    if anchor != 0 {
        out.problems.push(YamlProblem {
            span: sigil_span(before, '&', span),
            message: "YAML anchors (`&name`) are not supported".into(),
            hint: Some("reuse steps with `use: fragment` and customers with `persona:`".into()),
        });
    }
    if tagged {
        out.problems.push(YamlProblem {
            span: sigil_span(before, '!', span),
            message: "YAML tags (`!tag`) are not supported".into(),
            hint: None,
        });
    }
}

impl Node {
    /// The text of a scalar node.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }

    /// The value under `key` in a mapping (the last one if repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The key node of `key` in a mapping.
    pub fn key(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, _)| k)
    }

    /// What the node holds, in words, for messages.
    pub fn describe(&self) -> &'static str {
        match self.to_json() {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Number(n) if n.is_f64() => "a number",
            Value::Number(_) => "an integer",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "a mapping",
        }
    }

    /// The JSON value of the node, resolving plain scalars with the YAML 1.2 core schema.
    pub fn to_json(&self) -> Value {
        match &self.kind {
            NodeKind::Scalar { text, quoted } => {
                if *quoted {
                    Value::String(text.clone())
                } else {
                    resolve_plain(text)
                }
            }
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k.as_str().unwrap_or_default().to_string(), v.to_json());
                }
                Value::Object(map)
            }
        }
    }
}

/// YAML 1.2 core schema resolution of a plain scalar.
pub fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return Value::String(text.to_string()),
        _ => {}
    }
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Number(i.into());
        }
        if let Ok(u) = text.parse::<u64>() {
            return Value::Number(u.into());
        }
    }
    if let Some(hex) = text.strip_prefix("0x")
        && let Ok(i) = i64::from_str_radix(hex, 16)
    {
        return Value::Number(i.into());
    }
    if let Some(oct) = text.strip_prefix("0o")
        && let Ok(i) = i64::from_str_radix(oct, 8)
    {
        return Value::Number(i.into());
    }
    let looks_numeric = digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if looks_numeric
        && let Ok(f) = text.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let parsed = parse("name: x\nsteps:\n  - id: a\n    channel: web\n");
        assert!(parsed.problems.is_empty());
        let doc = &parsed.documents[0];
        let step = &doc.get("steps").map(|s| s.items()[0].clone());
        let channel = step.as_ref().and_then(|s| s.get("channel").cloned());
        let span = channel.map(|c| c.span);
        assert_eq!(
            span,
            Some(Span {
                line: 4,
                col: 14,
                len: 3
            })
        );
    }

    #[test]
    fn splits_documents() {
        let parsed = parse("a: 1\n---\nb: 2\n");
        assert_eq!(parsed.documents.len(), 2);
        assert_eq!(parsed.documents[1].span.line, 3);
    }

    #[test]
    fn resolves_plain_scalars_like_yaml_1_2() {
        assert_eq!(resolve_plain("42"), Value::from(42));
        assert_eq!(resolve_plain("4.5"), Value::from(4.5));
        assert_eq!(resolve_plain("yes"), Value::from("yes"));
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain("20m"), Value::from("20m"));
        assert_eq!(resolve_plain("2026-12-18"), Value::from("2026-12-18"));
    }

    #[test]
    fn refuses_anchors_and_deep_nesting() {
        let parsed = parse("a: &x 1\nb: *x\n");
        assert_eq!(parsed.problems.len(), 2);
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let parsed = parse(&deep);
        assert_eq!(parsed.problems.len(), 1);
    }

    #[test]
    fn reports_syntax_errors_with_a_position() {
        let parsed = parse("a: [1, 2\nb: 3\n");
        assert_eq!(parsed.problems.len(), 1);
        assert!(parsed.problems[0].message.starts_with("invalid YAML"));
    }
}
