//! The bundled scenarios through the reference retailer's REST face and
//! fixtures/mappings/reference-rest.yaml give the same findings as through the protocol,
//! under `siloed` and `unified`; a missing mapped field, a missing route and a missing
//! outbox are reported, never a panic; secrets never reach a report.

mod common;

use common::traces::Traces;

use std::path::{Path, PathBuf};

use seam::engine::trace::{SutFault, Trace};
use seam::reference::{self, Api, Profile, ServerConfig};
use seam::rules::finding::Finding;
use seam::run::session::NO_OUTBOX;
use seam::run::{Scripted, Session, Settings};
use seam::scenario::model::Journey;
use seam::sut::mapping::{self, MappingConnector};
use seam::sut::{ClientConfig, Connector, ProtocolClient};

const MAPPING: &str = "fixtures/mappings/reference-rest.yaml";
const PASSWORD: &str = reference::rest::PASSWORD;

fn env(name: &str) -> Option<String> {
    match name {
        "OMNIA_USER" => Some(reference::rest::USERNAME.into()),
        "OMNIA_PASSWORD" => Some(PASSWORD.into()),
        _ => None,
    }
}

fn journeys() -> Vec<Journey> {
    let loaded = seam::scenario::load_paths(
        &[PathBuf::from("scenarios")],
        &seam::app::vocabulary::default_vocabulary(),
    );
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.journeys
}

async fn serve(profile: &str, api: Api) -> reference::RunningServer {
    let mut config = ServerConfig::loopback(Profile::named(profile).expect("profile"));
    config.api = api;
    reference::start(config).await.expect("server starts")
}

type Key = (String, String, String, String, Option<String>);

fn keys(findings: &[Finding]) -> Vec<Key> {
    let mut keys: Vec<Key> = findings
        .iter()
        .map(|f| {
            (
                f.kind.to_string(),
                f.journey.to_string(),
                f.step.to_string(),
                f.rule.to_string(),
                f.subject.clone(),
            )
        })
        .collect();
    keys.sort();
    keys
}

/// The journeys through a run session against `sut`, knowing `catalogue` besides what
/// the SUT serves (as a `seam.yaml` would declare it): findings, traces in run order,
/// notes.
async fn audit<C: Connector>(
    journeys: &[Journey],
    sut: &C,
    catalogue: Option<seam::catalogue::Catalogue>,
) -> (Vec<Finding>, Vec<Trace>, Vec<String>) {
    let mut traces = Vec::new();
    let settings = Settings {
        jobs: 4,
        run_id: "r-map".into(),
        knowledge: seam::rules::Knowledge::of(catalogue),
        ..Settings::default()
    };
    let outcome = Session::new(settings)
        .with_reporter(Traces(&mut traces))
        .run(&mut Scripted::new(journeys.to_vec()), sut)
        .await;
    traces.sort_by_key(|(index, _)| *index);
    let traces = traces.into_iter().map(|(_, t)| t).collect();
    (outcome.report.findings, traces, outcome.report.notes)
}

async fn through_protocol(profile: &str, journeys: &[Journey]) -> Vec<Finding> {
    let server = serve(profile, Api::Protocol).await;
    let client = ProtocolClient::new(&format!("http://{}", server.addr), ClientConfig::default())
        .expect("client");
    let (findings, ..) = audit(journeys, &client, None).await;
    server.shutdown().await;
    findings
}

/// Through the REST face; `catalogue`: the reference retailer's catalogue is declared
/// (the REST face serves none).
async fn through_mapping(
    profile: &str,
    journeys: &[Journey],
    mapping: mapping::Mapping,
    catalogue: bool,
) -> (Vec<Finding>, Vec<Trace>, Vec<String>) {
    let server = serve(profile, Api::Rest).await;
    let connector = MappingConnector::new(
        mapping,
        &format!("http://{}", server.addr),
        ClientConfig::default(),
    )
    .expect("connector");
    let declared = catalogue.then(reference::intents::catalogue);
    let audited = audit(journeys, &connector, declared).await;
    server.shutdown().await;
    audited
}

fn load(path: &str) -> mapping::Mapping {
    match mapping::load(Path::new(path), &env) {
        Ok(m) => m,
        Err(failure) => {
            let mut out = Vec::new();
            let _ = failure.render(&mut out);
            panic!("{}", String::from_utf8_lossy(&out));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_findings_through_the_rest_face_and_the_protocol() {
    let journeys = journeys();
    for profile in ["siloed", "unified"] {
        let native = through_protocol(profile, &journeys).await;
        let (mapped, traces, notes) =
            through_mapping(profile, &journeys, load(MAPPING), true).await;
        assert!(notes.is_empty());
        assert!(!native.is_empty() || profile == "unified");
        assert!(
            !native
                .iter()
                .any(|f| f.rule == "garbage" || f.rule == "rejected"),
            "{profile}: {native:#?}"
        );
        assert_eq!(keys(&mapped), keys(&native), "{profile}");
        // In the same order, with the same fingerprints.
        let prints = |f: &[Finding]| f.iter().map(|f| f.fingerprint).collect::<Vec<_>>();
        assert_eq!(prints(&mapped), prints(&native), "{profile}");
        // The password and the login token appear nowhere in what is recorded.
        let text = serde_json::to_string(&(traces, &mapped)).expect("json");
        assert!(!text.contains(PASSWORD));
        assert!(!text.contains("omnia-0") && !text.contains("access_token"));
    }
}

/// The mapping with one text replaced, written to a temporary file.
fn variant(from: &str, to: &str) -> (tempfile::TempDir, String) {
    let text = std::fs::read_to_string(MAPPING).expect("fixture");
    assert!(text.contains(from), "{from}");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("variant.yaml");
    std::fs::write(&path, text.replace(from, to)).expect("write");
    (dir, path.display().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_mapped_field_is_a_garbage_fault_on_the_step_naming_it() {
    let journeys = journeys();
    let (_dir, path) = variant("agent: \"$.handled_by\"", "agent: \"$.handled_by_nobody\"");
    let (findings, traces, _) = through_mapping("siloed", &journeys, load(&path), true).await;
    let fault = traces
        .iter()
        .flat_map(|t| &t.steps)
        .flat_map(|s| &s.turns)
        .find_map(|t| t.reply.as_ref().err())
        .expect("a fault");
    assert!(
        matches!(fault, SutFault::Garbage { message, .. }
            if message.contains("`$.handled_by_nobody`") && message.contains("`agent`")),
        "{fault:?}"
    );
    assert!(findings.iter().any(|f| f.rule == "garbage"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_route_is_a_clear_fault_and_no_outbox_leaves_promises_unchecked() {
    let journeys = journeys();
    let text = std::fs::read_to_string(MAPPING).expect("fixture");
    let start = text.find("\noutbox:\n").expect("outbox");
    let end = text.find("\nfinish:").expect("finish");
    let mut cut = format!("{}\noutbox: none\n{}", &text[..start], &text[end..]);
    cut = cut.replace("intents: [stock.check]", "intents: [stock.lookup]");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("no-outbox.yaml");
    std::fs::write(&path, cut).expect("write");
    let (findings, traces, notes) = through_mapping(
        "siloed",
        &journeys,
        load(&path.display().to_string()),
        false,
    )
    .await;
    assert_eq!(notes[0], NO_OUTBOX);
    assert!(
        notes[1..].iter().all(|n| n.contains("unchecked")) && notes.len() > 1,
        "without a catalogue the rules that need one say so: {notes:?}"
    );
    assert!(traces.iter().all(|t| t.outbox_reads.is_empty()));
    assert!(
        !findings
            .iter()
            .any(|f| f.rule == "not-kept" || f.rule == "outbox-read")
    );
    let fault = traces
        .iter()
        .flat_map(|t| &t.steps)
        .filter(|s| s.intent == "stock.check")
        .flat_map(|s| &s.turns)
        .find_map(|t| t.reply.as_ref().err())
        .expect("a fault");
    assert!(
        matches!(fault, SutFault::Garbage { message, .. }
            if message == "the mapping has no request for intent `stock.check` on channel `web`"
                || message.contains("intent `stock.check`")),
        "{fault:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rest_face_wants_a_token_and_answers_with_its_own_statuses() {
    let server = serve("siloed", Api::Rest).await;
    let base = format!("http://{}", server.addr);
    let http = common::http_client();
    let body = serde_json::json!({"session": "j", "contact": "s", "attempt": 1,
        "time": "2026-12-14T11:05:00+01:00", "data": {"sku": "9788433977700", "store": "bookstore-madrid"}});
    let url = format!("{base}/pos/stock-queries");
    let status = |r: reqwest::Response| r.status().as_u16();
    let r = http.post(&url).json(&body).send().await.expect("send");
    assert_eq!(status(r), 401);
    let r = http
        .post(format!("{base}/auth/login"))
        .json(&serde_json::json!({"username": reference::rest::USERNAME, "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    let login: serde_json::Value = r.json().await.expect("json");
    let token = login["access_token"].as_str().expect("token").to_string();
    let r = http
        .post(&url)
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    let outcome: serde_json::Value = r.json().await.expect("json");
    assert_eq!(outcome["state"], "completed");
    assert_eq!(outcome["result"]["orderable"], true);
    let r = http
        .post(&url)
        .bearer_auth(&token)
        .json(&serde_json::json!({"session": "j"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 422);
    let missing: serde_json::Value = r.json().await.expect("json");
    assert_eq!(
        missing["fields"],
        serde_json::json!(["contact", "attempt", "time"])
    );
    let r = http
        .post(format!("{base}/pos/carts/cart-999/checkout"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 404);
    let r = http
        .post(format!("{base}/crm/store/incidents"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 404, "the store is not a CRM channel");
    server.shutdown().await;
}

#[test]
fn the_shipped_mapping_routes_every_channel_and_intent_of_the_bundled_scenarios() {
    let mapping = load(MAPPING);
    let journeys = journeys();
    let used = journeys
        .iter()
        .flat_map(|j| j.steps.iter())
        .map(|s| (s.channel.as_str(), s.intent.as_str()));
    assert_eq!(mapping.unrouted(used), Vec::<(&str, &str)>::new());
    assert_eq!(
        mapping.unrouted([("x-kiosk", "no.such"), ("web", "stock.check")]),
        vec![("x-kiosk", "no.such")]
    );
}
