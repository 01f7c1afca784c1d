//! SUT connectors: how a touchpoint reaches a system under test.
//! `Connector` is what the engine talks to; `protocol` speaks the touchpoint protocol over HTTP
//! (`conn`, a lean keep-alive client of its own); `mapping` adapts real SUTs' HTTP APIs
//! (reqwest, `http`).

pub mod conn;
pub mod connector;
pub mod fault;
pub mod http;
pub mod mapping;
pub mod protocol;

pub use connector::{Connector, Exchange};
pub use fault::SutFault;
pub use protocol::{ClientConfig, ProtocolClient};
