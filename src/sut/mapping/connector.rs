//! `MappingConnector`: a `Connector` that turns each touchpoint into the HTTP requests a
//! mapping names and reads the replies back; every problem is a `SutFault`, secrets masked.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::Value;
use tokio::sync::OnceCell;

use super::auth::{Auth, Credential};
use super::compile::{Mapping, Request};
use super::model::HttpMethod;
use super::redact::Redactor;
use super::template::Scope;
use crate::catalogue::{Catalogue, IntentInfo};
use crate::protocol::{OutboxMessage, Reply, Touchpoint};
use crate::sut::SutFault;
use crate::sut::connector::{Connector, Exchange};
use crate::sut::fault::truncate;
use crate::sut::http::{ClientConfig, Http};
use crate::sut::protocol::percent_encode;

/// A system under test driven through a mapping.
#[derive(Debug)]
pub struct MappingConnector {
    http: Http,
    mapping: Mapping,
    target: String,
    /// The login token, fetched before the first request that needs it.
    token: OnceCell<String>,
    secrets: Redactor,
}

/// An accepted answer: status, JSON body (null when empty) and the raw body.
struct Answer {
    status: u16,
    body: Value,
    raw: Vec<u8>,
}

fn garbage(message: impl Into<String>, raw: &[u8]) -> SutFault {
    SutFault::Garbage {
        message: message.into(),
        body: truncate(raw),
    }
}

impl MappingConnector {
    /// `target` fills `${target}` in the mapping.
    pub fn new(mapping: Mapping, target: &str, config: ClientConfig) -> Result<Self, String> {
        let http = Http::new(config)?;
        let secrets = Redactor::new(mapping.env.values().map(String::as_str));
        Ok(MappingConnector {
            http,
            mapping,
            target: target.trim_end_matches('/').to_string(),
            token: OnceCell::new(),
            secrets,
        })
    }

    /// Whether the mapping reads an outbox (without one, promises cannot be checked).
    pub fn has_outbox(&self) -> bool {
        self.mapping.outbox.is_some()
    }

    /// `text` with every secret masked (for what the caller reports itself).
    pub fn redact_text(&self, text: &str) -> String {
        self.redactor().text(text)
    }

    /// Every secret known so far: the environment values and the login token.
    fn redactor(&self) -> Redactor {
        let mut r = self.secrets.clone();
        if let Some(t) = self.token.get() {
            r.add(t);
        }
        r
    }

    fn redact(&self, fault: SutFault) -> SutFault {
        self.redactor().fault(fault)
    }

    fn scope<'a>(
        &'a self,
        tp: Option<&'a Touchpoint>,
        vars: &'a BTreeMap<String, Value>,
    ) -> Scope<'a> {
        Scope {
            target: &self.target,
            env: &self.mapping.env,
            touchpoint: tp,
            vars,
        }
    }

    /// Logs in once (when the mapping says so); the token is then reused.
    async fn login(&self) -> Result<Option<&str>, SutFault> {
        let Some(Auth::Login { request, token, .. }) = &self.mapping.auth else {
            return Ok(None);
        };
        let token = self
            .token
            .get_or_try_init(|| async {
                let vars = BTreeMap::new();
                let scope = self.scope(None, &vars);
                let (answer, _) = self.call(request, &scope, None, None).await;
                let answer = answer.map_err(|f| match f {
                    SutFault::Rejected { code, error } => SutFault::Rejected {
                        code,
                        error: format!("login failed: {error}"),
                    },
                    other => other,
                })?;
                match token.apply(answer.status, &answer.body) {
                    Ok(Some(Value::String(t))) if !t.is_empty() => Ok(t),
                    Ok(_) => Err(garbage("login: the token is not a string", &answer.raw)),
                    Err(e) => Err(garbage(format!("login: {e}"), &answer.raw)),
                }
            })
            .await?;
        Ok(Some(token.as_str()))
    }

    /// The URL of `req`: its `url`, or the base (named, the channel's, or `*`) + `path`.
    fn url(&self, req: &Request, scope: &Scope, channel: Option<&str>) -> Result<String, String> {
        if let Some(url) = &req.url {
            return url.render(scope, false);
        }
        let bases = &self.mapping.bases;
        let base = match (&req.base, channel) {
            (Some(name), _) => bases.get(name),
            (None, Some(ch)) => bases.get(ch).or_else(|| bases.get("*")),
            (None, None) => bases.get("*"),
        }
        .ok_or_else(|| format!("no base URL for channel `{}`", channel.unwrap_or("*")))?;
        let path = match &req.path {
            Some(p) => p.render(scope, true)?,
            None => String::new(),
        };
        Ok(format!(
            "{}{path}",
            base.render(scope, false)?.trim_end_matches('/')
        ))
    }

    /// Sends one request (retrying when no connection could be made).
    async fn call(
        &self,
        req: &Request,
        scope: &Scope<'_>,
        channel: Option<&str>,
        token: Option<&str>,
    ) -> (Result<Answer, SutFault>, u32) {
        let built = self.build(req, scope, channel, token);
        let (mut url, headers, body) = match built {
            Ok(b) => b,
            Err(e) => {
                return (
                    Err(garbage(format!("cannot build the request: {e}"), &[])),
                    0,
                );
            }
        };
        if url.is_empty() {
            url.push('/');
        }
        let method = match req.method {
            HttpMethod::Get => Method::GET,
            HttpMethod::Post => Method::POST,
            HttpMethod::Put => Method::PUT,
            HttpMethod::Patch => Method::PATCH,
            HttpMethod::Delete => Method::DELETE,
        };
        let (answer, attempts) = self
            .http
            .send(|| {
                let mut request = self.http.request(method.clone(), &url);
                for (k, v) in &headers {
                    request = request.header(k.as_str(), v.as_str());
                }
                match &body {
                    Some(body) => request
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(body.clone()),
                    None => request,
                }
            })
            .await;
        let result = answer.and_then(|a| self.classify(req, a.status.as_u16(), a.body.to_vec()));
        (result.map_err(|f| self.redact(f)), attempts)
    }

    fn build(
        &self,
        req: &Request,
        scope: &Scope,
        channel: Option<&str>,
        token: Option<&str>,
    ) -> Result<Built, String> {
        let mut url = self.url(req, scope, channel)?;
        let mut query = Vec::new();
        for (k, v) in &req.query {
            query.push((k.clone(), v.render(scope, false)?));
        }
        let mut headers = Vec::new();
        for (k, v) in self.mapping.headers.iter().chain(&req.headers) {
            headers.push((k.clone(), v.render(scope, false)?));
        }
        let is_login = matches!(&self.mapping.auth, Some(Auth::Login { request, .. }) if std::ptr::eq(&**request, req));
        if let Some(auth) = &self.mapping.auth
            && !is_login
        {
            match auth.credential(scope, token)? {
                Credential::Header(k, v) => headers.push((k, v)),
                Credential::Query(k, v) => query.push((k, v)),
            }
        }
        for (i, (k, v)) in query.iter().enumerate() {
            let sep = if i == 0 && !url.contains('?') {
                '?'
            } else {
                '&'
            };
            url.push(sep);
            url.push_str(&percent_encode(k));
            url.push('=');
            url.push_str(&percent_encode(v));
        }
        let body = match &req.body {
            Some(t) => Some(serde_json::to_vec(&t.render(scope)?).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok((url, headers, body))
    }

    /// An accepted status gives its JSON body (secrets masked); others are faults.
    fn classify(&self, req: &Request, status: u16, raw: Vec<u8>) -> Result<Answer, SutFault> {
        if !req.accepts(status) {
            return Err(if (400..500).contains(&status) {
                let error = serde_json::from_slice::<Value>(&raw)
                    .ok()
                    .and_then(|v| {
                        ["error", "message"]
                            .iter()
                            .find_map(|k| v.get(k).and_then(Value::as_str).map(str::to_string))
                    })
                    .unwrap_or_else(|| truncate(&raw));
                SutFault::Rejected {
                    code: status,
                    error,
                }
            } else {
                SutFault::HttpStatus {
                    code: status,
                    body: truncate(&raw),
                }
            });
        }
        let mut body = if raw.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(&raw)
                .map_err(|e| garbage(format!("the response is not JSON: {e}"), &raw))?
        };
        self.redactor().json(&mut body);
        Ok(Answer { status, body, raw })
    }
}

/// Headers and body of a request, built from templates.
type Built = (String, Vec<(String, String)>, Option<Vec<u8>>);

impl Connector for MappingConnector {
    fn reads_outbox(&self) -> bool {
        self.has_outbox()
    }

    async fn check(&self) -> Result<(), String> {
        self.http
            .check_certificate(&self.target)
            .await
            .map_err(|e: String| self.redact_text(&e))
    }

    async fn touchpoint(&self, tp: &Touchpoint) -> Exchange {
        let (reply, attempts) = self.exchange(tp).await;
        Exchange {
            reply: reply.map_err(|f| self.redact(f)),
            attempts,
        }
    }

    async fn outbox(&self, journey: &str, until: &str) -> Result<Vec<OutboxMessage>, SutFault> {
        let Some(outbox) = &self.mapping.outbox else {
            return Err(SutFault::Connection {
                message: "promises unchecked: the mapping has no outbox".into(),
            });
        };
        let token = self.login().await?;
        let vars = BTreeMap::from([
            ("journey".to_string(), Value::from(journey)),
            ("until".to_string(), Value::from(until)),
        ]);
        let scope = self.scope(None, &vars);
        let answer = self.call(&outbox.request, &scope, None, token).await.0?;
        outbox
            .reader
            .read(answer.status, &answer.body)
            .map_err(|e| self.redact(garbage(e, &answer.raw)))
    }

    async fn intents(&self) -> Result<Option<Catalogue>, SutFault> {
        if self.mapping.subjects.is_empty() {
            return Ok(None);
        }
        let intents = self
            .mapping
            .subjects
            .iter()
            .map(|(intent, subject)| IntentInfo {
                intent: intent.clone(),
                subject: subject.clone(),
                ..IntentInfo::default()
            })
            .collect();
        Ok(Some(Catalogue {
            intents,
            ..Catalogue::default()
        }))
    }

    async fn finish(&self, journey: &str) {
        let Some(request) = &self.mapping.finish else {
            return;
        };
        let Ok(token) = self.login().await else {
            return;
        };
        let vars = BTreeMap::from([("journey".to_string(), Value::from(journey))]);
        let scope = self.scope(None, &vars);
        let _ = self.call(request, &scope, None, token).await;
    }
}

impl MappingConnector {
    /// Every request of the route, captures passed on, the reply read from the last one.
    async fn exchange(&self, tp: &Touchpoint) -> (Result<Reply, SutFault>, u32) {
        let Some(route) = self
            .mapping
            .routes
            .iter()
            .find(|r| r.serves(&tp.channel, &tp.intent))
        else {
            let message = format!(
                "the mapping has no request for intent `{}` on channel `{}`",
                tp.intent, tp.channel
            );
            return (Err(garbage(message, &[])), 0);
        };
        let token = match self.login().await {
            Ok(t) => t,
            Err(f) => return (Err(f), 1),
        };
        let mut vars: BTreeMap<String, Value> = BTreeMap::new();
        let mut total = 0;
        let mut last = None;
        for req in &route.requests {
            let scope = self.scope(Some(tp), &vars);
            let (answer, attempts) = self.call(req, &scope, Some(&tp.channel), token).await;
            total += attempts;
            let answer = match answer {
                Ok(a) => a,
                Err(f) => return (Err(f), total),
            };
            for (name, extract) in &req.capture {
                match extract.apply(answer.status, &answer.body) {
                    Ok(Some(v)) => {
                        vars.insert(name.clone(), v);
                    }
                    Ok(None) => {}
                    Err(e) => {
                        return (
                            Err(garbage(format!("capture `{name}`: {e}"), &answer.raw)),
                            total,
                        );
                    }
                }
            }
            last = Some(answer);
        }
        let Some(answer) = last else {
            return (Err(garbage("the route sends no request", &[])), total);
        };
        let reply = route
            .reply
            .read(answer.status, &answer.body)
            .map_err(|e| garbage(e, &answer.raw));
        (reply, total.max(1))
    }
}
