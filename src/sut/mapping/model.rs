//! `MappingFile` and friends: the serde types of a mapping file as written (docs/mappings.md),
//! from which `seam schema --mapping` generates the JSON Schema and `load` checks shapes.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How Seam drives a system that does not speak the touchpoint protocol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Seam mapping",
    description = "How each touchpoint becomes HTTP requests to a real system, and how its replies are read."
)]
pub struct MappingFile {
    #[serde(default)]
    pub description: String,
    /// Base URLs by channel (`*`: every other channel) or by any name a request picks
    /// with `base:`. Templates: `${target}`, `${channel}`, `${env.NAME}`.
    pub base: BTreeMap<String, String>,
    /// Headers sent with every request (templates).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub auth: Option<AuthSpec>,
    /// Which requests each (channel, intent) becomes; the first route that matches wins.
    pub touchpoints: Vec<RouteSpec>,
    /// How replies are read, for routes without their own `reply`.
    #[serde(default)]
    pub reply: Option<ReplySpec>,
    /// Where the messages sent to the customer are read, or `none` (promises unchecked).
    pub outbox: OutboxSpec,
    /// Request sent when a journey is over (templates: `${journey}`).
    #[serde(default)]
    pub finish: Option<RequestSpec>,
    /// Subject keys per intent (what identifies the question), for the consistency checks.
    #[serde(default)]
    pub subjects: BTreeMap<String, Vec<String>>,
}

/// One route: the channels and intents it serves and the requests it sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteSpec {
    /// Channels served (`*`: any).
    pub channels: Vec<String>,
    /// Intents served (`*`: any).
    pub intents: Vec<String>,
    /// Sent in order; captures of one request are `${name}` in the next ones. The reply
    /// is read from the last response.
    pub requests: Vec<RequestSpec>,
    #[serde(default)]
    pub reply: Option<ReplySpec>,
}

/// HTTP methods a request may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

fn post() -> HttpMethod {
    HttpMethod::Post
}

/// One HTTP request, every string a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestSpec {
    #[serde(default = "post")]
    pub method: HttpMethod,
    /// A name in `base` to use instead of the touchpoint's channel.
    #[serde(default)]
    pub base: Option<String>,
    /// Appended to the base URL; inserted values are percent-encoded.
    #[serde(default)]
    pub path: Option<String>,
    /// A full URL instead of `base` + `path`.
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub query: BTreeMap<String, String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// JSON body; a string that is exactly one `${...}` becomes that value (object, list...).
    #[serde(default)]
    pub body: Option<Value>,
    /// HTTP statuses whose body is an answer [default: any 2xx]; others are SUT faults.
    #[serde(default)]
    pub accept: Vec<u16>,
    /// Values read from the response, usable as `${name}` in later requests.
    #[serde(default)]
    pub capture: BTreeMap<String, ExtractSpec>,
}

/// Where an extracted value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The JSON body (`path` is a JSONPath into it).
    #[default]
    Body,
    /// The HTTP status code, as a number.
    Status,
}

/// A JSONPath (`$.state`), or a JSONPath with transforms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ExtractSpec {
    Path(String),
    Full(ExtractFull),
}

/// Read a value, then `regex`, then `map`, then `default`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtractFull {
    /// JSONPath (RFC 9535); several matches make a list.
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub from: Source,
    /// A constant instead of reading the response.
    #[serde(default)]
    pub value: Option<Value>,
    /// Keep what the first group (or the whole match) of this regex matches.
    #[serde(default)]
    pub regex: Option<String>,
    /// Replace values (by their text); `*` maps every value not listed.
    #[serde(default)]
    pub map: BTreeMap<String, Value>,
    /// Used when nothing (or null) was found.
    #[serde(default)]
    pub default: Option<Value>,
    /// Nothing found and no default is not a fault: the field is left out.
    #[serde(default)]
    pub optional: bool,
}

/// How a response becomes the normalised reply. Every mapped field is required unless it
/// has a `default` or is `optional`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplySpec {
    pub status: ExtractSpec,
    #[serde(default)]
    pub reply: Option<ExtractSpec>,
    #[serde(default)]
    pub asks: Option<ExtractSpec>,
    #[serde(default)]
    pub answer: Option<ExtractSpec>,
    #[serde(default)]
    pub refs: Option<ExtractSpec>,
    #[serde(default)]
    pub recognized: Option<ExtractSpec>,
    #[serde(default)]
    pub agent: Option<ExtractSpec>,
    #[serde(default)]
    pub redirect: Option<RedirectSpec>,
    #[serde(default)]
    pub promises: Option<PromisesSpec>,
}

/// A redirect, read under `at` (nothing or null there: no redirect); the fields' paths
/// start from that node (`$`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RedirectSpec {
    pub at: String,
    pub channel: ExtractSpec,
    #[serde(default)]
    pub reason: Option<ExtractSpec>,
    #[serde(default)]
    pub refs: Option<ExtractSpec>,
}

/// Promises: one per node matched by `each`, fields relative to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PromisesSpec {
    pub each: String,
    pub id: ExtractSpec,
    pub what: ExtractSpec,
    pub channel: ExtractSpec,
    pub by: ExtractSpec,
}

/// `none`, or an endpoint listing the messages sent to the customer of a journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OutboxSpec {
    None(NoOutbox),
    Endpoint(Box<OutboxEndpoint>),
}

/// The SUT has no readable outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum NoOutbox {
    #[serde(rename = "none")]
    None,
}

/// The outbox request (templates: `${journey}`, `${until}`) and how to read each message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutboxEndpoint {
    pub request: RequestSpec,
    /// JSONPath to the messages (`$.messages[*]`); fields are relative to each.
    pub each: String,
    pub channel: ExtractSpec,
    pub at: ExtractSpec,
    #[serde(default)]
    pub text: Option<ExtractSpec>,
    #[serde(default)]
    pub fulfils: Option<ExtractSpec>,
    #[serde(default)]
    pub refs: Option<ExtractSpec>,
    #[serde(default)]
    pub answer: Option<ExtractSpec>,
    #[serde(default)]
    pub redirect: Option<RedirectSpec>,
}

/// One way to authenticate; secrets come from `${env.NAME}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AuthSpec {
    /// `Authorization: Bearer TOKEN`.
    Bearer(String),
    /// `Authorization: Basic base64(username:password)`.
    Basic { username: String, password: String },
    /// A key in a header (`X-Api-Key`) or a query parameter.
    ApiKey {
        #[serde(default)]
        header: Option<String>,
        #[serde(default)]
        query: Option<String>,
        value: String,
    },
    /// A login request whose response holds a token, sent once before the first call.
    Login(Box<LoginSpec>),
}

/// The login request, where its token is, and how it is presented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginSpec {
    pub request: RequestSpec,
    pub token: ExtractSpec,
    /// Header carrying the token [default: Authorization].
    #[serde(default)]
    pub header: Option<String>,
    /// Text before the token [default: `Bearer `].
    #[serde(default)]
    pub prefix: Option<String>,
}
