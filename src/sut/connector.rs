//! `Connector`: the engine's view of a system under test. The touchpoint protocol client
//! implements it; other transports (HTTP mappings, record/replay) can add their own.

use std::future::Future;

use crate::catalogue::Catalogue;
use crate::protocol::{OutboxMessage, Reply, Touchpoint};
use crate::sut::SutFault;

/// What came back for one touchpoint turn, and how many connection attempts it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub reply: Result<Reply, SutFault>,
    /// Connection attempts (1 when no retry was needed).
    pub attempts: u32,
}

/// A system under test as the engine sees it. Implementations never panic on what the
/// SUT sends: every failure is a `SutFault`.
pub trait Connector: Send + Sync + 'static {
    /// Send one turn of one touchpoint.
    fn touchpoint(&self, request: &Touchpoint) -> impl Future<Output = Exchange> + Send;

    /// Messages the SUT sent to the customer of `journey` up to `until` (RFC 3339, inclusive).
    fn outbox(
        &self,
        journey: &str,
        until: &str,
    ) -> impl Future<Output = Result<Vec<OutboxMessage>, SutFault>> + Send;

    /// The SUT's catalogue (`GET /intents`); `Ok(None)` when it does not serve one.
    fn intents(&self) -> impl Future<Output = Result<Option<Catalogue>, SutFault>> + Send;

    /// Before the run: what would fail every request (an untrusted certificate), said
    /// once for the user; `Ok` otherwise (other failures are the run's findings).
    fn check(&self) -> impl Future<Output = Result<(), String>> + Send {
        async { Ok(()) }
    }

    /// Whether `outbox` reads the SUT's real outbox. When it does not, no promise can be
    /// judged: the run drops the reads and says so.
    fn reads_outbox(&self) -> bool {
        true
    }

    /// The journey is over: the SUT may free its state. Errors are ignored.
    fn finish(&self, journey: &str) -> impl Future<Output = ()> + Send;
}
