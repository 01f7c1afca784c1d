//! The reference retailer's HTTP surface over real loopback sockets: bad inputs get a
//! JSON 4xx, repeated turns are idempotent, ids are opaque, seams are independent, and
//! the real binary prints its address first.

#[path = "reference_support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use seam::reference::{Profile, seams};
use serde_json::{Value, json};
use support::*;

fn touchpoint(journey: &str, step: &str, channel: &str, intent: &str, says: Value) -> Value {
    json!({"journey": journey, "step": step, "turn": 1, "channel": channel,
        "at": "2026-12-14T11:00:00+01:00", "intent": intent, "says": says})
}

async fn raw_post(sut: &Sut, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let resp = sut
        .client
        .post(format!("{}/touchpoints", sut.base))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("sent");
    let code = resp.status().as_u16();
    (code, resp.json().await.unwrap_or(Value::Null))
}

fn error_text(body: &Value) -> &str {
    body["error"].as_str().unwrap_or("<no error field>")
}

#[tokio::test]
async fn bad_inputs_get_a_json_4xx_naming_the_problem() {
    let sut = Sut::named("siloed").await;
    let (code, body) = raw_post(&sut, "{not json").await;
    assert_eq!(code, 400);
    assert!(error_text(&body).contains("malformed touchpoint"), "{body}");

    let (code, body) = raw_post(&sut, r#"{"step":"s","turn":1}"#).await;
    assert_eq!(code, 400);
    assert!(
        error_text(&body).contains("missing field `journey`"),
        "{body}"
    );

    let (code, body) = sut
        .post(&touchpoint("j", "s", "pigeon", "stock.check", json!({})))
        .await;
    assert_eq!(code, 400);
    assert!(
        error_text(&body).contains("unknown channel `pigeon`"),
        "{body}"
    );

    let (code, body) = sut
        .post(&touchpoint("j", "s", "web", "stock.chek", json!({})))
        .await;
    assert_eq!(code, 400);
    assert!(
        error_text(&body).contains("did you mean `stock.check`"),
        "{body}"
    );

    let mut bad_at = touchpoint("j", "s", "web", "stock.check", json!({}));
    bad_at["at"] = json!("yesterday");
    let (code, body) = sut.post(&bad_at).await;
    assert_eq!(code, 400);
    assert!(error_text(&body).contains("`at`"), "{body}");

    let huge = format!(
        r#"{{"journey":"j","step":"s","turn":1,"channel":"web","at":"2026-12-14T11:00:00+01:00","intent":"stock.check","says":{{"x":"{}"}}}}"#,
        "a".repeat(100_000)
    );
    let (code, body) = raw_post(&sut, huge).await;
    assert_eq!(code, 413);
    assert!(error_text(&body).contains("larger than"), "{body}");

    let resp = sut
        .client
        .get(format!("{}/outbox", sut.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.expect("json");
    assert!(error_text(&body).contains("journey"), "{body}");

    let resp = sut
        .client
        .get(format!("{}/outbox?journey=j&until=soon", sut.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status().as_u16(), 400);

    let resp = sut
        .client
        .get(format!("{}/nope", sut.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status().as_u16(), 404);
    assert!(
        resp.json::<Value>()
            .await
            .is_ok_and(|b| b["error"].is_string())
    );

    let resp = sut
        .client
        .get(format!("{}/touchpoints", sut.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status().as_u16(), 405);
    assert!(
        resp.json::<Value>()
            .await
            .is_ok_and(|b| b["error"].is_string())
    );

    // Still serving after all that.
    let (code, _) = sut
        .post(&touchpoint(
            "j",
            "ok",
            "web",
            "stock.check",
            json!({"sku": "x"}),
        ))
        .await;
    assert_eq!(code, 200);
    sut.stop().await;
}

#[tokio::test]
async fn intents_health_and_release() {
    let sut = Sut::named("unified").await;
    let intents: Value = sut
        .client
        .get(format!("{}/intents", sut.base))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(
        intents,
        serde_json::to_value(seam::reference::intents::catalogue()).expect("json")
    );
    let (code, _) = sut
        .post(&touchpoint(
            "gone",
            "s",
            "web",
            "stock.check",
            json!({"sku": "x"}),
        ))
        .await;
    assert_eq!(code, 200);
    let health: Value = sut
        .client
        .get(format!("{}/health", sut.base))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(health["profile"], "unified");
    assert_eq!(health["journeys"], 1);
    let resp = sut
        .client
        .delete(format!("{}/journeys/gone", sut.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status().as_u16(), 204);
    assert!(sut.outbox("gone", "2030-01-01T00:00:00Z").await.is_empty());
    sut.stop().await;
}

#[tokio::test]
async fn a_repeated_turn_is_answered_the_same_without_acting_twice() {
    let sut = Sut::named("siloed").await;
    let mut body = touchpoint(
        "j",
        "buy",
        "store",
        "order.create",
        json!({"sku": "9788498381498", "store": "bookstore-madrid"}),
    );
    let (_, first) = sut.post(&body).await;
    let (_, again) = sut.post(&body).await;
    assert_eq!(first, again);
    assert_eq!(first["refs"]["order"], "S-0001");
    body["step"] = json!("buy-more");
    let (_, next) = sut.post(&body).await;
    assert_eq!(
        next["status"], "needs_info",
        "the only copy was sold: to order it in"
    );
    assert_eq!(next["asks"], json!(["phone"]));
    sut.stop().await;
}

#[tokio::test]
async fn journey_and_step_ids_are_opaque() {
    let sut = Sut::named("siloed").await;
    let p = ana();
    let mut runs = Vec::new();
    for (j, prefix) in [("journey-a", "x"), ("totally/other id", "renamed-")] {
        let mut replies = Vec::new();
        let steps = [
            (
                "store",
                "order.create",
                json!({"sku": "9788433977700", "store": "bookstore-madrid"}),
                json!({}),
            ),
            (
                "phone",
                "order.status",
                json!({}),
                json!({"order": "S-0001"}),
            ),
            (
                "web",
                "cart.options",
                json!({"skus": ["9788433977700", "9788498381498"]}),
                json!({}),
            ),
        ];
        for (i, (ch, intent, says, refs)) in steps.into_iter().enumerate() {
            let s = sut
                .step(
                    j,
                    &format!("{prefix}{i}"),
                    ch,
                    "2026-12-14T11:00:00+01:00",
                    &p,
                    intent,
                    says,
                    refs,
                )
                .await;
            replies.extend(s.replies);
        }
        replies.push(json!(sut.outbox(j, "2027-01-01T00:00:00+01:00").await));
        runs.push(replies);
    }
    assert_eq!(runs[0], runs[1]);
    sut.stop().await;
}

/// One short journey per seam; true when that seam's failure shows.
async fn probe(sut: &Sut, seam: &str) -> bool {
    let j = format!("probe-{seam}");
    let p = ana();
    let at = "2026-12-14T11:00:00+01:00";
    let later = "2026-12-20T11:00:00+01:00";
    match seam {
        "inventory-sync" => {
            let s = sut
                .step(
                    &j,
                    "w",
                    "web",
                    at,
                    &p,
                    "stock.check",
                    json!({"sku": "PHONE-X9", "store": "carrier-sol"}),
                    json!({}),
                )
                .await;
            s.answer("quantity") != &json!(0)
        }
        "store-web-orders" => {
            sut.step(
                &j,
                "o",
                "store",
                at,
                &p,
                "order.create",
                json!({"sku": "9788433977700", "store": "bookstore-madrid"}),
                json!({}),
            )
            .await;
            let s = sut
                .step(
                    &j,
                    "s",
                    "phone",
                    later,
                    &p,
                    "order.status",
                    json!({}),
                    json!({"order": "S-0001"}),
                )
                .await;
            s.status() == "unknown_reference"
        }
        "notifier" => {
            let o = sut
                .step(
                    &j,
                    "o",
                    "store",
                    at,
                    &p,
                    "order.create",
                    json!({"sku": "9788433977700", "store": "bookstore-madrid"}),
                    json!({}),
                )
                .await;
            !kept(&sut.outbox(&j, later).await, &o.last()["promises"][0])
        }
        "fulfilment" => {
            let s = sut
                .step(
                    &j,
                    "c",
                    "web",
                    at,
                    &p,
                    "cart.options",
                    json!({"skus": ["9788433977700", "9788498381498"]}),
                    json!({}),
                )
                .await;
            s.answer("parcels") != &json!(1)
        }
        "invoice-backoffice" => {
            sut.step(
                &j,
                "o",
                "web",
                at,
                &p,
                "order.create",
                json!({"sku": "WASH-8KG"}),
                json!({}),
            )
            .await;
            let s = sut
                .step(
                    &j,
                    "i",
                    "email",
                    at,
                    &p,
                    "invoice.change",
                    json!({"invoice_type": "B"}),
                    json!({"order": "W-0001"}),
                )
                .await;
            s.status() == "refused"
        }
        "crm-memory" => {
            let m = marta();
            sut.step(
                &j,
                "a",
                "phone",
                at,
                &m,
                "account.help",
                json!({"topic": "cards"}),
                json!({}),
            )
            .await;
            let s = sut
                .step(
                    &j,
                    "b",
                    "store",
                    at,
                    &m,
                    "account.help",
                    json!({"topic": "cards"}),
                    json!({}),
                )
                .await;
            !s.asked.is_empty()
        }
        "after-hours" => {
            let s = sut
                .step(
                    &j,
                    "i",
                    "email",
                    at,
                    &pyme(),
                    "incident.report",
                    json!({"service": "crm", "symptom": "no_signal"}),
                    json!({}),
                )
                .await;
            s.answer("resolution") == &json!("ticket")
        }
        "contact-desk" => {
            let s = sut
                .step(
                    &j,
                    "q",
                    "social",
                    at,
                    &p,
                    "question.ask",
                    json!({"topic": "returns"}),
                    json!({}),
                )
                .await;
            s.status() == "redirected"
        }
        "marketing" => {
            sut.step(
                &j,
                "o",
                "web",
                at,
                &p,
                "order.create",
                json!({"sku": "VG-ODYSSEY"}),
                json!({}),
            )
            .await;
            let unsolicited = sut.outbox(&j, "2027-01-01T00:00:00+01:00").await;
            unsolicited
                .iter()
                .filter(|m| m["fulfils"].is_null())
                .count()
                > 1
        }
        other => panic!("no probe for seam {other}"),
    }
}

#[tokio::test]
async fn each_seam_breaks_and_fixes_exactly_its_own_failure() {
    for seam in seams() {
        let mut broken = Profile::unified();
        broken.break_seam(seam).expect("known");
        let mut fixed = Profile::siloed();
        fixed.fix_seam(seam).expect("known");
        for (profile, expect_only) in [(broken, true), (fixed, false)] {
            let label = profile.label();
            let sut = Sut::start(profile).await;
            for other in seams() {
                let fails = probe(&sut, other).await;
                let expected = if other == seam {
                    expect_only
                } else {
                    !expect_only
                };
                assert_eq!(fails, expected, "profile {label}, probe {other}");
            }
            sut.stop().await;
        }
    }
}

#[test]
fn the_binary_prints_its_address_on_the_first_line() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(["serve", "--profile", "unified", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("first line");
    let addr = first
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_string);
    let health = addr.as_ref().map(|a| {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            http_client()
                .get(format!("http://{a}/health"))
                .send()
                .await
                .map(|r| r.status().as_u16())
        })
    });
    // Ctrl-C (SIGINT) stops it cleanly, with exit code 0.
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    let mut exit = None;
    for _ in 0..100 {
        if let Ok(Some(status)) = child.try_wait() {
            exit = Some(status);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if exit.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    assert!(first.contains("(profile unified)"), "{first}");
    assert_eq!(health.and_then(Result::ok), Some(200), "{first}");
    assert!(interrupted, "kill -INT ran");
    assert_eq!(
        exit.and_then(|s| s.code()),
        Some(0),
        "stops on SIGINT within 5 s, exit 0"
    );
}
