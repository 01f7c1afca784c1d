//! `Origin`: the lean HTTP/1.1 keep-alive client of the protocol connector, for the one
//! SUT it talks to, over TCP or TLS (`https://`, the trust of `tls::Tls`). The base URL is
//! parsed once (`target`); each request is a path and query on it, written in one piece on
//! an idle pooled connection or a new one (`stream`), and its answer read on the journey's
//! own task (`answer`: no connection task, no channel between them). The whole exchange is
//! under the per-request timeout and tried again only as `retry` says. No redirect is
//! followed, no proxy. HTTP mappings use reqwest (`http`) instead: see docs/architecture.md
//! for why there are two.

mod answer;
mod stream;
mod target;
#[cfg(test)]
mod tests;

use std::io::{self, ErrorKind};
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use http::Method;

use self::answer::is_closed;
use self::stream::Conn;
use self::target::{ConnectError, Target};
use super::http::{Answer, ClientConfig};
use super::retry::{Failed, retrying};
use super::tls::{certificate_error, untrusted};
use crate::sut::SutFault;

/// One SUT origin (`http://host:port/prefix` or `https://...`) and its idle keep-alive
/// connections.
#[derive(Debug)]
pub struct Origin {
    /// Where requests go, or why the base URL cannot be used (then every request is a
    /// `Connection` fault saying so).
    target: Result<Target, String>,
    /// Idle connections, the most recently used last; at most `config.pool`.
    idle: Mutex<Vec<Conn>>,
    config: ClientConfig,
}

/// A request target (`/prefix/path?query`, origin-form) on an `Origin`, or why there is
/// none (the base URL is not usable).
#[derive(Debug, Clone)]
pub struct Endpoint(Result<String, String>);

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
    /// The body is over the cap; it was read no further.
    TooLarge { limit: usize },
    /// What came is not an HTTP answer (why, and what came).
    NotHttp(io::Error, Vec<u8>),
}

impl Origin {
    /// The origin at `base` (trailing `/` already trimmed). Never fails: a base that is
    /// not an `http://` or `https://` URL makes every request a `Connection` fault saying
    /// why (`ProtocolClient::new` refuses those first).
    pub fn new(base: &str, config: ClientConfig) -> Self {
        Origin {
            target: Target::parse(base, &config.tls),
            idle: Mutex::new(Vec::new()),
            config,
        }
    }

    /// Why the base URL cannot be used, if it cannot.
    pub fn unusable(&self) -> Option<&str> {
        self.target.as_ref().err().map(String::as_str)
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

    /// Sends one request as `retry` says; returns the answer or fault and the attempts
    /// made. A `body` is sent as `application/json`.
    pub async fn send(
        &self,
        method: Method,
        endpoint: &Endpoint,
        body: Option<Bytes>,
    ) -> (Result<Answer, SutFault>, u32) {
        let (target, path) = match (&self.target, &endpoint.0) {
            (Ok(target), Ok(path)) => (target, path),
            // A base URL or path that cannot be used fails alike on every try.
            (Err(message), _) | (_, Err(message)) => {
                let message = message.clone();
                return (Err(SutFault::Connection { message }), 1);
            }
        };
        let request = target.encode(&method, path, body.as_deref());
        retrying(&self.config, || async {
            let exchange = self.exchange(target, &method, path, &request);
            match tokio::time::timeout(self.config.timeout, exchange).await {
                Ok(result) => result,
                Err(_) => Err(Failed {
                    fault: SutFault::Timeout {
                        after_ms: u64::try_from(self.config.timeout.as_millis())
                            .unwrap_or(u64::MAX),
                    },
                    unsent: false,
                }),
            }
        })
        .await
    }

    /// For `https://`: whether the SUT's certificate is trusted, by one handshake before
    /// the run (`Err`: why not, for the user); the connection is kept for the run. Any
    /// other failure is `Ok` (the run reports it).
    pub async fn check_certificate(&self) -> Result<(), String> {
        let Ok(target) = &self.target else {
            return Ok(());
        };
        if !target.is_tls() {
            return Ok(());
        }
        let connect = tokio::time::timeout(self.config.timeout, target.connect()).await;
        match connect {
            Ok(Ok(conn)) => {
                self.checkin(conn);
                Ok(())
            }
            Ok(Err(e @ ConnectError::Tls(_))) => match certificate_error(&e) {
                Some(why) => Err(untrusted(&target.server_name(), &why)),
                None => Ok(()),
            },
            Ok(Err(_)) | Err(_) => Ok(()),
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
                // A certificate that is not trusted will not be trusted on a next try.
                let unsent = certificate_error(&e).is_none();
                return Err(Failed { fault, unsent });
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
        use tokio::io::AsyncWriteExt;
        if let Err(e) = conn.stream.write_all(request).await {
            return Err(if is_closed(&e) {
                Failure::Closed(e)
            } else {
                Failure::Unsent(e)
            });
        }
        let limit = self.config.max_body;
        match conn.answer(method, limit).await {
            Ok((answer, reusable)) => {
                if reusable {
                    self.checkin(conn);
                }
                Ok(answer)
            }
            // Nothing of an answer came: the SUT closed the connection on the request.
            Err(e) if conn.buf.is_empty() && is_closed(&e) => Err(Failure::Closed(e)),
            Err(e) if e.kind() == ErrorKind::FileTooLarge => Err(Failure::TooLarge { limit }),
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
