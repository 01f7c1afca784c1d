//! `Origin`: a lean HTTP/1.1 keep-alive client for the one SUT the protocol client talks
//! to, built on hyper's connection API. The base URL is parsed once; each request is a
//! path and query on it, sent on an idle pooled connection or a new one, under the
//! per-request timeout, retried with backoff while no connection can be made (as
//! `http::send` does for reqwest). No redirect is followed, no proxy, no TLS.

use std::error::Error as StdError;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use http::{Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use url::{Host, Url};

use super::ClientConfig;
use super::http::{Answer, error_chain};
use super::mapping::auth::base64;
use crate::engine::trace::SutFault;

/// A sender on one keep-alive connection.
type Sender = SendRequest<Full<Bytes>>;

/// One SUT origin (`http://host:port/prefix`) and its idle keep-alive connections.
#[derive(Debug)]
pub struct Origin {
    /// Where requests go, or why the base URL cannot be used (then every request is a
    /// `Connection` fault saying so).
    target: Result<Target, String>,
    /// Idle connections, the most recently used last; at most `config.pool`.
    idle: Mutex<Vec<Sender>>,
    config: ClientConfig,
}

/// The parsed base URL: what each request needs, computed once.
#[derive(Debug)]
struct Target {
    /// Where to connect.
    dest: Dest,
    /// The `Host` header: host and, when not 80, port.
    host: HeaderValue,
    /// `Basic` credentials from the URL's user information, as reqwest sent them.
    authorization: Option<HeaderValue>,
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
pub struct Endpoint(Result<Uri, String>);

/// Why one try on one connection failed.
enum Failure {
    /// A reused connection was closed by the SUT before it answered: try a fresh one.
    Stale(hyper::Error),
    /// Anything else: the request is over.
    Fault(String),
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
        match Uri::try_from(text) {
            Ok(uri) => Endpoint(Ok(uri)),
            Err(e) => Endpoint(Err(format!(
                "invalid request target {}{path}: {e}",
                target.prefix
            ))),
        }
    }

    /// Sends one request, again (after `backoff`, doubling) while no connection could be
    /// made, up to `attempts`; returns the answer or fault and the attempts made. A
    /// `body` is sent as `application/json`.
    pub async fn send(
        &self,
        method: Method,
        endpoint: &Endpoint,
        body: Option<Bytes>,
    ) -> (Result<Answer, SutFault>, u32) {
        let attempts = self.config.attempts.max(1);
        let mut backoff = self.config.backoff;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = match (&self.target, &endpoint.0) {
                (Ok(target), Ok(uri)) => {
                    let exchange = self.exchange(target, &method, uri, body.as_ref());
                    match tokio::time::timeout(self.config.timeout, exchange).await {
                        Ok(Ok(answer)) => Ok(answer),
                        Ok(Err(message)) => Err(SutFault::Connection { message }),
                        Err(_) => Err(SutFault::Timeout {
                            after_ms: u64::try_from(self.config.timeout.as_millis())
                                .unwrap_or(u64::MAX),
                        }),
                    }
                }
                (Err(message), _) | (_, Err(message)) => Err(SutFault::Connection {
                    message: message.clone(),
                }),
            };
            match result {
                Err(SutFault::Connection { .. }) if attempt < attempts => {
                    tokio::time::sleep(backoff).await;
                    backoff = backoff.saturating_mul(2);
                }
                other => return (other, attempt),
            }
        }
    }

    /// One request and its whole answer: on an idle connection when there is a usable
    /// one (and once more on a fresh connection if the SUT had closed it), else on a
    /// fresh one. `Err` is the failure, said for a `Connection` fault.
    async fn exchange(
        &self,
        target: &Target,
        method: &Method,
        uri: &Uri,
        body: Option<&Bytes>,
    ) -> Result<Answer, String> {
        let failed = |what: &str, e: &dyn StdError| target.said(what, method, uri, e);
        if let Some(sender) = self.checkout().await {
            match self.try_on(sender, target, method, uri, body).await {
                Err(Failure::Stale(_)) => {}
                Err(Failure::Fault(what)) => return Err(what),
                Ok(answer) => return Ok(answer),
            }
        }
        let sender = target
            .connect()
            .await
            .map_err(|e| failed("error sending request", &e))?;
        match self.try_on(sender, target, method, uri, body).await {
            Ok(answer) => Ok(answer),
            Err(Failure::Fault(what)) => Err(what),
            Err(Failure::Stale(e)) => Err(failed("error sending request", &e)),
        }
    }

    /// Sends the request on `sender` and reads the whole answer; puts the connection back
    /// in the pool once the answer is complete.
    async fn try_on(
        &self,
        mut sender: Sender,
        target: &Target,
        method: &Method,
        uri: &Uri,
        body: Option<&Bytes>,
    ) -> Result<Answer, Failure> {
        let failed =
            |what: &str, e: &dyn StdError| Failure::Fault(target.said(what, method, uri, e));
        let request = target
            .request(method, uri, body)
            .map_err(|e| failed("cannot build the request", &e))?;
        let response = match sender.try_send_request(request).await {
            Ok(response) => response,
            Err(mut e) => {
                let unsent = e.take_message().is_some();
                let e = e.into_error();
                return Err(if unsent || closed_unanswered(&e) {
                    Failure::Stale(e)
                } else {
                    failed("error sending request", &e)
                });
            }
        };
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| failed("error reading the response body", &e))?
            .to_bytes();
        self.checkin(sender);
        Ok(Answer { status, body })
    }

    /// An idle connection that is still open and ready for a request, if any.
    async fn checkout(&self) -> Option<Sender> {
        loop {
            let mut sender = self.lock_idle().pop()?;
            if sender.is_closed() {
                continue;
            }
            if sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }

    /// Keeps `sender` for a next request, unless it is closed or the pool is full.
    fn checkin(&self, sender: Sender) {
        if sender.is_closed() {
            return;
        }
        let mut idle = self.lock_idle();
        if idle.len() < self.config.pool.max(1) {
            idle.push(sender);
        }
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Sender>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
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
        let host = HeaderValue::try_from(host)
            .map_err(|e| format!("invalid target URL `{base}`: host: {e}"))?;
        let authorization = if url.username().is_empty() && url.password().is_none() {
            None
        } else {
            let mut credentials = percent_decode(url.username());
            credentials.push(b':');
            credentials.extend(percent_decode(url.password().unwrap_or("")));
            let mut value = HeaderValue::try_from(format!("Basic {}", base64(&credentials)))
                .map_err(|e| format!("invalid target URL `{base}`: credentials: {e}"))?;
            value.set_sensitive(true);
            Some(value)
        };
        Ok(Target {
            dest,
            host,
            authorization,
            prefix: url.path().trim_end_matches('/').to_string(),
        })
    }

    /// A failure as a `Connection` fault says it: what failed, the request and the error
    /// with its sources.
    fn said(&self, what: &str, method: &Method, uri: &Uri, e: &dyn StdError) -> String {
        format!(
            "{what} ({method} http://{}{uri}): {}",
            String::from_utf8_lossy(self.host.as_bytes()),
            error_chain(e)
        )
    }

    /// A new keep-alive connection, its driver spawned on the runtime.
    async fn connect(&self) -> Result<Sender, ConnectError> {
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
                                io::ErrorKind::NotFound,
                                format!("no address for {name}"),
                            )),
                        });
                    }
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(ConnectError::Handshake)?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(sender)
    }

    /// The request with its headers: `Host`, `Accept`, credentials, and for a body its
    /// JSON content type.
    fn request(
        &self,
        method: &Method,
        uri: &Uri,
        body: Option<&Bytes>,
    ) -> Result<Request<Full<Bytes>>, http::Error> {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(uri.clone())
            .header(HOST, self.host.clone())
            .header(ACCEPT, HeaderValue::from_static("*/*"));
        if let Some(authorization) = &self.authorization {
            request = request.header(AUTHORIZATION, authorization.clone());
        }
        match body {
            Some(body) => request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(Full::new(body.clone())),
            None => request.body(Full::new(Bytes::new())),
        }
    }
}

/// Why a new connection could not be made.
#[derive(Debug)]
enum ConnectError {
    Dns(io::Error),
    Tcp(io::Error),
    Handshake(hyper::Error),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::Dns(_) => f.write_str("dns error"),
            ConnectError::Tcp(_) => f.write_str("tcp connect error"),
            ConnectError::Handshake(_) => f.write_str("http handshake error"),
        }
    }
}

impl StdError for ConnectError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            ConnectError::Dns(e) | ConnectError::Tcp(e) => Some(e),
            ConnectError::Handshake(e) => Some(e),
        }
    }
}

/// Whether a request failed because its connection was closed before any answer came:
/// what a SUT that drops idle keep-alive connections causes on a reused one.
fn closed_unanswered(e: &hyper::Error) -> bool {
    if e.is_canceled() || e.is_incomplete_message() {
        return true;
    }
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            return matches!(
                io.kind(),
                io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::BrokenPipe
            );
        }
        source = s.source();
    }
    false
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

    async fn start(plan: fn(usize) -> Act) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let accepts = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (count, seen) = (Arc::clone(&accepts), Arc::clone(&heads));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(connection(stream, plan, Arc::clone(&seen)));
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
        plan: fn(usize) -> Act,
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

    #[tokio::test]
    async fn a_chunked_body_is_read_whole() {
        let server = start(|_| {
            Act::Answer(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        })
        .await;
        let origin = Origin::new(&server.base, config());
        for _ in 0..2 {
            let (answer, _) = get(&origin, "/x").await;
            assert_eq!(&answer.expect("answer").body[..], b"hello world");
        }
        assert_eq!(server.accepts.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_answer_that_is_not_http_is_a_fault() {
        let server = start(|_| Act::AnswerThenClose(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")).await;
        let origin = Origin::new(&server.base, config());
        let (answer, _) = get(&origin, "/x").await;
        assert!(
            matches!(answer, Err(SutFault::Connection { .. })),
            "{answer:?}"
        );
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
            assert_eq!(attempts, 3, "{base}");
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
                assert_eq!(
                    uri.expect("uri").to_string(),
                    &url[Position::BeforePath..],
                    "{text}"
                );
                let authority = &url[Position::BeforeHost..Position::AfterPort];
                assert_eq!(target.host.to_str().ok(), Some(authority), "{text}");
            }
        }
    }

    #[test]
    fn credentials_in_the_url_are_sent_as_basic() {
        let origin = Origin::new("http://Aladdin:open%20sesame@h", config());
        let target = origin.target.as_ref().expect("target");
        let value = target.authorization.as_ref().expect("authorization");
        assert_eq!(
            value.to_str().ok(),
            Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        );
        assert!(value.is_sensitive());
        assert!(
            Origin::new("http://h", config())
                .target
                .expect("t")
                .authorization
                .is_none()
        );
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("a%20b%2x%"), b"a b%2x%");
        assert_eq!(percent_decode("%C3%A9"), "é".as_bytes());
    }
}
