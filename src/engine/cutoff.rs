//! `Stop`: the handle that stops a run from outside (a signal handler, a test), and
//! `Cutoff`: when a run stops sending (stopped, or past its deadline) and when the
//! requests still in flight are abandoned (at the deadline, or a short grace after a stop).

use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

/// How long requests in flight when a run is stopped get to finish.
pub const STOP_GRACE: Duration = Duration::from_secs(1);

/// Stops a run: once stopped, no journey, step, turn or outbox read starts, and what is
/// in flight gets the run's grace to finish. Clones share the same stop. The library
/// installs no signal handler: the caller (`seam run`) stops it.
#[derive(Debug, Clone, Default)]
pub struct Stop {
    token: CancellationToken,
    reason: Arc<OnceLock<String>>,
}

impl Stop {
    pub fn new() -> Stop {
        Stop::default()
    }

    /// Stop the run; `reason` (the signal's name) is what the reports say. The first
    /// reason stays.
    pub fn stop(&self, reason: &str) {
        let _ = self.reason.set(reason.to_string());
        self.token.cancel();
    }

    pub fn is_stopped(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Why it was stopped, once it is.
    pub fn reason(&self) -> Option<&str> {
        self.reason.get().map(String::as_str)
    }

    /// Resolves once stopped.
    pub async fn stopped(&self) {
        self.token.cancelled().await
    }
}

/// What cut a run short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cut {
    /// The run's deadline passed.
    Deadline,
    /// The run was stopped (`Stop`).
    Stopped,
}

/// When a run stops sending, and when its requests in flight are abandoned: a watcher
/// task fires one token at the deadline, or `grace` after the stop, whichever comes first.
pub struct Cutoff {
    stop: Option<Stop>,
    deadline: Option<Instant>,
    /// Cancelled when what is in flight must be abandoned.
    abandon: CancellationToken,
    why: Arc<OnceLock<Cut>>,
    watcher: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for Cutoff {
    fn drop(&mut self) {
        if let Some(watcher) = self.watcher.take() {
            watcher.abort();
        }
    }
}

impl Cutoff {
    /// A cutoff at `deadline` and `grace` after `stop`. Outside a tokio runtime (a caller
    /// that polls by hand) nothing in flight is abandoned; the cut still holds between
    /// requests.
    pub fn new(stop: Option<Stop>, deadline: Option<Instant>, grace: Duration) -> Cutoff {
        let abandon = CancellationToken::new();
        let why = Arc::new(OnceLock::new());
        let watcher = match tokio::runtime::Handle::try_current() {
            Ok(handle) if stop.is_some() || deadline.is_some() => Some(handle.spawn(watch(
                stop.clone(),
                deadline,
                grace,
                abandon.clone(),
                Arc::clone(&why),
            ))),
            _ => None,
        };
        Cutoff {
            stop,
            deadline,
            abandon,
            why,
            watcher,
        }
    }

    /// A cutoff that never cuts.
    pub fn none() -> Cutoff {
        Cutoff::new(None, None, Duration::ZERO)
    }

    /// Whether nothing more may be sent, and why (a stop before the deadline).
    pub fn cut(&self) -> Option<Cut> {
        if self.stop.as_ref().is_some_and(Stop::is_stopped) {
            Some(Cut::Stopped)
        } else if self.deadline.is_some_and(|d| Instant::now() >= d) {
            Some(Cut::Deadline)
        } else {
            None
        }
    }

    /// Whether the run was stopped, and why.
    pub fn stopped(&self) -> Option<&str> {
        let stop = self.stop.as_ref().filter(|s| s.is_stopped())?;
        Some(stop.reason().unwrap_or("stopped"))
    }

    /// Run `request` (a request in flight) to its end, unless it must be abandoned first:
    /// then it is dropped and the cut comes back. Not an `async fn`: the request future is
    /// held once, not copied into a second state machine (it is large, and moving it
    /// showed in the replay benchmark).
    pub fn in_flight<'a, F: Future + 'a>(
        &'a self,
        request: F,
    ) -> impl Future<Output = Result<F::Output, Cut>> + 'a {
        use futures_util::FutureExt as _;
        self.abandon
            .run_until_cancelled(request)
            .map(move |out| out.ok_or_else(|| self.why()))
    }

    /// Why requests in flight were abandoned.
    fn why(&self) -> Cut {
        self.why
            .get()
            .copied()
            .or_else(|| self.cut())
            .unwrap_or(Cut::Stopped)
    }
}

/// Cancel `abandon` at the deadline or `grace` after the stop, and say which.
async fn watch(
    stop: Option<Stop>,
    deadline: Option<Instant>,
    grace: Duration,
    abandon: CancellationToken,
    why: Arc<OnceLock<Cut>>,
) {
    let at_deadline = async {
        match deadline {
            Some(d) => tokio::time::sleep_until(tokio::time::Instant::from_std(d)).await,
            None => std::future::pending().await,
        }
    };
    let after_stop = async {
        match &stop {
            Some(stop) => {
                stop.stopped().await;
                tokio::time::sleep(grace).await
            }
            None => std::future::pending().await,
        }
    };
    let cut = tokio::select! {
        () = at_deadline => Cut::Deadline,
        () = after_stop => Cut::Stopped,
    };
    let _ = why.set(cut);
    abandon.cancel();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stop_cuts_at_once_and_abandons_after_the_grace() {
        let stop = Stop::new();
        let cutoff = Cutoff::new(Some(stop.clone()), None, Duration::from_millis(50));
        assert_eq!(cutoff.cut(), None);
        assert_eq!(cutoff.in_flight(async { 1 }).await, Ok(1));
        stop.stop("SIGINT");
        stop.stop("SIGTERM");
        assert_eq!(cutoff.cut(), Some(Cut::Stopped));
        assert_eq!(cutoff.stopped(), Some("SIGINT"), "the first reason stays");
        let started = Instant::now();
        let hung = cutoff.in_flight(std::future::pending::<()>()).await;
        assert_eq!(hung, Err(Cut::Stopped));
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(
            cutoff.in_flight(async { 2 }).await,
            Err(Cut::Stopped),
            "once abandoned, nothing more runs"
        );
    }

    #[tokio::test]
    async fn the_deadline_cuts_and_abandons_what_is_in_flight() {
        let deadline = Instant::now() + Duration::from_millis(30);
        let cutoff = Cutoff::new(None, Some(deadline), STOP_GRACE);
        let hung = cutoff.in_flight(std::future::pending::<()>()).await;
        assert_eq!(hung, Err(Cut::Deadline));
        assert_eq!(cutoff.cut(), Some(Cut::Deadline));
        assert_eq!(cutoff.stopped(), None);
    }

    #[tokio::test]
    async fn no_cutoff_never_cuts() {
        let cutoff = Cutoff::none();
        assert_eq!(cutoff.cut(), None);
        assert_eq!(cutoff.in_flight(async { 3 }).await, Ok(3));
    }
}
