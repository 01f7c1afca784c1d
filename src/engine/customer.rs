//! `Customer`: the simulated customer of one journey. Answers the SUT's `asks` from what
//! it knows (this step's words, the persona, what it said or was given earlier) and
//! declines the rest.

use std::collections::BTreeSet;

use crate::protocol::Facts;

/// What the customer says in the next turn, in reply to the SUT's `asks`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    /// Keys given (now in `says`).
    pub answers: Vec<String>,
    /// Keys asked for that the customer does not have.
    pub declines: Vec<String>,
}

/// The customer's next move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Send another turn.
    Say(Answer),
    /// The SUT asks only for what the customer already declined in this step.
    Stuck,
}

/// One journey's customer: the persona's facts and the journey's memory.
#[derive(Debug, Clone)]
pub struct Customer<'a> {
    /// The persona's facts (borrowed from the journey).
    persona: &'a Facts,
    /// Facts the customer said during the journey (latest value per key).
    said: Facts,
    /// References the SUT gave the customer (order numbers, case ids).
    given: Facts,
}

impl<'a> Customer<'a> {
    pub fn new(persona: &'a Facts) -> Self {
        Customer {
            persona,
            said: Facts::new(),
            given: Facts::new(),
        }
    }

    /// Whether the customer said `key` earlier in the journey.
    pub fn has_said(&self, key: &str) -> bool {
        self.said.contains_key(key)
    }

    /// Every fact said so far in the journey.
    pub fn said(&self) -> &Facts {
        &self.said
    }

    /// Remember what was said in a step (its final `says`).
    pub fn remember_said(&mut self, says: &Facts) {
        remember(&mut self.said, says);
    }

    /// Remember references the SUT gave (reply refs, redirect refs).
    pub fn remember_given(&mut self, refs: &Facts) {
        remember(&mut self.given, refs);
    }

    /// Reply to `asks`: a key already said in this step is said again, a known one is added
    /// to `says`, an unknown one is declined (and remembered in `declined`). When every ask
    /// was already declined in this step the customer has nothing more to say.
    pub fn reply(
        &self,
        asks: &[String],
        says: &mut Facts,
        declined: &mut BTreeSet<String>,
    ) -> Next {
        if !asks.is_empty() && asks.iter().all(|k| declined.contains(k)) {
            return Next::Stuck;
        }
        let mut answer = Answer::default();
        for key in dedup(asks) {
            if says.contains_key(key) {
                answer.answers.push(key.to_string());
            } else if let Some(value) = self.recall(key) {
                says.insert(key.to_string(), value.clone());
                answer.answers.push(key.to_string());
            } else {
                declined.insert(key.to_string());
                answer.declines.push(key.to_string());
            }
        }
        Next::Say(answer)
    }

    /// What the customer knows about `key`: the persona first, then what it said or was
    /// given earlier in the journey.
    fn recall(&self, key: &str) -> Option<&serde_json::Value> {
        self.persona
            .get(key)
            .or_else(|| self.said.get(key))
            .or_else(|| self.given.get(key))
    }
}

/// Put `facts` into `memory` (latest value per key), copying only what is new.
fn remember(memory: &mut Facts, facts: &Facts) {
    for (k, v) in facts {
        match memory.get_mut(k) {
            Some(old) if old == v => {}
            Some(old) => *old = v.clone(),
            None => {
                memory.insert(k.clone(), v.clone());
            }
        }
    }
}

fn dedup(keys: &[String]) -> Vec<&str> {
    let mut seen = BTreeSet::new();
    keys.iter()
        .map(String::as_str)
        .filter(|k| seen.insert(*k))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts(pairs: &[(&str, serde_json::Value)]) -> Facts {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn keys(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn answers_from_the_persona_and_declines_what_it_lacks() {
        let persona = facts(&[("email", json!("ana@example.com"))]);
        let customer = Customer::new(&persona);
        let mut says = facts(&[("isbn", json!("978"))]);
        let mut declined = BTreeSet::new();
        let next = customer.reply(&keys(&["email", "tax_id"]), &mut says, &mut declined);
        assert_eq!(
            next,
            Next::Say(Answer {
                answers: keys(&["email"]),
                declines: keys(&["tax_id"]),
            })
        );
        assert_eq!(says.get("email"), Some(&json!("ana@example.com")));
        assert!(declined.contains("tax_id"));
    }

    #[test]
    fn a_fact_said_in_this_step_is_said_again() {
        let persona = Facts::new();
        let customer = Customer::new(&persona);
        let mut says = facts(&[("isbn", json!("978"))]);
        let next = customer.reply(&keys(&["isbn", "isbn"]), &mut says, &mut BTreeSet::new());
        assert_eq!(
            next,
            Next::Say(Answer {
                answers: keys(&["isbn"]),
                declines: vec![],
            })
        );
    }

    #[test]
    fn remembers_what_it_said_and_was_given_earlier_in_the_journey() {
        let persona = Facts::new();
        let mut customer = Customer::new(&persona);
        customer.remember_said(&facts(&[("isbn", json!("978"))]));
        customer.remember_given(&facts(&[("order", json!("S-1"))]));
        assert!(customer.has_said("isbn"));
        assert!(!customer.has_said("order"));
        let mut says = Facts::new();
        let next = customer.reply(&keys(&["isbn", "order"]), &mut says, &mut BTreeSet::new());
        assert_eq!(
            next,
            Next::Say(Answer {
                answers: keys(&["isbn", "order"]),
                declines: vec![],
            })
        );
        assert_eq!(says.get("order"), Some(&json!("S-1")));
    }

    #[test]
    fn asking_again_only_for_declined_facts_gets_the_customer_stuck() {
        let persona = Facts::new();
        let customer = Customer::new(&persona);
        let mut says = Facts::new();
        let mut declined = BTreeSet::new();
        let first = customer.reply(&keys(&["tax_id"]), &mut says, &mut declined);
        assert!(matches!(first, Next::Say(_)));
        let second = customer.reply(&keys(&["tax_id"]), &mut says, &mut declined);
        assert_eq!(second, Next::Stuck);
    }
}
