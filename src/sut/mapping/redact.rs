//! `Redactor`: replaces every secret (environment values the mapping reads, the login
//! token) by `***` in text and JSON, so that no trace or report ever holds one.

use serde_json::Value;

use crate::sut::SutFault;

use crate::sut::protocol::percent_encode;

/// What replaces a secret.
pub const MASK: &str = "***";

/// The secrets to hide, as written and percent-encoded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// `fault` with every secret masked in what it quotes.
    pub fn fault(&self, fault: SutFault) -> SutFault {
        match fault {
            SutFault::Connection { message } => SutFault::Connection {
                message: self.text(&message),
            },
            SutFault::HttpStatus { code, body } => SutFault::HttpStatus {
                code,
                body: self.text(&body),
            },
            SutFault::Rejected { code, error } => SutFault::Rejected {
                code,
                error: self.text(&error),
            },
            SutFault::Garbage { message, body } => SutFault::Garbage {
                message: self.text(&message),
                body: self.text(&body),
            },
            other @ (SutFault::Timeout { .. } | SutFault::TooLarge { .. }) => other,
        }
    }

    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Redactor {
        let mut r = Redactor::default();
        for s in secrets {
            r.add(s);
        }
        r
    }

    /// Adds a secret (empty ones are ignored).
    pub fn add(&mut self, secret: &str) {
        for form in [secret.to_string(), percent_encode(secret)] {
            if !form.is_empty() && !self.secrets.contains(&form) {
                self.secrets.push(form);
            }
        }
        // Longest first, so that a secret containing another is masked whole.
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        out
    }

    /// Masks secrets in every string (and key) of a JSON value.
    pub fn json(&self, value: &mut Value) {
        if self.secrets.is_empty() {
            return;
        }
        match value {
            Value::String(s) => {
                let masked = self.text(s);
                *s = masked;
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.json(v)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (k, mut v) in entries {
                    self.json(&mut v);
                    map.insert(self.text(&k), v);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_plain_and_percent_encoded_secrets_everywhere() {
        let r = Redactor::new(["p@ss word", "tok-1"]);
        assert_eq!(
            r.text("GET /x?key=p%40ss%20word failed; token tok-1"),
            "GET /x?key=*** failed; token ***"
        );
        let mut v = json!({"a": ["p@ss word"], "tok-1": 3, "n": 1});
        r.json(&mut v);
        assert_eq!(v, json!({"a": ["***"], "***": 3, "n": 1}));
        assert_eq!(Redactor::new([""]).text("abc"), "abc");
    }
}
