//! `Mapping`: a mapping file compiled (templates parsed, JSONPaths and regexes built,
//! names checked, `${env.NAME}` read once). Compile errors carry the keys of the bad node.

use std::collections::{BTreeMap, BTreeSet};

use super::auth::Auth;
use super::extract::Extract;
use super::model::{HttpMethod, MappingFile, OutboxSpec, RequestSpec};
use super::read::{OutboxReader, ReplyReader};
use super::template::{JsonTemplate, ROOTS, Template};

/// A problem in the mapping: the keys of the node it concerns, the message, a hint.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub keys: Vec<String>,
    pub message: String,
    pub hint: Option<String>,
}

/// One compiled HTTP request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: HttpMethod,
    pub base: Option<String>,
    pub path: Option<Template>,
    pub url: Option<Template>,
    pub query: Vec<(String, Template)>,
    pub headers: Vec<(String, Template)>,
    pub body: Option<JsonTemplate>,
    pub accept: Vec<u16>,
    pub capture: Vec<(String, Extract)>,
}

impl Request {
    /// Whether `status` is an answer (listed in `accept`, or any 2xx by default).
    pub fn accepts(&self, status: u16) -> bool {
        if self.accept.is_empty() {
            (200..300).contains(&status)
        } else {
            self.accept.contains(&status)
        }
    }
}

/// Requests and reader of the (channel, intent) pairs a route serves.
#[derive(Debug, Clone)]
pub struct Route {
    pub channels: Vec<String>,
    pub intents: Vec<String>,
    pub requests: Vec<Request>,
    pub reply: ReplyReader,
}

impl Route {
    pub fn serves(&self, channel: &str, intent: &str) -> bool {
        let any = |list: &[String], x: &str| list.iter().any(|c| c == "*" || c == x);
        any(&self.channels, channel) && any(&self.intents, intent)
    }
}

/// The outbox request and reader.
#[derive(Debug, Clone)]
pub struct Outbox {
    pub request: Request,
    pub reader: OutboxReader,
}

/// A loaded, checked mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub bases: BTreeMap<String, Template>,
    pub headers: Vec<(String, Template)>,
    pub auth: Option<Auth>,
    pub routes: Vec<Route>,
    pub outbox: Option<Outbox>,
    pub finish: Option<Request>,
    pub subjects: BTreeMap<String, Vec<String>>,
    /// The environment variables the mapping reads, with their values (all secrets).
    pub env: BTreeMap<String, String>,
}

impl Mapping {
    /// Whether some route serves this channel and intent.
    pub fn routes(&self, channel: &str, intent: &str) -> bool {
        self.routes.iter().any(|r| r.serves(channel, intent))
    }

    /// The (channel, intent) pairs of `pairs` that no route serves, sorted, each once.
    pub fn unrouted<'a>(
        &self,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Vec<(&'a str, &'a str)> {
        let missing: BTreeSet<(&str, &str)> = pairs
            .into_iter()
            .filter(|(channel, intent)| !self.routes(channel, intent))
            .collect();
        missing.into_iter().collect()
    }
}

/// Collects problems while compiling.
pub struct Compiler<'a> {
    pub env_lookup: &'a dyn Fn(&str) -> Option<String>,
    pub env: BTreeMap<String, String>,
    pub problems: Vec<Problem>,
}

fn keys(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| (*s).to_string()).collect()
}

fn join(base: &[String], more: &[&str]) -> Vec<String> {
    let mut k = base.to_vec();
    k.extend(more.iter().map(|s| (*s).to_string()));
    k
}

impl Compiler<'_> {
    fn problem(&mut self, keys: Vec<String>, message: impl Into<String>, hint: Option<String>) {
        self.problems.push(Problem {
            keys,
            message: message.into(),
            hint,
        });
    }

    fn spec_errors(&mut self, at: &[String], errors: Vec<super::read::SpecError>) {
        for (k, m) in errors {
            let mut full = at.to_vec();
            full.extend(k);
            self.problem(full, m, None);
        }
    }

    /// Checks the names a template uses: roots in `allowed`, env vars set.
    fn check_paths<'p>(
        &mut self,
        at: &[String],
        paths: impl IntoIterator<Item = &'p [String]>,
        allowed: &BTreeSet<String>,
    ) {
        for path in paths {
            let Some(root) = path.first() else { continue };
            if root == "env" {
                match path.get(1) {
                    Some(name) if path.len() == 2 => match (self.env_lookup)(name) {
                        Some(v) => {
                            self.env.insert(name.clone(), v);
                        }
                        None => self.problem(
                            at.to_vec(),
                            format!("environment variable `{name}` is not set"),
                            Some(format!(
                                "export {name} before running seam; its value is redacted from every report"
                            )),
                        ),
                    },
                    _ => self.problem(
                        at.to_vec(),
                        format!("`${{{}}}`: write `${{env.NAME}}`", path.join(".")),
                        None,
                    ),
                }
            } else if !allowed.contains(root) {
                let hint =
                    crate::scenario::diagnostic::suggest(root, allowed.iter().map(String::as_str))
                        .map(|b| format!("did you mean `{b}`?"))
                        .unwrap_or_else(|| {
                            format!(
                                "available here: {}",
                                allowed.iter().cloned().collect::<Vec<_>>().join(", ")
                            )
                        });
                self.problem(
                    at.to_vec(),
                    format!("unknown name `{root}` in `${{{}}}`", path.join(".")),
                    Some(hint),
                );
            }
        }
    }

    pub fn template(
        &mut self,
        at: &[String],
        text: &str,
        allowed: &BTreeSet<String>,
    ) -> Option<Template> {
        match Template::parse(text) {
            Ok(t) => {
                self.check_paths(at, t.paths(), allowed);
                Some(t)
            }
            Err((_, e)) => {
                self.problem(at.to_vec(), format!("invalid template: {e}"), None);
                None
            }
        }
    }

    fn pairs(
        &mut self,
        at: &[String],
        map: &BTreeMap<String, String>,
        allowed: &BTreeSet<String>,
    ) -> Vec<(String, Template)> {
        map.iter()
            .filter_map(|(k, v)| {
                let t = self.template(&join(at, &[k]), v, allowed)?;
                Some((k.clone(), t))
            })
            .collect()
    }

    /// Compiles a request; `allowed` grows with its captures for the next requests.
    pub fn request(
        &mut self,
        at: &[String],
        spec: &RequestSpec,
        allowed: &mut BTreeSet<String>,
        bases: &BTreeMap<String, String>,
    ) -> Option<Request> {
        let before = self.problems.len();
        match (&spec.path, &spec.url) {
            (Some(_), Some(_)) => self.problem(
                join(at, &["url"]),
                "give `path` (after the base URL) or `url`, not both",
                None,
            ),
            (None, None) => self.problem(
                at.to_vec(),
                "the request has no `path` or `url`",
                Some("`path: /orders` is appended to the channel's base URL".into()),
            ),
            _ => {}
        }
        if let Some(name) = &spec.base
            && !bases.contains_key(name)
        {
            let hint = crate::scenario::diagnostic::suggest(name, bases.keys().map(String::as_str))
                .map(|b| format!("did you mean `{b}`?"));
            self.problem(
                join(at, &["base"]),
                format!("no base URL named `{name}`"),
                hint,
            );
        }
        let path = spec
            .path
            .as_ref()
            .and_then(|p| self.template(&join(at, &["path"]), p, allowed));
        let url = spec
            .url
            .as_ref()
            .and_then(|p| self.template(&join(at, &["url"]), p, allowed));
        let query = self.pairs(&join(at, &["query"]), &spec.query, allowed);
        let headers = self.pairs(&join(at, &["headers"]), &spec.headers, allowed);
        let body = match spec.body.as_ref().map(JsonTemplate::compile) {
            None => None,
            Some(Ok(t)) => {
                self.check_paths(&join(at, &["body"]), t.paths(), allowed);
                Some(t)
            }
            Some(Err((text, _, e))) => {
                self.problem(
                    join(at, &["body"]),
                    format!("invalid template `{text}`: {e}"),
                    None,
                );
                None
            }
        };
        let mut capture = Vec::new();
        for (name, spec) in &spec.capture {
            match Extract::compile(spec) {
                Ok(e) => capture.push((name.clone(), e)),
                Err(e) => self.problem(join(at, &["capture", name, e.key]), e.message, None),
            }
            if ROOTS.contains(&name.as_str()) {
                self.problem(
                    join(at, &["capture", name]),
                    format!("`{name}` is a reserved name"),
                    Some(format!("reserved: {}", ROOTS.join(", "))),
                );
            }
            allowed.insert(name.clone());
        }
        (self.problems.len() == before).then_some(Request {
            method: spec.method,
            base: spec.base.clone(),
            path,
            url,
            query,
            headers,
            body,
            accept: spec.accept.clone(),
            capture,
        })
    }
}

/// Names every template may use, plus `extra`.
pub fn names(extra: &[&str]) -> BTreeSet<String> {
    ["target", "env"]
        .iter()
        .chain(extra)
        .map(|s| (*s).to_string())
        .collect()
}

/// Compiles `file`, or returns every problem found.
pub fn compile(
    file: &MappingFile,
    env_lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Mapping, Vec<Problem>> {
    let mut c = Compiler {
        env_lookup,
        env: BTreeMap::new(),
        problems: Vec::new(),
    };
    let base_names = names(&["channel"]);
    let mut bases = BTreeMap::new();
    for (name, text) in &file.base {
        if let Some(t) = c.template(&keys(&["base", name]), text, &base_names) {
            bases.insert(name.clone(), t);
        }
    }
    let tp_names = names(&[
        "says", "refs", "customer", "answers", "declines", "at", "journey", "step", "turn",
        "channel", "intent",
    ]);
    let headers = c.pairs(&keys(&["headers"]), &file.headers, &names(&[]));
    let auth = file
        .auth
        .as_ref()
        .and_then(|a| super::auth::compile(&mut c, a, &file.base));
    let default_reply = file
        .reply
        .as_ref()
        .and_then(|r| match ReplyReader::compile(r) {
            Ok(reader) => Some(reader),
            Err(errors) => {
                c.spec_errors(&keys(&["reply"]), errors);
                None
            }
        });
    if file.touchpoints.is_empty() {
        c.problem(
            keys(&["touchpoints"]),
            "the mapping maps no touchpoint",
            None,
        );
    }
    let mut routes = Vec::new();
    for (i, route) in file.touchpoints.iter().enumerate() {
        let at = keys(&["touchpoints", &i.to_string()]);
        let mut allowed = tp_names.clone();
        let mut requests = Vec::new();
        if route.requests.is_empty() {
            c.problem(
                join(&at, &["requests"]),
                "a route needs at least one request",
                None,
            );
        }
        for (j, spec) in route.requests.iter().enumerate() {
            requests.extend(c.request(
                &join(&at, &["requests", &j.to_string()]),
                spec,
                &mut allowed,
                &file.base,
            ));
        }
        if route
            .requests
            .iter()
            .any(|r| r.path.is_some() && r.base.is_none())
        {
            for ch in route.channels.iter().filter(|ch| *ch != "*") {
                if !file.base.contains_key(ch) && !file.base.contains_key("*") {
                    c.problem(
                        join(&at, &["channels"]),
                        format!("no base URL for channel `{ch}`"),
                        Some(format!("add `{ch}:` or `\"*\":` under `base`")),
                    );
                }
            }
        }
        let reply = match (&route.reply, &default_reply) {
            (Some(spec), _) => match ReplyReader::compile(spec) {
                Ok(r) => Some(r),
                Err(errors) => {
                    c.spec_errors(&join(&at, &["reply"]), errors);
                    None
                }
            },
            (None, Some(d)) => Some(d.clone()),
            (None, None) if file.reply.is_some() => None,
            (None, None) => {
                c.problem(
                    at.clone(),
                    "this route has no `reply`, and the mapping has no top-level `reply`",
                    Some("say how replies are read, at least `reply: { status: ... }`".into()),
                );
                None
            }
        };
        if let Some(reply) = reply {
            routes.push(Route {
                channels: route.channels.clone(),
                intents: route.intents.clone(),
                requests,
                reply,
            });
        }
    }
    let outbox = match &file.outbox {
        OutboxSpec::None(_) => None,
        OutboxSpec::Endpoint(spec) => {
            let mut allowed = names(&["journey", "until"]);
            let request = c.request(
                &keys(&["outbox", "request"]),
                &spec.request,
                &mut allowed,
                &file.base,
            );
            let reader = match OutboxReader::compile(spec) {
                Ok(r) => Some(r),
                Err(errors) => {
                    c.spec_errors(&keys(&["outbox"]), errors);
                    None
                }
            };
            request
                .zip(reader)
                .map(|(request, reader)| Outbox { request, reader })
        }
    };
    let finish = file.finish.as_ref().and_then(|spec| {
        let mut allowed = names(&["journey"]);
        c.request(&keys(&["finish"]), spec, &mut allowed, &file.base)
    });
    if c.problems.is_empty() {
        Ok(Mapping {
            bases,
            headers,
            auth,
            routes,
            outbox,
            finish,
            subjects: file.subjects.clone(),
            env: c.env,
        })
    } else {
        Err(c.problems)
    }
}
