//! `load_paths` on the valid fixtures: personas merged, fragments and matrices expanded,
//! times resolved.

use std::path::PathBuf;

use seam::app::vocabulary::default_vocabulary;
use seam::scenario::load_paths;
use seam::scenario::model::{RuleAction, RuleSetting, Severity};

#[test]
fn resolves_the_valid_fixtures_into_journeys() {
    let loaded = load_paths(&[PathBuf::from("fixtures/valid")], &default_vocabulary());
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let names: Vec<&str> = loaded.journeys.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "bookstore-store-order",
            "bank-same-slots-everywhere",
            "telco-incident-in-hours",
            "telco-incident-after-hours",
            "bookstore-stock-quiet-rules"
        ]
    );
    let book = &loaded.journeys[0];
    assert_eq!(book.file, "fixtures/valid/bookstore.yaml");
    let steps: Vec<(&str, &str, String)> = book
        .steps
        .iter()
        .map(|s| (s.id.as_str(), s.channel.as_str(), s.at.to_rfc3339()))
        .collect();
    assert_eq!(
        steps,
        [
            ("web-stock", "web", "2026-12-18T10:00:00+01:00".to_string()),
            (
                "store-stock",
                "store",
                "2026-12-19T10:00:00+01:00".to_string()
            ),
            (
                "order-in-store",
                "store",
                "2026-12-19T10:20:00+01:00".to_string()
            ),
            (
                "phone-follow-up",
                "phone",
                "2026-12-23T10:20:00+01:00".to_string()
            ),
        ]
    );
    assert_eq!(book.customer.facts["name"], "Ana Pereira");
    assert_eq!(book.customer.facts["child"], "Leo");
    assert_eq!(book.identifiers_on("phone")["phone"], "+34 600 111 222");
    assert_eq!(book.max_turns, 4);

    let bank = &loaded.journeys[1];
    let ids: Vec<&str> = bank.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["slots-web", "slots-app", "slots-kiosk", "queue"]);
    assert_eq!(bank.steps[2].group.as_deref(), Some("slots"));
    assert_eq!(bank.steps[2].at, bank.steps[0].at);
    assert_eq!(
        bank.consistent[0].steps,
        ["slots-web", "slots-app", "slots-kiosk"]
    );
    assert_eq!(loaded.files, 6);
}

#[test]
fn a_rules_map_loads_in_file_order() {
    let loaded = load_paths(
        &[PathBuf::from("fixtures/valid/rules.yaml")],
        &default_vocabulary(),
    );
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let setting = |pattern: &str, setting| RuleSetting {
        pattern: pattern.to_string(),
        setting,
    };
    assert_eq!(
        loaded.journeys[0].rules,
        [
            setting("broken-handoff/not-recognised", RuleAction::Off),
            setting(
                "repeated-question/asked-again",
                RuleAction::Severity(Severity::Critical)
            ),
            setting("expectation/answer.*", RuleAction::Severity(Severity::Info)),
            setting(
                "expectation/answer.in_stock",
                RuleAction::Severity(Severity::Major)
            ),
            setting("sut-error/*", RuleAction::Severity(Severity::Minor)),
        ]
    );
    assert_eq!(
        serde_json::to_value(&loaded.journeys[0].rules[0]).ok(),
        Some(serde_json::json!({"pattern": "broken-handoff/not-recognised", "setting": "off"}))
    );
}
