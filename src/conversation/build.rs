//! Building a `Conversation` from an engine `Trace`: `scripted` with the scenario that was
//! replayed (links declared by `continues` and known from the references it quoted),
//! `inferred` from the trace alone (links inferred from values, as for an exported log).

use serde_json::Value;

use super::{Basis, Comparison, Contact, Conversation, Declared, Link};
use crate::engine::trace::{StepTrace, Trace};
use crate::scenario::model::{Journey, Step};

/// The conversation of a scripted journey: the trace's contacts, linked as the scenario
/// declares (`continues`) and as the engine saw the customer quote references
/// (`${step.refs.x}`), with the scenario's declared comparisons, limits and waivers.
pub fn scripted(trace: Trace, journey: &Journey) -> Conversation {
    let position = |id: &str| trace.steps.iter().position(|s| *s.id == *id);
    let mut links = Vec::new();
    let mut steps_of = Vec::with_capacity(trace.steps.len());
    for (i, step) in trace.steps.iter().enumerate() {
        for quoted in &step.quotes {
            if let Some(earlier) = position(quoted) {
                links.push(Link {
                    contact: i,
                    earlier,
                    basis: Basis::QuotedReference,
                });
            }
        }
        let declared = journey_step(journey, i, &step.id);
        let continues = declared.and_then(|s| s.continues.as_deref());
        if let Some(earlier) = continues.and_then(position) {
            links.push(Link {
                contact: i,
                earlier,
                basis: Basis::Declared,
            });
        }
        steps_of.push(declared);
    }
    let comparisons = journey
        .consistent
        .iter()
        .map(|rule| Comparison {
            contacts: steps_of
                .iter()
                .enumerate()
                .filter(|(_, js)| {
                    js.is_some_and(|js| {
                        rule.steps
                            .iter()
                            .any(|id| *id == js.id || js.group.as_deref() == Some(id.as_str()))
                    })
                })
                .map(|(i, _)| i)
                .collect(),
            fields: rule.fields.clone(),
            compare: rule.compare.clone(),
        })
        .collect();
    let promises_waived = steps_of
        .iter()
        .enumerate()
        .filter(|(_, js)| {
            js.and_then(|js| js.expect.promises.as_ref())
                .is_some_and(|p| !p.kept)
        })
        .map(|(i, _)| i)
        .collect();
    let declared = Declared {
        max_repeated_questions: journey.max_repeated_questions,
        comparisons,
        promises_waived,
        customer: journey.customer.facts.clone(),
    };
    from_parts(trace, links, declared)
}

/// The conversation of a trace with no scenario: links are inferred. A contact whose
/// first request quotes a value an earlier reply gave as a reference (or a redirect
/// carried) is linked to the earliest contact that gave it (`QuotedReference`) and
/// carries on the case of the first of them (`ReferenceCarried`); else a contact
/// presenting an identifier value an earlier contact presented continues the latest such
/// contact (`SameIdentifiers`).
pub fn inferred(trace: Trace) -> Conversation {
    let mut links = Vec::new();
    for (i, step) in trace.steps.iter().enumerate() {
        let earlier = &trace.steps[..i];
        let quoted = step.turns.first().map(|t| &t.request.refs);
        let mut from: Vec<(usize, &String)> = Vec::new();
        for (key, value) in quoted.into_iter().flatten() {
            if let Some(j) = earlier.iter().position(|e| gave_ref(e, value))
                && !from.iter().any(|(f, _)| *f == j)
            {
                from.push((j, key));
            }
        }
        links.extend(from.iter().map(|&(earlier, _)| Link {
            contact: i,
            earlier,
            basis: Basis::QuotedReference,
        }));
        let carried = from
            .first()
            .map(|&(j, key)| (j, Basis::ReferenceCarried { key: key.clone() }));
        let shared = || {
            earlier.iter().enumerate().rev().find_map(|(j, e)| {
                step.customer
                    .iter()
                    .find(|(k, v)| e.customer.get(*k) == Some(*v))
                    .map(|(k, _)| (j, Basis::SameIdentifiers { key: k.clone() }))
            })
        };
        if let Some((earlier, basis)) = carried.or_else(shared) {
            links.push(Link {
                contact: i,
                earlier,
                basis,
            });
        }
    }
    from_parts(trace, links, Declared::default())
}

/// Whether a reply of `step` gave `value` as a reference (or a redirect carried it).
fn gave_ref(step: &StepTrace, value: &Value) -> bool {
    step.turns
        .iter()
        .filter_map(|t| t.reply.as_ref().ok())
        .any(|r| {
            r.refs.values().any(|v| v == value)
                || r.redirect
                    .as_ref()
                    .is_some_and(|d| d.refs.values().any(|v| v == value))
        })
}

/// The scenario step of contact `index` (id `id`): the one at the same index when the ids
/// agree (the engine traces every step, in order), else the one with that id.
pub(crate) fn journey_step<'j>(journey: &'j Journey, index: usize, id: &str) -> Option<&'j Step> {
    journey
        .steps
        .get(index)
        .filter(|js| js.id == id)
        .or_else(|| journey.step(id))
}

fn from_parts(trace: Trace, links: Vec<Link>, declared: Declared) -> Conversation {
    let Trace {
        journey,
        file,
        steps,
        outbox_reads,
        ..
    } = trace;
    let contacts = steps
        .into_iter()
        .map(|s| Contact {
            id: s.id,
            channel: s.channel,
            intent: s.intent,
            at: s.at,
            customer: s.customer,
            subject: s.subject,
            turns: s.turns,
            end: s.end,
        })
        .collect();
    Conversation {
        journey,
        file,
        contacts,
        outbox_reads,
        links,
        declared,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Status;
    use crate::rules::testkit::{journey, reply_mut, step, trace};
    use serde_json::json;

    #[test]
    fn a_scripted_conversation_links_as_declared_and_quoted() {
        let s1 = step("s1", "c1", 1);
        let mut s2 = step("s2", "c2", 2);
        s2.continues = Some("s1".into());
        let mut s3 = step("s3", "c3", 3);
        s3.quotes = vec!["s1".into()];
        let t = trace(vec![s1, s2, s3]);
        let j = journey(&t);
        let c = scripted(t, &j);
        assert_eq!(c.continued(1).map(|c| &*c.id), Some("s1"));
        assert_eq!(c.quoted(2).map(|c| &*c.id).collect::<Vec<_>>(), ["s1"]);
        assert!(c.continued(2).is_none());
        assert!(!c.is_handoff(0));
        assert_eq!(c.links[0].basis, Basis::Declared);
    }

    #[test]
    fn an_inferred_conversation_links_by_quoted_reference_and_identifiers() {
        let mut s1 = step("s1", "c1", 1);
        reply_mut(&mut s1, 0)
            .refs
            .insert("order".into(), json!("O-1"));
        s1.customer.insert("email".into(), json!("a@x"));
        let mut s2 = step("s2", "c2", 2);
        s2.turns[0]
            .request
            .refs
            .insert("order".into(), json!("O-1"));
        let mut s3 = step("s3", "c3", 3);
        s3.customer.insert("email".into(), json!("a@x"));
        let mut s4 = step("s4", "c1", 4);
        s4.customer.insert("email".into(), json!("b@x"));
        // What the scenario declared is not read.
        s4.continues = Some("s1".into());
        let mut t = trace(vec![s1, s2, s3, s4]);
        t.steps[1].turns[0].reply = Ok(crate::rules::testkit::reply(Status::Done));
        let c = inferred(t);
        assert_eq!(c.quoted(1).map(|c| &*c.id).collect::<Vec<_>>(), ["s1"]);
        assert_eq!(c.continued(1).map(|c| &*c.id), Some("s1"));
        assert_eq!(c.continued(2).map(|c| &*c.id), Some("s1"));
        assert_eq!(
            c.links[1].basis,
            Basis::ReferenceCarried {
                key: "order".into()
            }
        );
        assert_eq!(
            c.links[2].basis,
            Basis::SameIdentifiers {
                key: "email".into()
            }
        );
        assert!(!c.is_handoff(3));
    }
}
