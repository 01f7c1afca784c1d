//! `Vocabulary`: what scenario files are checked against that the scenario language does
//! not own (the target's intent catalogue, the rule ids of `rules:`), given by the caller.

use super::diagnostic::Diagnostic;
use super::yaml::Span;

/// What scenario files are checked against that the scenario language does not own.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// The intent catalogue the journeys are meant for; `None`: intents are not checked.
    pub intents: Option<Catalogue>,
    /// Rule ids a journey's `rules:` map may name: `kind/rule`, or a family `kind/prefix*`
    /// (e.g. `expectation/answer.*`).
    pub rules: Vec<String>,
}

impl Vocabulary {
    /// The finding kinds of the rule ids (`kind` of `kind/rule`), each once, in order:
    /// what a `severity:` map may name.
    pub fn kinds(&self) -> Vec<&str> {
        let mut kinds: Vec<&str> = Vec::new();
        for id in &self.rules {
            let kind = id.split_once('/').map_or(id.as_str(), |(k, _)| k);
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        kinds
    }
}

/// The intents one system under test serves.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// Who serves it, for messages: "the reference retailer", "the mapping" ...
    pub label: String,
    pub intents: Vec<String>,
}

impl Vocabulary {
    /// A warning (with "did you mean") when the catalogue does not know `intent`; nothing
    /// when it does or when there is no catalogue: another SUT may know it.
    pub fn check_intent(&self, file: &str, intent: &str, span: Span) -> Option<Diagnostic> {
        let catalogue = self.intents.as_ref()?;
        if catalogue.intents.iter().any(|known| known == intent) {
            return None;
        }
        let message = format!("intent `{intent}` is unknown to {}", catalogue.label);
        Some(
            Diagnostic::warning(file, span, message)
                .did_you_mean(intent, catalogue.intents.iter().map(String::as_str)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> Vocabulary {
        Vocabulary {
            intents: Some(Catalogue {
                label: "the mapping".into(),
                intents: vec!["stock.check".into(), "order.status".into()],
            }),
            rules: Vec::new(),
        }
    }

    #[test]
    fn an_unknown_intent_is_a_warning_naming_the_catalogue() {
        let d = shop().check_intent("x.yaml", "stock.chek", Span::default());
        let d = d.expect("a warning");
        assert!(!d.is_error());
        assert_eq!(d.message, "intent `stock.chek` is unknown to the mapping");
        assert_eq!(d.hint.as_deref(), Some("did you mean `stock.check`?"));
        let far = shop().check_intent("x.yaml", "karaoke.sing", Span::default());
        assert_eq!(far.and_then(|d| d.hint), None);
    }

    #[test]
    fn a_known_intent_or_no_catalogue_gives_nothing() {
        assert_eq!(
            shop().check_intent("x.yaml", "order.status", Span::default()),
            None
        );
        let open = Vocabulary::default();
        assert_eq!(
            open.check_intent("x.yaml", "anything", Span::default()),
            None
        );
    }
}
