//! `Progress`: the progress bar of `seam run` on a terminal (indicatif), counting steps
//! as the engine finishes them; hidden on CI, off a terminal, or with `--no-progress`.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine;
use crate::run::{Error, Event, Reporter};

/// Whether a progress bar should be drawn.
pub fn wanted(no_progress: bool) -> bool {
    !no_progress && std::env::var_os("CI").is_none() && std::io::stderr().is_terminal()
}

/// A bar on standard error, cleared when the run finishes.
pub struct Progress {
    bar: ProgressBar,
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new()
    }
}

impl Progress {
    pub fn new() -> Progress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} steps {msg}",
        ) {
            bar.set_style(style);
        }
        Progress { bar }
    }
}

impl Reporter for Progress {
    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Error> {
        match event {
            Event::RunStarted { steps, .. } => self.bar.set_length(steps.unwrap_or(0) as u64),
            Event::Replay(engine::Event::StepFinished { .. }) => self.bar.inc(1),
            Event::Replay(engine::Event::JourneyFinished { name, .. }) => {
                self.bar.set_message(name.to_string())
            }
            Event::RunFindings { .. } => self.bar.finish_and_clear(),
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.bar.finish_and_clear();
        Ok(())
    }
}
