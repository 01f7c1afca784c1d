//! `BaselineFile`: `--write-baseline FILE`, the fingerprints of every finding of the run
//! (before `--baseline` hides any), written once the findings are ordered.

use std::io::Write;
use std::path::Path;

use crate::report::file::ReportFile;
use crate::run::{Baseline, Error, Event, Reporter};

pub struct BaselineFile {
    file: ReportFile,
}

impl BaselineFile {
    pub fn create(path: &Path) -> Result<BaselineFile, Error> {
        Ok(BaselineFile {
            file: ReportFile::create("baseline", path)?,
        })
    }
}

impl Reporter for BaselineFile {
    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Error> {
        if let Event::RunFindings { findings, .. } = event {
            Baseline::write(findings, &mut self.file.out)
                .and_then(|()| self.file.out.flush())
                .map_err(|e| self.file.error(e))?;
        }
        Ok(())
    }
}
