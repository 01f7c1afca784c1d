//! `JourneySource`: where a run's journeys come from, pulled one at a time, so that a
//! source may read lazily. `Scripted` gives journeys already loaded from scenario files.

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
    fn next_journey(&mut self) -> Option<Journey>;

    /// What is to come, when known.
    fn planned(&self) -> Option<Planned> {
        None
    }
}

/// Journeys loaded from scenario files.
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
    fn next_journey(&mut self) -> Option<Journey> {
        self.journeys.next()
    }

    fn planned(&self) -> Option<Planned> {
        Some(self.planned)
    }
}
