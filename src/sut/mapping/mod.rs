//! HTTP mappings: drive a real system that does not speak the touchpoint protocol.
//! `model` (the file's serde types), `load` (file:line:col diagnostics), `compile`
//! (checked `Mapping`), `template` (`${...}`), `extract` (JSONPath + transforms), `read`
//! (reply and outbox readers), `auth`, `redact` (secrets), `connector` (`MappingConnector`).

pub mod auth;
pub mod compile;
pub mod connector;
pub mod extract;
pub mod load;
pub mod model;
pub mod read;
pub mod redact;
pub mod template;

pub use compile::Mapping;
pub use connector::MappingConnector;
pub use load::{LoadFailure, load, load_text, mapping_schema};
