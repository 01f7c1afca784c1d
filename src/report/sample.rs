//! `report()`: a hand-built `RunReport` with findings of every kind, for report tests,
//! snapshots and documentation examples (`interrupted()`: the same, cut by SIGINT). Not
//! used by the run itself.

use crate::report::{JourneyReport, RunReport};
use crate::rules::finding::{Evidence, Finding, Kind, Severity};
use crate::run::{Abandoned, NotSent};

const SHOP: (&str, &str) = ("scenarios/shop.yaml", "order-then-call");
const BANK: (&str, &str) = ("scenarios/bank.yaml", "asked-three-times");

fn ev(step: &str, channel: &str, at: &str, what: &'static str, quote: &str) -> Evidence {
    Evidence {
        step: step.into(),
        channel: channel.into(),
        at: at.into(),
        what: what.into(),
        quote: quote.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    kind: Kind,
    severity: Severity,
    (file, journey): (&str, &str),
    step: &str,
    steps: &[&str],
    channels: &[&str],
    rule: &str,
    subject: Option<&str>,
    message: &str,
    evidence: Vec<Evidence>,
) -> Finding {
    let mut f = Finding {
        kind,
        severity,
        journey: journey.into(),
        file: file.into(),
        step: step.into(),
        steps: steps.iter().map(|&s| s.into()).collect(),
        channels: channels.iter().map(|&s| s.into()).collect(),
        rule: rule.to_string().into(),
        subject: subject.map(String::from),
        message: message.into(),
        evidence,
        fingerprint: Default::default(),
        corroborated_by: Vec::new(),
    };
    f.fingerprint = f.compute_fingerprint();
    f
}

fn journey(file: &str, name: &str, steps: &[&str], touchpoints: u64, faults: u64) -> JourneyReport {
    JourneyReport {
        name: name.into(),
        file: file.into(),
        tags: vec!["sample".into()],
        steps: steps.len(),
        step_ids: steps.iter().map(|s| s.to_string()).collect(),
        touchpoints,
        faults,
        elapsed_ms: 0,
    }
}

/// Three journeys in two files; findings of every kind, one of them info.
pub fn report() -> RunReport {
    let t1 = "2026-12-14T10:00:00+01:00";
    let t2 = "2026-12-19T10:05:00+01:00";
    let findings = vec![
        finding(
            Kind::BrokenHandoff,
            Severity::Major,
            SHOP,
            "order",
            &["order"],
            &["store"],
            "promise-not-kept",
            Some("arrival_sms"),
            "promise `arrival_sms` made in step `order` (store) for sms by 2026-12-17T20:00:00+01:00 was not kept: no outbox message fulfils it",
            vec![
                ev(
                    "order",
                    "store",
                    t1,
                    "SUT promised",
                    "arrival_sms (p1) on sms by 2026-12-17T20:00:00+01:00",
                ),
                ev(
                    "outbox",
                    "sms",
                    "2026-12-17T20:00:00+01:00",
                    "outbox at the deadline",
                    "nothing fulfils p1",
                ),
            ],
        ),
        finding(
            Kind::BrokenHandoff,
            Severity::Major,
            SHOP,
            "call",
            &["order", "call"],
            &["store", "phone"],
            "unknown-reference",
            None,
            "step `call` (phone) continuing `order` (store): the SUT does not know the reference",
            vec![
                ev(
                    "order",
                    "store",
                    t1,
                    "SUT issued refs",
                    r#"{"order":"S-0042"}"#,
                ),
                ev(
                    "call",
                    "phone",
                    t2,
                    "customer quoted",
                    r#"{"order":"S-0042"}"#,
                ),
                ev(
                    "call",
                    "phone",
                    t2,
                    "SUT answered",
                    r#"unknown_reference "No order <S-0042> & no trace""#,
                ),
            ],
        ),
        finding(
            Kind::InconsistentAnswer,
            Severity::Major,
            SHOP,
            "call",
            &["order", "call"],
            &["store", "phone"],
            "same-question",
            Some("orderable"),
            "`orderable` differs: `order` (store) answered true, `call` (phone) answered false, to the same question (stock.check sku=\"978\")",
            vec![
                ev(
                    "order",
                    "store",
                    t1,
                    "SUT answered",
                    "done [orderable=true]",
                ),
                ev(
                    "call",
                    "phone",
                    t2,
                    "SUT answered",
                    "done [orderable=false]",
                ),
            ],
        ),
        finding(
            Kind::Expectation,
            Severity::Info,
            SHOP,
            "journey",
            &["journey"],
            &["email"],
            "outbox.max-unsolicited",
            None,
            "2 unsolicited outbox messages, more than the 1 allowed",
            vec![
                ev(
                    "outbox",
                    "email",
                    t2,
                    "unsolicited message",
                    "\"How did we do?\"",
                ),
                ev(
                    "outbox",
                    "email",
                    t2,
                    "unsolicited message",
                    "\"Reminder: how did we do?\"",
                ),
            ],
        ),
        finding(
            Kind::RepeatedQuestion,
            Severity::Minor,
            BANK,
            "branch",
            &["call", "transfer", "branch"],
            &["phone", "store"],
            "asked-again",
            Some("tax_id"),
            "asked again for `tax_id` on store, already given in step `call` (phone): asked 3 times so far, 2 repeats",
            vec![
                ev(
                    "call",
                    "phone",
                    t1,
                    "customer gave",
                    r#"tax_id="12345678Z""#,
                ),
                ev(
                    "transfer",
                    "phone",
                    t1,
                    "SUT asked again (turn 1)",
                    r#"asks [tax_id] "Your tax id?""#,
                ),
                ev(
                    "branch",
                    "store",
                    t2,
                    "SUT asked again (turn 1)",
                    r#"asks [tax_id] "Your tax id?""#,
                ),
            ],
        ),
        finding(
            Kind::SutError,
            Severity::Critical,
            BANK,
            "branch",
            &["branch"],
            &["store"],
            "http-status",
            None,
            "step `branch` (store): the SUT failed to answer: HTTP 503: \"busy\"",
            vec![ev(
                "branch",
                "store",
                t2,
                "turn 2 (attempts: 1)",
                "HTTP 503: \"busy\"",
            )],
        ),
    ];
    // The rules' order: file first (stable, so steps and kinds keep theirs).
    let mut findings = findings;
    findings.sort_by(|a, b| a.file.cmp(&b.file));
    RunReport {
        schema: crate::report::json::SCHEMA_VERSION,
        target: "reference:siloed".into(),
        fail_on: Severity::Minor,
        interrupted: false,
        signal: None,
        incomplete: false,
        allow_incomplete: false,
        journeys: vec![
            journey(SHOP.0, SHOP.1, &["order", "pay", "call"], 7, 0),
            journey("scenarios/shop.yaml", "clean-visit", &["browse"], 1, 0),
            journey(BANK.0, BANK.1, &["call", "transfer", "branch"], 8, 1),
        ],
        findings,
        baselined: 1,
        touchpoints: 16,
        elapsed_ms: 0,
        notes: Vec::new(),
        not_sent: Vec::new(),
        abandoned: Vec::new(),
        scorecard: scorecard(),
        compared: None,
    }
}

/// A scorecard for the sample's channels: chat, phone, branch and web.
pub fn scorecard() -> crate::run::Scorecard {
    use crate::run::Measures;
    let channel = |contacts: u64, cases: u64, fcr: Option<f64>| Measures {
        journeys: 1,
        contacts,
        cases,
        resolved: cases / 2,
        first_contact_resolution: fcr,
        query_serviceability: fcr,
        contacts_per_resolution: (cases > 1).then_some(2.0),
        channel_switches_per_journey: Some(1.0),
        transfers_per_journey: Some(0.0),
        repeated_questions_per_journey: Some(1.0),
        handoff_success_rate: None,
        answer_consistency_rate: Some(0.5),
        promises_kept: None,
        time_to_resolution_hours: (cases > 1).then_some(26.5),
        customer_effort_score: Some(3.67),
    };
    crate::run::Scorecard {
        overall: Measures {
            journeys: 3,
            contacts: 6,
            cases: 4,
            resolved: 2,
            first_contact_resolution: Some(0.25),
            query_serviceability: Some(0.5),
            contacts_per_resolution: Some(3.0),
            channel_switches_per_journey: Some(0.667),
            transfers_per_journey: Some(0.333),
            repeated_questions_per_journey: Some(0.667),
            handoff_success_rate: Some(0.5),
            answer_consistency_rate: Some(0.5),
            promises_kept: Some(0.0),
            time_to_resolution_hours: Some(26.5),
            customer_effort_score: Some(3.5),
        },
        channels: [
            ("chat", channel(2, 2, Some(0.5))),
            ("phone", channel(2, 1, Some(0.0))),
            ("web", channel(2, 0, None)),
        ]
        .into_iter()
        .map(|(c, m)| (c.to_string(), m))
        .collect(),
    }
}

/// `report()` as if SIGINT had stopped it during the bank journey: its `transfer` turn
/// abandoned in flight, `branch` not sent, and a journey never started.
pub fn interrupted() -> RunReport {
    let mut report = report();
    report.interrupted = true;
    report.signal = Some("SIGINT".into());
    report.incomplete = true;
    report
        .findings
        .retain(|f| !matches!(&*f.step, "transfer" | "branch"));
    report.not_sent = vec![
        NotSent {
            file: BANK.0.into(),
            journey: BANK.1.into(),
            steps: vec!["branch".into()],
        },
        NotSent {
            file: "scenarios/later.yaml".into(),
            journey: "never-started".into(),
            steps: vec!["first".into(), "second".into()],
        },
    ];
    report.abandoned = vec![Abandoned {
        file: BANK.0.into(),
        journey: BANK.1.into(),
        step: "transfer".into(),
        turn: 1,
        in_flight: true,
    }];
    report
}
