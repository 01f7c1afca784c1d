//! SUT connectors: how a touchpoint reaches a system under test.
//! `Connector` is what the engine talks to; `protocol` speaks the touchpoint protocol over
//! the lean `transport`, and `mapping` adapts real SUTs' HTTP APIs over reqwest (`http`).
//! Both take one `ClientConfig`, trust what `tls` says and retry as `retry` says.

pub mod config;
pub mod connector;
pub mod fault;
pub mod http;
pub mod mapping;
pub mod protocol;
pub mod retry;
pub mod tls;
pub mod transport;

pub use config::ClientConfig;
pub use connector::{Connector, Exchange};
pub use fault::SutFault;
pub use protocol::ProtocolClient;
pub use tls::Tls;
