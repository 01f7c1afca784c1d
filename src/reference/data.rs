//! `Fixtures`: the reference retailer's data (catalogue, stores, policies, agents,
//! customers), embedded at compile time or loaded from `--data DIR`, with clear errors.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::ReferenceError;

/// Everything the retailer knows before the first request.
#[derive(Debug, Clone)]
pub struct Fixtures {
    pub catalogue: Catalogue,
    pub stores: Stores,
    pub policies: Policies,
    pub agents: Agents,
    pub customers: Customers,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub sku: String,
    pub name: String,
    pub category: String,
    pub price: f64,
    /// Online (warehouse) stock.
    pub online: i64,
    /// Live stock per store.
    #[serde(default)]
    pub stores: BTreeMap<String, i64>,
    /// Nightly snapshot of store stock, read by web/app when `inventory-sync` is broken.
    #[serde(default)]
    pub web_snapshot: BTreeMap<String, i64>,
    /// Can a store order it for pickup when it is not on the shelf?
    #[serde(default)]
    pub store_orderable: bool,
    #[serde(default)]
    pub restock_days: Option<i64>,
    /// Waiting list in weeks when it cannot be ordered in store.
    #[serde(default)]
    pub wait_weeks: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stores {
    pub stores: Vec<Store>,
    pub branches: Vec<Branch>,
    pub emergency_line: Hours,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Store {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub timezone: String,
    pub utc_offset: String,
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub id: String,
    pub name: String,
    pub utc_offset: String,
    pub opens: String,
    pub closes: String,
    pub slot_minutes: u32,
    pub queue: Queue,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Queue {
    pub waiting: u32,
    pub wait_minutes: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub utc_offset: String,
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    pub arrival_sms_days: i64,
    pub ready_email_days: i64,
    pub invoice_change_days: i64,
    pub invoice_change_window_days: i64,
    pub invoice_types: Vec<String>,
    pub cash_discount_pct: f64,
    pub shipping_fee: f64,
    pub carriers: Vec<String>,
    pub home_delivery_days: Vec<i64>,
    pub pickup_days: i64,
    pub email_reply_hours: i64,
    pub email_answer_after_hours: i64,
    pub email_slow_reply_hours: i64,
    pub callback_hours: i64,
    pub callback_after_minutes: i64,
    pub follow_up_call_hours: i64,
    pub follow_up_after_hours: i64,
    pub written_reply_hours: i64,
    pub written_reply_after_hours: i64,
    pub ticket_reply_hours: i64,
    pub receipt_email_minutes: i64,
    pub receipt_after_minutes: i64,
    pub activation_minutes_per_line: i64,
    pub carrier_switch_minutes: i64,
    pub survey_after_hours: i64,
    pub reminder_every_hours: i64,
    pub reminders: u32,
    pub promotions: u32,
    pub specialist_topics: Vec<String>,
    pub incidents: Vec<Incident>,
    pub unknown_incident: IncidentOutcome,
    pub topics: Vec<Topic>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub symptom: String,
    #[serde(flatten)]
    pub outcome: IncidentOutcome,
}

#[derive(Debug, Clone, Deserialize)]
pub struct IncidentOutcome {
    pub resolution: String,
    pub fault_owner: String,
    pub resolved: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub topic: String,
    pub content: String,
    #[serde(default)]
    pub fee: Option<f64>,
    #[serde(default)]
    pub hours: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agents {
    pub agents: BTreeMap<String, String>,
    pub specialist: String,
    pub administration: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customers {
    pub customers: Vec<Customer>,
}

/// A known customer: an id, purchase history, and facts (name, phone, email, ...).
#[derive(Debug, Clone, Deserialize)]
pub struct Customer {
    pub id: String,
    #[serde(default)]
    pub history: Vec<String>,
    #[serde(flatten)]
    pub facts: BTreeMap<String, Value>,
}

/// The fact keys that identify a customer when presented or said.
pub const IDENTIFYING_KEYS: [&str; 6] = [
    "loyalty_card",
    "phone",
    "email",
    "account",
    "tax_id",
    "line",
];

const FILES: [(&str, &str); 5] = [
    (
        "catalogue.yaml",
        include_str!("../../fixtures/reference/catalogue.yaml"),
    ),
    (
        "stores.yaml",
        include_str!("../../fixtures/reference/stores.yaml"),
    ),
    (
        "policies.yaml",
        include_str!("../../fixtures/reference/policies.yaml"),
    ),
    (
        "agents.yaml",
        include_str!("../../fixtures/reference/agents.yaml"),
    ),
    (
        "customers.yaml",
        include_str!("../../fixtures/reference/customers.yaml"),
    ),
];

impl Fixtures {
    /// The fixtures bundled in the binary.
    pub fn embedded() -> Result<Fixtures, ReferenceError> {
        Fixtures::parse(|name| {
            FILES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| (*text).to_string())
                .ok_or_else(|| ReferenceError::data(name, "not embedded"))
        })
    }

    /// Fixtures from a directory holding the five files.
    pub fn load(dir: &Path) -> Result<Fixtures, ReferenceError> {
        Fixtures::parse(|name| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .map_err(|e| ReferenceError::data(&path.display().to_string(), &e.to_string()))
        })
    }

    fn parse(
        read: impl Fn(&str) -> Result<String, ReferenceError>,
    ) -> Result<Fixtures, ReferenceError> {
        fn one<T: for<'de> Deserialize<'de>>(
            read: &impl Fn(&str) -> Result<String, ReferenceError>,
            name: &str,
        ) -> Result<T, ReferenceError> {
            let text = read(name)?;
            serde_yaml::from_str(&text).map_err(|e| ReferenceError::data(name, &e.to_string()))
        }
        let fixtures = Fixtures {
            catalogue: one(&read, "catalogue.yaml")?,
            stores: one(&read, "stores.yaml")?,
            policies: one(&read, "policies.yaml")?,
            agents: one(&read, "agents.yaml")?,
            customers: one(&read, "customers.yaml")?,
        };
        fixtures.check()?;
        Ok(fixtures)
    }

    /// Cross-checks: offsets and hours parse, stock names known stores.
    fn check(&self) -> Result<(), ReferenceError> {
        use super::clock::{parse_hhmm, parse_offset};
        let hours = self
            .stores
            .stores
            .iter()
            .map(|s| {
                (
                    format!("store `{}`", s.id),
                    &s.utc_offset,
                    &s.opens,
                    &s.closes,
                )
            })
            .chain(self.stores.branches.iter().map(|b| {
                (
                    format!("branch `{}`", b.id),
                    &b.utc_offset,
                    &b.opens,
                    &b.closes,
                )
            }))
            .chain(std::iter::once((
                "emergency_line".to_string(),
                &self.stores.emergency_line.utc_offset,
                &self.stores.emergency_line.opens,
                &self.stores.emergency_line.closes,
            )));
        for (what, offset, opens, closes) in hours {
            parse_offset(offset).ok_or_else(|| {
                ReferenceError::data("stores.yaml", &format!("{what}: bad utc_offset `{offset}`"))
            })?;
            for t in [opens, closes] {
                parse_hhmm(t).ok_or_else(|| {
                    ReferenceError::data("stores.yaml", &format!("{what}: bad time `{t}` (HH:MM)"))
                })?;
            }
        }
        for item in &self.catalogue.items {
            for store in item.stores.keys().chain(item.web_snapshot.keys()) {
                if self.store(store).is_none() {
                    return Err(ReferenceError::data(
                        "catalogue.yaml",
                        &format!("item `{}`: unknown store `{store}`", item.sku),
                    ));
                }
            }
        }
        if self.policies.carriers.is_empty() || self.policies.home_delivery_days.is_empty() {
            return Err(ReferenceError::data(
                "policies.yaml",
                "carriers and home_delivery_days must not be empty",
            ));
        }
        Ok(())
    }

    pub fn item(&self, sku: &str) -> Option<&Item> {
        self.catalogue.items.iter().find(|i| i.sku == sku)
    }

    pub fn store(&self, id: &str) -> Option<&Store> {
        self.stores.stores.iter().find(|s| s.id == id)
    }

    pub fn branch(&self, id: &str) -> Option<&Branch> {
        self.stores.branches.iter().find(|b| b.id == id)
    }

    pub fn topic(&self, topic: &str) -> Option<&Topic> {
        self.policies.topics.iter().find(|t| t.topic == topic)
    }

    pub fn agent(&self, channel: &str) -> String {
        self.agents
            .agents
            .get(channel)
            .cloned()
            .unwrap_or_else(|| format!("{channel}-agent"))
    }

    /// The customer whose `key` fact equals `value`, for identifying keys only.
    pub fn customer_by(&self, key: &str, value: &Value) -> Option<&Customer> {
        if !IDENTIFYING_KEYS.contains(&key) {
            return None;
        }
        self.customers
            .customers
            .iter()
            .find(|c| c.facts.get(key) == Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fixtures_load_and_cross_check() {
        let f = Fixtures::embedded().expect("bundled fixtures are valid");
        assert!(f.item("9788433977700").is_some());
        assert!(f.store("bookstore-madrid").is_some());
        let ana = f.customer_by("loyalty_card", &Value::from("LC-5521"));
        assert_eq!(ana.map(|c| c.id.as_str()), Some("cust-ana"));
        assert!(f.customer_by("name", &Value::from("Ana García")).is_none());
    }

    #[test]
    fn missing_directory_names_the_file() {
        let err = Fixtures::load(Path::new("/nonexistent-seam-dir")).expect_err("no such dir");
        assert!(err.to_string().contains("catalogue.yaml"), "{err}");
    }
}
