//! `Document`: a report written whole when the run finishes (`--report json=`, `junit=`,
//! `text=`), in one of the formats of `Format`.

use std::io::Write;
use std::path::Path;

use crate::report::Format;
use crate::report::file::ReportFile;
use crate::run::{Error, Event, Reporter};

pub struct Document {
    format: Format,
    file: ReportFile,
}

impl Document {
    /// Open `path` for the report in `format`.
    pub fn create(format: Format, path: &Path) -> Result<Document, Error> {
        let file = ReportFile::create(&format!("{} report", format.as_str()), path)?;
        Ok(Document { format, file })
    }
}

impl Reporter for Document {
    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Error> {
        if let Event::RunFinished { outcome } = event {
            crate::report::write(self.format, &outcome.report, &mut self.file.out)
                .and_then(|()| self.file.out.flush())
                .map_err(|e| self.file.error(e))?;
        }
        Ok(())
    }
}
