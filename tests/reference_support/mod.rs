//! A tiny touchpoint client for the reference retailer's HTTP tests: starts the server
//! in-process on a loopback port and plays steps turn by turn like the engine does.

#![allow(dead_code)]

use seam::reference::{self, Profile, RunningServer, ServerConfig};
use serde_json::{Map, Value, json};

pub struct Sut {
    pub base: String,
    pub client: reqwest::Client,
    server: RunningServer,
}

/// The outcome of one step: every reply, and every key asked.
pub struct StepOutcome {
    pub replies: Vec<Value>,
    pub asked: Vec<String>,
}

impl StepOutcome {
    pub fn last(&self) -> &Value {
        self.replies.last().expect("at least one reply")
    }
    pub fn status(&self) -> &str {
        self.last()["status"].as_str().unwrap_or("")
    }
    pub fn answer(&self, key: &str) -> &Value {
        &self.last()["answer"][key]
    }
    pub fn first_recognized(&self) -> bool {
        self.replies[0]["recognized"] == json!(true)
    }
}

/// A persona: what the customer knows, and what they present per channel.
pub struct Persona {
    pub facts: Value,
    pub presents: Vec<(&'static str, &'static str)>,
}

impl Persona {
    pub fn customer_on(&self, channel: &str) -> Value {
        let mut out = Map::new();
        for (ch, key) in &self.presents {
            if *ch == channel
                && let Some(v) = self.facts.get(*key)
            {
                out.insert((*key).to_string(), v.clone());
            }
        }
        Value::Object(out)
    }
}

impl Sut {
    pub async fn start(profile: Profile) -> Sut {
        let server = reference::start(ServerConfig::loopback(profile))
            .await
            .expect("server starts");
        Sut {
            base: format!("http://{}", server.addr),
            client: http_client(),
            server,
        }
    }

    pub async fn named(name: &str) -> Sut {
        Sut::start(Profile::named(name).expect("known profile")).await
    }

    pub async fn stop(self) {
        self.server.shutdown().await;
    }

    pub async fn post(&self, body: &Value) -> (u16, Value) {
        let resp = self
            .client
            .post(format!("{}/touchpoints", self.base))
            .json(body)
            .send()
            .await
            .expect("request sent");
        let code = resp.status().as_u16();
        (code, resp.json().await.unwrap_or(Value::Null))
    }

    /// Play one step: send, answer `asks` from the persona's facts (declining unknown
    /// ones), up to 4 turns.
    #[allow(clippy::too_many_arguments)]
    pub async fn step(
        &self,
        journey: &str,
        step: &str,
        channel: &str,
        at: &str,
        persona: &Persona,
        intent: &str,
        says: Value,
        refs: Value,
    ) -> StepOutcome {
        let mut says = says.as_object().cloned().unwrap_or_default();
        let (mut answers, mut declines) = (Vec::<String>::new(), Vec::<String>::new());
        let mut out = StepOutcome {
            replies: Vec::new(),
            asked: Vec::new(),
        };
        for turn in 1..=4 {
            let body = json!({
                "journey": journey, "step": step, "turn": turn, "channel": channel,
                "at": at, "customer": persona.customer_on(channel), "intent": intent,
                "says": says, "answers": answers, "declines": declines, "refs": refs,
            });
            let (code, reply) = self.post(&body).await;
            assert_eq!(code, 200, "{step}: {reply}");
            out.replies.push(reply.clone());
            if reply["status"] != "needs_info" {
                break;
            }
            answers.clear();
            for key in reply["asks"].as_array().cloned().unwrap_or_default() {
                let key = key.as_str().unwrap_or("").to_string();
                out.asked.push(key.clone());
                match persona.facts.get(&key) {
                    Some(v) => {
                        says.insert(key.clone(), v.clone());
                        answers.push(key);
                    }
                    None => declines.push(key),
                }
            }
        }
        out
    }

    pub async fn outbox(&self, journey: &str, until: &str) -> Vec<Value> {
        let resp = self
            .client
            .get(format!(
                "{}/outbox?journey={}&until={}",
                self.base,
                encode(journey),
                encode(until)
            ))
            .send()
            .await
            .expect("outbox read");
        assert_eq!(resp.status().as_u16(), 200);
        resp.json().await.expect("outbox json")
    }
}

/// Percent-encode a query value (everything but unreserved characters).
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Whether `promise` (from a reply) is kept in `outbox` by its deadline.
pub fn kept(outbox: &[Value], promise: &Value) -> bool {
    let by = chrono::DateTime::parse_from_rfc3339(promise["by"].as_str().unwrap_or(""))
        .expect("promise deadline");
    outbox.iter().any(|m| {
        m["fulfils"] == promise["id"]
            && chrono::DateTime::parse_from_rfc3339(m["at"].as_str().unwrap_or(""))
                .is_ok_and(|at| at <= by)
    })
}

pub fn ana() -> Persona {
    Persona {
        facts: json!({"loyalty_card": "LC-5521", "phone": "+34600111222",
            "email": "ana@example.com", "name": "Ana García"}),
        presents: vec![
            ("store", "loyalty_card"),
            ("phone", "phone"),
            ("web", "email"),
        ],
    }
}

pub fn marta() -> Persona {
    Persona {
        facts: json!({"name": "Marta Ruiz", "tax_id": "87654321X",
            "account": "ES91-2100-0418", "email": "marta@example.com"}),
        presents: vec![("email", "email")],
    }
}

pub fn pyme() -> Persona {
    Persona {
        facts: json!({"phone": "+34910000001", "line": "+34910000001",
            "email": "it@pyme.example"}),
        presents: vec![("phone", "phone"), ("email", "email")],
    }
}

pub fn jorge() -> Persona {
    Persona {
        facts: json!({"tax_id": "20-12345678-9", "email": "jorge@example.com.ar",
            "phone": "+5491155550000"}),
        presents: vec![("phone", "phone"), ("email", "email")],
    }
}

pub fn sam() -> Persona {
    Persona {
        facts: json!({"email": "sam@example.com", "phone": "+34600777888"}),
        presents: vec![("web", "email")],
    }
}

pub fn leo() -> Persona {
    Persona {
        facts: json!({"phone": "+34600333444", "email": "leo@example.com",
            "account": "LEO-1", "reason": "billing", "topic": "billing"}),
        presents: vec![
            ("phone", "phone"),
            ("sms", "phone"),
            ("email", "email"),
            ("ivr", "phone"),
        ],
    }
}

/// A plain reqwest client for the tests' own requests (rustls needs its crypto chosen).
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}
