//! `JourneyStore`: one `JourneyState` per journey id (orders, cases, promises, outbox,
//! remembered facts, replies already given), sharded behind short-lived mutexes.

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;

use crate::protocol::{Facts, OutboxMessage, Reply};

use super::clock::Instant;

/// Which system took an order (the `store-web-orders` seam is between them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    Store,
    Web,
}

#[derive(Debug, Clone)]
pub struct Order {
    pub reference: String,
    pub system: System,
    pub skus: Vec<String>,
    pub at: Instant,
    /// When the order can be collected (store orders of items not on the shelf, pickups).
    pub ready_at: Option<Instant>,
    /// Home deliveries: one date per parcel.
    pub delivery_at: Vec<Instant>,
    pub pickup: String,
    /// A pending invoice change: (type, tax id).
    pub invoice_change: Option<(String, Option<String>)>,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub reference: String,
    pub topic: String,
}

/// A message scheduled for the outbox, visible once `until >= at`.
#[derive(Debug, Clone)]
pub struct Scheduled {
    pub at: Instant,
    pub message: OutboxMessage,
}

#[derive(Debug, Default)]
pub struct JourneyState {
    pub store_orders: u32,
    pub web_orders: u32,
    pub cases_issued: u32,
    pub promises_made: u32,
    pub orders: Vec<Order>,
    pub cases: Vec<Case>,
    pub outbox: Vec<Scheduled>,
    /// Every fact said in any step so far (used when `crm-memory` is repaired).
    pub memory: Facts,
    /// Replies already given, by (step, turn): a repeated request is answered the same.
    pub replies: HashMap<(String, u32), Reply>,
    /// Topics already written about by e-mail (a second e-mail is a follow-up).
    pub email_topics: BTreeSet<String>,
    /// A satisfaction survey was scheduled.
    pub surveyed: bool,
    /// Categories bought in this journey.
    pub bought: Vec<String>,
    /// Stock taken in this journey, by (sku, location); location `online` or a store id.
    pub taken: HashMap<(String, String), i64>,
}

impl JourneyState {
    pub fn find_order(&self, reference: &str) -> Option<&Order> {
        self.orders.iter().find(|o| o.reference == reference)
    }

    pub fn find_case(&self, reference: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.reference == reference)
    }

    pub fn taken(&self, sku: &str, location: &str) -> i64 {
        self.taken
            .get(&(sku.to_string(), location.to_string()))
            .copied()
            .unwrap_or(0)
    }
}

const SHARDS: usize = 64;

/// All live journeys, sharded by a hash of the journey id.
pub struct JourneyStore {
    shards: Vec<Mutex<HashMap<String, JourneyState>>>,
    hasher: RandomState,
}

impl Default for JourneyStore {
    fn default() -> Self {
        JourneyStore {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
        }
    }
}

impl JourneyStore {
    fn shard(&self, journey: &str) -> &Mutex<HashMap<String, JourneyState>> {
        let i = (self.hasher.hash_one(journey) as usize) % SHARDS;
        &self.shards[i]
    }

    /// Run `f` on the journey's state, creating it on first use.
    pub fn with<R>(&self, journey: &str, f: impl FnOnce(&mut JourneyState) -> R) -> R {
        let mut shard = self
            .shard(journey)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(state) = shard.get_mut(journey) {
            return f(state);
        }
        let state = shard.entry(journey.to_string()).or_default();
        f(state)
    }

    /// Run `f` on the journey's state if it exists.
    pub fn read<R>(&self, journey: &str, f: impl FnOnce(&JourneyState) -> R) -> Option<R> {
        let shard = self
            .shard(journey)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        shard.get(journey).map(f)
    }

    /// Forget a journey; true when it existed.
    pub fn remove(&self, journey: &str) -> bool {
        let mut shard = self
            .shard(journey)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        shard.remove(journey).is_some()
    }

    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|p| p.into_inner()).len())
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journeys_are_isolated_and_released() {
        let store = JourneyStore::default();
        store.with("a", |s| s.store_orders = 3);
        store.with("b", |s| s.store_orders += 1);
        assert_eq!(store.read("a", |s| s.store_orders), Some(3));
        assert_eq!(store.read("b", |s| s.store_orders), Some(1));
        assert!(store.remove("a"));
        assert!(!store.remove("a"));
        assert_eq!(store.len(), 1);
    }
}
