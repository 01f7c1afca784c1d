//! `visible`: text from a scenario or a SUT made safe to print on a terminal or in a
//! table: control characters (a newline, an ESC sequence), bidirectional overrides and
//! zero-width characters are written as `\u{...}` escapes, so they can neither move the
//! cursor, recolour the screen, break a table row nor hide or reorder what is shown.

use std::borrow::Cow;

/// Whether `c` would change how a line is shown instead of showing itself.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// `text` with every hidden character escaped; borrowed when there is none (most text).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bidi_and_zero_width_characters_are_shown_as_escapes() {
        assert!(matches!(visible("plain, ünïcode ✓"), Cow::Borrowed(_)));
        assert_eq!(visible("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(visible("line\nbreak\ttab"), "line\\u{a}break\\u{9}tab");
        assert_eq!(visible("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(visible("zero\u{200b}width"), "zero\\u{200b}width");
        assert_eq!(visible("\u{7f}\u{9b}"), "\\u{7f}\\u{9b}");
    }
}
