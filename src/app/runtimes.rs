//! The runtimes of `seam run`: the harness replays on one current-thread runtime (no
//! cross-thread wake-ups or work stealing for what is mostly waiting on the SUT), and the
//! embedded reference retailer serves from its own multi-thread runtime, so that neither
//! starves the other. The replay benchmark uses the same configuration.

use tokio::runtime::{Builder, Runtime};

use crate::reference::{self, RunningServer, ServerConfig};

/// The runtime `seam run` replays journeys on.
pub fn harness() -> std::io::Result<Runtime> {
    Builder::new_current_thread().enable_all().build()
}

/// The reference retailer serving on its own runtime, kept alive until `stop` (or until
/// dropped, which stops its runtime without waiting: safe from async code too).
pub struct EmbeddedRetailer {
    runtime: Option<Runtime>,
    addr: std::net::SocketAddr,
    server: Option<RunningServer>,
}

impl Drop for EmbeddedRetailer {
    fn drop(&mut self) {
        drop(self.server.take());
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl EmbeddedRetailer {
    /// Start the retailer on a dedicated multi-thread runtime; callable from async code
    /// running on another runtime.
    pub async fn start(config: ServerConfig) -> Result<EmbeddedRetailer, String> {
        let runtime = Builder::new_multi_thread()
            .thread_name("seam-retailer")
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the retailer's runtime: {e}"))?;
        let started = runtime.spawn(reference::start(config)).await;
        let server = match started {
            Ok(Ok(server)) => server,
            Ok(Err(e)) => {
                runtime.shutdown_background();
                return Err(e.to_string());
            }
            Err(e) => {
                runtime.shutdown_background();
                return Err(format!("the retailer did not start: {e}"));
            }
        };
        Ok(EmbeddedRetailer {
            runtime: Some(runtime),
            addr: server.addr,
            server: Some(server),
        })
    }

    /// Start the retailer with a named profile and seam toggles; with its label
    /// (`reference:siloed+fix:notifier`).
    pub async fn start_profile(
        profile: &str,
        breaks: &[String],
        fixes: &[String],
    ) -> Result<(EmbeddedRetailer, String), String> {
        let p = super::serve::resolve_profile(profile, breaks, fixes).map_err(|e| e.to_string())?;
        let label = format!("reference:{}", p.label());
        Ok((
            EmbeddedRetailer::start(ServerConfig::loopback(p)).await?,
            label,
        ))
    }

    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    /// Stop the server (in-flight requests finish), then its runtime.
    pub async fn stop(mut self) {
        if let (Some(runtime), Some(server)) = (self.runtime.as_ref(), self.server.take()) {
            let _ = runtime.spawn(server.shutdown()).await;
        }
        // Drop stops the runtime.
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Profile;

    #[test]
    fn the_retailer_serves_from_its_own_runtime_while_the_harness_waits() {
        let harness = harness().expect("current-thread runtime");
        harness.block_on(async {
            let retailer = EmbeddedRetailer::start(ServerConfig::loopback(Profile::siloed()))
                .await
                .expect("retailer starts");
            let mut stream = tokio::net::TcpStream::connect(retailer.addr())
                .await
                .expect("connects");
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            stream
                .write_all(b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
                .await
                .expect("writes");
            let mut answer = String::new();
            stream.read_to_string(&mut answer).await.expect("reads");
            assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
            retailer.stop().await;
        });
    }

    #[test]
    fn a_retailer_dropped_from_async_code_stops_without_a_panic() {
        let harness = harness().expect("current-thread runtime");
        harness.block_on(async {
            let retailer = EmbeddedRetailer::start(ServerConfig::loopback(Profile::siloed()))
                .await
                .expect("retailer starts");
            let addr = retailer.addr();
            drop(retailer);
            // Nothing serves there any more (or soon after).
            for _ in 0..50 {
                if tokio::net::TcpStream::connect(addr).await.is_err() {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            panic!("the retailer still serves after being dropped");
        });
    }
}
