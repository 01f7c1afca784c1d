//! Touchpoints served per second by the reference retailer on a mixed journey workload,
//! and peak memory with 1,000 live journeys. In-process server, raw keep-alive HTTP/1.1
//! client on tokio (the client is light so the server gets the CPU).
//!
//! `cargo bench --bench serve` (env: SEAM_BENCH_SECS=5, SEAM_BENCH_CONNS=64).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use seam::reference::{self, Profile, ServerConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

struct Conn {
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
}

impl Conn {
    async fn open(addr: std::net::SocketAddr) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (r, w) = stream.into_split();
        Ok(Conn {
            reader: BufReader::new(r),
            writer: w,
        })
    }

    /// One request; returns (status, body).
    async fn call(
        &mut self,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> std::io::Result<(u16, Vec<u8>)> {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        let mut req = head.into_bytes();
        req.extend_from_slice(body);
        self.writer.write_all(&req).await?;
        let mut line = String::new();
        self.reader.read_line(&mut line).await?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut len = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line).await?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; len];
        self.reader.read_exact(&mut body).await?;
        Ok((status, body))
    }
}

#[allow(clippy::too_many_arguments)]
fn tp(
    journey: &str,
    step: &str,
    turn: u32,
    channel: &str,
    intent: &str,
    customer: Value,
    says: Value,
    refs: Value,
) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "journey": journey, "step": step, "turn": turn, "channel": channel,
        "at": "2026-12-14T11:00:00+01:00", "customer": customer, "intent": intent,
        "says": says, "refs": refs,
    }))
    .unwrap_or_default()
}

/// A mixed journey: 8 touchpoints over store, phone, web, email, ivr; an outbox read.
/// Returns touchpoints sent.
async fn journey(conn: &mut Conn, id: &str, release: bool) -> std::io::Result<u64> {
    let book = "9788433977700";
    let card = json!({"loyalty_card": "LC-5521"});
    let calls = [
        tp(
            id,
            "a",
            1,
            "web",
            "stock.check",
            json!({}),
            json!({"sku": book}),
            json!({}),
        ),
        tp(
            id,
            "b",
            1,
            "store",
            "stock.check",
            card.clone(),
            json!({"sku": book, "store": "bookstore-madrid"}),
            json!({}),
        ),
        tp(
            id,
            "c",
            1,
            "store",
            "order.create",
            card.clone(),
            json!({"sku": book, "store": "bookstore-madrid"}),
            json!({}),
        ),
        tp(
            id,
            "c",
            2,
            "store",
            "order.create",
            card,
            json!({"sku": book, "store": "bookstore-madrid", "phone": "+34600111222"}),
            json!({}),
        ),
        tp(
            id,
            "d",
            1,
            "phone",
            "order.status",
            json!({"phone": "+34600111222"}),
            json!({}),
            json!({"order": "S-0001"}),
        ),
        tp(
            id,
            "e",
            1,
            "web",
            "cart.options",
            json!({}),
            json!({"skus": [book, "9788498381498"]}),
            json!({}),
        ),
        tp(
            id,
            "f",
            1,
            "email",
            "question.ask",
            json!({"email": "ana@example.com"}),
            json!({"topic": "returns"}),
            json!({}),
        ),
        tp(
            id,
            "g",
            1,
            "ivr",
            "support.request",
            json!({}),
            json!({"topic": "billing", "account": "A-1", "reason": "x"}),
            json!({}),
        ),
    ];
    for body in &calls {
        let (status, _) = conn.call("POST", "/touchpoints", body).await?;
        if status != 200 {
            return Err(std::io::Error::other(format!("status {status}")));
        }
    }
    conn.call(
        "GET",
        &format!("/outbox?journey={id}&until=2027-01-01T00:00:00%2B01:00"),
        b"",
    )
    .await?;
    if release {
        conn.call("DELETE", &format!("/journeys/{id}"), b"").await?;
    }
    Ok(calls.len() as u64)
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let secs = env_num("SEAM_BENCH_SECS", 5);
    let conns = env_num("SEAM_BENCH_CONNS", 64);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runtime: {e}");
            return;
        }
    };
    runtime.block_on(async move {
        let server = match reference::start(ServerConfig::loopback(Profile::siloed())).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("server: {e}");
                return;
            }
        };
        let addr = server.addr;
        let rss_idle = vm_hwm_kib().unwrap_or(0);

        // 1,000 live journeys (never released), then peak memory.
        let mut conn = match Conn::open(addr).await {
            Ok(c) => c,
            Err(e) => {
                eprintln!("connect: {e}");
                return;
            }
        };
        for i in 0..1000 {
            if let Err(e) = journey(&mut conn, &format!("live-{i}"), false).await {
                eprintln!("live journey {i}: {e}");
                return;
            }
        }
        let rss_live = vm_hwm_kib().unwrap_or(0);
        println!(
            "memory: VmHWM {:.1} MiB idle, {:.1} MiB with 1000 live journeys (+{:.1} KiB per journey)",
            rss_idle as f64 / 1024.0,
            rss_live as f64 / 1024.0,
            (rss_live.saturating_sub(rss_idle)) as f64 / 1000.0
        );

        // Throughput: `conns` clients replaying mixed journeys for `secs` seconds.
        let stop = Arc::new(AtomicBool::new(false));
        let served = Arc::new(AtomicU64::new(0));
        let errors = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..conns {
            let (stop, served, errors) = (stop.clone(), served.clone(), errors.clone());
            tasks.push(tokio::spawn(async move {
                let Ok(mut conn) = Conn::open(addr).await else {
                    errors.fetch_add(1, Ordering::Relaxed);
                    return;
                };
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    match journey(&mut conn, &format!("bench-{c}-{n}"), true).await {
                        Ok(k) => {
                            served.fetch_add(k, Ordering::Relaxed);
                        }
                        Err(_) => {
                            errors.fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                    }
                    n += 1;
                }
            }));
        }
        tokio::time::sleep(Duration::from_secs(secs)).await;
        stop.store(true, Ordering::Relaxed);
        for t in tasks {
            let _ = t.await;
        }
        let elapsed = started.elapsed().as_secs_f64();
        let total = served.load(Ordering::Relaxed);
        println!(
            "throughput: {total} touchpoints in {elapsed:.2} s over {conns} connections = {:.0} touchpoints/s ({} errors; plus one outbox read and one release per 8 touchpoints)",
            total as f64 / elapsed,
            errors.load(Ordering::Relaxed)
        );
        server.shutdown().await;
    });
}
