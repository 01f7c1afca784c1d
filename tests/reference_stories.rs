//! The six stories of ../shared/stories.md against the reference retailer over real
//! loopback HTTP: each failure under `siloed`, the good outcome under `unified`.

#[path = "reference_support/mod.rs"]
mod support;

use serde_json::json;
use support::*;

const BOOK: &str = "9788433977700";
const KID_BOOK: &str = "9788498381498";

#[tokio::test]
async fn story1_bookstore_store_order_ends_on_the_web() {
    for profile in ["siloed", "unified"] {
        let sut = Sut::named(profile).await;
        let silo = profile == "siloed";
        let (p, j) = (ana(), "j1");
        let web = sut
            .step(
                j,
                "w",
                "web",
                "2026-12-14T10:00:00+01:00",
                &p,
                "stock.check",
                json!({"sku": BOOK}),
                json!({}),
            )
            .await;
        assert_eq!(web.answer("in_stock"), &json!(true));
        let shelf = sut
            .step(
                j,
                "s",
                "store",
                "2026-12-14T11:00:00+01:00",
                &p,
                "stock.check",
                json!({"sku": BOOK, "store": "bookstore-madrid"}),
                json!({}),
            )
            .await;
        assert_eq!(shelf.answer("in_stock"), &json!(false));
        assert_eq!(shelf.answer("orderable"), &json!(true));
        let order = sut
            .step(
                j,
                "o",
                "store",
                "2026-12-14T11:05:00+01:00",
                &p,
                "order.create",
                json!({"sku": BOOK, "store": "bookstore-madrid", "pickup": "store"}),
                json!({}),
            )
            .await;
        assert_eq!(order.status(), "pending", "{profile}");
        assert_eq!(order.last()["refs"]["order"], "S-0001");
        let promise = order.last()["promises"][0].clone();
        assert_eq!(promise["what"], "arrival_sms");
        let phone = sut
            .step(
                j,
                "p",
                "phone",
                "2026-12-18T18:00:00+01:00",
                &p,
                "order.status",
                json!({}),
                json!({"order": "S-0001"}),
            )
            .await;
        let phone_stock = sut
            .step(
                j,
                "ps",
                "phone",
                "2026-12-18T18:05:00+01:00",
                &p,
                "stock.check",
                json!({"sku": BOOK, "store": "bookstore-madrid"}),
                json!({}),
            )
            .await;
        let cart = sut
            .step(
                j,
                "c",
                "web",
                "2026-12-18T19:00:00+01:00",
                &p,
                "cart.options",
                json!({"skus": [BOOK, KID_BOOK]}),
                json!({}),
            )
            .await;
        let web_order = sut
            .step(
                j,
                "wo",
                "web",
                "2026-12-18T19:05:00+01:00",
                &p,
                "order.create",
                json!({"skus": [BOOK, KID_BOOK], "pickup": "store", "store": "bookstore-madrid"}),
                json!({}),
            )
            .await;
        assert!(web_order.asked.is_empty(), "email is presented on the web");
        let outbox = sut.outbox(j, "2027-01-31T00:00:00+01:00").await;
        let surveys = outbox
            .iter()
            .filter(|m| m["answer"]["topic"] == "survey")
            .count();
        if silo {
            assert!(!kept(&outbox, &promise), "the arrival SMS never comes");
            assert_eq!(phone.status(), "unknown_reference");
            assert_eq!(phone.last()["redirect"]["channel"], "web");
            assert_eq!(phone.last()["redirect"]["refs"], json!({}));
            assert_eq!(phone_stock.answer("orderable"), &json!(false));
            assert_eq!(shelf.answer("alternatives"), &json!([]));
            assert_eq!(cart.answer("pickup_options"), &json!(["home"]));
            assert_eq!(web_order.answer("pickup"), &json!("home"));
            assert_eq!(web_order.answer("parcels"), &json!(2));
            assert_eq!(web_order.answer("carriers"), &json!(["SEUR", "Correos"]));
            assert_eq!(web_order.answer("total"), &json!(45.75));
            assert_eq!(surveys, 4, "a survey and three reminders");
        } else {
            assert!(kept(&outbox, &promise), "{outbox:?}");
            assert_eq!(phone.status(), "done");
            assert_eq!(phone.answer("order_status"), &json!("ready_for_pickup"));
            assert_eq!(phone_stock.last()["answer"], shelf.last()["answer"]);
            assert_eq!(
                shelf.answer("alternatives"),
                &json!(["bookstore-sevilla", "home-delivery"])
            );
            assert_eq!(cart.answer("pickup_options"), &json!(["home", "store"]));
            assert_eq!(web_order.answer("pickup"), &json!("store"));
            assert_eq!(web_order.answer("parcels"), &json!(1));
            assert_eq!(web_order.answer("total"), &json!(35.85));
            assert!(kept(&outbox, &web_order.last()["promises"][0]));
            assert_eq!(surveys, 1);
        }
        sut.stop().await;
    }
}

#[tokio::test]
async fn story2_telco_after_hours_incident() {
    for profile in ["siloed", "unified"] {
        let sut = Sut::named(profile).await;
        let p = pyme();
        let subject = json!({"service": "crm_login", "symptom": "sms_codes_not_arriving"});
        let live = sut
            .step(
                "j-live",
                "call",
                "phone",
                "2026-12-18T20:00:00+01:00",
                &p,
                "incident.report",
                subject.clone(),
                json!({}),
            )
            .await;
        assert_eq!(live.status(), "done");
        assert!(live.asked.is_empty(), "the caller id is the line");
        assert_eq!(live.answer("resolution"), &json!("remote_line_reset"));
        let outbox = sut.outbox("j-live", "2026-12-20T00:00:00+01:00").await;
        assert!(
            kept(&outbox, &live.last()["promises"][0]),
            "follow-up call, both profiles"
        );

        let mail = sut
            .step(
                "j-late",
                "mail",
                "email",
                "2026-12-18T23:00:00+01:00",
                &p,
                "incident.report",
                subject.clone(),
                json!({}),
            )
            .await;
        let promise = &mail.last()["promises"][0];
        if profile == "siloed" {
            assert_eq!(mail.status(), "pending");
            assert_eq!(mail.answer("resolution"), &json!("ticket"));
            assert_eq!(promise["what"], "ticket_reply");
            assert_eq!(promise["by"], "2026-12-20T23:00:00+01:00");
        } else {
            assert_eq!(
                mail.last()["answer"],
                live.last()["answer"],
                "after-hours parity"
            );
            assert_eq!(promise["what"], "written_reply");
            assert_eq!(promise["by"], "2026-12-19T03:00:00+01:00");
            let outbox = sut.outbox("j-late", "2026-12-19T03:00:00+01:00").await;
            assert!(kept(&outbox, promise));
        }
        sut.stop().await;
    }
}

#[tokio::test]
async fn story3_bank_asks_three_times_but_content_agrees() {
    for profile in ["siloed", "unified"] {
        let sut = Sut::named(profile).await;
        let (p, j) = (marta(), "j3");
        let first = sut
            .step(
                j,
                "call",
                "phone",
                "2026-12-21T09:00:00+01:00",
                &p,
                "account.help",
                json!({"topic": "mortgage"}),
                json!({}),
            )
            .await;
        assert_eq!(first.asked, ["name", "tax_id", "account"]);
        assert_eq!(first.status(), "redirected");
        let case = first.last()["redirect"]["refs"]["case"].clone();
        assert_eq!(case, "C-0001");
        let second = sut
            .step(
                j,
                "transfer",
                "phone",
                "2026-12-21T09:10:00+01:00",
                &p,
                "account.help",
                json!({"topic": "mortgage"}),
                json!({"case": case}),
            )
            .await;
        let branch = sut
            .step(
                j,
                "branch",
                "store",
                "2026-12-22T10:00:00+01:00",
                &p,
                "account.help",
                json!({"topic": "mortgage"}),
                json!({}),
            )
            .await;
        for s in [&second, &branch] {
            assert_eq!(s.status(), "done");
            if profile == "siloed" {
                assert_eq!(s.asked, ["name", "tax_id", "account"]);
                assert!(!s.first_recognized());
            } else {
                assert!(s.asked.is_empty());
                assert!(s.first_recognized());
            }
        }
        // Content agrees across channels in both profiles.
        let mut slots = Vec::new();
        for ch in ["web", "app", "kiosk"] {
            let s = sut
                .step(
                    j,
                    &format!("slots-{ch}"),
                    ch,
                    "2026-12-21T09:30:00+01:00",
                    &p,
                    "booking.slots",
                    json!({"branch": "bank-centro", "date": "2026-12-22"}),
                    json!({}),
                )
                .await;
            slots.push(s.last()["answer"].clone());
        }
        assert!(slots.windows(2).all(|w| w[0] == w[1]));
        assert_eq!(slots[0]["slots"].as_array().map(Vec::len), Some(11));
        let mut infos = Vec::new();
        for ch in ["email", "whatsapp", "sms", "social", "web"] {
            let s = sut
                .step(
                    j,
                    &format!("info-{ch}"),
                    ch,
                    "2026-12-21T09:40:00+01:00",
                    &p,
                    "info.request",
                    json!({"topic": "transfer_fees"}),
                    json!({}),
                )
                .await;
            assert_eq!(s.status(), "done");
            infos.push(s.last()["answer"].clone());
        }
        assert!(infos.windows(2).all(|w| w[0] == w[1]));
        sut.stop().await;
    }
}

#[tokio::test]
async fn story4_invoice_change_after_an_online_sale() {
    for profile in ["siloed", "unified"] {
        let sut = Sut::named(profile).await;
        let (p, j) = (jorge(), "j4");
        let sale = sut
            .step(
                j,
                "sale",
                "store",
                "2026-11-10T12:00:00-03:00",
                &p,
                "order.create",
                json!({"sku": "WASH-8KG", "store": "appliance-palermo", "payment": "cash",
                    "channel": "online"}),
                json!({}),
            )
            .await;
        assert_eq!(sale.status(), "done");
        assert_eq!(sale.last()["refs"]["order"], "W-0001");
        assert_eq!(sale.answer("total"), &json!(449.1));
        let refs = json!({"order": "W-0001"});
        let seller = sut
            .step(
                j,
                "ask",
                "store",
                "2026-11-10T12:10:00-03:00",
                &p,
                "invoice.change",
                json!({"invoice_type": "A"}),
                refs.clone(),
            )
            .await;
        // Unified knows the tax id from the record of the e-mail given at the sale.
        let expected: &[&str] = if profile == "siloed" {
            &["tax_id"]
        } else {
            &[]
        };
        assert_eq!(seller.asked, expected, "{profile}");
        assert_eq!(seller.status(), "pending");
        assert_eq!(seller.answer("changeable"), &json!(true));
        let promise = seller.last()["promises"][0].clone();
        let mail = sut
            .step(
                j,
                "mail",
                "email",
                "2026-11-14T09:00:00-03:00",
                &p,
                "invoice.change",
                json!({"invoice_type": "A"}),
                refs.clone(),
            )
            .await;
        let call = sut
            .step(
                j,
                "call",
                "phone",
                "2026-11-15T09:00:00-03:00",
                &p,
                "invoice.change",
                json!({"invoice_type": "A"}),
                refs.clone(),
            )
            .await;
        let outbox = sut.outbox(j, "2026-11-30T00:00:00-03:00").await;
        if profile == "siloed" {
            for s in [&mail, &call] {
                assert_eq!(s.status(), "refused");
                assert_eq!(s.answer("changeable"), &json!(false));
                assert!(s.asked.is_empty());
            }
            assert!(!kept(&outbox, &promise));
        } else {
            assert_eq!(mail.status(), "done");
            assert_eq!(mail.answer("changeable"), &json!(true));
            assert!(
                mail.asked.is_empty(),
                "the seller's request carries the tax id"
            );
            assert!(kept(&outbox, &promise));
        }
        sut.stop().await;
    }
}

#[tokio::test]
async fn story5_carrier_inventory_and_unified_brand() {
    for profile in ["siloed", "unified"] {
        let sut = Sut::named(profile).await;
        let (p, j) = (sam(), "j5");
        let subject = json!({"sku": "PHONE-X9", "store": "carrier-sol"});
        let web = sut
            .step(
                j,
                "web",
                "web",
                "2026-12-10T10:00:00+01:00",
                &p,
                "stock.check",
                subject.clone(),
                json!({}),
            )
            .await;
        let store = sut
            .step(
                j,
                "store",
                "store",
                "2026-12-10T12:00:00+01:00",
                &p,
                "stock.check",
                subject.clone(),
                json!({}),
            )
            .await;
        assert_eq!(store.answer("quantity"), &json!(0));
        assert_eq!(store.answer("wait_weeks"), &json!(3));
        if profile == "siloed" {
            assert_eq!(web.answer("in_stock"), &json!(true));
            assert_eq!(web.answer("quantity"), &json!(2));
            assert_eq!(store.answer("alternatives"), &json!([]));
        } else {
            assert_eq!(web.last()["answer"], store.last()["answer"]);
            assert_eq!(
                store.answer("alternatives"),
                &json!(["carrier-gran-via", "home-delivery"])
            );
        }
        // The unified brand: good in both profiles.
        let act = sut
            .step(
                "j5b",
                "activate",
                "store",
                "2026-12-11T11:00:00+01:00",
                &p,
                "device.activate",
                json!({"skus": ["PHONE-A1", "PHONE-A2", "PHONE-A3"], "carrier_switch": true}),
                json!({}),
            )
            .await;
        assert_eq!(act.answer("minutes"), &json!(44));
        assert_eq!(act.answer("total"), &json!(1047.0));
        let wizard = sut
            .step(
                "j5b",
                "wizard",
                "web",
                "2026-12-12T18:00:00+01:00",
                &p,
                "support.request",
                json!({"topic": "activation"}),
                json!({}),
            )
            .await;
        let outbox = sut.outbox("j5b", "2026-12-13T00:00:00+01:00").await;
        let receipt = act.last()["promises"][0].clone();
        assert!(kept(&outbox, &receipt));
        let msg = outbox
            .iter()
            .find(|m| m["fulfils"] == receipt["id"])
            .expect("receipt");
        assert_eq!(msg["answer"]["total"], act.answer("total").clone());
        let callback = &wizard.last()["promises"][0];
        assert_eq!(callback["channel"], "phone");
        assert!(kept(&outbox, callback));
        sut.stop().await;
    }
}

#[tokio::test]
async fn story6_contact_centre_annoyances() {
    for profile in ["siloed", "unified"] {
        let sut = Sut::named(profile).await;
        let silo = profile == "siloed";
        let (p, j) = (leo(), "j6");
        let m1 = sut
            .step(
                j,
                "mail1",
                "email",
                "2026-12-01T10:00:00+01:00",
                &p,
                "question.ask",
                json!({"topic": "returns"}),
                json!({}),
            )
            .await;
        let m2 = sut
            .step(
                j,
                "mail2",
                "email",
                "2026-12-03T10:00:00+01:00",
                &p,
                "question.ask",
                json!({"topic": "returns"}),
                json!({}),
            )
            .await;
        let outbox = sut.outbox(j, "2026-12-10T00:00:00+01:00").await;
        let (p1, p2) = (&m1.last()["promises"][0], &m2.last()["promises"][0]);
        assert_eq!(kept(&outbox, p1), !silo);
        assert_eq!(kept(&outbox, p2), !silo);
        if silo {
            let ask_phone = outbox
                .iter()
                .find(|m| m["redirect"]["channel"] == "phone")
                .expect("asked to phone");
            assert_eq!(ask_phone["at"], "2026-12-05T10:00:00+01:00");
            assert_eq!(ask_phone["fulfils"], json!(null));
        }
        let ivr = sut
            .step(
                j,
                "ivr",
                "ivr",
                "2026-12-04T10:00:00+01:00",
                &p,
                "support.request",
                json!({}),
                json!({}),
            )
            .await;
        if silo {
            assert_eq!(ivr.asked, ["topic", "account", "reason"]);
            assert_eq!(ivr.replies.len(), 4, "three menus, then a transfer");
        } else {
            assert_eq!(
                ivr.asked,
                ["account", "reason"],
                "the topic was given by e-mail"
            );
        }
        assert_eq!(ivr.status(), "redirected");
        let case = ivr.last()["redirect"]["refs"]["case"].clone();
        let agent = sut
            .step(
                j,
                "agent",
                "phone",
                "2026-12-04T10:20:00+01:00",
                &p,
                "support.request",
                json!({}),
                json!({"case": case}),
            )
            .await;
        assert_eq!(agent.status(), "done");
        assert_eq!(agent.asked.is_empty(), !silo, "{:?}", agent.asked);
        let social = sut
            .step(
                j,
                "social",
                "social",
                "2026-12-04T12:00:00+01:00",
                &p,
                "question.ask",
                json!({"topic": "delivery"}),
                json!({}),
            )
            .await;
        assert_eq!(social.status(), if silo { "redirected" } else { "done" });
        let optin = sut
            .step(
                j,
                "optin",
                "sms",
                "2026-12-04T13:00:00+01:00",
                &p,
                "marketing.optin",
                json!({}),
                json!({}),
            )
            .await;
        assert_eq!(optin.answer("subscribed"), &json!(true));
        let outbox = sut.outbox(j, "2027-01-01T00:00:00+01:00").await;
        let topics: Vec<_> = outbox
            .iter()
            .filter(|m| m["channel"] == "sms")
            .map(|m| m["answer"]["topic"].clone())
            .collect();
        if silo {
            assert_eq!(topics, [json!("appliances"), json!("baby")]);
        } else {
            assert_eq!(topics, [json!("videogames"), json!("videogames")]);
        }
        let phone = sut
            .step(
                j,
                "friend",
                "phone",
                "2026-12-05T10:00:00+01:00",
                &p,
                "stock.check",
                json!({"sku": "VG-ODYSSEY"}),
                json!({}),
            )
            .await;
        let mail = sut
            .step(
                j,
                "stranger",
                "email",
                "2026-12-05T11:00:00+01:00",
                &p,
                "question.ask",
                json!({"topic": "delivery"}),
                json!({}),
            )
            .await;
        assert!(phone.first_recognized());
        assert_eq!(mail.first_recognized(), !silo);
        sut.stop().await;
    }
}
