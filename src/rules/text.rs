//! `text!`: a message or quote built from pieces (text, numbers, JSON values) in one
//! allocation of about its length: what `format!` gives, without the formatting
//! machinery or the regrowing. Findings are mostly such text.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use std::fmt::Write as _;

/// Quotes longer than this many bytes are cut where they are rendered (`clip`).
pub const QUOTE_LIMIT: usize = 300;

/// `text` as a report shows it: whole up to `QUOTE_LIMIT` bytes, else its start (cut on a
/// character boundary) and `… (N bytes)`, N the whole length. Rules read the whole text;
/// only what is rendered (evidence, messages, traces) is cut.
pub fn clip(text: &str) -> Cow<'_, str> {
    if text.len() <= QUOTE_LIMIT {
        return Cow::Borrowed(text);
    }
    let mut end = QUOTE_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}… ({} bytes)", &text[..end], text.len()))
}

/// `clip` in place.
pub fn clip_in_place(text: &mut String) {
    if let Cow::Owned(cut) = clip(text) {
        *text = cut;
    }
}

/// A piece of text: about how long it is, and how it is written.
pub(crate) trait Piece {
    /// The length written, or a guess for values.
    fn size(&self) -> usize;
    fn put(&self, out: &mut String);
}

impl Piece for str {
    fn size(&self) -> usize {
        self.len()
    }
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn size(&self) -> usize {
        self.len()
    }
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for Arc<str> {
    fn size(&self) -> usize {
        self.len()
    }
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for Cow<'_, str> {
    fn size(&self) -> usize {
        self.len()
    }
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn size(&self) -> usize {
        (**self).size()
    }
    fn put(&self, out: &mut String) {
        (**self).put(out);
    }
}

macro_rules! unsigned_pieces {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn size(&self) -> usize {
                20
            }
            fn put(&self, out: &mut String) {
                push_integer(out, u64::from(*self));
            }
        }
    )*};
}
unsigned_pieces!(u16, u32, u64);

impl Piece for usize {
    fn size(&self) -> usize {
        20
    }
    fn put(&self, out: &mut String) {
        // usize is at most 64 bits on every target Seam builds for.
        push_integer(out, u64::try_from(*self).unwrap_or(u64::MAX));
    }
}

/// A JSON value, compact (`value`).
pub(crate) struct Json<'a>(pub &'a Value);

impl Piece for Json<'_> {
    fn size(&self) -> usize {
        value_size(self.0)
    }
    fn put(&self, out: &mut String) {
        push_value(out, self.0);
    }
}

/// The pieces written one after the other, allocated once.
pub(crate) fn join(pieces: &[&dyn Piece]) -> String {
    let mut out = String::with_capacity(size(pieces));
    put(&mut out, pieces);
    out
}

/// The length of the pieces (guessed for values).
pub(crate) fn size(pieces: &[&dyn Piece]) -> usize {
    pieces.iter().map(|p| p.size()).sum()
}

/// The pieces written at the end of `out`.
pub(crate) fn put(out: &mut String, pieces: &[&dyn Piece]) {
    for p in pieces {
        p.put(out);
    }
}

/// `items` written at the end of `out`, with `separator` between them.
pub(crate) fn put_joined<T: AsRef<str>>(out: &mut String, items: &[T], separator: &str) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item.as_ref());
    }
}

/// `text!(a, b, ...)`: the pieces (`&str`, `String`, `Arc<str>`, numbers, `Json`...)
/// joined, in one allocation.
macro_rules! text {
    ($($piece:expr),+ $(,)?) => {
        $crate::rules::text::join(&[$(&$piece),+])
    };
}
pub(crate) use text;

/// A JSON value rendered compactly (strings keep their quotes; objects are sorted).
pub fn value(v: &Value) -> String {
    let mut out = String::with_capacity(value_size(v));
    push_value(&mut out, v);
    out
}

/// About the length of `value(v)` (exact for values that need no escaping, but floats).
pub(crate) fn value_size(v: &Value) -> usize {
    match v {
        Value::Null => 4,
        Value::Bool(_) => 5,
        Value::Number(_) => 20,
        Value::String(s) => s.len() + 2,
        Value::Array(items) => 2 + items.iter().map(|v| value_size(v) + 1).sum::<usize>(),
        Value::Object(map) => {
            2 + map
                .iter()
                .map(|(k, v)| k.len() + 4 + value_size(v))
                .sum::<usize>()
        }
    }
}

/// `value(v)` written at the end of `out`. Nulls, booleans, integers and strings that
/// need no escaping (most values) are written directly; the others as `Value` displays
/// them (compact JSON, what `serde_json::to_string` gives).
pub fn push_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::String(s) if json_plain(s) => {
            out.reserve(s.len() + 2);
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        Value::Number(n) if n.is_u64() => push_integer(out, n.as_u64().unwrap_or_default()),
        Value::Number(n) if n.is_i64() => {
            out.push_str(itoa::Buffer::new().format(n.as_i64().unwrap_or_default()));
        }
        _ => {
            let _ = write!(out, "{v}");
        }
    }
}

/// Whether JSON writes `s` as it is between quotes (no control character, `"` or `\`).
/// Every byte is looked at (no early exit), which compilers turn into wide compares.
fn json_plain(s: &str) -> bool {
    s.bytes().fold(true, |plain, b| {
        plain & (b >= 0x20) & (b != b'"') & (b != b'\\')
    })
}

/// An integer in decimal, as `Display` writes it.
pub(crate) fn push_integer(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_quotes_are_clipped_with_their_size() {
        assert_eq!(super::clip("short"), "short");
        let long = "é".repeat(400);
        let cut = super::clip(&long);
        assert!(cut.ends_with("… (800 bytes)"), "{cut}");
        assert!(cut.len() < super::QUOTE_LIMIT + 20);
    }

    use super::*;

    #[test]
    fn text_is_what_format_gives() {
        let id: Arc<str> = Arc::from("s1");
        let v = serde_json::json!({"a": [1, "x\"y"]});
        let got = text!(
            "step `",
            id,
            "` (",
            String::from("web"),
            "): ",
            Json(&v),
            " ",
            Json(&Value::from("plain")),
            ", ",
            3usize,
            " ",
            u32::MAX,
            Cow::Borrowed("!"),
        );
        let expected = format!("step `{id}` (web): {v} \"plain\", 3 {}!", u32::MAX);
        assert_eq!(got, expected);
        for n in [0u64, 9, 10, 99, 100, 12345, u64::MAX] {
            assert_eq!(text!(n), n.to_string());
        }
    }
}
