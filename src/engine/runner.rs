//! `run`: replay many journeys concurrently (at most `jobs` at once), each on its own
//! virtual clock, and return their traces in the order given, whatever the scheduling.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::events::{Event, EventSink};
use super::journey::{JourneyContext, replay};
use super::trace::{StepEnd, StepTrace, Trace};
use crate::protocol::IntentInfo;
use crate::scenario::model::Journey;
use crate::sut::Connector;

/// Default number of journeys replayed at once.
pub const DEFAULT_JOBS: usize = 32;

/// How a run is carried out.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// Journeys replayed at once (at least 1).
    pub jobs: usize,
    /// Prefix of the journey ids sent to the SUT: `{run_id}/{journey name}`.
    pub run_id: String,
    /// After this long no more steps are sent (the rest are `Skipped`).
    pub deadline: Option<Duration>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            jobs: DEFAULT_JOBS,
            run_id: "run".into(),
            deadline: None,
        }
    }
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    /// One trace per journey, in the order the journeys were given.
    pub traces: Vec<Trace>,
    /// The SUT's intent catalogue, when it serves one.
    pub catalogue: Option<Vec<IntentInfo>>,
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

/// Replay `journeys` against `sut` and keep every trace. Never panics on what the SUT does.
pub async fn run<C: Connector>(
    journeys: Arc<Vec<Journey>>,
    sut: Arc<C>,
    options: &RunOptions,
    sink: EventSink,
) -> RunOutcome {
    let mut traces: Vec<Option<Trace>> = vec![None; journeys.len()];
    let summary = run_each(journeys, sut, options, sink, |index, trace| {
        if let Some(slot) = traces.get_mut(index) {
            *slot = Some(trace);
        }
    })
    .await;
    RunOutcome {
        traces: traces.into_iter().flatten().collect(),
        catalogue: summary.catalogue,
        elapsed_ms: summary.elapsed_ms,
    }
}

/// What a run that handed its traces over one by one (`run_each`) still has to say.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    /// The SUT's intent catalogue, when it serves one.
    pub catalogue: Option<Vec<IntentInfo>>,
    pub elapsed_ms: u64,
    /// Turns sent, over every journey.
    pub touchpoints: u64,
    /// Whether the SUT gave at least one protocol reply.
    pub sut_answered: bool,
}

/// Replay `journeys` against `sut`, handing each journey's trace to `each` (with the
/// journey's position) as soon as it is done, in the order journeys finish: a caller that
/// keeps only what it needs of each trace runs in memory that follows `jobs`, not the
/// number of journeys. Every journey is handed over exactly once. Never panics on what
/// the SUT does.
pub async fn run_each<C: Connector>(
    journeys: Arc<Vec<Journey>>,
    sut: Arc<C>,
    options: &RunOptions,
    sink: EventSink,
    mut each: impl FnMut(usize, Trace),
) -> RunSummary {
    let started = Instant::now();
    let deadline = options.deadline.map(|d| started + d);
    let steps = journeys.iter().map(|j| j.steps.len()).sum();
    sink(&Event::RunStarted {
        journeys: journeys.len(),
        steps,
    });

    let catalogue = sut.intents().await.ok().flatten();
    let subjects: Arc<BTreeMap<String, Vec<String>>> = Arc::new(
        catalogue
            .iter()
            .flatten()
            .map(|i| (i.intent.clone(), i.subject.clone()))
            .collect(),
    );
    let served = catalogue.is_some();
    let ids = journey_ids(&journeys, &options.run_id);

    // `jobs` workers take the next journey until none is left, and hand each trace over
    // as soon as it is done: tasks and memory in flight follow `jobs`, not the run's size.
    let ids = Arc::new(ids);
    let next = Arc::new(AtomicUsize::new(0));
    let (done, mut finished) = mpsc::unbounded_channel();
    let mut workers = JoinSet::new();
    for _ in 0..options.jobs.max(1).min(journeys.len()) {
        let journeys = Arc::clone(&journeys);
        let ids = Arc::clone(&ids);
        let next = Arc::clone(&next);
        let done = done.clone();
        let sut = Arc::clone(&sut);
        let subjects = Arc::clone(&subjects);
        let sink = Arc::clone(&sink);
        workers.spawn(async move {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let (Some(journey), Some(journey_id)) = (journeys.get(index), ids.get(index))
                else {
                    return;
                };
                let ctx = JourneyContext {
                    index,
                    journey_id: journey_id.clone(),
                    catalogue: served.then_some(&*subjects),
                    deadline,
                    sink: &sink,
                };
                let trace = replay(journey, &*sut, &ctx).await;
                if done.send((index, trace)).is_err() {
                    return;
                }
            }
        });
    }
    drop(done);

    let mut handed = vec![false; journeys.len()];
    let mut touchpoints = 0;
    let mut sut_answered = false;
    let mut hand = |index: usize, trace: Trace| {
        let turns = trace.steps.iter().flat_map(|s| &s.turns);
        touchpoints += turns.clone().count() as u64;
        sut_answered |= turns.clone().any(|t| t.reply.is_ok());
        each(index, trace);
    };
    while let Some((index, trace)) = finished.recv().await {
        if let Some(seen) = handed.get_mut(index) {
            *seen = true;
            hand(index, trace);
        }
    }
    // A worker that died (it should not) lost its journey; the others took the rest.
    while workers.join_next().await.is_some() {}
    for (index, journey) in journeys.iter().enumerate() {
        if !handed[index] {
            hand(index, lost(journey, &options.run_id));
        }
    }

    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    sink(&Event::RunFinished {
        touchpoints,
        elapsed_ms,
    });
    RunSummary {
        catalogue,
        elapsed_ms,
        touchpoints,
        sut_answered,
    }
}

/// `{run_id}/{name}`, with `~2`, `~3`... when two journeys share a name.
fn journey_ids(journeys: &[Journey], run_id: &str) -> Vec<String> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    journeys
        .iter()
        .map(|j| {
            let n = seen.entry(j.name.as_str()).or_insert(0);
            *n += 1;
            if *n == 1 {
                format!("{run_id}/{}", j.name)
            } else {
                format!("{run_id}/{}~{n}", j.name)
            }
        })
        .collect()
}

/// The trace of a journey whose task died (should not happen): every step skipped.
fn lost(journey: &Journey, run_id: &str) -> Trace {
    Trace {
        journey: journey.name.as_str().into(),
        file: journey.file.as_str().into(),
        journey_id: format!("{run_id}/{}", journey.name),
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
