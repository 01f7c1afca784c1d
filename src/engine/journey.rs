//! `replay`: one journey, step by step on its virtual clock, through a `Connector`.
//! Multi-turn touchpoints, `${...}` substitution, captures, promise outbox reads; the
//! result is the journey's `Trace`.

use std::collections::BTreeSet;
use std::time::Instant;

use serde_json::Value;

use super::clock::{self, VirtualClock};
use super::context::JourneyContext;
use super::customer::{Customer, Next};
use super::cutoff::Cut;
use super::events::Event;
use super::outbox::{finish, read_outbox};
use super::substitute::{Scope, StepValues, path_in_value};
use super::trace::{StepEnd, StepTrace, SutFault, Trace, Turn};
use crate::protocol::{Facts, Reply, Touchpoint};
use crate::scenario::model::{Journey, Step};
use crate::sut::Connector;

/// Replay one journey and return everything that happened.
pub async fn replay<C: Connector>(journey: &Journey, sut: &C, ctx: &JourneyContext<'_>) -> Trace {
    let started = Instant::now();
    (ctx.sink)(&Event::JourneyStarted {
        index: ctx.index,
        name: &journey.name,
    });
    let mut clock = VirtualClock::new();
    let mut customer = Customer::new(&journey.customer.facts);
    let mut scope = Scope::new(&journey.customer.facts);
    let mut steps = Vec::with_capacity(journey.steps.len());
    let mut outbox_reads = Vec::new();
    // Once the run is cut, no step, turn or outbox read of the journey starts.
    let mut cut: Option<Cut> = None;

    for step in &journey.steps {
        let mut trace = step_trace(journey, step, ctx);
        for due in clock.advance_to(step.at) {
            if cut.is_some() {
                break;
            }
            let reason = format!("promise:{}", due.promise);
            match read_outbox(sut, ctx, &due.until, reason).await {
                Ok(read) => outbox_reads.push(read),
                Err(c) => cut = Some(c),
            }
        }
        if let Some(c) = cut.or_else(|| ctx.cutoff.cut()) {
            cut = Some(c);
            trace.end = StepEnd::NotSent { cut: c };
        } else {
            match resolve(step, &scope) {
                Err(reason) => trace.end = StepEnd::Skipped { reason },
                Ok((says, refs, quotes)) => {
                    trace.quotes = quotes;
                    converse(journey, ctx, step, sut, &customer, &mut trace, says, refs).await;
                    cut = trace.end.cut();
                    learn(step, &trace, &mut scope, &mut customer, &mut clock);
                }
            }
        }
        let faults = trace.turns.iter().filter(|t| t.reply.is_err()).count();
        (ctx.sink)(&Event::StepFinished {
            index: ctx.index,
            step: &step.id,
            turns: count(trace.turns.len()),
            faults: count(faults),
        });
        steps.push(trace);
    }

    if cut.is_none() {
        finish(journey, sut, ctx, clock, &mut outbox_reads).await;
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
        name: &journey.name,
        touchpoints: touchpoints as u64,
        faults: faults as u64,
        elapsed_ms,
    });
    Trace {
        journey: journey.name.as_str().into(),
        file: journey.file.as_str().into(),
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
        id: step.id.as_str().into(),
        channel: step.channel.as_str().into(),
        intent: step.intent.clone(),
        at: clock::format(&step.at).into(),
        continues: step.continues.clone(),
        quotes: Vec::new(),
        customer: journey.identifiers_on(&step.channel),
        subject,
        // Most steps take one turn (a `Turn` is large: no room for four by default).
        turns: Vec::with_capacity(1),
        end: StepEnd::Answered,
    }
}

/// Substitute `${...}` in the step's `says` and `refs`; the steps quoted come along.
fn resolve(step: &Step, scope: &Scope<'_>) -> Result<(Facts, Facts, Vec<String>), String> {
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
/// Every request is kept in `trace`; the last one holds everything the customer said.
#[allow(clippy::too_many_arguments)]
async fn converse<C: Connector>(
    journey: &Journey,
    ctx: &JourneyContext<'_>,
    step: &Step,
    sut: &C,
    customer: &Customer<'_>,
    trace: &mut StepTrace,
    says: Facts,
    refs: Facts,
) {
    let max_turns = journey.max_turns.max(1);
    let mut declined = BTreeSet::new();
    let mut request = Touchpoint {
        journey: ctx.journey_id.clone(),
        step: step.id.clone(),
        turn: 1,
        channel: step.channel.clone(),
        at: trace.at.to_string(),
        customer: trace.customer.clone(),
        intent: step.intent.clone(),
        says,
        answers: Vec::new(),
        declines: Vec::new(),
        refs,
    };
    loop {
        let turn = request.turn;
        if turn > 1
            && let Some(cut) = ctx.cutoff.cut()
        {
            trace.end = StepEnd::Abandoned {
                cut,
                turn,
                request: None,
            };
            return;
        }
        (ctx.sink)(&Event::TouchpointSent {
            index: ctx.index,
            step: &step.id,
            channel: &step.channel,
            turn,
        });
        let sent = Instant::now();
        let exchange = match ctx.cutoff.in_flight(sut.touchpoint(&request)).await {
            Ok(exchange) => exchange,
            Err(cut) => {
                trace.end = StepEnd::Abandoned {
                    cut,
                    turn,
                    request: Some(Box::new(request)),
                };
                return;
            }
        };
        let elapsed_ms = millis_since(sent);
        (ctx.sink)(&Event::TouchpointAnswered {
            index: ctx.index,
            step: &step.id,
            turn,
            elapsed_ms,
            fault: exchange.reply.as_ref().err().map(SutFault::kind),
        });
        // The next turn's words, when the customer answers the SUT's questions.
        let mut next = None;
        let end = match &exchange.reply {
            Err(_) => Some(StepEnd::Fault),
            Ok(reply) if reply.asks.is_empty() => Some(StepEnd::Answered),
            Ok(_) if turn >= max_turns => Some(StepEnd::TurnLimit { turns: turn }),
            Ok(reply) => {
                let mut says = request.says.clone();
                match customer.reply(&reply.asks, &mut says, &mut declined) {
                    Next::Stuck => Some(StepEnd::Stuck),
                    Next::Say(answer) => {
                        next = Some((says, answer));
                        None
                    }
                }
            }
        };
        let following = next.map(|(says, answer)| Touchpoint {
            journey: request.journey.clone(),
            step: request.step.clone(),
            turn: turn + 1,
            channel: request.channel.clone(),
            at: request.at.clone(),
            customer: request.customer.clone(),
            intent: request.intent.clone(),
            says,
            answers: answer.answers,
            declines: answer.declines,
            refs: request.refs.clone(),
        });
        trace.turns.push(Turn {
            request,
            reply: exchange.reply,
            elapsed_ms,
            attempts: exchange.attempts,
        });
        match (end, following) {
            (None, Some(following)) => request = following,
            (end, _) => {
                trace.end = end.unwrap_or(StepEnd::Answered);
                return;
            }
        }
    }
}

/// After a step: what later references, the customer and the clock learn from it.
fn learn(
    step: &Step,
    trace: &StepTrace,
    scope: &mut Scope<'_>,
    customer: &mut Customer<'_>,
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
    if let Some(last) = replies.last().filter(|_| !step.capture.is_empty()) {
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
    // What the customer said in the step: the words of its last request.
    if let Some(last) = trace.turns.last() {
        customer.remember_said(&last.request.says);
    }
    customer.remember_given(&values.refs);
    scope.add_step(&step.id, values);
}

fn facts_value(facts: &Facts) -> Value {
    Value::Object(facts.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn millis_since(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
