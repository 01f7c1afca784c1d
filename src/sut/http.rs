//! `Http`: the HTTP client of HTTP mappings: reqwest over rustls (`tls::Tls`), HTTP/1.1
//! keep-alive, gzip and brotli bodies decoded, bodies capped (`max_body`), no redirect
//! followed (a 3xx is the SUT's answer), no proxy, no `Referer`, tried again only as
//! `retry` says. `ClientConfig` configures it and the protocol connector's lean transport
//! (`transport::Origin`) alike.

use bytes::{Bytes, BytesMut};
use reqwest::{Client, Method, RequestBuilder, StatusCode, Url};

pub use super::config::{ClientConfig, DEFAULT_MAX_BODY};
use super::retry::{Failed, retrying};
use super::tls::{certificate_error, untrusted};
use crate::sut::SutFault;

/// One HTTP answer: status and body (decoded).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

/// The client and its configuration; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct Http {
    client: Client,
    config: ClientConfig,
}

impl Http {
    pub fn new(config: ClientConfig) -> Result<Http, String> {
        let client = Client::builder()
            .tls_backend_preconfigured(config.tls.client_config()?)
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .pool_max_idle_per_host(config.pool.max(1))
            .tcp_nodelay(true)
            .http1_only()
            .no_proxy()
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {}", error_chain(&e)))?;
        Ok(Http { client, config })
    }

    /// A request to `url`, for `send`.
    pub fn request(&self, method: Method, url: impl reqwest::IntoUrl) -> RequestBuilder {
        self.client.request(method, url)
    }

    /// Sends the request `build` makes, tried again only as `retry` says; returns the
    /// answer or fault and the attempts made.
    pub async fn send(
        &self,
        build: impl Fn() -> RequestBuilder,
    ) -> (Result<Answer, SutFault>, u32) {
        retrying(&self.config, || async {
            match build().send().await {
                Ok(response) => self.read(response).await.map_err(|fault| Failed {
                    fault,
                    unsent: false,
                }),
                Err(e) => Err(Failed {
                    unsent: e.is_connect() && certificate_error(&e).is_none(),
                    fault: self.fault(&e),
                }),
            }
        })
        .await
    }

    /// The status and the body, decoded, read no further than the cap.
    async fn read(&self, mut response: reqwest::Response) -> Result<Answer, SutFault> {
        let status = response.status();
        let limit = self.config.max_body;
        let too_large = SutFault::TooLarge { limit };
        let declared = response
            .content_length()
            .and_then(|n| usize::try_from(n).ok());
        if declared.is_some_and(|n| n > limit) {
            return Err(too_large);
        }
        let mut body = BytesMut::with_capacity(declared.unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(|e| self.fault(&e))? {
            if body.len() + chunk.len() > limit {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            body: body.freeze(),
        })
    }

    /// For an `https://` URL: whether the SUT's certificate is trusted, by one request
    /// before the run (`Err`: why not, for the user). Any answer, or any other failure
    /// (the run reports those), is `Ok`.
    pub async fn check_certificate(&self, url: &str) -> Result<(), String> {
        let Ok(parsed) = Url::parse(url) else {
            return Ok(());
        };
        if parsed.scheme() != "https" {
            return Ok(());
        }
        match self.client.get(parsed.clone()).send().await {
            Err(e) => match certificate_error(&e) {
                Some(why) => Err(untrusted(parsed.host_str().unwrap_or("the SUT"), &why)),
                None => Ok(()),
            },
            Ok(_) => Ok(()),
        }
    }

    /// A timeout, or a failed connection or exchange (with the whole error chain).
    fn fault(&self, e: &reqwest::Error) -> SutFault {
        if e.is_timeout() {
            SutFault::Timeout {
                after_ms: u64::try_from(self.config.timeout.as_millis()).unwrap_or(u64::MAX),
            }
        } else {
            SutFault::Connection {
                message: error_chain(e),
            }
        }
    }
}

/// The error and its sources, each said once.
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
