//! The run session: a journey source, a connector to the SUT, a rule set and reporters,
//! from resolved `Settings`; `Session::run` replays (engine), builds each journey's
//! conversation, applies the rules, streams `Event`s to every `Reporter`, and returns a
//! typed `RunOutcome`. `seam run`, the benches and the tests all go through it.

pub mod baseline;
pub mod event;
pub mod outcome;
pub mod scorecard;
pub mod session;
pub mod source;
pub mod unsent;

pub use crate::engine::cutoff::Stop;
pub use crate::error::{Error, ErrorKind};
pub use baseline::Baseline;
pub use event::{Event, Reporter};
pub use outcome::{
    Abandoned, JourneyReport, NotSent, REPORT_SCHEMA, RunOutcome, RunReport, Verdict,
};
pub use scorecard::{Compared, Measures, Scorecard};
pub use session::{Session, Settings};
pub use source::{JourneySource, Planned, Scripted, Shared};
