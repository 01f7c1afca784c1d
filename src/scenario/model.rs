//! `ScenarioFile` and friends: the serde types of a scenario file as written, and
//! `Journey`, the resolved form (personas merged, fragments and matrices expanded) the engine runs.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::protocol::Facts;

pub use super::rules::{RuleAction, RuleSetting};

/// One journey as written in a scenario file (one YAML document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Seam scenario",
    description = "One cross-channel customer journey."
)]
pub struct ScenarioFile {
    /// Unique name of the journey (kebab-case is customary).
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Free text: the real account this journey replays.
    #[serde(default)]
    pub story: String,
    /// A persona file under `personas/` (nearest ancestor folder), merged under `customer`.
    #[serde(default)]
    pub persona: Option<String>,
    #[serde(default)]
    pub customer: Option<CustomerSpec>,
    pub clock: ClockSpec,
    pub steps: Vec<StepEntry>,
    /// Answers that must agree across steps.
    #[serde(default)]
    pub consistent: Vec<ConsistencyRule>,
    /// How many times the journey may ask again for a fact already given (default 0).
    #[serde(default)]
    pub max_repeated_questions: Option<u32>,
    /// Severity per finding kind (`repeated-question`, `broken-handoff`, ...).
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Per rule id (`kind/rule`) or family (`kind/prefix*`): `off`, or the severity its
    /// findings get (overrides `severity` of its kind).
    #[serde(default)]
    pub rules: BTreeMap<String, RuleAction>,
    /// What the outbox of the whole journey must look like.
    #[serde(default)]
    pub outbox: Option<OutboxExpect>,
    /// Turn limit per touchpoint (default 4).
    #[serde(default)]
    pub max_turns: Option<u32>,
}

/// The persona: what the customer knows and what they present on each channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerSpec {
    /// Everything the customer knows and can give when asked.
    #[serde(default)]
    pub facts: BTreeMap<String, Value>,
    /// Per channel, the fact keys presented as identifiers there.
    #[serde(default)]
    pub identifiers: BTreeMap<String, Vec<String>>,
}

/// A persona file (`personas/NAME.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonaFile {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub facts: BTreeMap<String, Value>,
    #[serde(default)]
    pub identifiers: BTreeMap<String, Vec<String>>,
}

/// A fragment file (`fragments/NAME.yaml`): steps reused by `use:`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FragmentFile {
    #[serde(default)]
    pub description: String,
    pub steps: Vec<StepSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockSpec {
    /// RFC 3339 start time with offset, e.g. `2026-12-18T20:00:00+01:00`.
    pub start: String,
}

/// A step as written: a full step, or `use: fragment`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum StepEntry {
    Use(UseFragment),
    Step(Box<StepSpec>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UseFragment {
    /// Fragment name: `fragments/NAME.yaml` in the nearest ancestor folder.
    #[serde(rename = "use")]
    pub fragment: String,
    /// Prefix for the fragment's step ids (`PREFIX-id`), to use a fragment twice.
    #[serde(default, rename = "as")]
    pub prefix: Option<String>,
    /// Moves the clock before the fragment's first step.
    #[serde(default)]
    pub after: Option<String>,
}

/// One touchpoint as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    pub id: String,
    /// Channel; may be omitted when `matrix.channel` gives it.
    #[serde(default)]
    pub channel: Option<String>,
    pub intent: String,
    /// Absolute time (RFC 3339) of this contact.
    #[serde(default)]
    pub at: Option<String>,
    /// Time since the previous step (`20m`, `2h`, `2d`, `1w`, `1h30m`).
    #[serde(default)]
    pub after: Option<String>,
    /// Facts the customer gives now (a `${...}` reference is allowed in any string).
    #[serde(default)]
    pub says: BTreeMap<String, Value>,
    /// References quoted from earlier replies, e.g. `${order-in-store.refs.order}`.
    #[serde(default)]
    pub refs: BTreeMap<String, String>,
    /// This contact carries on the case of that earlier step (a handoff).
    #[serde(default)]
    pub continues: Option<String>,
    /// Subject keys of the question, when the SUT's catalogue does not give them.
    #[serde(default)]
    pub subject: Option<Vec<String>>,
    #[serde(default)]
    pub expect: Option<Expect>,
    /// Name -> path in this step's reply (`refs.order`, `answer.price`), usable as `${name}`.
    #[serde(default)]
    pub capture: BTreeMap<String, String>,
    /// Expands the step over several values: `matrix: { channel: [web, store, phone] }`.
    #[serde(default)]
    pub matrix: Option<Matrix>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    pub channel: Vec<String>,
}

/// What a good reply looks like (the well-run company's outcome).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// One status or a list of acceptable ones.
    #[serde(default)]
    pub status: Option<OneOrMany<String>>,
    /// Field -> matcher (a plain value means equality).
    #[serde(default)]
    pub answer: BTreeMap<String, Matcher>,
    /// Fact keys the SUT must not ask for in this step.
    #[serde(default)]
    pub not_asked: Vec<String>,
    /// The customer must be recognised.
    #[serde(default)]
    pub recognized: Option<bool>,
    /// `false`: the SUT must not send the customer to another channel.
    #[serde(default)]
    pub redirected: Option<bool>,
    /// Promises this step must make, and keep.
    #[serde(default)]
    pub promises: Option<PromiseExpect>,
    /// The reply must carry these reference keys (e.g. `[order]`).
    #[serde(default)]
    pub refs: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PromiseExpect {
    /// `what` of each promise that must be made (e.g. `arrival_sms`).
    #[serde(default)]
    pub made: Vec<String>,
    /// Every promise of this step must be kept by its deadline (default true).
    #[serde(default = "yes")]
    pub kept: bool,
    /// Each promise's deadline must be at most this long after the step (`4h`).
    #[serde(default)]
    pub within: Option<String>,
    /// Answer fields the message keeping each promise must repeat unchanged from this
    /// step's reply (the e-mailed receipt carries the sale's `total`).
    #[serde(default)]
    pub matches: Vec<String>,
}

fn yes() -> bool {
    true
}

/// A value or a comparison on an answer field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Matcher {
    Compare(Comparison),
    Equals(Value),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    #[serde(default)]
    pub eq: Option<Value>,
    #[serde(default)]
    pub ne: Option<Value>,
    #[serde(default)]
    pub lt: Option<f64>,
    #[serde(default)]
    pub le: Option<f64>,
    #[serde(default)]
    pub gt: Option<f64>,
    #[serde(default)]
    pub ge: Option<f64>,
    /// The value is one of these.
    #[serde(default, rename = "in")]
    pub one_of: Option<Vec<Value>>,
    /// The (list or string) value contains this.
    #[serde(default)]
    pub contains: Option<Value>,
    /// The field is present (true) or absent (false).
    #[serde(default)]
    pub exists: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T: Clone> OneOrMany<T> {
    pub fn to_vec(&self) -> Vec<T> {
        self.as_slice().to_vec()
    }
}

impl<T> OneOrMany<T> {
    /// The values, without copying them.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(v) => std::slice::from_ref(v),
            OneOrMany::Many(v) => v,
        }
    }
}

/// Answers that must agree across steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyRule {
    /// Step ids (a matrix step's id stands for all its expansions).
    pub steps: Vec<String>,
    /// Answer fields to compare.
    pub fields: Vec<String>,
    #[serde(default)]
    pub compare: CompareRule,
}

/// How two answer values are compared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CompareRule {
    #[default]
    Exact,
    /// Lists compared as sets (order ignored).
    Set,
    /// Numbers equal within a tolerance.
    Numeric {
        tolerance: f64,
    },
    Ignore,
}

/// Journey-level outbox expectations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutboxExpect {
    /// At most this many messages that keep no promise (surveys, reminders, promotions).
    #[serde(default)]
    pub max_unsolicited: Option<u32>,
    /// Unsolicited messages must not be about these topics (answer.topic).
    #[serde(default)]
    pub irrelevant_topics: Vec<String>,
    /// Keep reading the outbox this long after the last step (`10d`): what arrives later
    /// (promotions, surveys, late replies) is part of the journey.
    #[serde(default)]
    pub watch: Option<String>,
}

/// Finding severities, ordered.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    #[default]
    Minor,
    Major,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "minor" => Ok(Severity::Minor),
            "major" => Ok(Severity::Major),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity `{other}` (expected info, minor, major or critical)"
            )),
        }
    }
}

// ---------------------------------------------------------------------------
// Resolved form: what the engine runs.
// ---------------------------------------------------------------------------

/// A journey ready to replay: persona merged, fragments and matrices expanded,
/// times resolved. Built by `scenario::load` only from a file that validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Journey {
    pub name: String,
    /// The scenario file it came from (as given on the command line).
    pub file: String,
    pub description: String,
    pub tags: Vec<String>,
    pub story: String,
    pub customer: CustomerSpec,
    pub steps: Vec<Step>,
    pub consistent: Vec<ConsistencyRule>,
    pub max_repeated_questions: u32,
    pub severity: BTreeMap<String, Severity>,
    /// The `rules:` entries, in file order.
    pub rules: Vec<RuleSetting>,
    pub outbox: OutboxExpect,
    pub max_turns: u32,
}

/// One resolved touchpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub id: String,
    pub channel: String,
    pub intent: String,
    /// Absolute virtual time of the contact.
    pub at: chrono::DateTime<chrono::FixedOffset>,
    /// May still hold `${...}` references, substituted by the engine.
    pub says: Facts,
    pub refs: BTreeMap<String, String>,
    pub continues: Option<String>,
    pub subject: Option<Vec<String>>,
    pub expect: Expect,
    pub capture: BTreeMap<String, String>,
    /// The matrix step id this step was expanded from, if any.
    pub group: Option<String>,
}

impl Journey {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The identifiers the customer presents on `channel`, with their values.
    pub fn identifiers_on(&self, channel: &str) -> Facts {
        let mut out = Facts::new();
        if let Some(keys) = self.customer.identifiers.get(channel) {
            for key in keys {
                if let Some(value) = self.customer.facts.get(key) {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_or_many_as_a_slice() {
        let one = OneOrMany::One("done".to_string());
        let many = OneOrMany::Many(vec!["pending".to_string(), "done".to_string()]);
        assert_eq!(one.as_slice(), ["done"]);
        assert_eq!(many.as_slice(), ["pending", "done"]);
        assert_eq!(many.to_vec(), many.as_slice());
    }
}
