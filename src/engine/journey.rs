//! `replay`: one journey, step by step on its virtual clock, through a `Connector`.
//! Multi-turn touchpoints, `${...}` substitution, captures, promise outbox reads; the
//! result is the journey's `Trace`.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use serde_json::Value;

use super::clock::{self, VirtualClock};
use super::customer::{Answer, Customer, Next};
use super::events::{Event, EventSink};
use super::substitute::{Scope, StepValues, path_in_value};
use super::trace::{OutboxRead, StepEnd, StepTrace, Trace, Turn};
use crate::protocol::{Facts, Reply, Touchpoint};
use crate::scenario::model::{Journey, Step};
use crate::sut::Connector;

/// Reason of the `Skipped` steps after the run's deadline passed.
pub const DEADLINE_PASSED: &str = "the run deadline passed";

/// What a journey's replay needs besides the journey and the connector.
pub struct JourneyContext<'a> {
    /// Position of the journey in the run (for events).
    pub index: usize,
    /// The `journey` id sent to the SUT.
    pub journey_id: String,
    /// Intent -> subject keys, from the SUT's catalogue when it serves one.
    pub catalogue: Option<&'a BTreeMap<String, Vec<String>>>,
    /// Wall-clock moment after which no step is sent.
    pub deadline: Option<Instant>,
    pub sink: &'a EventSink,
}

impl JourneyContext<'_> {
    fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// Replay one journey and return everything that happened.
pub async fn replay<C: Connector>(journey: &Journey, sut: &C, ctx: &JourneyContext<'_>) -> Trace {
    let started = Instant::now();
    (ctx.sink)(&Event::JourneyStarted {
        index: ctx.index,
        name: journey.name.clone(),
    });
    let mut clock = VirtualClock::new();
    let mut customer = Customer::new(&journey.customer.facts);
    let mut scope = Scope::new(&journey.customer.facts);
    let mut steps = Vec::with_capacity(journey.steps.len());
    let mut outbox_reads = Vec::new();
    let mut stopped = false;

    for step in &journey.steps {
        let mut trace = step_trace(journey, step, ctx);
        if stopped || ctx.past_deadline() {
            stopped = true;
            trace.end = StepEnd::Skipped {
                reason: DEADLINE_PASSED.to_string(),
            };
        } else {
            for due in clock.advance_to(step.at) {
                let reason = format!("promise:{}", due.promise);
                outbox_reads.push(read_outbox(sut, &ctx.journey_id, &due.until, reason).await);
            }
            match resolve(step, &scope) {
                Err(reason) => trace.end = StepEnd::Skipped { reason },
                Ok((says, refs, quotes)) => {
                    trace.quotes = quotes;
                    let says = converse(
                        journey,
                        &ctx.journey_id,
                        step,
                        sut,
                        &customer,
                        &mut trace,
                        says,
                        refs,
                    )
                    .await;
                    learn(step, &trace, &says, &mut scope, &mut customer, &mut clock);
                }
            }
        }
        let faults = trace.turns.iter().filter(|t| t.reply.is_err()).count();
        (ctx.sink)(&Event::StepFinished {
            index: ctx.index,
            step: step.id.clone(),
            turns: count(trace.turns.len()),
            faults: count(faults),
        });
        steps.push(trace);
    }

    if !stopped {
        let (due, end) = clock.finish();
        for due in due {
            let reason = format!("promise:{}", due.promise);
            outbox_reads.push(read_outbox(sut, &ctx.journey_id, &due.until, reason).await);
        }
        if let Some(end) = end {
            let until = clock::format(&end);
            outbox_reads
                .push(read_outbox(sut, &ctx.journey_id, &until, "journey-end".into()).await);
        }
        sut.finish(&ctx.journey_id).await;
    }

    let elapsed_ms = millis_since(started);
    let touchpoints: usize = steps.iter().map(|s| s.turns.len()).sum();
    let faults: usize = steps
        .iter()
        .flat_map(|s| &s.turns)
        .filter(|t| t.reply.is_err())
        .count();
    (ctx.sink)(&Event::JourneyFinished {
        index: ctx.index,
        name: journey.name.clone(),
        touchpoints: touchpoints as u64,
        faults: faults as u64,
        elapsed_ms,
    });
    Trace {
        journey: journey.name.clone(),
        file: journey.file.clone(),
        journey_id: ctx.journey_id.clone(),
        steps,
        outbox_reads,
        elapsed_ms,
    }
}

/// A step's trace before any turn.
fn step_trace(journey: &Journey, step: &Step, ctx: &JourneyContext<'_>) -> StepTrace {
    let subject = ctx
        .catalogue
        .and_then(|c| c.get(&step.intent))
        .cloned()
        .or_else(|| step.subject.clone());
    StepTrace {
        id: step.id.clone(),
        channel: step.channel.clone(),
        intent: step.intent.clone(),
        at: clock::format(&step.at),
        continues: step.continues.clone(),
        quotes: Vec::new(),
        customer: journey.identifiers_on(&step.channel),
        subject,
        turns: Vec::new(),
        end: StepEnd::Answered,
    }
}

/// Substitute `${...}` in the step's `says` and `refs`; the steps quoted come along.
fn resolve(step: &Step, scope: &Scope) -> Result<(Facts, Facts, Vec<String>), String> {
    let mut says = Facts::new();
    for (key, value) in &step.says {
        says.insert(key.clone(), scope.substitute(value)?.value);
    }
    let mut refs = Facts::new();
    let mut quotes = Vec::new();
    for (key, text) in &step.refs {
        let resolved = scope.substitute_str(text)?;
        for q in resolved.quotes {
            if !quotes.contains(&q) {
                quotes.push(q);
            }
        }
        refs.insert(key.clone(), resolved.value);
    }
    Ok((says, refs, quotes))
}

/// The turns of one touchpoint: send, and answer the SUT's questions until it asks
/// nothing, the customer has nothing more to say, the turn limit, or a fault.
/// Returns everything the customer said in the step.
#[allow(clippy::too_many_arguments)]
async fn converse<C: Connector>(
    journey: &Journey,
    journey_id: &str,
    step: &Step,
    sut: &C,
    customer: &Customer,
    trace: &mut StepTrace,
    mut says: Facts,
    refs: Facts,
) -> Facts {
    let max_turns = journey.max_turns.max(1);
    let mut declined = BTreeSet::new();
    let mut answer = Answer::default();
    let mut turn = 1;
    loop {
        let request = Touchpoint {
            journey: journey_id.to_string(),
            step: step.id.clone(),
            turn,
            channel: step.channel.clone(),
            at: trace.at.clone(),
            customer: trace.customer.clone(),
            intent: step.intent.clone(),
            says: says.clone(),
            answers: std::mem::take(&mut answer.answers),
            declines: std::mem::take(&mut answer.declines),
            refs: refs.clone(),
        };
        let sent = Instant::now();
        let exchange = sut.touchpoint(&request).await;
        let elapsed_ms = millis_since(sent);
        let end = match &exchange.reply {
            Err(_) => Some(StepEnd::Fault),
            Ok(reply) if reply.asks.is_empty() => Some(StepEnd::Answered),
            Ok(_) if turn >= max_turns => Some(StepEnd::TurnLimit { turns: turn }),
            Ok(reply) => match customer.reply(&reply.asks, &mut says, &mut declined) {
                Next::Stuck => Some(StepEnd::Stuck),
                Next::Say(next) => {
                    answer = next;
                    None
                }
            },
        };
        trace.turns.push(Turn {
            request,
            reply: exchange.reply,
            elapsed_ms,
            attempts: exchange.attempts,
        });
        if let Some(end) = end {
            trace.end = end;
            return says;
        }
        turn += 1;
    }
}

/// After a step: what later references, the customer and the clock learn from it.
fn learn(
    step: &Step,
    trace: &StepTrace,
    says: &Facts,
    scope: &mut Scope,
    customer: &mut Customer,
    clock: &mut VirtualClock,
) {
    let replies: Vec<&Reply> = trace
        .turns
        .iter()
        .filter_map(|t| t.reply.as_ref().ok())
        .collect();
    let mut values = StepValues::default();
    for reply in &replies {
        values
            .refs
            .extend(reply.refs.iter().map(|(k, v)| (k.clone(), v.clone())));
        values
            .answer
            .extend(reply.answer.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    for reply in &replies {
        if let Some(redirect) = &reply.redirect {
            for (k, v) in &redirect.refs {
                values.refs.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    if let Some(last) = replies.last() {
        let mut view = serde_json::to_value(last).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut view {
            map.insert("refs".into(), facts_value(&values.refs));
            map.insert("answer".into(), facts_value(&values.answer));
        }
        for (name, path) in &step.capture {
            if let Some(value) = path_in_value(&view, path) {
                scope.add_capture(name, value, &step.id);
            }
        }
    }
    for promise in trace.promises() {
        clock.promise(&promise.id, &promise.by);
    }
    customer.remember_said(says);
    customer.remember_given(&values.refs);
    scope.add_step(&step.id, values);
}

fn facts_value(facts: &Facts) -> Value {
    Value::Object(facts.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

async fn read_outbox<C: Connector>(
    sut: &C,
    journey_id: &str,
    until: &str,
    reason: String,
) -> OutboxRead {
    OutboxRead {
        until: until.to_string(),
        reason,
        messages: sut.outbox(journey_id, until).await,
    }
}

fn millis_since(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
