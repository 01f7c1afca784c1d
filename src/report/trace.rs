//! `TraceLines`: `--trace FILE`, every journey's trace (each request, reply, timing and
//! outbox read) as one JSON object per line, written as each journey finishes, so no
//! trace is kept. Lines come in the order journeys finish (with `--jobs 1`, run order);
//! each carries its journey's position in the run as `index`. A run cut short (a signal,
//! the deadline) ends with one more line, `End`, without `index`: what it left.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::engine::trace::Trace;
use crate::report::file::ReportFile;
use crate::run::{Abandoned, Error, Event, NotSent, Reporter, RunReport};

pub struct TraceLines {
    file: ReportFile,
}

/// One line: the journey's position, then the trace's fields.
#[derive(Serialize)]
struct Line<'a> {
    index: usize,
    #[serde(flatten)]
    trace: &'a Trace,
}

/// The last line of a run cut short.
#[derive(Serialize)]
struct End<'a> {
    interrupted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    signal: Option<&'a str>,
    incomplete: bool,
    not_sent: &'a [NotSent],
    abandoned: &'a [Abandoned],
}

impl<'a> End<'a> {
    fn of(report: &'a RunReport) -> Option<End<'a>> {
        (report.interrupted || report.incomplete).then(|| End {
            interrupted: report.interrupted,
            signal: report.signal.as_deref(),
            incomplete: report.incomplete,
            not_sent: &report.not_sent,
            abandoned: &report.abandoned,
        })
    }
}

impl TraceLines {
    pub fn create(path: &Path) -> Result<TraceLines, Error> {
        Ok(TraceLines {
            file: ReportFile::create("trace", path)?,
        })
    }
}

impl TraceLines {
    fn line(&mut self, line: &impl Serialize) -> Result<(), Error> {
        let out = &mut self.file.out;
        serde_json::to_writer(&mut *out, line)
            .map_err(std::io::Error::other)
            .and_then(|()| out.write_all(b"\n"))
            .map_err(|e| self.file.error(e))
    }
}

impl Reporter for TraceLines {
    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Error> {
        match event {
            Event::JourneyReplayed { index, trace } => {
                let line = Line {
                    index: *index,
                    trace,
                };
                match serde_json::to_value(&line) {
                    Ok(mut value) => {
                        clip_strings(&mut value);
                        self.line(&value)
                    }
                    Err(_) => self.line(&line),
                }
            }
            Event::RunFinished { outcome } => match End::of(&outcome.report) {
                Some(end) => self.line(&end),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.file.out.flush().map_err(|e| self.file.error(e))
    }
}

/// Every string of `value` cut as reports show quotes (`rules::text::clip`): a SUT that
/// answers megabytes leaves a few hundred bytes of each in the trace.
fn clip_strings(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(text) => crate::rules::text::clip_in_place(text),
        Value::Array(items) => items.iter_mut().for_each(clip_strings),
        Value::Object(map) => map.values_mut().for_each(clip_strings),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}
