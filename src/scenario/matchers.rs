//! `check_answer`: the comparisons of a step's `expect.answer`. A mapping there is a
//! comparison (`{ gt: 1 }`); an unknown key in it (`{ gte: 1 }`, `{ exits: true }`) is an
//! error with "did you mean", not silently an equality with that mapping.

use std::collections::BTreeMap;

use super::diagnostic::{Diagnostic, suggest};
use super::model::Matcher;
use super::yaml::Node;

/// The keys of a comparison, as written.
pub const COMPARISONS: [&str; 9] = [
    "eq", "ne", "lt", "le", "gt", "ge", "in", "contains", "exists",
];

/// Each key of a mapping under `answer:` that is not a comparison is an error at the key.
pub fn check_answer(
    file: &str,
    answer: &BTreeMap<String, Matcher>,
    answer_node: &Node,
    out: &mut Vec<Diagnostic>,
) {
    for (field, matcher) in answer {
        let Matcher::Equals(serde_json::Value::Object(map)) = matcher else {
            continue;
        };
        let field_node = answer_node.get(field).unwrap_or(answer_node);
        for key in map.keys() {
            let span = field_node.key(key).map_or(field_node.span, |k| k.span);
            let d = Diagnostic::error(
                file,
                span,
                format!("unknown comparison `{key}` for answer field `{field}`"),
            );
            let all = COMPARISONS.join(", ");
            out.push(match suggest(key, COMPARISONS) {
                Some(best) => d.with_hint(format!(
                    "did you mean `{best}`? comparisons: {all}; to expect a mapping, write `{{ eq: {{...}} }}`"
                )),
                None => d.with_hint(format!(
                    "comparisons: {all}; to expect a mapping, write `{{ eq: {{...}} }}`"
                )),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::Expect;

    #[test]
    fn a_misspelt_comparison_is_an_error_and_eq_takes_a_mapping() {
        let text = "answer:\n  count: { gte: 1 }\n  ready: { exists: true }\n  place: { eq: { city: Lisbon } }\n  name: Ana\n";
        let node = crate::scenario::yaml::parse(text).documents.remove(0);
        let expect: Expect = serde_json::from_value(node.to_json()).expect("an expect");
        let mut out = Vec::new();
        check_answer(
            "x.yaml",
            &expect.answer,
            &node.get("answer").cloned().unwrap_or(node.clone()),
            &mut out,
        );
        let found: Vec<(usize, usize, &str)> = out
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [(2, 12, "unknown comparison `gte` for answer field `count`")]
        );
        assert!(
            out[0]
                .hint
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean `gt`?"))
        );
    }
}
