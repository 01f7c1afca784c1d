//! `Progress`: the progress bar of `seam run` on a terminal (indicatif), fed by engine
//! events; hidden on CI, when stderr is not a terminal, or with `--no-progress`.

use std::io::IsTerminal;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::events::{self, Event, EventSink};

/// Whether a progress bar should be drawn.
pub fn wanted(no_progress: bool) -> bool {
    !no_progress && std::env::var_os("CI").is_none() && std::io::stderr().is_terminal()
}

/// A bar counting steps, or a sink that ignores events.
pub fn sink(show: bool) -> (EventSink, Option<ProgressBar>) {
    if !show {
        return (events::ignore(), None);
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} steps {msg}",
    ) {
        bar.set_style(style);
    }
    let feed = bar.clone();
    let sink: EventSink = Arc::new(move |event: &Event<'_>| match event {
        Event::RunStarted { steps, .. } => feed.set_length(*steps as u64),
        Event::StepFinished { .. } => feed.inc(1),
        Event::JourneyFinished { name, .. } => feed.set_message(name.to_string()),
        _ => {}
    });
    (sink, Some(bar))
}
