//! `default_vocabulary`: what `seam validate` and `seam run` check scenarios against, in
//! one place: the reference retailer's intent catalogue and the rule registry's ids;
//! `for_run` drops the catalogue when `seam run` has another target; `for_validate` takes
//! the catalogue of the SUT `seam validate` names (`app::catalogue`).

use crate::reference::intents::intent_names;
use crate::rules::RuleSet;
use crate::scenario::{Catalogue, Vocabulary};

/// The vocabulary of the default target: the reference retailer's intents and every
/// rule id Seam knows.
pub fn default_vocabulary() -> Vocabulary {
    Vocabulary {
        intents: Some(Catalogue {
            label: "the reference retailer".to_string(),
            intents: intent_names().into_iter().map(str::to_string).collect(),
        }),
        rules: RuleSet::standard()
            .ids()
            .into_iter()
            .map(str::to_string)
            .collect(),
    }
}

/// The vocabulary of `seam run`: against the embedded retailer, its catalogue; against a
/// `--target`, no catalogue (the target's own is not known before it answers, and a
/// mapping warns about what it does not route), so no intent is "unknown to the
/// reference retailer" there.
pub fn for_run(target: Option<&str>) -> Vocabulary {
    let mut vocabulary = default_vocabulary();
    if target.is_some() {
        vocabulary.intents = None;
    }
    vocabulary
}

/// The vocabulary of `seam validate`: the catalogue of the SUT its flags name (the
/// reference retailer's without any), none when `unknown-intent` warnings are silenced.
pub fn for_validate(
    args: &super::validate_args::ValidateArgs,
    stderr: &mut dyn std::io::Write,
) -> Result<Vocabulary, crate::run::Error> {
    let mut vocabulary = default_vocabulary();
    if let Some(catalogue) =
        super::catalogue::of_sut(&args.sut, &args.client, args.max_file_size, stderr)?
    {
        vocabulary.intents = catalogue;
    }
    if args
        .no_warn
        .contains(&super::validate_args::Warning::UnknownIntent)
    {
        vocabulary.intents = None;
    }
    Ok(vocabulary)
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
        assert_eq!(vocabulary.rules.len(), 43);
        for id in [
            "follow-up/not-kept",
            "deflection/sent-elsewhere",
            "dead-end/no-resolution",
            "agent-continuity/new-agent-without-context",
            "recognition/stranger",
        ] {
            assert!(vocabulary.rules.iter().any(|r| r == id), "{id}");
        }
        assert!(
            vocabulary
                .rules
                .iter()
                .any(|id| id == "expectation/answer.*")
        );
        assert!(vocabulary.rules.iter().all(|id| id.contains('/')));
    }
}
