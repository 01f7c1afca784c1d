//! The embedded reference retailer: a real HTTP server speaking the touchpoint protocol,
//! with `siloed` and `unified` profiles built from named seams (docs/reference.md).
//!
//! `start` binds and serves on the current tokio runtime; `server` is the router,
//! `dispatch` routes an intent to its domain module (`stock`, `orders`, `invoices`,
//! `incidents`, `bank`, `contact`, `marketing`), `state` keeps one `JourneyState` per journey.

mod bank;
pub mod clock;
mod contact;
mod context;
pub mod data;
mod dispatch;
mod incidents;
pub mod intents;
mod invoices;
mod marketing;
mod orders;
pub mod profile;
pub mod rest;
pub mod server;
pub mod state;
mod stock;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub use data::Fixtures;
pub use profile::{Profile, Seam, profiles, seams};

/// What `seam serve` and `seam run` need to start the retailer.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub profile: Profile,
    /// A fixtures directory replacing the embedded one.
    pub data: Option<PathBuf>,
    pub bind: SocketAddr,
    /// Which face to serve: the touchpoint protocol or the REST adapter.
    pub api: Api,
}

/// The faces of the retailer: the same domain logic and state behind each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Api {
    /// The touchpoint protocol (docs/protocol.md).
    #[default]
    Protocol,
    /// Per-system REST endpoints with token login (docs/mappings.md).
    Rest,
}

impl Api {
    pub fn parse(name: &str) -> Option<Api> {
        match name {
            "protocol" => Some(Api::Protocol),
            "rest" => Some(Api::Rest),
            _ => None,
        }
    }
}

impl ServerConfig {
    /// Loopback, any free port, embedded fixtures.
    pub fn loopback(profile: Profile) -> ServerConfig {
        ServerConfig {
            profile,
            data: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            api: Api::Protocol,
        }
    }
}

/// A server listening on `addr` until `shutdown`.
#[derive(Debug)]
pub struct RunningServer {
    pub addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    /// Stop accepting, finish in-flight requests, and wait for the server task.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Load fixtures, bind, and serve on the current tokio runtime; returns once listening.
pub async fn start(config: ServerConfig) -> Result<RunningServer, ReferenceError> {
    let fixtures = match &config.data {
        Some(dir) => Fixtures::load(dir)?,
        None => Fixtures::embedded()?,
    };
    let app = server::App::new(fixtures, config.profile);
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| ReferenceError::Bind {
            addr: config.bind.to_string(),
            message: e.to_string(),
        })?;
    let addr = listener.local_addr().map_err(|e| ReferenceError::Bind {
        addr: config.bind.to_string(),
        message: e.to_string(),
    })?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = match config.api {
        Api::Protocol => server::router(Arc::new(app)),
        Api::Rest => rest::router(Arc::new(app)),
    };
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(RunningServer { addr, stop, task })
}

/// Errors starting the retailer (bad fixtures, unknown profile or seam, bind failure).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReferenceError {
    #[error("reference data {file}: {message}")]
    Data { file: String, message: String },
    #[error("unknown {what} `{name}`{hint}; valid {what}s: {valid}")]
    Unknown {
        what: String,
        name: String,
        hint: String,
        valid: String,
    },
    #[error("cannot listen on {addr}: {message}")]
    Bind { addr: String, message: String },
}

impl ReferenceError {
    pub(crate) fn data(file: &str, message: &str) -> ReferenceError {
        ReferenceError::Data {
            file: file.to_string(),
            message: message.to_string(),
        }
    }

    pub(crate) fn unknown(what: &str, name: &str, valid: &[&str]) -> ReferenceError {
        let hint = valid
            .iter()
            .map(|v| (strsim::levenshtein(name, v), *v))
            .filter(|(d, _)| *d <= 3)
            .min()
            .map(|(_, v)| format!(" (did you mean `{v}`?)"))
            .unwrap_or_default();
        ReferenceError::Unknown {
            what: what.to_string(),
            name: name.to_string(),
            hint,
            valid: valid.join(", "),
        }
    }
}
