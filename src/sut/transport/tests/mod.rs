//! The transport against a raw HTTP/1.1 server on loopback: connection reuse, retries,
//! timeouts, requests and bases here; framing, faults, the body cap and content codings
//! in `answers`.

mod answers;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use url::{Position, Url};

use tokio::net::TcpStream;

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
        ..ClientConfig::default()
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
        Act::Answer(b"HTTP/1.1 302 Found\r\nlocation: /elsewhere\r\ncontent-length: 5\r\n\r\nmoved")
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
async fn a_base_that_cannot_be_used_fails_every_request_saying_why() {
    for (base, why) in [
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
