//! `default_vocabulary`: what `seam validate` and `seam run` check scenarios against, in
//! one place: the reference retailer's intent catalogue and the rule ids of `rules:`.

use crate::reference::intents::intent_names;
use crate::scenario::{Catalogue, Vocabulary};

/// Rule ids a journey's `rules:` map may name (docs/reports.md, the rules table).
// To be replaced by the rule registry's list.
const RULE_IDS: &[&str] = &[
    "repeated-question/asked-again",
    "repeated-question/max-repeated-questions",
    "broken-handoff/unknown-reference",
    "broken-handoff/not-recognised",
    "broken-handoff/reference-asked-again",
    "broken-handoff/context-lost",
    "broken-handoff/state-lost",
    "broken-handoff/promise-not-kept",
    "broken-handoff/redirect-drops-case",
    "inconsistent-answer/same-question",
    "inconsistent-answer/consistent",
    "inconsistent-answer/same-moment",
    "expectation/status",
    "expectation/answer.*",
    "expectation/not-asked",
    "expectation/recognized",
    "expectation/redirected",
    "expectation/refs",
    "expectation/promises.made",
    "expectation/promises.kept",
    "expectation/promises.within",
    "expectation/promises.matches",
    "expectation/outbox.max-unsolicited",
    "expectation/outbox.irrelevant-topics",
    "expectation/step-skipped",
    "sut-error/timeout",
    "sut-error/connection",
    "sut-error/http-status",
    "sut-error/rejected",
    "sut-error/garbage",
    "sut-error/turn-limit",
    "sut-error/outbox-read",
];

/// The vocabulary of the default target: the reference retailer's intents and every
/// rule id Seam knows.
pub fn default_vocabulary() -> Vocabulary {
    Vocabulary {
        intents: Some(Catalogue {
            label: "the reference retailer".to_string(),
            intents: intent_names().into_iter().map(str::to_string).collect(),
        }),
        rules: RULE_IDS.iter().map(|id| (*id).to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_vocabulary_knows_the_reference_intents_and_every_rule() {
        let vocabulary = default_vocabulary();
        let catalogue = vocabulary.intents.expect("a catalogue");
        assert_eq!(catalogue.label, "the reference retailer");
        assert!(catalogue.intents.iter().any(|i| i == "stock.check"));
        assert_eq!(vocabulary.rules.len(), RULE_IDS.len());
        assert!(vocabulary.rules.iter().all(|id| id.contains('/')));
    }
}
