//! The reporters `seam run`'s flags ask for: the progress bar (on a terminal), the
//! summary on standard output, `--report` documents, `--trace` and `--write-baseline`.

use std::io::Write;

use super::run_args::RunArgs;
use crate::report::{baseline::BaselineFile, document::Document, progress, terminal, trace};
use crate::run::{Error, Reporter};

/// The reporters `args` ask for; files are opened now, before anything is sent.
pub fn reporters<'r>(
    args: &RunArgs,
    stdout: &'r mut dyn Write,
) -> Result<Vec<Box<dyn Reporter + 'r>>, Error> {
    let mut reporters: Vec<Box<dyn Reporter + 'r>> = Vec::new();
    if progress::wanted(args.no_progress) {
        reporters.push(Box::new(progress::Progress::new()));
    }
    let color = args
        .color
        .wanted(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    reporters.push(Box::new(
        terminal::Summary::new(stdout, color).within(terminal::width()),
    ));
    for r in &args.reports {
        reporters.push(Box::new(Document::create(r.format, &r.path)?));
    }
    if let Some(path) = &args.trace {
        reporters.push(Box::new(trace::TraceLines::create(path)?));
    }
    if let Some(path) = &args.write_baseline {
        reporters.push(Box::new(BaselineFile::create(path)?));
    }
    Ok(reporters)
}
