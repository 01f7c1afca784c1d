//! `run`: replay many journeys concurrently (at most `jobs` at once), each on its own
//! virtual clock, on the caller's task; `run_each` hands each trace over as it is done.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use std::panic::AssertUnwindSafe;

use futures_util::{FutureExt, StreamExt, stream};

use super::context::JourneyContext;
use super::cutoff::{Cut, Cutoff, STOP_GRACE, Stop};
use super::events::{Event, EventSink, Sink};
use super::journey::replay;
use super::trace::{StepEnd, StepTrace, Trace};
use crate::catalogue::Catalogue;
use crate::scenario::model::Journey;
use crate::sut::Connector;

/// Default number of journeys replayed at once.
pub const DEFAULT_JOBS: usize = 32;

/// How a run is carried out.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Journeys replayed at once (at least 1).
    pub jobs: usize,
    /// Prefix of the journey ids sent to the SUT: `{run_id}/{journey name}`.
    pub run_id: String,
    /// After this long nothing more is sent and what is in flight is abandoned.
    pub deadline: Option<Duration>,
    /// Stops the run from outside (a signal): nothing more is sent, and what is in flight
    /// is abandoned after `grace`.
    pub stop: Option<Stop>,
    /// How long requests in flight get to finish after a stop.
    pub grace: Duration,
    /// The SUT's catalogue when the caller already read it (`None`: the run reads it).
    pub catalogue: Option<Option<Catalogue>>,
    /// How long after its last step a journey's outbox is read, unless the journey says
    /// (`outbox.watch`); `None`: only up to the last step.
    pub outbox_window: Option<chrono::TimeDelta>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            jobs: DEFAULT_JOBS,
            run_id: "run".into(),
            deadline: None,
            stop: None,
            grace: STOP_GRACE,
            catalogue: None,
            outbox_window: None,
        }
    }
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    /// One trace per journey started, in the order the journeys were given (after a cut,
    /// the journeys not started have none).
    pub traces: Vec<Trace>,
    /// The SUT's catalogue, when it serves one.
    pub catalogue: Option<Catalogue>,
    pub elapsed_ms: u64,
}

impl RunOutcome {
    /// Turns sent, over every journey.
    pub fn touchpoints(&self) -> u64 {
        self.traces
            .iter()
            .flat_map(|t| &t.steps)
            .map(|s| s.turns.len() as u64)
            .sum()
    }

    /// Whether the SUT gave at least one protocol reply.
    pub fn sut_answered(&self) -> bool {
        self.traces
            .iter()
            .flat_map(|t| &t.steps)
            .flat_map(|s| &s.turns)
            .any(|t| t.reply.is_ok())
    }
}

/// Replay `journeys` against `sut` and keep every trace, in the order given. Emits
/// `RunStarted` and `RunFinished` around the journeys' events. Never panics on what the
/// SUT does.
pub async fn run<C: Connector>(
    journeys: Arc<Vec<Journey>>,
    sut: Arc<C>,
    options: &RunOptions,
    sink: EventSink,
) -> RunOutcome {
    sink(&Event::RunStarted {
        journeys: journeys.len(),
        steps: journeys.iter().map(|j| j.steps.len()).sum(),
    });
    let mut traces: Vec<Option<Trace>> = vec![None; journeys.len()];
    let summary = run_each(
        journeys.iter().cloned(),
        &*sut,
        options,
        &*sink,
        |index, _, trace| {
            if let Some(slot) = traces.get_mut(index) {
                *slot = Some(trace);
            }
        },
    )
    .await;
    sink(&Event::RunFinished {
        touchpoints: summary.touchpoints,
        elapsed_ms: summary.elapsed_ms,
    });
    RunOutcome {
        traces: traces.into_iter().flatten().collect(),
        catalogue: summary.catalogue,
        elapsed_ms: summary.elapsed_ms,
    }
}

/// What a run that handed its traces over one by one (`run_each`) still has to say.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    /// The SUT's catalogue, when it serves one.
    pub catalogue: Option<Catalogue>,
    pub elapsed_ms: u64,
    /// Turns sent, over every journey.
    pub touchpoints: u64,
    /// Whether the SUT gave at least one protocol reply.
    pub sut_answered: bool,
    /// Journeys started (and handed over); after a cut, the rest were not pulled.
    pub started: usize,
    /// What cut the run short: a step of a journey, or the pulling of the next journey
    /// (which the source may not have had).
    pub cut: Option<Cut>,
}

/// Replay the journeys `journeys` yields (owned, shared or borrowed), at most `options.jobs` at once, pulling the next
/// one only when a place is free, and hand each journey back with its trace (and its
/// position in the run) as soon as it is done, in the order journeys finish: memory
/// follows `jobs`, not the number of journeys. Everything runs on the caller's task.
/// Every journey started is handed over exactly once. Once the run is cut (its deadline
/// passed, or `options.stop` stopped it) no journey is pulled any more, the journeys in
/// flight end with their remaining steps `NotSent` and what they had in flight abandoned
/// (at the deadline, or `options.grace` after the stop), and `RunSummary::started` says
/// how many were pulled. Never panics on what the SUT does.
pub async fn run_each<C: Connector, J: Borrow<Journey>>(
    journeys: impl IntoIterator<Item = J>,
    sut: &C,
    options: &RunOptions,
    sink: Sink<'_>,
    mut each: impl FnMut(usize, J, Trace),
) -> RunSummary {
    let started = Instant::now();
    let deadline = options.deadline.map(|d| started + d);
    let cutoff = Cutoff::new(options.stop.clone(), deadline, options.grace);
    let cutoff = &cutoff;
    let catalogue = match (&options.catalogue, cutoff.cut()) {
        (Some(known), _) => known.clone(),
        (None, Some(_)) => None,
        (None, None) => read_catalogue(sut, cutoff).await,
    };
    let subjects: BTreeMap<String, Vec<String>> = catalogue
        .iter()
        .flat_map(|c| &c.intents)
        .map(|i| (i.intent.clone(), i.subject.clone()))
        .collect();
    let subjects = catalogue.is_some().then_some(&subjects);
    let mut ids = JourneyIds::new(&options.run_id);
    // No journey is pulled once the run is cut.
    let mut journeys = journeys.into_iter();
    let refused = &std::cell::Cell::new(None);
    let pulled = std::iter::from_fn(move || match cutoff.cut() {
        Some(cut) => {
            refused.set(Some(cut));
            None
        }
        None => journeys.next(),
    });
    let replays = stream::iter(pulled.enumerate())
        .map(|(index, journey)| {
            let journey_id = ids.next(&journey.borrow().name);
            async move {
                let ctx = JourneyContext {
                    index,
                    journey_id,
                    catalogue: subjects,
                    outbox_window: options.outbox_window,
                    cutoff,
                    sink,
                };
                // A journey that panics (it should not) is lost, not the run.
                let replayed = AssertUnwindSafe(replay(journey.borrow(), sut, &ctx))
                    .catch_unwind()
                    .await;
                let trace = replayed.unwrap_or_else(|_| lost(journey.borrow(), &ctx.journey_id));
                (index, journey, trace)
            }
        })
        .buffer_unordered(options.jobs.max(1));
    let mut replays = std::pin::pin!(replays);
    let mut touchpoints = 0;
    let mut sut_answered = false;
    let mut count = 0;
    let mut cut = None;
    while let Some((index, journey, trace)) = replays.next().await {
        let turns = trace.steps.iter().flat_map(|s| &s.turns);
        touchpoints += turns.clone().count() as u64;
        sut_answered |= turns.clone().any(|t| t.reply.is_ok());
        count += 1;
        cut = cut.or_else(|| trace.steps.iter().find_map(|s| s.end.cut()));
        each(index, journey, trace);
    }
    RunSummary {
        catalogue,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        touchpoints,
        sut_answered,
        started: count,
        cut: cut.or_else(|| refused.get()),
    }
}

/// The SUT's catalogue (`GET /intents`), unless it serves none, fails, or the run is cut.
pub async fn read_catalogue<C: Connector>(sut: &C, cutoff: &Cutoff) -> Option<Catalogue> {
    cutoff
        .in_flight(sut.intents())
        .await
        .ok()
        .and_then(|r| r.ok())
        .flatten()
}

/// The `journey` ids sent to the SUT, given as journeys are pulled: `{run_id}/{name}`,
/// with `~2`, `~3`... when two journeys share a name.
struct JourneyIds<'a> {
    run_id: &'a str,
    seen: foldhash::HashMap<String, usize>,
}

impl<'a> JourneyIds<'a> {
    fn new(run_id: &'a str) -> Self {
        JourneyIds {
            run_id,
            seen: foldhash::HashMap::default(),
        }
    }

    fn next(&mut self, name: &str) -> String {
        let n = match self.seen.get_mut(name) {
            Some(n) => {
                *n += 1;
                *n
            }
            None => {
                self.seen.insert(name.to_string(), 1);
                1
            }
        };
        if n == 1 {
            format!("{}/{name}", self.run_id)
        } else {
            format!("{}/{name}~{n}", self.run_id)
        }
    }
}

/// The trace of a journey whose replay panicked (should not happen): every step skipped.
fn lost(journey: &Journey, journey_id: &str) -> Trace {
    Trace {
        journey: journey.name.as_str().into(),
        file: journey.file.as_str().into(),
        journey_id: journey_id.to_string(),
        steps: journey
            .steps
            .iter()
            .map(|s| StepTrace {
                id: s.id.as_str().into(),
                channel: s.channel.as_str().into(),
                intent: s.intent.clone(),
                at: super::clock::format(&s.at).into(),
                continues: s.continues.clone(),
                quotes: Vec::new(),
                customer: journey.identifiers_on(&s.channel),
                subject: s.subject.clone(),
                turns: Vec::new(),
                end: StepEnd::Skipped {
                    reason: "the engine lost this journey (internal error)".into(),
                },
            })
            .collect(),
        outbox_reads: Vec::new(),
        elapsed_ms: 0,
    }
}
