//! `Auth`: how every mapped request authenticates: a bearer token, basic credentials, an
//! API key (header or query), or a login request whose token is captured once and reused.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::collections::BTreeMap;

use super::compile::{Compiler, Request, names};
use super::extract::Extract;
use super::model::AuthSpec;
use super::template::{Scope, Template};

/// A compiled `auth`.
#[derive(Debug, Clone)]
pub enum Auth {
    /// A header whose value is a template (`Bearer ${env.TOKEN}`, `X-Api-Key`).
    Header { name: String, value: Template },
    /// A query parameter (API key in the URL).
    Query { name: String, value: Template },
    Basic {
        username: Template,
        password: Template,
    },
    /// Sent once; the token goes in `header` after `prefix`.
    Login {
        request: Box<Request>,
        token: Extract,
        header: String,
        prefix: String,
    },
}

/// What a request carries for authentication, once templates are rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum Credential {
    Header(String, String),
    Query(String, String),
}

pub fn compile(
    c: &mut Compiler,
    spec: &AuthSpec,
    bases: &BTreeMap<String, String>,
) -> Option<Auth> {
    let at = |k: &[&str]| {
        let mut keys = vec!["auth".to_string()];
        keys.extend(k.iter().map(|s| (*s).to_string()));
        keys
    };
    let allowed = names(&[]);
    match spec {
        AuthSpec::Bearer(token) => {
            let value = c.template(&at(&["bearer"]), &format!("Bearer {token}"), &allowed)?;
            Some(Auth::Header {
                name: "Authorization".into(),
                value,
            })
        }
        AuthSpec::Basic { username, password } => {
            let username = c.template(&at(&["basic", "username"]), username, &allowed);
            let password = c.template(&at(&["basic", "password"]), password, &allowed);
            Some(Auth::Basic {
                username: username?,
                password: password?,
            })
        }
        AuthSpec::ApiKey {
            header,
            query,
            value,
        } => {
            let value = c.template(&at(&["api_key", "value"]), value, &allowed)?;
            match (header, query) {
                (Some(name), None) => Some(Auth::Header {
                    name: name.clone(),
                    value,
                }),
                (None, Some(name)) => Some(Auth::Query {
                    name: name.clone(),
                    value,
                }),
                _ => {
                    c.problems.push(super::compile::Problem {
                        keys: at(&["api_key"]),
                        message:
                            "an API key goes in a `header` or a `query` parameter (one of them)"
                                .into(),
                        hint: None,
                    });
                    None
                }
            }
        }
        AuthSpec::Login(login) => {
            let mut allowed = allowed;
            let request = c.request(
                &at(&["login", "request"]),
                &login.request,
                &mut allowed,
                bases,
            );
            let token = match Extract::compile(&login.token) {
                Ok(t) => Some(t),
                Err(e) => {
                    c.problems.push(super::compile::Problem {
                        keys: at(&["login", "token", e.key]),
                        message: e.message,
                        hint: None,
                    });
                    None
                }
            };
            Some(Auth::Login {
                request: Box::new(request?),
                token: token?,
                header: login
                    .header
                    .clone()
                    .unwrap_or_else(|| "Authorization".into()),
                prefix: login.prefix.clone().unwrap_or_else(|| "Bearer ".into()),
            })
        }
    }
}

impl Auth {
    /// The credential to attach, given the login token when there is one.
    pub fn credential(&self, scope: &Scope, token: Option<&str>) -> Result<Credential, String> {
        Ok(match self {
            Auth::Header { name, value } => {
                Credential::Header(name.clone(), value.render(scope, false)?)
            }
            Auth::Query { name, value } => {
                Credential::Query(name.clone(), value.render(scope, false)?)
            }
            Auth::Basic { username, password } => {
                let pair = format!(
                    "{}:{}",
                    username.render(scope, false)?,
                    password.render(scope, false)?
                );
                Credential::Header(
                    "Authorization".into(),
                    format!("Basic {}", STANDARD.encode(pair)),
                )
            }
            Auth::Login { header, prefix, .. } => {
                let token = token.ok_or("not logged in")?;
                Credential::Header(header.clone(), format!("{prefix}{token}"))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sut::mapping::compile::Compiler;

    fn compile_auth(yaml: &str) -> (Option<Auth>, Vec<String>) {
        let value: serde_json::Value = serde_yaml::from_str(yaml).expect("yaml");
        let spec: AuthSpec = serde_json::from_value(value).expect("spec");
        let lookup = |name: &str| (name == "PW").then(|| "pa:ss".to_string());
        let mut c = Compiler {
            env_lookup: &lookup,
            env: BTreeMap::new(),
            problems: Vec::new(),
        };
        let auth = compile(&mut c, &spec, &BTreeMap::new());
        (auth, c.problems.into_iter().map(|p| p.message).collect())
    }

    fn credential(auth: &Auth, token: Option<&str>) -> Result<Credential, String> {
        let env = BTreeMap::from([("PW".to_string(), "pa:ss".to_string())]);
        let vars = BTreeMap::new();
        let scope = Scope {
            target: "",
            env: &env,
            touchpoint: None,
            vars: &vars,
        };
        auth.credential(&scope, token)
    }

    #[test]
    fn bearer_basic_and_api_keys() {
        let (auth, problems) = compile_auth("bearer: \"${env.PW}\"");
        assert!(problems.is_empty());
        let auth = auth.expect("compiles");
        assert_eq!(
            credential(&auth, None),
            Ok(Credential::Header(
                "Authorization".into(),
                "Bearer pa:ss".into()
            ))
        );
        let (auth, _) = compile_auth("basic: { username: qa, password: \"${env.PW}\" }");
        assert_eq!(
            credential(&auth.expect("compiles"), None),
            Ok(Credential::Header(
                "Authorization".into(),
                format!("Basic {}", STANDARD.encode("qa:pa:ss"))
            ))
        );
        let (auth, _) = compile_auth("api_key: { query: key, value: \"${env.PW}\" }");
        assert_eq!(
            credential(&auth.expect("compiles"), None),
            Ok(Credential::Query("key".into(), "pa:ss".into()))
        );
        let (_, problems) = compile_auth("api_key: { value: x }");
        assert_eq!(problems.len(), 1);
        let (_, problems) = compile_auth("bearer: \"${env.NOPE}\"");
        assert_eq!(
            problems,
            vec!["environment variable `NOPE` is not set".to_string()]
        );
    }

    #[test]
    fn login_uses_the_captured_token() {
        let (auth, problems) = compile_auth(
            "login: { request: { url: \"${target}/auth/login\", body: { password: \"${env.PW}\" } }, token: \"$.access_token\" }",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let auth = auth.expect("compiles");
        assert_eq!(
            credential(&auth, Some("t-1")),
            Ok(Credential::Header(
                "Authorization".into(),
                "Bearer t-1".into()
            ))
        );
        assert!(credential(&auth, None).is_err());
    }
}
