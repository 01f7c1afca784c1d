//! How answers are read: framing, reuse only when whole, faults that say why, the body
//! cap and content codings.

use super::*;

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
            b"HTTP/1.1 200 OK\r\ncontent-encoding: zstd\r\ncontent-length: 2\r\n\r\nok",
            "content-encoding `zstd` is not supported",
        ),
        (
            b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: 2\r\n\r\nok",
            "cannot decode the Gzip body",
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

/// `body` as an answer with these extra head lines, leaked for the server's plan.
fn answer_with(head: &str, body: &[u8]) -> &'static [u8] {
    let mut bytes = format!(
        "HTTP/1.1 200 OK\r\n{head}content-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    Box::leak(bytes.into_boxed_slice())
}

#[tokio::test]
async fn gzip_and_brotli_bodies_are_decoded() {
    use std::io::Write;
    let text = b"{\"status\":\"done\",\"reply\":\"decoded\"}".repeat(20);
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(&text).expect("gzip");
    let gzip = gzip.finish().expect("gzip");
    let mut brotli = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 5, 22);
        writer.write_all(&text).expect("brotli");
    }
    for (head, body) in [
        ("content-encoding: gzip\r\n", gzip),
        ("content-encoding: br\r\n", brotli),
    ] {
        assert!(body.len() < text.len(), "{head}: compressed");
        let bytes = answer_with(head, &body);
        let server = start(move |_| Act::Answer(bytes)).await;
        let origin = Origin::new(&server.base, config());
        let (answer, _) = get(&origin, "/x").await;
        let answer = answer.expect("answer");
        assert_eq!(&answer.body[..], &text[..], "{head}");
    }
}

#[tokio::test]
async fn a_body_over_the_cap_is_too_large_and_read_no_further() {
    let limit = 1024;
    let config = ClientConfig {
        max_body: limit,
        ..config()
    };
    let big = vec![b'x'; limit + 1];
    let mut chunked = format!(
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n",
        big.len()
    )
    .into_bytes();
    chunked.extend_from_slice(&big);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let mut closed = b"HTTP/1.0 200 OK\r\n\r\n".to_vec();
    closed.extend_from_slice(&big);
    // Said by its length (nothing of the body is read), chunked, or to the end of stream.
    let declared: &'static [u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 99999999999\r\n\r\n";
    let chunked: &'static [u8] = Box::leak(chunked.into_boxed_slice());
    let closed: &'static [u8] = Box::leak(closed.into_boxed_slice());
    for bytes in [declared, answer_with("", &big), chunked, closed] {
        let server = start(move |_| Act::AnswerThenClose(bytes)).await;
        let origin = Origin::new(&server.base, config.clone());
        let (answer, attempts) = get(&origin, "/x").await;
        assert_eq!(answer.map(|a| a.status), Err(SutFault::TooLarge { limit }));
        assert_eq!(attempts, 1, "not sent again");
    }
    // At the cap exactly, the body is read whole.
    let at_cap = answer_with("", &big[..limit]);
    let server = start(move |_| Act::Answer(at_cap)).await;
    let origin = Origin::new(&server.base, config);
    let (answer, _) = get(&origin, "/x").await;
    assert_eq!(answer.expect("answer").body.len(), limit);
}
