//! `Signals`: SIGINT and SIGTERM during `seam run`. The first stops the run (`run::Stop`:
//! nothing more is sent, what is in flight is finished or abandoned, every report is
//! written) and is kept for the exit code (130, 143); a second one exits at once.
//!
//! They are listened to on a thread of their own, so a second signal exits even while
//! the run's thread is busy writing reports.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use super::exit;
use crate::run::Stop;

/// A signal that stops a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM.
    Terminate,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        }
    }

    /// The exit code of a run it stopped: 128 + the signal's number.
    pub fn code(self) -> i32 {
        match self {
            Signal::Interrupt => exit::INTERRUPTED,
            Signal::Terminate => exit::TERMINATED,
        }
    }
}

/// The signal handlers of one run, from `listen` until dropped.
pub struct Signals {
    stop: Stop,
    first: Arc<OnceLock<Signal>>,
    done: tokio_util::sync::CancellationToken,
}

impl Drop for Signals {
    fn drop(&mut self) {
        self.done.cancel();
    }
}

impl Signals {
    /// Install the handlers (on a thread of their own); they are in place when this
    /// returns.
    pub fn listen() -> std::io::Result<Signals> {
        let stop = Stop::new();
        let first = Arc::new(OnceLock::new());
        let done = tokio_util::sync::CancellationToken::new();
        let (ready, installed) = std::sync::mpsc::channel();
        let (s, f, d) = (stop.clone(), Arc::clone(&first), done.clone());
        std::thread::Builder::new()
            .name("seam-signals".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                match runtime {
                    Ok(runtime) => runtime.block_on(wait(s, f, d, ready)),
                    Err(e) => {
                        let _ = ready.send(Err(e));
                    }
                }
            })?;
        match installed.recv() {
            Ok(Ok(())) => Ok(Signals { stop, first, done }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(std::io::Error::other("the signal thread ended")),
        }
    }

    /// What the run is stopped by.
    pub fn stop(&self) -> &Stop {
        &self.stop
    }

    /// The first signal that came, if any.
    pub fn first(&self) -> Option<Signal> {
        self.first.get().copied()
    }
}

#[cfg(unix)]
async fn wait(
    stop: Stop,
    first: Arc<OnceLock<Signal>>,
    done: tokio_util::sync::CancellationToken,
    ready: std::sync::mpsc::Sender<std::io::Result<()>>,
) {
    use tokio::signal::unix::{SignalKind, signal};
    let handlers =
        signal(SignalKind::interrupt()).and_then(|int| Ok((int, signal(SignalKind::terminate())?)));
    let (mut int, mut term) = match handlers {
        Ok(handlers) => handlers,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    loop {
        let signal = tokio::select! {
            _ = int.recv() => Signal::Interrupt,
            _ = term.recv() => Signal::Terminate,
            () = done.cancelled() => return,
        };
        came(signal, &stop, &first);
    }
}

#[cfg(not(unix))]
async fn wait(
    stop: Stop,
    first: Arc<OnceLock<Signal>>,
    done: tokio_util::sync::CancellationToken,
    ready: std::sync::mpsc::Sender<std::io::Result<()>>,
) {
    let _ = ready.send(Ok(()));
    loop {
        tokio::select! {
            r = tokio::signal::ctrl_c() => match r {
                Ok(()) => came(Signal::Interrupt, &stop, &first),
                Err(_) => return,
            },
            () = done.cancelled() => return,
        }
    }
}

/// The first signal stops the run; a second exits at once.
fn came(signal: Signal, stop: &Stop, first: &OnceLock<Signal>) {
    let mut stderr = std::io::stderr();
    if first.set(signal).is_err() {
        let _ = writeln!(stderr, "seam: {}: exiting at once", signal.name());
        std::process::exit(signal.code());
    }
    let _ = writeln!(
        stderr,
        "seam: {}: stopping: nothing more is sent; what is in flight is finished or abandoned, then every report is written (again to exit at once)",
        signal.name()
    );
    stop.stop(signal.name());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_have_their_exit_codes() {
        assert_eq!(
            (Signal::Interrupt.code(), Signal::Interrupt.name()),
            (130, "SIGINT")
        );
        assert_eq!(
            (Signal::Terminate.code(), Signal::Terminate.name()),
            (143, "SIGTERM")
        );
    }
}
