//! `TraceLines`: `--trace FILE`, every journey's trace (each request, reply, timing and
//! outbox read) as one JSON object per line, written as each journey finishes, so no
//! trace is kept. Lines come in the order journeys finish (with `--jobs 1`, run order);
//! each carries its journey's position in the run as `index`.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::engine::trace::Trace;
use crate::report::file::ReportFile;
use crate::run::{Error, Event, Reporter};

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

impl TraceLines {
    pub fn create(path: &Path) -> Result<TraceLines, Error> {
        Ok(TraceLines {
            file: ReportFile::create("trace", path)?,
        })
    }
}

impl Reporter for TraceLines {
    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Error> {
        if let Event::JourneyReplayed { index, trace } = event {
            let out = &mut self.file.out;
            serde_json::to_writer(
                &mut *out,
                &Line {
                    index: *index,
                    trace,
                },
            )
            .map_err(std::io::Error::other)
            .and_then(|()| out.write_all(b"\n"))
            .map_err(|e| self.file.error(e))?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.file.out.flush().map_err(|e| self.file.error(e))
    }
}
