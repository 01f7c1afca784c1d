//! `Traces`: a reporter of the tests' own that keeps a copy of every journey's trace,
//! with its position in the run.

use seam::engine::trace::Trace;
use seam::run::{Error, Event, Reporter};

pub struct Traces<'a>(pub &'a mut Vec<(usize, Trace)>);

impl Reporter for Traces<'_> {
    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Error> {
        if let Event::JourneyReplayed { index, trace } = event {
            self.0.push((*index, (*trace).clone()));
        }
        Ok(())
    }
}
