//! `Target`: the SUT's base URL parsed once into what every request needs (where to
//! connect, TLS or not, the `Host` and credential headers, the path prefix); it encodes
//! requests, makes new connections and says failures as faults.

use std::error::Error as StdError;
use std::io::{self, ErrorKind};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::Method;
use percent_encoding::percent_decode_str;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use url::{Host, Url};

use super::stream::{Conn, Stream};
use super::{Failed, Failure};
use crate::sut::SutFault;
use crate::sut::fault::truncate;
use crate::sut::http::error_chain;
use crate::sut::tls::Tls;

/// The parsed base URL: what each request needs, computed once.
pub(super) struct Target {
    /// Where to connect.
    dest: Dest,
    /// For `https://`: the TLS client and the name the certificate must hold.
    tls: Option<(TlsConnector, ServerName<'static>)>,
    /// The authority: host and, when not the scheme's default, port (the `Host` header).
    pub(super) host: String,
    /// The header lines every request carries: `host`, `accept` and, from the URL's user
    /// information, `Basic` credentials.
    pub(super) headers: String,
    /// The base path without its trailing `/` (`""` for the root).
    pub(super) prefix: String,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("dest", &self.dest)
            .field("tls", &self.tls.as_ref().map(|(_, name)| name))
            .field("host", &self.host)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// The address to connect to: an IP literal, or a name resolved on each new connection.
#[derive(Debug)]
enum Dest {
    Addr(SocketAddr),
    Name(String, u16),
}

impl Target {
    /// `base` when it is an `http://` or `https://` URL without query or fragment; else
    /// why not.
    pub(super) fn parse(base: &str, tls: &Tls) -> Result<Target, String> {
        let url = Url::parse(base).map_err(|e| format!("invalid target URL `{base}`: {e}"))?;
        let scheme = match url.scheme() {
            "http" => "http",
            "https" => "https",
            other => {
                return Err(format!(
                    "cannot reach `{base}`: scheme `{other}` is not supported, the target must be an http:// or https:// URL"
                ));
            }
        };
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "invalid target URL `{base}`: it must not have a query or fragment"
            ));
        }
        let port = url.port_or_known_default().unwrap_or(80);
        let (dest, host, name) = match url.host() {
            Some(Host::Ipv4(ip)) => (
                Dest::Addr(SocketAddr::new(IpAddr::V4(ip), port)),
                ip.to_string(),
                ServerName::IpAddress(IpAddr::V4(ip).into()),
            ),
            Some(Host::Ipv6(ip)) => (
                Dest::Addr(SocketAddr::new(IpAddr::V6(ip), port)),
                format!("[{ip}]"),
                ServerName::IpAddress(IpAddr::V6(ip).into()),
            ),
            Some(Host::Domain(domain)) => {
                let name = ServerName::try_from(domain.to_string())
                    .map_err(|e| format!("invalid target URL `{base}`: host `{domain}`: {e}"))?;
                (
                    Dest::Name(domain.to_string(), port),
                    domain.to_string(),
                    name,
                )
            }
            None => return Err(format!("invalid target URL `{base}`: it has no host")),
        };
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        if !host.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!("invalid target URL `{base}`: host `{host}`"));
        }
        let tls = match scheme {
            "https" => {
                let config = tls.client_config()?;
                Some((TlsConnector::from(Arc::new(config)), name))
            }
            _ => None,
        };
        let mut headers = format!("host: {host}\r\naccept: */*\r\n");
        if !url.username().is_empty() || url.password().is_some() {
            let mut credentials: Vec<u8> = percent_decode_str(url.username()).collect();
            credentials.push(b':');
            credentials.extend(percent_decode_str(url.password().unwrap_or("")));
            headers.push_str("authorization: Basic ");
            headers.push_str(&STANDARD.encode(&credentials));
            headers.push_str("\r\n");
        }
        Ok(Target {
            dest,
            tls,
            host,
            headers,
            prefix: url.path().trim_end_matches('/').to_string(),
        })
    }

    /// Whether connections are made over TLS (`https://`).
    pub(super) fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// The host as the certificate must name it (no port).
    pub(super) fn server_name(&self) -> String {
        match &self.tls {
            Some((_, name)) => name.to_str().into_owned(),
            None => self.host.clone(),
        }
    }

    /// The request, ready to write: request line, headers and, for a `body`, its JSON
    /// content type and length, then the body.
    pub(super) fn encode(&self, method: &Method, path: &str, body: Option<&[u8]>) -> Vec<u8> {
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
                out.extend_from_slice(itoa::Buffer::new().format(body.len()).as_bytes());
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
    /// the SUT), `too-large`, or, for an answer that is not HTTP, `garbage` quoting what
    /// came.
    pub(super) fn failed(&self, failure: Failure, method: &Method, path: &str) -> Failed {
        let (fault, unsent) = match failure {
            Failure::Closed(e) | Failure::Unsent(e) => {
                let message = self.said("error sending request", method, path, &e);
                (SutFault::Connection { message }, true)
            }
            Failure::Broken(e) => {
                let message = self.said("error reading the answer", method, path, &e);
                (SutFault::Connection { message }, false)
            }
            Failure::TooLarge { limit } => (SutFault::TooLarge { limit }, false),
            Failure::NotHttp(e, data) => {
                let message = self.said("invalid HTTP answer", method, path, &e);
                let body = truncate(&data);
                (SutFault::Garbage { message, body }, false)
            }
        };
        Failed { fault, unsent }
    }

    /// A failure as a fault says it: what failed, the request and the error with its
    /// sources.
    pub(super) fn said(&self, what: &str, method: &Method, path: &str, e: &dyn StdError) -> String {
        format!(
            "{what} ({method} {}://{}{path}): {}",
            if self.is_tls() { "https" } else { "http" },
            self.host,
            error_chain(e)
        )
    }

    /// A new keep-alive connection (its TLS handshake done, for `https://`).
    pub(super) async fn connect(&self) -> Result<Conn, ConnectError> {
        let tcp = match &self.dest {
            Dest::Addr(addr) => TcpStream::connect(addr).await.map_err(ConnectError::Tcp)?,
            Dest::Name(name, port) => connect_by_name(name, *port).await?,
        };
        let _ = tcp.set_nodelay(true);
        let stream = match &self.tls {
            None => Stream::Plain(tcp),
            Some((connector, name)) => {
                let tls = connector
                    .connect(name.clone(), tcp)
                    .await
                    .map_err(ConnectError::Tls)?;
                Stream::Tls(Box::new(tls))
            }
        };
        Ok(Conn {
            stream,
            buf: Vec::new(),
        })
    }
}

/// The first address of `name` that accepts a connection.
async fn connect_by_name(name: &str, port: u16) -> Result<TcpStream, ConnectError> {
    let addrs = tokio::net::lookup_host((name, port))
        .await
        .map_err(ConnectError::Dns)?;
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(e),
        }
    }
    Err(match last {
        Some(e) => ConnectError::Tcp(e),
        None => ConnectError::Dns(io::Error::new(
            ErrorKind::NotFound,
            format!("no address for {name}"),
        )),
    })
}

/// Why a new connection could not be made.
#[derive(Debug)]
pub(super) enum ConnectError {
    Dns(io::Error),
    Tcp(io::Error),
    Tls(io::Error),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::Dns(_) => f.write_str("dns error"),
            ConnectError::Tcp(_) => f.write_str("tcp connect error"),
            ConnectError::Tls(_) => f.write_str("tls handshake error"),
        }
    }
}

impl StdError for ConnectError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            ConnectError::Dns(e) | ConnectError::Tcp(e) | ConnectError::Tls(e) => Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(base: &str) -> Target {
        Target::parse(base, &Tls::default()).expect("target")
    }

    #[test]
    fn credentials_in_the_url_are_sent_as_basic() {
        assert_eq!(
            target("http://Aladdin:open%20sesame@h").headers,
            "host: h\r\naccept: */*\r\nauthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
        );
        assert_eq!(target("http://h").headers, "host: h\r\naccept: */*\r\n");
    }

    #[test]
    fn https_targets_carry_tls_and_their_default_port_is_not_said() {
        let t = target("https://example.test/api/");
        assert!(t.tls.is_some());
        assert_eq!(
            (t.host.as_str(), t.prefix.as_str()),
            ("example.test", "/api")
        );
        assert!(target("http://example.test").tls.is_none());
        assert_eq!(target("https://127.0.0.1:8443").host, "127.0.0.1:8443");
    }

    #[test]
    fn bases_that_cannot_be_used_say_why() {
        for (base, why) in [
            ("http://", "invalid target URL"),
            ("http://h/?q=1", "query"),
            ("ftp://x", "scheme `ftp`"),
        ] {
            let e = Target::parse(base, &Tls::default()).expect_err(base);
            assert!(e.contains(why), "{base}: {e}");
        }
    }
}
