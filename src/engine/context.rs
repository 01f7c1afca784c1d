//! `JourneyContext`: what one journey's replay (`journey`, `outbox`) needs besides the
//! journey and the connector: its place in the run, its id, the catalogue, the cutoff and
//! the event sink.

use std::collections::BTreeMap;

use super::cutoff::Cutoff;
use super::events::Sink;

/// What a journey's replay needs besides the journey and the connector.
pub struct JourneyContext<'a> {
    /// Position of the journey in the run (for events).
    pub index: usize,
    /// The `journey` id sent to the SUT.
    pub journey_id: String,
    /// Intent -> subject keys, from the SUT's catalogue when it serves one.
    pub catalogue: Option<&'a BTreeMap<String, Vec<String>>>,
    /// How long after its last step the outbox is read (unless the journey says).
    pub outbox_window: Option<chrono::TimeDelta>,
    /// When the run stops sending (its deadline, a stop) and abandons what is in flight.
    pub cutoff: &'a Cutoff,
    pub sink: Sink<'a>,
}
