//! `JourneySource`: where a run's journeys come from, pulled one at a time, so that a
//! source may read lazily. `Scripted` gives journeys already loaded from scenario files.
//! Journeys are read-only once given: they come shared (`Arc`), so a source that keeps
//! them (a benchmark replaying the same ones) hands them over without copying.

use std::sync::Arc;

use crate::scenario::model::Journey;

/// How much a source will give, when it knows up front (for progress bars).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned {
    pub journeys: usize,
    pub steps: usize,
}

/// The journeys of a run, in run order.
pub trait JourneySource {
    /// The next journey, or `None` when there is none left.
    fn next_journey(&mut self) -> Option<Arc<Journey>>;

    /// What is to come, when known.
    fn planned(&self) -> Option<Planned> {
        None
    }
}

/// Journeys loaded from scenario files, given one by one.
pub struct Scripted {
    journeys: std::vec::IntoIter<Journey>,
    planned: Planned,
}

impl Scripted {
    pub fn new(journeys: Vec<Journey>) -> Scripted {
        let planned = Planned {
            journeys: journeys.len(),
            steps: journeys.iter().map(|j| j.steps.len()).sum(),
        };
        Scripted {
            journeys: journeys.into_iter(),
            planned,
        }
    }
}

impl JourneySource for Scripted {
    fn next_journey(&mut self) -> Option<Arc<Journey>> {
        self.journeys.next().map(Arc::new)
    }

    fn planned(&self) -> Option<Planned> {
        Some(self.planned)
    }
}

/// Shared journeys, given again without copying (each run of a benchmark, a test that
/// replays the same journeys twice).
pub struct Shared<'a> {
    journeys: std::slice::Iter<'a, Arc<Journey>>,
}

impl<'a> Shared<'a> {
    pub fn new(journeys: &'a [Arc<Journey>]) -> Shared<'a> {
        Shared {
            journeys: journeys.iter(),
        }
    }
}

impl JourneySource for Shared<'_> {
    fn next_journey(&mut self) -> Option<Arc<Journey>> {
        self.journeys.next().cloned()
    }

    fn planned(&self) -> Option<Planned> {
        let rest = self.journeys.as_slice();
        Some(Planned {
            journeys: rest.len(),
            steps: rest.iter().map(|j| j.steps.len()).sum(),
        })
    }
}
