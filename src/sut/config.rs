//! `ClientConfig`: how both transports talk to the SUT (timeout, retries, pool, body cap,
//! TLS trust).

use std::time::Duration;

use super::tls::Tls;

/// How the client talks to the SUT.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// Per-request timeout (connect + answer).
    pub timeout: Duration,
    /// Connection attempts before a `Connection` fault (at least 1).
    pub attempts: u32,
    /// Wait before the first retry; doubled before each next one.
    pub backoff: Duration,
    /// Idle keep-alive connections kept per host (about `--jobs`).
    pub pool: usize,
    /// The largest body read, in bytes, after decoding (`--max-body`); a larger one is a
    /// `TooLarge` fault.
    pub max_body: usize,
    /// Which server certificates are trusted (`--ca-cert`, `--insecure`).
    pub tls: Tls,
}

/// The default body cap: 1 MiB.
pub const DEFAULT_MAX_BODY: usize = 1 << 20;

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            timeout: Duration::from_secs(5),
            attempts: 3,
            backoff: Duration::from_millis(50),
            pool: 32,
            max_body: DEFAULT_MAX_BODY,
            tls: Tls::default(),
        }
    }
}
