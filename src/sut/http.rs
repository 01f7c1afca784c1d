//! `send`: one HTTP exchange with a SUT over reqwest, retried with backoff only when no
//! connection could be made, its transport failures turned into `SutFault`s; used by HTTP
//! mappings with the client they build. `Answer` is shared with the protocol client, whose
//! transport is `conn` (the same retry and fault rules, with its own HTTP/1.1 exchange).

use bytes::Bytes;
use reqwest::{Client, RequestBuilder, StatusCode};

use super::ClientConfig;
use crate::sut::SutFault;

/// One HTTP answer: status and body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

/// The HTTP client of HTTP mappings: HTTP/1 keep-alive, no proxy, the timeout; no
/// redirect is followed (a 3xx is the SUT's answer, reported as such) and no `Referer`.
pub fn client(config: &ClientConfig) -> Result<Client, String> {
    Client::builder()
        .timeout(config.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .pool_max_idle_per_host(config.pool.max(1))
        .tcp_nodelay(true)
        .http1_only()
        .no_proxy()
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// Sends the request `build` makes, again (after `backoff`, doubling) while no connection
/// could be made, up to `attempts`; returns the answer or fault and the attempts made.
pub async fn send(
    config: &ClientConfig,
    build: impl Fn() -> RequestBuilder,
) -> (Result<Answer, SutFault>, u32) {
    let attempts = config.attempts.max(1);
    let mut backoff = config.backoff;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let result = match build().send().await {
            Ok(response) => {
                let status = response.status();
                match response.bytes().await {
                    Ok(body) => Ok(Answer { status, body }),
                    Err(e) => Err(transport_fault(config, &e)),
                }
            }
            Err(e) => Err(transport_fault(config, &e)),
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

/// A timeout, or a connection that could not be made (with the whole error chain).
pub fn transport_fault(config: &ClientConfig, e: &reqwest::Error) -> SutFault {
    if e.is_timeout() {
        SutFault::Timeout {
            after_ms: u64::try_from(config.timeout.as_millis()).unwrap_or(u64::MAX),
        }
    } else {
        SutFault::Connection {
            message: error_chain(e),
        }
    }
}

/// The error and its sources, each said once (for the reqwest errors here and the I/O
/// ones of `conn`).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    message
}
