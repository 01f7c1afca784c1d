//! `text!`: a message or quote built from pieces (text, numbers, JSON values) in one
//! allocation of about its length: what `format!` gives, without the formatting
//! machinery or the regrowing. Findings are mostly such text.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use crate::rules::evidence;

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
                evidence::push_integer(out, u64::from(*self));
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
        evidence::push_integer(out, u64::try_from(*self).unwrap_or(u64::MAX));
    }
}

/// A JSON value, compact (`evidence::value`).
pub(crate) struct Json<'a>(pub &'a Value);

impl Piece for Json<'_> {
    fn size(&self) -> usize {
        evidence::value_size(self.0)
    }
    fn put(&self, out: &mut String) {
        evidence::push_value(out, self.0);
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

#[cfg(test)]
mod tests {
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
