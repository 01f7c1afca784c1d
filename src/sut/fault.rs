//! `SutFault`: a SUT answer that is not a protocol reply (a timeout, a refused connection,
//! a status the protocol does not allow, garbage). Every connector gives these instead of
//! panicking; the engine records them in the trace.

use serde::{Deserialize, Serialize};

/// A SUT answer that is not a protocol reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum SutFault {
    /// The request timed out.
    Timeout { after_ms: u64 },
    /// No connection could be made (after retries).
    Connection { message: String },
    /// A status the protocol does not allow (5xx, 3xx...).
    HttpStatus { code: u16, body: String },
    /// A 4xx: the SUT rejected our request as malformed.
    Rejected { code: u16, error: String },
    /// The body is larger than the cap (`--max-body`); it was read no further.
    TooLarge { limit: usize },
    /// What is not a protocol reply: a 200 whose body is not one, or an answer that is
    /// not HTTP at all.
    Garbage { message: String, body: String },
}

impl SutFault {
    /// The fault's name, as findings and events give it (`timeout`, `http-status`...).
    pub fn kind(&self) -> &'static str {
        match self {
            SutFault::Timeout { .. } => "timeout",
            SutFault::Connection { .. } => "connection",
            SutFault::HttpStatus { .. } => "http-status",
            SutFault::Rejected { .. } => "rejected",
            SutFault::Garbage { .. } => "garbage",
            SutFault::TooLarge { .. } => "too-large",
        }
    }
}

/// Bodies kept in faults are cut to this many bytes.
pub const BODY_LIMIT: usize = 512;

/// The body as text, cut at `BODY_LIMIT` bytes on a character boundary.
pub(crate) fn truncate(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= BODY_LIMIT {
        return text.into_owned();
    }
    let mut end = BODY_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
