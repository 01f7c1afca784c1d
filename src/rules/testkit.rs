//! Hand-built traces for rule tests: synthetic intents (`x.y`), facts (`k1`) and
//! channels (`c1`, `c2`), one turn per step unless a test adds more.

use std::sync::Arc;

use crate::engine::trace::{OutboxRead, StepEnd, StepTrace, Trace, Turn};
use crate::protocol::{Facts, OutboxMessage, Promise, Reply, Status, Touchpoint};
use crate::scenario::model::{CustomerSpec, Expect, Journey, OutboxExpect, Step};

/// Shared names as plain `&str`s, for comparing.
pub fn strs(names: &[Arc<str>]) -> Vec<&str> {
    names.iter().map(|s| &**s).collect()
}

pub fn reply(status: Status) -> Reply {
    Reply::with_status(status)
}

/// `2026-01-01THH:00:00+00:00`.
pub fn at(hour: u32) -> String {
    format!("2026-01-{:02}T{:02}:00:00+00:00", 1 + hour / 24, hour % 24)
}

/// A step on `channel` at `hour`, intent `x.y`, one turn answered `done`.
pub fn step(id: &str, channel: &str, hour: u32) -> StepTrace {
    let request = Touchpoint {
        journey: "run-1/j".into(),
        step: id.into(),
        turn: 1,
        channel: channel.into(),
        at: at(hour),
        customer: Facts::new(),
        intent: "x.y".into(),
        says: Facts::new(),
        answers: vec![],
        declines: vec![],
        refs: Facts::new(),
    };
    StepTrace {
        id: id.into(),
        channel: channel.into(),
        intent: "x.y".into(),
        at: at(hour).into(),
        continues: None,
        quotes: vec![],
        customer: Facts::new(),
        subject: None,
        turns: vec![Turn {
            request,
            reply: Ok(reply(Status::Done)),
            elapsed_ms: 1,
            attempts: 1,
        }],
        end: StepEnd::Answered,
    }
}

/// Append a turn (the previous request, next turn number) answered with `r`.
pub fn add_turn(s: &mut StepTrace, r: Reply) -> &mut Turn {
    let mut request = s.turns[s.turns.len() - 1].request.clone();
    request.turn += 1;
    s.turns.push(Turn {
        request,
        reply: Ok(r),
        elapsed_ms: 1,
        attempts: 1,
    });
    let last = s.turns.len() - 1;
    &mut s.turns[last]
}

/// The reply of turn `i` (panics in tests if it is a fault).
pub fn reply_mut(s: &mut StepTrace, i: usize) -> &mut Reply {
    match &mut s.turns[i].reply {
        Ok(r) => r,
        Err(_) => panic!("turn {i} is a fault"),
    }
}

pub fn trace(steps: Vec<StepTrace>) -> Trace {
    Trace {
        journey: "j".into(),
        file: "scenarios/j.yaml".into(),
        journey_id: "run-1/j".into(),
        steps,
        outbox_reads: vec![],
        elapsed_ms: 0,
    }
}

pub fn promise(id: &str, by_hour: u32) -> Promise {
    Promise {
        id: id.into(),
        what: format!("w-{id}"),
        channel: "c3".into(),
        by: at(by_hour),
    }
}

pub fn message(channel: &str, hour: u32, fulfils: Option<&str>) -> OutboxMessage {
    OutboxMessage {
        channel: channel.into(),
        at: at(hour),
        text: "m".into(),
        fulfils: fulfils.map(String::from),
        refs: Facts::new(),
        answer: Facts::new(),
        redirect: None,
    }
}

pub fn outbox_read(until_hour: u32, messages: Vec<OutboxMessage>) -> OutboxRead {
    OutboxRead {
        until: at(until_hour),
        reason: "journey-end".into(),
        messages: Ok(messages),
    }
}

/// The journey a trace replays, with no expectations.
pub fn journey(trace: &Trace) -> Journey {
    Journey {
        name: trace.journey.to_string(),
        file: trace.file.to_string(),
        description: String::new(),
        tags: vec![],
        story: String::new(),
        customer: CustomerSpec::default(),
        steps: trace
            .steps
            .iter()
            .map(|s| Step {
                id: s.id.to_string(),
                channel: s.channel.to_string(),
                intent: s.intent.clone(),
                at: chrono::DateTime::parse_from_rfc3339(&s.at)
                    .unwrap_or_else(|_| panic!("bad test time {}", s.at)),
                says: Facts::new(),
                refs: Default::default(),
                continues: s.continues.clone(),
                subject: s.subject.clone(),
                expect: Expect::default(),
                capture: Default::default(),
                group: None,
            })
            .collect(),
        consistent: vec![],
        max_repeated_questions: 0,
        severity: Default::default(),
        rules: Vec::new(),
        outbox: OutboxExpect::default(),
        max_turns: 4,
    }
}

/// Two steps on two channels, nothing wrong.
pub fn two_step_clean() -> (Journey, Trace) {
    let t = trace(vec![step("s1", "c1", 1), step("s2", "c2", 2)]);
    (journey(&t), t)
}

/// The raw findings of `rules` on the scripted conversation of `t` (a clone), with the
/// journey's expectations.
pub fn check(
    rules: &[&dyn crate::rules::Rule],
    j: &Journey,
    t: &Trace,
) -> Vec<crate::rules::finding::Finding> {
    let conv = crate::conversation::scripted(t.clone(), j);
    let know = crate::rules::Knowledge::default();
    let cx = crate::rules::Check {
        expect: Some(crate::rules::Expectations::of(j)),
        know: &know,
    };
    let mut out = Vec::new();
    for rule in rules {
        rule.check(&conv, &cx, &mut out);
    }
    out
}
