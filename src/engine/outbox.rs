//! A journey's outbox reads (at promise deadlines and at its end) and its last word to
//! the SUT (`finish`), each skipped once the run is cut and abandoned when it is cut
//! while in flight.

use super::clock::{self, VirtualClock};
use super::context::JourneyContext;
use super::cutoff::Cut;
use super::events::Event;
use super::trace::OutboxRead;
use crate::scenario::model::Journey;
use crate::sut::Connector;

/// The journey's end moved by its `outbox.watch` (validated before any replay), or else
/// by the run's outbox window.
fn watched_until(
    journey: &Journey,
    end: clock::Moment,
    window: Option<chrono::TimeDelta>,
) -> clock::Moment {
    let watch = journey
        .outbox
        .watch
        .as_deref()
        .and_then(|w| crate::scenario::duration::parse_duration(w).ok())
        .or(window);
    match watch {
        Some(watch) => end.checked_add_signed(watch).unwrap_or(end),
        None => end,
    }
}

/// At the journey's end: the promise deadlines still due and the end of the journey
/// (moved by its `outbox.watch`) are read, then the SUT is told the journey is over.
/// Whatever the run's cut stops is left out.
pub async fn finish<C: Connector>(
    journey: &Journey,
    sut: &C,
    ctx: &JourneyContext<'_>,
    mut clock: VirtualClock,
    outbox_reads: &mut Vec<OutboxRead>,
) {
    let (due, end) = clock.finish();
    for due in due {
        let reason = format!("promise:{}", due.promise);
        match read_outbox(sut, ctx, &due.until, reason).await {
            Ok(read) => outbox_reads.push(read),
            Err(_) => return,
        }
    }
    if let Some(end) = end {
        let until = clock::format(&watched_until(journey, end, ctx.outbox_window));
        match read_outbox(sut, ctx, &until, "journey-end".into()).await {
            Ok(read) => outbox_reads.push(read),
            Err(_) => return,
        }
    }
    if ctx.cutoff.cut().is_none() {
        let _ = ctx.cutoff.in_flight(sut.finish(&ctx.journey_id)).await;
    }
}

/// Read the outbox up to `until`, unless the run is cut (before or during the read).
pub async fn read_outbox<C: Connector>(
    sut: &C,
    ctx: &JourneyContext<'_>,
    until: &str,
    reason: String,
) -> Result<OutboxRead, Cut> {
    if let Some(cut) = ctx.cutoff.cut() {
        return Err(cut);
    }
    let messages = ctx
        .cutoff
        .in_flight(sut.outbox(&ctx.journey_id, until))
        .await?;
    (ctx.sink)(&Event::OutboxRead {
        index: ctx.index,
        until,
        reason: &reason,
        messages: messages.as_ref().ok().map(Vec::len),
    });
    Ok(OutboxRead {
        until: until.to_string(),
        reason,
        messages,
    })
}
