//! `Trace`: everything the engine saw while replaying one journey (requests, replies,
//! timings, outbox reads). Plain data: detectors read it, tests build it by hand.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use super::cutoff::Cut;
use crate::protocol::{Facts, OutboxMessage, Promise, Reply, Touchpoint};
pub use crate::sut::SutFault;

/// The replay of one journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// Journey name (from the scenario). Names, ids, channels and times are `Arc`s that
    /// findings share.
    pub journey: Arc<str>,
    /// Scenario file the journey came from.
    pub file: Arc<str>,
    /// The `journey` id sent to the SUT (run id / journey name); varies per run.
    pub journey_id: String,
    pub steps: Vec<StepTrace>,
    /// Every outbox read, in order.
    pub outbox_reads: Vec<OutboxRead>,
    /// Total wall time of the journey in milliseconds.
    pub elapsed_ms: u64,
}

/// One touchpoint: its turns and what the engine concluded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepTrace {
    pub id: Arc<str>,
    pub channel: Arc<str>,
    pub intent: String,
    /// RFC 3339 virtual time.
    pub at: Arc<str>,
    /// The step this one continues (a handoff), from the scenario.
    pub continues: Option<String>,
    /// Steps whose refs this step quotes (from `${step.refs.x}` in `refs`).
    pub quotes: Vec<String>,
    /// Identifiers presented on this channel.
    pub customer: Facts,
    /// Subject keys of the question (from the SUT catalogue or the scenario), if known.
    pub subject: Option<Vec<String>>,
    pub turns: Vec<Turn>,
    /// Why the engine stopped asking (done, turn limit, fault...).
    pub end: StepEnd,
}

impl StepTrace {
    /// The last reply the SUT gave in this step, if any.
    pub fn final_reply(&self) -> Option<&Reply> {
        self.turns.iter().rev().find_map(|t| t.reply.as_ref().ok())
    }

    /// Every promise made in this step.
    pub fn promises(&self) -> impl Iterator<Item = &Promise> {
        self.turns
            .iter()
            .filter_map(|t| t.reply.as_ref().ok())
            .flat_map(|r| r.promises.iter())
    }
}

/// One request and what came back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub request: Touchpoint,
    pub reply: Result<Reply, SutFault>,
    pub elapsed_ms: u64,
    /// Connection attempts (1 when no retry was needed).
    pub attempts: u32,
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepEnd {
    /// The SUT gave a reply that asks nothing more.
    Answered,
    /// The SUT still asked questions after `max_turns` turns.
    TurnLimit { turns: u32 },
    /// The SUT asked only for facts the customer declined; nothing more to say.
    Stuck,
    /// The last turn was a SUT fault.
    Fault,
    /// Not sent: a reference it quotes could not be resolved.
    Skipped { reason: String },
    /// Not sent: the run was cut short before it (its deadline passed, or it was stopped).
    NotSent { cut: Cut },
    /// Cut short during the step: turn `turn` was in flight and abandoned (`request` is
    /// what was sent; no reply was waited for), or, between turns, not sent (`request`
    /// null). Not a SUT fault: the turns before it are in `turns`.
    Abandoned {
        cut: Cut,
        turn: u32,
        request: Option<Box<Touchpoint>>,
    },
}

impl StepEnd {
    /// Whether the run's cut ended the step (not sent, or abandoned).
    pub fn cut(&self) -> Option<Cut> {
        match self {
            StepEnd::NotSent { cut } | StepEnd::Abandoned { cut, .. } => Some(*cut),
            _ => None,
        }
    }
}

/// One read of the SUT's outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxRead {
    /// Virtual time read up to (inclusive).
    pub until: String,
    /// Why: a promise deadline (`promise:<id>`) or `journey-end`.
    pub reason: String,
    pub messages: Result<Vec<OutboxMessage>, SutFault>,
}

impl Trace {
    pub fn step(&self, id: &str) -> Option<&StepTrace> {
        self.steps.iter().find(|s| *s.id == *id)
    }

    /// The most complete outbox read that succeeded (the last one).
    pub fn final_outbox(&self) -> Option<&[OutboxMessage]> {
        self.outbox_reads
            .iter()
            .rev()
            .find_map(|r| r.messages.as_deref().ok())
    }
}
