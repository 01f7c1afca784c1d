//! `ProtocolClient`: the touchpoint protocol v0 over HTTP/1.1 keep-alive, `http://` or
//! `https://` (`transport::Origin`, a lean client of its own). Classifies every SUT answer
//! that is not a protocol reply as a `SutFault`.

use std::sync::Arc;

use bytes::Bytes;
use http::{Method, StatusCode};
use serde::de::DeserializeOwned;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::connector::{Connector, Exchange};
use super::http::{Answer, ClientConfig};
use super::transport::{Endpoint, Origin};
use crate::catalogue::{Catalogue, Served};
use crate::protocol::{ErrorBody, OutboxMessage, Reply, Touchpoint};
use crate::sut::SutFault;
use crate::sut::fault::truncate;

/// Bytes reserved for an encoded touchpoint (most take 300 to 600).
const REQUEST_ROOM: usize = 768;

/// What `percent_encode` leaves as it is: RFC 3986's unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A SUT that speaks the touchpoint protocol at `base` (e.g. `http://127.0.0.1:8080`).
#[derive(Debug, Clone)]
pub struct ProtocolClient {
    base: String,
    /// The SUT's origin and its keep-alive connections, shared by clones.
    origin: Arc<Origin>,
    /// `{base}/touchpoints`, built once.
    touchpoints: Endpoint,
}

impl ProtocolClient {
    /// The client for the SUT at `base`, an `http://` or `https://` URL (`Err`: why
    /// `base` cannot be used).
    pub fn new(base: &str, config: ClientConfig) -> Result<Self, String> {
        let base = base.trim_end_matches('/').to_string();
        let origin = Arc::new(Origin::new(&base, config));
        if let Some(why) = origin.unusable() {
            return Err(why.to_string());
        }
        let touchpoints = origin.endpoint("/touchpoints", None);
        Ok(ProtocolClient {
            base,
            origin,
            touchpoints,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// `GET /health`: `Ok` when the SUT answers 200.
    pub async fn health(&self) -> Result<(), SutFault> {
        let (answer, _) = self.get(&self.origin.endpoint("/health", None)).await;
        let answer = answer?;
        if answer.status == StatusCode::OK {
            Ok(())
        } else {
            Err(status_fault(&answer))
        }
    }

    /// `GET` an endpoint.
    async fn get(&self, endpoint: &Endpoint) -> (Result<Answer, SutFault>, u32) {
        self.origin.send(Method::GET, endpoint, None).await
    }

    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>, SutFault> {
        let (answer, _) = self.get(&self.origin.endpoint(path, None)).await;
        let answer = answer?;
        if answer.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if answer.status != StatusCode::OK {
            return Err(status_fault(&answer));
        }
        parse_body(&answer.body).map(Some)
    }
}

impl Connector for ProtocolClient {
    async fn touchpoint(&self, request: &Touchpoint) -> Exchange {
        // Room for a typical touchpoint up front, rather than growing from nothing.
        let mut body = Vec::with_capacity(REQUEST_ROOM);
        let body = match serde_json::to_writer(&mut body, request) {
            Ok(()) => body,
            Err(e) => {
                return Exchange {
                    reply: Err(SutFault::Garbage {
                        message: format!("cannot encode the request: {e}"),
                        body: String::new(),
                    }),
                    attempts: 0,
                };
            }
        };
        let body = Some(Bytes::from(body));
        let (answer, attempts) = self
            .origin
            .send(Method::POST, &self.touchpoints, body)
            .await;
        let reply = answer.and_then(|answer| classify_reply(&answer));
        Exchange { reply, attempts }
    }

    async fn outbox(&self, journey: &str, until: &str) -> Result<Vec<OutboxMessage>, SutFault> {
        let query = format!(
            "journey={}&until={}",
            percent_encode(journey),
            percent_encode(until)
        );
        let (answer, _) = self
            .get(&self.origin.endpoint("/outbox", Some(&query)))
            .await;
        let answer = answer?;
        if answer.status != StatusCode::OK {
            return Err(status_fault(&answer));
        }
        parse_body(&answer.body)
    }

    async fn intents(&self) -> Result<Option<Catalogue>, SutFault> {
        let served: Option<Served> = self.get_json("/intents").await?;
        Ok(served.map(Catalogue::from))
    }

    async fn finish(&self, journey: &str) {
        let path = format!("/journeys/{}", percent_encode(journey));
        let endpoint = self.origin.endpoint(&path, None);
        let _ = self.origin.send(Method::DELETE, &endpoint, None).await;
    }

    async fn check(&self) -> Result<(), String> {
        self.origin.check_certificate().await
    }
}

/// A touchpoint answer: 200 with a reply, or the fault it is.
fn classify_reply(answer: &Answer) -> Result<Reply, SutFault> {
    if answer.status == StatusCode::OK {
        parse_body(&answer.body)
    } else {
        Err(status_fault(answer))
    }
}

/// A status the protocol does not allow: 4xx is a rejection (with its `error`), the rest
/// (5xx, 3xx, other 2xx) an HTTP status fault.
fn status_fault(answer: &Answer) -> SutFault {
    let code = answer.status.as_u16();
    if answer.status.is_client_error() {
        let error = serde_json::from_slice::<ErrorBody>(&answer.body)
            .map(|b| b.error)
            .unwrap_or_else(|_| truncate(&answer.body));
        SutFault::Rejected { code, error }
    } else {
        SutFault::HttpStatus {
            code,
            body: truncate(&answer.body),
        }
    }
}

fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, SutFault> {
    // Text checked as UTF-8 once, whole, rather than string by string as `from_slice`
    // does; a body that is not UTF-8 goes to `from_slice` for its error.
    let parsed = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    };
    parsed.map_err(|e| SutFault::Garbage {
        message: e.to_string(),
        body: truncate(body),
    })
}

/// Percent-encode everything but RFC 3986 unreserved characters (so `+` is `%2B`).
pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sut::fault::BODY_LIMIT;

    fn answer(code: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(code).unwrap_or(StatusCode::IM_A_TEAPOT),
            body: Bytes::copy_from_slice(body.as_bytes()),
        }
    }

    #[test]
    fn percent_encodes_plus_colon_and_slash() {
        assert_eq!(
            percent_encode("2026-12-20T11:00:00+01:00"),
            "2026-12-20T11%3A00%3A00%2B01%3A00"
        );
        assert_eq!(percent_encode("r-1/a b"), "r-1%2Fa%20b");
        assert_eq!(percent_encode("é~\u{7f}"), "%C3%A9~%7F");
    }

    #[test]
    fn a_200_with_a_reply_is_a_reply() {
        let reply = classify_reply(&answer(200, r#"{"status":"done"}"#));
        assert!(matches!(reply, Ok(r) if r.status == crate::protocol::Status::Done));
    }

    #[test]
    fn a_4xx_is_rejected_with_its_error() {
        let fault = classify_reply(&answer(422, r#"{"error":"missing intent"}"#));
        assert_eq!(
            fault,
            Err(SutFault::Rejected {
                code: 422,
                error: "missing intent".into()
            })
        );
        let fault = classify_reply(&answer(400, "bad"));
        assert_eq!(
            fault,
            Err(SutFault::Rejected {
                code: 400,
                error: "bad".into()
            })
        );
    }

    #[test]
    fn a_5xx_or_other_status_is_an_http_status_fault() {
        assert_eq!(
            classify_reply(&answer(503, "down")),
            Err(SutFault::HttpStatus {
                code: 503,
                body: "down".into()
            })
        );
        assert!(matches!(
            classify_reply(&answer(204, "")),
            Err(SutFault::HttpStatus { code: 204, .. })
        ));
    }

    #[test]
    fn a_body_that_is_not_a_reply_is_garbage_and_kept_truncated() {
        let fault = classify_reply(&answer(200, "<html>oops</html>"));
        assert!(
            matches!(fault, Err(SutFault::Garbage { ref body, .. }) if body == "<html>oops</html>")
        );
        let fault = classify_reply(&answer(200, r#"{"status":"maybe"}"#));
        assert!(matches!(fault, Err(SutFault::Garbage { .. })));
        let long = "é".repeat(400);
        let cut = truncate(long.as_bytes());
        assert!(cut.len() <= BODY_LIMIT + "…".len());
        assert!(cut.ends_with('…'));
    }
}
