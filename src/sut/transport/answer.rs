//! Reading one answer on a `Conn`: its head parsed by `httparse`, its body framed by
//! `content-length`, chunked coding or the end of the stream (RFC 9112, section 6.3), no
//! larger than the body cap, and decoded when the SUT sent it gzip or brotli coded.

use std::io::{self, ErrorKind, Read};
use std::mem::MaybeUninit;

use bytes::Bytes;
use http::{Method, StatusCode};
use tokio::io::AsyncReadExt;

use super::stream::Conn;
use crate::sut::http::Answer;

/// Headers read in an answer head at most (hyper's default limit too).
const MAX_HEADERS: usize = 100;
/// An answer head larger than this is a fault.
const MAX_HEAD: usize = 64 << 10;
/// Room made in the read buffer before each read.
const READ_CHUNK: usize = 8 << 10;
/// A read buffer that grew beyond this for a large answer is not kept for the next one.
const KEEP_BUFFER: usize = 64 << 10;

/// How the body of an answer is delimited (RFC 9112, section 6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Empty,
    Length(usize),
    Chunked,
    /// Until the SUT closes the connection.
    Close,
}

/// How the body is coded (`content-encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coding {
    Identity,
    Gzip,
    Brotli,
}

/// What the head of an answer says.
struct Head {
    /// Bytes of the head, from the start of the buffer.
    len: usize,
    status: StatusCode,
    framing: Framing,
    coding: Coding,
    /// Whether the connection may carry another request afterwards.
    keep_alive: bool,
}

impl Conn {
    /// Reads the whole answer to the request just written: its status and body, and
    /// whether the connection can carry another request (the SUT keeps it alive, the body
    /// did not end with the stream, and nothing came after it). Informational (1xx) heads
    /// are skipped. The buffer is left empty when the connection is reusable.
    pub(super) async fn answer(
        &mut self,
        method: &Method,
        limit: usize,
    ) -> io::Result<(Answer, bool)> {
        let mut start = 0;
        let head = loop {
            match parse_head(&self.buf[start..], method)? {
                Some(head) if head.status.is_informational() => {
                    if head.status == StatusCode::SWITCHING_PROTOCOLS {
                        return Err(invalid("the SUT switched protocols (101)"));
                    }
                    start += head.len;
                }
                Some(head) => break head,
                None => {
                    if self.buf.len() - start > MAX_HEAD {
                        return Err(invalid(format!(
                            "the answer's head is larger than {} KiB",
                            MAX_HEAD >> 10
                        )));
                    }
                    if self.fill().await? == 0 {
                        return Err(if self.buf.is_empty() {
                            io::Error::new(
                                ErrorKind::UnexpectedEof,
                                "the connection was closed before an answer came",
                            )
                        } else {
                            io::Error::new(
                                ErrorKind::UnexpectedEof,
                                "the connection was closed in the middle of the answer's head",
                            )
                        });
                    }
                }
            }
        };
        let body_start = start + head.len;
        let (body, end) = match head.framing {
            Framing::Empty => (Bytes::new(), body_start),
            Framing::Length(length) => {
                if length > limit {
                    return Err(too_large(limit));
                }
                let end = body_start + length;
                while self.buf.len() < end {
                    if self.fill().await? == 0 {
                        return Err(io::Error::new(
                            ErrorKind::UnexpectedEof,
                            format!(
                                "the connection was closed after {} of the {length} bytes of the body",
                                self.buf.len() - body_start
                            ),
                        ));
                    }
                }
                (Bytes::copy_from_slice(&self.buf[body_start..end]), end)
            }
            Framing::Chunked => self.chunked(body_start, limit).await?,
            Framing::Close => {
                loop {
                    if self.buf.len() - body_start > limit {
                        return Err(too_large(limit));
                    }
                    if self.fill().await? == 0 {
                        break;
                    }
                }
                let end = self.buf.len();
                (Bytes::copy_from_slice(&self.buf[body_start..]), end)
            }
        };
        // Decoded before the buffer is cleared, so that a body that cannot be is quoted.
        let body = decode(head.coding, body, limit)?;
        let reusable = head.keep_alive && head.framing != Framing::Close && end == self.buf.len();
        if reusable {
            if self.buf.capacity() > KEEP_BUFFER {
                self.buf = Vec::new();
            } else {
                self.buf.clear();
            }
        }
        let answer = Answer {
            status: head.status,
            body,
        };
        Ok((answer, reusable))
    }

    /// A chunked body starting at `pos`: its data and where it (trailers included) ends.
    async fn chunked(&mut self, mut pos: usize, limit: usize) -> io::Result<(Bytes, usize)> {
        let mut body = Vec::new();
        loop {
            let line = self.line(pos).await?;
            let size = chunk_size(&self.buf[pos..line])?;
            pos = line + 2;
            if size == 0 {
                break;
            }
            if body.len().saturating_add(size) > limit {
                return Err(too_large(limit));
            }
            let end = pos + size + 2;
            while self.buf.len() < end {
                if self.fill().await? == 0 {
                    return Err(io::Error::new(
                        ErrorKind::UnexpectedEof,
                        "the connection was closed in the middle of a chunk",
                    ));
                }
            }
            if &self.buf[end - 2..end] != b"\r\n" {
                return Err(invalid("a chunk does not end with CRLF"));
            }
            body.extend_from_slice(&self.buf[pos..end - 2]);
            pos = end;
        }
        // Trailer fields, up to an empty line; they are not kept.
        loop {
            let line = self.line(pos).await?;
            let empty = line == pos;
            pos = line + 2;
            if empty {
                return Ok((Bytes::from(body), pos));
            }
        }
    }

    /// Where the line starting at `pos` ends (the position of its CRLF), reading on until
    /// the buffer holds one.
    async fn line(&mut self, pos: usize) -> io::Result<usize> {
        let mut from = pos;
        loop {
            if let Some(i) = self.buf[from..].windows(2).position(|w| w == b"\r\n") {
                return Ok(from + i);
            }
            from = self.buf.len().saturating_sub(1).max(pos);
            if from - pos > MAX_HEAD {
                return Err(invalid("a chunk size or trailer line is too long"));
            }
            if self.fill().await? == 0 {
                return Err(io::Error::new(
                    ErrorKind::UnexpectedEof,
                    "the connection was closed in the middle of a chunked body",
                ));
            }
        }
    }

    /// Reads what the SUT sent next into the buffer; `Ok(0)` at the end of the stream.
    async fn fill(&mut self) -> io::Result<usize> {
        self.buf.reserve(READ_CHUNK);
        self.stream.read_buf(&mut self.buf).await
    }
}

fn parse_head(data: &[u8], method: &Method) -> io::Result<Option<Head>> {
    // Header slots left uninitialised: httparse fills what it uses, and zeroing all of
    // them for every answer cost more than parsing a short head.
    let mut headers = [const { MaybeUninit::<httparse::Header<'_>>::uninit() }; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut []);
    let parsed = httparse::ParserConfig::default().parse_response_with_uninit_headers(
        &mut response,
        data,
        &mut headers,
    );
    let len = match parsed {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(invalid(e.to_string())),
    };
    let code = response.code.unwrap_or(0);
    let status =
        StatusCode::from_u16(code).map_err(|_| invalid(format!("invalid status {code}")))?;
    // HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless told.
    let mut keep_alive = response.version == Some(1);
    let mut length: Option<usize> = None;
    let mut coded = None;
    let mut coding = Coding::Identity;
    for header in response.headers.iter() {
        let value = header.value;
        if header.name.eq_ignore_ascii_case("content-length") {
            let text = std::str::from_utf8(value).unwrap_or("").trim();
            let n = text
                .parse::<usize>()
                .ok()
                .filter(|_| text.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| invalid(format!("invalid content-length `{text}`")))?;
            if length.is_some_and(|l| l != n) {
                return Err(invalid("two different content-length headers"));
            }
            length = Some(n);
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            // Chunked when chunked is the last coding applied.
            let last = tokens(value).last().unwrap_or_default();
            coded = Some(last.eq_ignore_ascii_case(b"chunked"));
        } else if header.name.eq_ignore_ascii_case("content-encoding") {
            coding = match value.trim_ascii() {
                v if v.eq_ignore_ascii_case(b"gzip") || v.eq_ignore_ascii_case(b"x-gzip") => {
                    Coding::Gzip
                }
                v if v.eq_ignore_ascii_case(b"br") => Coding::Brotli,
                v if v.is_empty() || v.eq_ignore_ascii_case(b"identity") => Coding::Identity,
                v => {
                    return Err(invalid(format!(
                        "content-encoding `{}` is not supported (gzip and br are)",
                        String::from_utf8_lossy(v)
                    )));
                }
            };
        } else if header.name.eq_ignore_ascii_case("connection") {
            for token in tokens(value) {
                if token.eq_ignore_ascii_case(b"close") {
                    keep_alive = false;
                } else if token.eq_ignore_ascii_case(b"keep-alive") && response.version == Some(0) {
                    keep_alive = true;
                }
            }
        }
    }
    let framing = if status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || method == Method::HEAD
    {
        Framing::Empty
    } else {
        match (coded, length) {
            (Some(true), _) => Framing::Chunked,
            (Some(false), _) => Framing::Close,
            (None, Some(0)) => Framing::Empty,
            (None, Some(n)) => Framing::Length(n),
            (None, None) => Framing::Close,
        }
    };
    Ok(Some(Head {
        len,
        status,
        framing,
        coding,
        keep_alive,
    }))
}

/// The comma-separated tokens of a header value, trimmed.
fn tokens(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|&b| b == b',').map(<[u8]>::trim_ascii)
}

/// The size on a chunk line (hex digits, then optional extensions after `;`).
fn chunk_size(line: &[u8]) -> io::Result<usize> {
    let digits = line
        .split(|&b| b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    let text = std::str::from_utf8(digits).unwrap_or("");
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid(format!(
            "invalid chunk size `{}`",
            String::from_utf8_lossy(line)
        )));
    }
    usize::from_str_radix(text, 16)
        .map_err(|_| invalid(format!("chunk size `{text}` is too large")))
}

pub(super) fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, message.into())
}

/// The body is over the cap (`ErrorKind::FileTooLarge` tells it apart).
fn too_large(limit: usize) -> io::Error {
    io::Error::new(
        ErrorKind::FileTooLarge,
        format!("the body is larger than {limit} bytes"),
    )
}

/// `body` as sent before `coding` was applied, at most `limit` bytes.
fn decode(coding: Coding, body: Bytes, limit: usize) -> io::Result<Bytes> {
    let mut reader: Box<dyn Read + '_> = match coding {
        Coding::Identity => return Ok(body),
        Coding::Gzip => Box::new(flate2::read::MultiGzDecoder::new(&body[..])),
        Coding::Brotli => Box::new(brotli_decompressor::Decompressor::new(
            &body[..],
            READ_CHUNK,
        )),
    };
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    (&mut reader)
        .take(cap)
        .read_to_end(&mut out)
        .map_err(|e| invalid(format!("cannot decode the {coding:?} body: {e}")))?;
    if out.len() > limit {
        return Err(too_large(limit));
    }
    Ok(Bytes::from(out))
}

/// Whether an error is the connection being closed or reset by the SUT.
pub(super) fn is_closed(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::UnexpectedEof
            | ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
    )
}
