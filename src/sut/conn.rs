//! `Origin`: a lean HTTP/1.1 keep-alive client for the one SUT the protocol client talks
//! to. The base URL is parsed once; each request is a path and query on it, written in one
//! piece on an idle pooled connection or a new one, and its answer read on the journey's
//! own task (no connection task, no channel between them), its head parsed by `httparse`
//! and its body framed by `content-length`, chunked coding or the end of the stream. The
//! whole exchange is under the per-request timeout and retried with backoff while no
//! connection can be made (as `http::send` does for reqwest). No redirect is followed, no
//! proxy, no TLS.

use std::error::Error as StdError;
use std::io::{self, ErrorKind};
use std::mem::MaybeUninit;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use http::{Method, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::{Host, Url};

use super::ClientConfig;
use super::http::{Answer, error_chain};
use super::mapping::auth::base64;
use super::protocol::truncate;
use crate::sut::SutFault;

/// Headers read in an answer head at most (hyper's default limit too).
const MAX_HEADERS: usize = 100;
/// An answer (head and body) larger than this is a fault, not a reason to run out of
/// memory.
const MAX_ANSWER: usize = 64 << 20;
/// Room made in the read buffer before each read.
const READ_CHUNK: usize = 8 << 10;
/// A read buffer that grew beyond this for a large answer is not kept for the next one.
const KEEP_BUFFER: usize = 64 << 10;

/// One SUT origin (`http://host:port/prefix`) and its idle keep-alive connections.
#[derive(Debug)]
pub struct Origin {
    /// Where requests go, or why the base URL cannot be used (then every request is a
    /// `Connection` fault saying so).
    target: Result<Target, String>,
    /// Idle connections, the most recently used last; at most `config.pool`.
    idle: Mutex<Vec<Conn>>,
    config: ClientConfig,
}

/// The parsed base URL: what each request needs, computed once.
#[derive(Debug)]
struct Target {
    /// Where to connect.
    dest: Dest,
    /// The authority: host and, when not 80, port (the `Host` header).
    host: String,
    /// The header lines every request carries: `host`, `accept` and, from the URL's user
    /// information, `Basic` credentials (as reqwest sent them).
    headers: String,
    /// The base path without its trailing `/` (`""` for the root).
    prefix: String,
}

/// The address to connect to: an IP literal, or a name resolved on each new connection.
#[derive(Debug)]
enum Dest {
    Addr(SocketAddr),
    Name(String, u16),
}

/// A request target (`/prefix/path?query`, origin-form) on an `Origin`, or why there is
/// none (the base URL is not usable).
#[derive(Debug, Clone)]
pub struct Endpoint(Result<String, String>);

/// One keep-alive connection and its read buffer (empty between exchanges).
#[derive(Debug)]
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

/// Why one try on one connection failed.
enum Failure {
    /// The connection was closed (or reset) before any byte of an answer came: on a
    /// reused connection, what a SUT that drops idle keep-alive connections causes, so
    /// the request is tried on a fresh one.
    Closed(io::Error),
    /// The request could not be written.
    Unsent(io::Error),
    /// The answer was cut short, or reading it failed.
    Broken(io::Error),
    /// What came is not an HTTP answer (why, and what came).
    NotHttp(io::Error, Vec<u8>),
}

/// A failed exchange: its fault, and whether the request may be sent again (it did not
/// reach the SUT: no connection, or one closed before any answer).
struct Failed {
    fault: SutFault,
    again: bool,
}

/// How the body of an answer is delimited (RFC 9112, section 6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Empty,
    Length(usize),
    Chunked,
    /// Until the SUT closes the connection.
    Close,
}

/// What the head of an answer says.
struct Head {
    /// Bytes of the head, from the start of the buffer.
    len: usize,
    status: StatusCode,
    framing: Framing,
    /// Whether the connection may carry another request afterwards.
    keep_alive: bool,
}

impl Origin {
    /// The origin at `base` (trailing `/` already trimmed). Never fails: a base that is
    /// not a plain `http://` URL makes every request a `Connection` fault saying why.
    pub fn new(base: &str, config: ClientConfig) -> Self {
        Origin {
            target: Target::parse(base),
            idle: Mutex::new(Vec::new()),
            config,
        }
    }

    /// The request target `{prefix}{path}` or `{prefix}{path}?{query}`; `path` starts with
    /// `/` and, like `query`, is already percent-encoded.
    pub fn endpoint(&self, path: &str, query: Option<&str>) -> Endpoint {
        let target = match &self.target {
            Ok(target) => target,
            Err(e) => return Endpoint(Err(e.clone())),
        };
        let mut text = String::with_capacity(
            target.prefix.len() + path.len() + query.map_or(0, |q| q.len() + 1),
        );
        text.push_str(&target.prefix);
        text.push_str(path);
        if let Some(query) = query {
            text.push('?');
            text.push_str(query);
        }
        // A request target is visible ASCII (RFC 9112, 3.2): nothing to split a request
        // line or a header with.
        if text.starts_with('/') && text.bytes().all(|b| b.is_ascii_graphic()) {
            Endpoint(Ok(text))
        } else {
            Endpoint(Err(format!(
                "invalid request target `{text}`: it must be a percent-encoded path"
            )))
        }
    }

    /// Sends one request, again (after `backoff`, doubling) while it does not reach the
    /// SUT (no connection, or one closed before any answer), up to `attempts`; returns
    /// the answer or fault and the attempts made. A `body` is sent as `application/json`.
    pub async fn send(
        &self,
        method: Method,
        endpoint: &Endpoint,
        body: Option<Bytes>,
    ) -> (Result<Answer, SutFault>, u32) {
        let attempts = self.config.attempts.max(1);
        let mut backoff = self.config.backoff;
        let mut attempt = 0;
        let request = match (&self.target, &endpoint.0) {
            (Ok(target), Ok(path)) => (target, path, target.encode(&method, path, body.as_deref())),
            // A base URL or path that cannot be used fails alike on every try.
            (Err(message), _) | (_, Err(message)) => {
                let message = message.clone();
                return (Err(SutFault::Connection { message }), 1);
            }
        };
        let (target, path, request) = request;
        loop {
            attempt += 1;
            let exchange = self.exchange(target, &method, path, &request);
            let failed = match tokio::time::timeout(self.config.timeout, exchange).await {
                Ok(Ok(answer)) => return (Ok(answer), attempt),
                Ok(Err(failed)) => failed,
                Err(_) => Failed {
                    fault: SutFault::Timeout {
                        after_ms: u64::try_from(self.config.timeout.as_millis())
                            .unwrap_or(u64::MAX),
                    },
                    again: false,
                },
            };
            if !failed.again || attempt >= attempts {
                return (Err(failed.fault), attempt);
            }
            tokio::time::sleep(backoff).await;
            backoff = backoff.saturating_mul(2);
        }
    }

    /// One request (`request`, encoded) and its whole answer: on an idle connection when
    /// there is one (and once more on a fresh connection if the SUT had closed it), else
    /// on a fresh one.
    async fn exchange(
        &self,
        target: &Target,
        method: &Method,
        path: &str,
        request: &[u8],
    ) -> Result<Answer, Failed> {
        if let Some(conn) = self.checkout() {
            match self.try_on(conn, method, request).await {
                Ok(answer) => return Ok(answer),
                Err(Failure::Closed(_)) => {}
                Err(failure) => return Err(target.failed(failure, method, path)),
            }
        }
        let conn = match target.connect().await {
            Ok(conn) => conn,
            Err(e) => {
                let message = target.said("error sending request", method, path, &e);
                let fault = SutFault::Connection { message };
                return Err(Failed { fault, again: true });
            }
        };
        self.try_on(conn, method, request)
            .await
            .map_err(|failure| target.failed(failure, method, path))
    }

    /// Writes the request on `conn` and reads the whole answer; puts the connection back
    /// in the pool when it can carry another request.
    async fn try_on(
        &self,
        mut conn: Conn,
        method: &Method,
        request: &[u8],
    ) -> Result<Answer, Failure> {
        if let Err(e) = conn.stream.write_all(request).await {
            return Err(if is_closed(&e) {
                Failure::Closed(e)
            } else {
                Failure::Unsent(e)
            });
        }
        match conn.answer(method).await {
            Ok((answer, reusable)) => {
                if reusable {
                    self.checkin(conn);
                }
                Ok(answer)
            }
            // Nothing of an answer came: the SUT closed the connection on the request.
            Err(e) if conn.buf.is_empty() && is_closed(&e) => Err(Failure::Closed(e)),
            Err(e) if e.kind() == ErrorKind::InvalidData => Err(Failure::NotHttp(e, conn.buf)),
            Err(e) => Err(Failure::Broken(e)),
        }
    }

    /// An idle connection, if any (one the SUT has closed meanwhile shows as `Closed`
    /// when used).
    fn checkout(&self) -> Option<Conn> {
        self.lock_idle().pop()
    }

    /// Keeps `conn` for a next request, unless the pool is full.
    fn checkin(&self, conn: Conn) {
        let mut idle = self.lock_idle();
        if idle.len() < self.config.pool.max(1) {
            idle.push(conn);
        }
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Conn>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Conn {
    /// Reads the whole answer to the request just written: its status and body, and
    /// whether the connection can carry another request (the SUT keeps it alive, the body
    /// did not end with the stream, and nothing came after it). Informational (1xx) heads
    /// are skipped. The buffer is left empty when the connection is reusable.
    async fn answer(&mut self, method: &Method) -> io::Result<(Answer, bool)> {
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
                let end = body_start
                    .checked_add(length)
                    .filter(|&end| end <= MAX_ANSWER)
                    .ok_or_else(too_large)?;
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
            Framing::Chunked => self.chunked(body_start).await?,
            Framing::Close => {
                while self.fill().await? > 0 {}
                let end = self.buf.len();
                (Bytes::copy_from_slice(&self.buf[body_start..]), end)
            }
        };
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
    async fn chunked(&mut self, mut pos: usize) -> io::Result<(Bytes, usize)> {
        let mut body = Vec::new();
        loop {
            let line = self.line(pos).await?;
            let size = chunk_size(&self.buf[pos..line])?;
            pos = line + 2;
            if size == 0 {
                break;
            }
            let end = pos
                .checked_add(size)
                .and_then(|end| end.checked_add(2))
                .filter(|&end| end <= MAX_ANSWER)
                .ok_or_else(too_large)?;
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
        if self.buf.len() >= MAX_ANSWER {
            return Err(too_large());
        }
        self.buf.reserve(READ_CHUNK);
        self.stream.read_buf(&mut self.buf).await
    }
}

/// The head at the start of `data`, when it is all there (`None`: read more).
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
    usize::from_str_radix(text, 16).map_err(|_| too_large())
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, message.into())
}

fn too_large() -> io::Error {
    invalid(format!(
        "the answer is larger than {} MiB",
        MAX_ANSWER >> 20
    ))
}

/// Whether an error is the connection being closed or reset by the SUT.
fn is_closed(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::UnexpectedEof
            | ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
    )
}

impl Target {
    /// `base` when it is a plain `http://` URL without query or fragment; else why not.
    fn parse(base: &str) -> Result<Target, String> {
        let url = Url::parse(base).map_err(|e| format!("invalid target URL `{base}`: {e}"))?;
        match url.scheme() {
            "http" => {}
            "https" => {
                return Err(format!(
                    "cannot reach `{base}`: https is not supported, the target must be an http:// URL"
                ));
            }
            other => {
                return Err(format!(
                    "cannot reach `{base}`: scheme `{other}` is not supported, the target must be an http:// URL"
                ));
            }
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "invalid target URL `{base}`: it must not have a query or fragment"
            ));
        }
        let port = url.port_or_known_default().unwrap_or(80);
        let (dest, host) = match url.host() {
            Some(Host::Ipv4(ip)) => (
                Dest::Addr(SocketAddr::new(IpAddr::V4(ip), port)),
                ip.to_string(),
            ),
            Some(Host::Ipv6(ip)) => (
                Dest::Addr(SocketAddr::new(IpAddr::V6(ip), port)),
                format!("[{ip}]"),
            ),
            Some(Host::Domain(name)) => (Dest::Name(name.to_string(), port), name.to_string()),
            None => return Err(format!("invalid target URL `{base}`: it has no host")),
        };
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        if !host.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!("invalid target URL `{base}`: host `{host}`"));
        }
        let mut headers = format!("host: {host}\r\naccept: */*\r\n");
        if !url.username().is_empty() || url.password().is_some() {
            let mut credentials = percent_decode(url.username());
            credentials.push(b':');
            credentials.extend(percent_decode(url.password().unwrap_or("")));
            headers.push_str("authorization: Basic ");
            headers.push_str(&base64(&credentials));
            headers.push_str("\r\n");
        }
        Ok(Target {
            dest,
            host,
            headers,
            prefix: url.path().trim_end_matches('/').to_string(),
        })
    }

    /// The request, ready to write: request line, headers and, for a `body`, its JSON
    /// content type and length, then the body.
    fn encode(&self, method: &Method, path: &str, body: Option<&[u8]>) -> Vec<u8> {
        let method = method.as_str();
        let size = method.len() + path.len() + self.headers.len() + 80;
        let mut out = Vec::with_capacity(size + body.map_or(0, <[u8]>::len));
        out.extend_from_slice(method.as_bytes());
        out.push(b' ');
        out.extend_from_slice(path.as_bytes());
        out.extend_from_slice(b" HTTP/1.1\r\n");
        out.extend_from_slice(self.headers.as_bytes());
        match body {
            Some(body) => {
                out.extend_from_slice(b"content-type: application/json\r\ncontent-length: ");
                out.extend_from_slice(body.len().to_string().as_bytes());
                out.extend_from_slice(b"\r\n\r\n");
                out.extend_from_slice(body);
            }
            None if matches!(method, "POST" | "PUT" | "PATCH") => {
                out.extend_from_slice(b"content-length: 0\r\n\r\n");
            }
            None => out.extend_from_slice(b"\r\n"),
        }
        out
    }

    /// The fault a failed try is: `connection` (sent again when the request did not reach
    /// the SUT) or, for an answer that is not HTTP, `garbage` quoting what came.
    fn failed(&self, failure: Failure, method: &Method, path: &str) -> Failed {
        let (fault, again) = match failure {
            Failure::Closed(e) | Failure::Unsent(e) => {
                let message = self.said("error sending request", method, path, &e);
                (SutFault::Connection { message }, true)
            }
            Failure::Broken(e) => {
                let message = self.said("error reading the answer", method, path, &e);
                (SutFault::Connection { message }, false)
            }
            Failure::NotHttp(e, data) => {
                let message = self.said("invalid HTTP answer", method, path, &e);
                let body = truncate(&data);
                (SutFault::Garbage { message, body }, false)
            }
        };
        Failed { fault, again }
    }

    /// A failure as a fault says it: what failed, the request and the error with its
    /// sources.
    fn said(&self, what: &str, method: &Method, path: &str, e: &dyn StdError) -> String {
        format!(
            "{what} ({method} http://{}{path}): {}",
            self.host,
            error_chain(e)
        )
    }

    /// A new keep-alive connection.
    async fn connect(&self) -> Result<Conn, ConnectError> {
        let stream = match &self.dest {
            Dest::Addr(addr) => TcpStream::connect(addr).await.map_err(ConnectError::Tcp)?,
            Dest::Name(name, port) => {
                let addrs = tokio::net::lookup_host((name.as_str(), *port))
                    .await
                    .map_err(ConnectError::Dns)?;
                let mut last = None;
                let mut stream = None;
                for addr in addrs {
                    match TcpStream::connect(addr).await {
                        Ok(s) => {
                            stream = Some(s);
                            break;
                        }
                        Err(e) => last = Some(e),
                    }
                }
                match stream {
                    Some(s) => s,
                    None => {
                        return Err(match last {
                            Some(e) => ConnectError::Tcp(e),
                            None => ConnectError::Dns(io::Error::new(
                                ErrorKind::NotFound,
                                format!("no address for {name}"),
                            )),
                        });
                    }
                }
            }
        };
        let _ = stream.set_nodelay(true);
        Ok(Conn {
            stream,
            buf: Vec::new(),
        })
    }
}

/// Why a new connection could not be made.
#[derive(Debug)]
enum ConnectError {
    Dns(io::Error),
    Tcp(io::Error),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::Dns(_) => f.write_str("dns error"),
            ConnectError::Tcp(_) => f.write_str("tcp connect error"),
        }
    }
}

impl StdError for ConnectError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            ConnectError::Dns(e) | ConnectError::Tcp(e) => Some(e),
        }
    }
}

/// `%XX` escapes decoded (a `%` not followed by two hex digits is kept as is).
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            // Two hex digits make at most 0xff.
            out.push(u8::try_from(hi * 16 + lo).unwrap_or(u8::MAX));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;
    use url::Position;

    use super::*;

    const OK: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";

    /// What the test server does with the `n`th request (from 0) on a connection.
    enum Act {
        Answer(&'static [u8]),
        /// Answer, then close the connection (no `connection: close` said).
        AnswerThenClose(&'static [u8]),
        /// Close the connection without answering.
        Close,
        Sleep(Duration),
    }

    /// A raw HTTP/1.1 server on loopback: the base URL, the connections it accepted and
    /// the request heads it read.
    struct Server {
        base: String,
        accepts: Arc<AtomicUsize>,
        heads: Arc<Mutex<Vec<String>>>,
    }

    async fn start(plan: impl Fn(usize) -> Act + Clone + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let accepts = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (count, seen) = (Arc::clone(&accepts), Arc::clone(&heads));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(connection(stream, plan.clone(), Arc::clone(&seen)));
            }
        });
        Server {
            base,
            accepts,
            heads,
        }
    }

    async fn connection(
        mut stream: TcpStream,
        plan: impl Fn(usize) -> Act,
        seen: Arc<Mutex<Vec<String>>>,
    ) {
        let mut n = 0;
        while let Some(head) = read_request(&mut stream).await {
            seen.lock().expect("heads").push(head);
            match plan(n) {
                Act::Answer(bytes) => {
                    if stream.write_all(bytes).await.is_err() {
                        return;
                    }
                }
                Act::AnswerThenClose(bytes) => {
                    let _ = stream.write_all(bytes).await;
                    return;
                }
                Act::Close => return,
                Act::Sleep(d) => {
                    tokio::time::sleep(d).await;
                    return;
                }
            }
            n += 1;
        }
    }

    /// The head of the next request (its body read and dropped); `None` at the end.
    async fn read_request(stream: &mut TcpStream) -> Option<String> {
        let mut data = Vec::new();
        let mut buf = [0u8; 4096];
        let end = loop {
            if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let n = stream.read(&mut buf).await.ok().filter(|&n| n > 0)?;
            data.extend_from_slice(&buf[..n]);
        };
        let head = String::from_utf8_lossy(&data[..end]).into_owned();
        let length = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        while data.len() < end + length {
            let n = stream.read(&mut buf).await.ok().filter(|&n| n > 0)?;
            data.extend_from_slice(&buf[..n]);
        }
        Some(head)
    }

    fn config() -> ClientConfig {
        ClientConfig {
            timeout: Duration::from_millis(500),
            attempts: 3,
            backoff: Duration::from_millis(1),
            pool: 4,
        }
    }

    async fn get(origin: &Origin, path: &str) -> (Result<Answer, SutFault>, u32) {
        origin
            .send(Method::GET, &origin.endpoint(path, None), None)
            .await
    }

    #[tokio::test]
    async fn sequential_requests_reuse_one_connection() {
        let server = start(|_| Act::Answer(OK)).await;
        let origin = Origin::new(&server.base, config());
        for _ in 0..3 {
            let (answer, attempts) = get(&origin, "/health").await;
            let answer = answer.expect("answer");
            assert_eq!(
                (answer.status.as_u16(), &answer.body[..], attempts),
                (200, &b"ok"[..], 1)
            );
        }
        assert_eq!(server.accepts.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_request_on_a_connection_the_sut_dropped_is_sent_again_on_a_fresh_one() {
        // Each connection answers once, then closes when the next request comes.
        let server = start(|n| if n == 0 { Act::Answer(OK) } else { Act::Close }).await;
        let origin = Origin::new(&server.base, config());
        for round in 1..=3 {
            let (answer, attempts) = get(&origin, "/x").await;
            assert_eq!(
                answer.expect("answer").status.as_u16(),
                200,
                "round {round}"
            );
            assert_eq!(attempts, 1);
            assert_eq!(server.accepts.load(Ordering::SeqCst), round);
        }
        // Each connection closed right after its answer (idle keep-alive dropped).
        let server = start(|_| Act::AnswerThenClose(OK)).await;
        let origin = Origin::new(&server.base, config());
        for round in 1..=3 {
            let (answer, attempts) = get(&origin, "/x").await;
            assert_eq!(
                answer.expect("answer").status.as_u16(),
                200,
                "round {round}"
            );
            assert_eq!(attempts, 1);
            if round == 2 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        assert_eq!(server.accepts.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_fresh_connection_closed_unanswered_is_a_connection_fault() {
        let server = start(|_| Act::Close).await;
        let origin = Origin::new(&server.base, config());
        let (answer, attempts) = get(&origin, "/x").await;
        assert!(
            matches!(&answer, Err(SutFault::Connection { message }) if message.contains("closed")),
            "{answer:?}"
        );
        assert_eq!(attempts, 3);
    }

    #[tokio::test]
    async fn a_refused_connection_is_retried_then_a_connection_fault() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        drop(listener);
        let origin = Origin::new(&base, config());
        let (answer, attempts) = get(&origin, "/touchpoints").await;
        let Err(SutFault::Connection { message }) = answer else {
            panic!("{answer:?}");
        };
        assert_eq!(attempts, 3);
        assert!(
            message.starts_with(&format!(
                "error sending request (GET {base}/touchpoints): tcp connect error: "
            )),
            "{message}"
        );
        assert_eq!(message.matches("refused").count(), 1, "{message}");
    }

    #[tokio::test]
    async fn a_slow_sut_is_a_timeout_and_not_retried() {
        let server = start(|_| Act::Sleep(Duration::from_secs(3))).await;
        let origin = Origin::new(
            &server.base,
            ClientConfig {
                timeout: Duration::from_millis(100),
                ..config()
            },
        );
        let (answer, attempts) = get(&origin, "/x").await;
        assert_eq!(answer.err(), Some(SutFault::Timeout { after_ms: 100 }));
        assert_eq!(attempts, 1);
    }

    #[tokio::test]
    async fn a_redirect_is_the_answer_and_not_followed() {
        let server = start(|_| {
            Act::Answer(
                b"HTTP/1.1 302 Found\r\nlocation: /elsewhere\r\ncontent-length: 5\r\n\r\nmoved",
            )
        })
        .await;
        let origin = Origin::new(&server.base, config());
        let (answer, attempts) = get(&origin, "/x").await;
        let answer = answer.expect("answer");
        assert_eq!(
            (answer.status.as_u16(), &answer.body[..], attempts),
            (302, &b"moved"[..], 1)
        );
        assert_eq!(server.heads.lock().expect("heads").len(), 1);
    }

    /// Two requests to a server that acts by `plan`: both answered `body` at the first
    /// attempt; returns the connections the server accepted.
    async fn answered_twice(
        plan: impl Fn(usize) -> Act + Clone + Send + 'static,
        body: &[u8],
        case: &str,
    ) -> usize {
        let server = start(plan).await;
        let origin = Origin::new(&server.base, config());
        for _ in 0..2 {
            let (answer, attempts) = get(&origin, "/x").await;
            assert_eq!(&answer.expect("answer").body[..], body, "{case}");
            assert_eq!(attempts, 1, "{case}");
        }
        server.accepts.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn a_chunked_body_is_read_whole() {
        let answer = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        let accepts = answered_twice(|_| Act::Answer(answer), b"hello world", "chunked").await;
        assert_eq!(accepts, 1);
    }

    #[tokio::test]
    async fn answers_are_framed_as_http_1_1_says_and_reused_only_when_whole() {
        // (answer, whether the connection carries the next request)
        let cases: [(&'static [u8], &[u8], bool); 6] = [
            // An informational head first, then the answer.
            (
                b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok",
                b"ok",
                true,
            ),
            // Chunk extensions and trailers.
            (
                b"HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n2;x=1\r\nok\r\n0\r\nt: 1\r\n\r\n",
                b"ok",
                true,
            ),
            (b"HTTP/1.1 204 No Content\r\n\r\n", b"", true),
            // The SUT says it closes.
            (
                b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok",
                b"ok",
                false,
            ),
            // HTTP/1.0 closes unless told, and a keep-alive one is kept.
            (
                b"HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok",
                b"ok",
                false,
            ),
            (
                b"HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 2\r\n\r\nok",
                b"ok",
                true,
            ),
        ];
        for (i, (bytes, body, reused)) in cases.into_iter().enumerate() {
            let case = format!("case {i}");
            let accepts = answered_twice(move |_| Act::Answer(bytes), body, &case).await;
            assert_eq!(accepts, if reused { 1 } else { 2 }, "{case}");
        }
    }

    #[tokio::test]
    async fn a_body_to_the_end_of_the_stream_is_read_whole_and_not_reused() {
        let answer = b"HTTP/1.0 200 OK\r\n\r\nall of it";
        let accepts =
            answered_twice(|_| Act::AnswerThenClose(answer), b"all of it", "to the end").await;
        assert_eq!(accepts, 2);
    }

    #[tokio::test]
    async fn answers_that_cannot_be_framed_are_faults_that_say_why() {
        for (bytes, why) in [
            (
                &b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nok"[..],
                "two different content-length",
            ),
            (
                b"HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
                "invalid content-length",
            ),
            (
                b"HTTP/1.1 200 OK\r\ncontent-length: 99999999999\r\n\r\n",
                "larger than 64 MiB",
            ),
            (
                b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
                "invalid chunk size",
            ),
            (
                b"HTTP/1.1 101 Switching Protocols\r\n\r\n",
                "switched protocols",
            ),
        ] {
            let server = start(move |_| Act::AnswerThenClose(bytes)).await;
            let origin = Origin::new(&server.base, config());
            let (answer, attempts) = get(&origin, "/x").await;
            let Err(SutFault::Garbage { message, body }) = &answer else {
                panic!("{why}: {answer:?}");
            };
            assert!(message.contains(why), "{why}: {message}");
            assert!(
                message.starts_with("invalid HTTP answer (GET "),
                "{message}"
            );
            assert!(body.starts_with("HTTP/1.1 "), "{body}");
            assert_eq!(attempts, 1, "{why}: not retried");
        }
    }

    #[tokio::test]
    async fn an_answer_cut_short_is_a_connection_fault_and_not_sent_again() {
        let server =
            start(|_| Act::AnswerThenClose(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort"))
                .await;
        let origin = Origin::new(&server.base, config());
        let (answer, attempts) = get(&origin, "/x").await;
        let Err(SutFault::Connection { message }) = &answer else {
            panic!("{answer:?}");
        };
        assert!(
            message.starts_with("error reading the answer (GET ")
                && message.ends_with("closed after 5 of the 10 bytes of the body"),
            "{message}"
        );
        assert_eq!(attempts, 1);
        assert_eq!(server.accepts.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_answer_that_is_not_http_is_a_fault() {
        let server = start(|_| Act::AnswerThenClose(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")).await;
        let origin = Origin::new(&server.base, config());
        let (answer, attempts) = get(&origin, "/x").await;
        assert!(
            matches!(&answer, Err(SutFault::Garbage { body, .. }) if body.starts_with("SSH-2.0")),
            "{answer:?}"
        );
        assert_eq!(attempts, 1);
        let server =
            start(|_| Act::Answer(b"HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\nshort")).await;
        let origin = Origin::new(
            &server.base,
            ClientConfig {
                timeout: Duration::from_millis(100),
                ..config()
            },
        );
        let (answer, _) = get(&origin, "/x").await;
        assert!(answer.is_err(), "{answer:?}");
    }

    #[tokio::test]
    async fn a_body_goes_as_json_with_the_host_to_the_path_under_the_base() {
        let server = start(|_| Act::Answer(OK)).await;
        let origin = Origin::new(&format!("{}/api", server.base), config());
        let endpoint = origin.endpoint("/touchpoints", None);
        let (answer, _) = origin
            .send(Method::POST, &endpoint, Some(Bytes::from_static(b"{}")))
            .await;
        assert!(answer.is_ok());
        let heads = server.heads.lock().expect("heads").clone();
        let head = heads[0].to_ascii_lowercase();
        assert!(
            head.starts_with("post /api/touchpoints http/1.1\r\n"),
            "{head}"
        );
        let host = server.base.trim_start_matches("http://");
        assert!(head.contains(&format!("\r\nhost: {host}\r\n")), "{head}");
        assert!(
            head.contains("\r\ncontent-type: application/json\r\n"),
            "{head}"
        );
        assert!(head.contains("\r\ncontent-length: 2\r\n"), "{head}");
        assert!(!head.contains("referer"), "{head}");
    }

    #[tokio::test]
    async fn a_base_that_is_not_plain_http_fails_every_request_saying_why() {
        for (base, why) in [
            ("https://127.0.0.1:1", "https is not supported"),
            ("http://", "invalid target URL"),
            ("http://h/?q=1", "query"),
            ("ftp://x", "scheme `ftp`"),
        ] {
            let origin = Origin::new(base, config());
            let (answer, attempts) = get(&origin, "/touchpoints").await;
            assert!(
                matches!(&answer, Err(SutFault::Connection { message }) if message.contains(why)),
                "{base}: {answer:?}"
            );
            assert_eq!(attempts, 1, "{base}: not tried again");
        }
    }

    #[test]
    fn endpoints_and_host_are_what_the_url_text_gives() {
        let query = "journey=r-1%2Fa%20b&until=2026-12-20T11%3A00%3A00%2B01%3A00";
        for base in [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:80",
            "http://localhost/api",
            "http://[::1]:9/a/b",
            "http://H/x",
            "http://u:p@h:81/x",
        ] {
            let origin = Origin::new(base, config());
            let target = origin.target.as_ref().expect("target");
            for (path, query) in [
                ("/touchpoints", None),
                ("/outbox", Some(query)),
                ("/journeys/r-1%2Fa", None),
            ] {
                let text = match query {
                    Some(q) => format!("{base}{path}?{q}"),
                    None => format!("{base}{path}"),
                };
                let url = Url::parse(&text).expect("url");
                let Endpoint(uri) = origin.endpoint(path, query);
                assert_eq!(uri.expect("uri"), &url[Position::BeforePath..], "{text}");
                let authority = &url[Position::BeforeHost..Position::AfterPort];
                assert_eq!(target.host, authority, "{text}");
            }
        }
    }

    #[test]
    fn credentials_in_the_url_are_sent_as_basic() {
        let origin = Origin::new("http://Aladdin:open%20sesame@h", config());
        let target = origin.target.as_ref().expect("target");
        assert_eq!(
            target.headers,
            "host: h\r\naccept: */*\r\nauthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
        );
        let plain = Origin::new("http://h", config()).target.expect("t");
        assert_eq!(plain.headers, "host: h\r\naccept: */*\r\n");
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("a%20b%2x%"), b"a b%2x%");
        assert_eq!(percent_decode("%C3%A9"), "é".as_bytes());
    }
}
