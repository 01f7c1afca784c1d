//! `scan`: control characters in a file's text, found before YAML parsing. A NUL ends
//! the text for the YAML reader (what follows would be silently ignored) and any other
//! control character outside a quoted string is invisible in an editor: each is a
//! placed error, and the text is parsed with NULs blanked, so the rest is still checked.

use std::borrow::Cow;

use super::yaml::{Span, YamlProblem};

/// More control characters than this in one file are summed up in one last problem.
const MAX_REPORTED: usize = 10;

#[derive(Clone, Copy, PartialEq)]
enum State {
    Plain,
    Comment,
    Single,
    Double,
}

/// The problems of `text`'s control characters, and the text to parse (NULs as spaces).
pub fn scan(text: &str) -> (Vec<YamlProblem>, Cow<'_, str>) {
    let mut problems = Vec::new();
    let mut found = 0;
    let (mut line, mut col) = (1, 0);
    let mut state = State::Plain;
    let mut previous = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        col += 1;
        let quoted = matches!(state, State::Single | State::Double);
        let lone_cr = c == '\r' && chars.peek() != Some(&'\n');
        if lone_cr {
            found += 1;
            if found <= MAX_REPORTED {
                problems.push(YamlProblem {
                    span: Span { line, col, len: 1 },
                    message: "carriage return (U+000D) without a line feed".into(),
                    hint: Some("end lines with LF or CRLF; a lone CR would shift every line number after it".into()),
                });
            }
        } else if c == '\0' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r') && !quoted) {
            found += 1;
            if found <= MAX_REPORTED {
                problems.push(problem(c, Span { line, col, len: 1 }, quoted));
            }
        }
        match (state, c) {
            (_, '\n') => {
                (line, col) = (line + 1, 0);
                if state == State::Comment {
                    state = State::Plain;
                }
            }
            (State::Plain, '#') if previous.is_whitespace() => state = State::Comment,
            (State::Plain, '"' | '\'') if starts_token(previous) => {
                state = if c == '"' {
                    State::Double
                } else {
                    State::Single
                };
            }
            (State::Double, '\\') if chars.next_if(|n| *n != '\n').is_some() => col += 1,
            (State::Double, '"') => state = State::Plain,
            (State::Single, '\'') => {
                // `''` is an escaped quote inside a single-quoted string.
                if chars.next_if_eq(&'\'').is_some() {
                    col += 1;
                } else {
                    state = State::Plain;
                }
            }
            _ => {}
        }
        previous = c;
    }
    if found > MAX_REPORTED {
        let last = problems.last().map_or(Span::default(), |p| p.span);
        problems.push(YamlProblem {
            span: last,
            message: format!(
                "{} more control characters after this one",
                found - MAX_REPORTED
            ),
            hint: Some("is this a binary file?".into()),
        });
    }
    // A NUL would end the text for the parser and a lone CR start a line: both blanked.
    let parsed = if text.contains('\0') || has_lone_cr(text) {
        let blanked = text.replace('\0', " ").replace("\r\n", "\n");
        Cow::Owned(blanked.replace('\r', " "))
    } else {
        Cow::Borrowed(text)
    };
    (problems, parsed)
}

fn has_lone_cr(text: &str) -> bool {
    text.match_indices('\r')
        .any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'))
}

/// A quote opens a string only where a token may start (not in `it's`).
fn starts_token(previous: char) -> bool {
    previous.is_whitespace() || matches!(previous, '[' | '{' | ',' | ':' | '-' | '?')
}

fn problem(c: char, span: Span, quoted: bool) -> YamlProblem {
    let code = format!("U+{:04X}", u32::from(c));
    if c == '\0' {
        return YamlProblem {
            span,
            message: format!("NUL character ({code}) in the file"),
            hint: Some(match quoted {
                true => "write it as `\\0` in a double-quoted string".into(),
                false => "remove it: a YAML reader stops at a NUL and ignores the rest".into(),
            }),
        };
    }
    YamlProblem {
        span,
        message: format!("control character {code} outside a quoted string"),
        hint: Some(format!(
            "remove it, or write it as `\\u{:04X}` in a double-quoted string",
            u32::from(c)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(text: &str) -> Vec<(usize, usize, String)> {
        scan(text)
            .0
            .into_iter()
            .map(|p| (p.span.line, p.span.col, p.message))
            .collect()
    }

    #[test]
    fn a_nul_anywhere_is_placed_and_blanked_for_the_parser() {
        let (problems, text) = scan("a: 1\nb: x\0y\nc: \"q\0\"\n");
        let at: Vec<(usize, usize)> = problems.iter().map(|p| (p.span.line, p.span.col)).collect();
        assert_eq!(at, [(2, 5), (3, 6)]);
        assert_eq!(text, "a: 1\nb: x y\nc: \"q \"\n");
    }

    #[test]
    fn other_controls_are_errors_outside_quoted_strings_only() {
        assert_eq!(
            places("a: x\u{1}y\nb: \"it\u{7}\"\nc: 'it''s\u{7}'\nd: it's\u{1b}\n# \u{7}\n"),
            [
                (
                    1,
                    5,
                    "control character U+0001 outside a quoted string".into()
                ),
                (
                    4,
                    8,
                    "control character U+001B outside a quoted string".into()
                ),
                (
                    5,
                    3,
                    "control character U+0007 outside a quoted string".into()
                ),
            ]
        );
        assert!(places("a: \"tab\there\"\nb:\tc\r\n").is_empty());
        let (problems, text) = scan("a: 1\rb: 2\r\n");
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].span.line, problems[0].span.col), (1, 5));
        assert_eq!(text, "a: 1 b: 2\n");
    }

    #[test]
    fn many_controls_are_summed_up() {
        let found = places(&"\u{1}".repeat(25));
        assert_eq!(found.len(), MAX_REPORTED + 1);
        assert_eq!(
            found[MAX_REPORTED].2,
            "15 more control characters after this one"
        );
    }
}
