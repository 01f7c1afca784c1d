//! `retrying`: the one retry policy of both transports. A request is sent again, after a
//! backoff that doubles, only when it did not leave (no connection could be made, or a
//! reused one was found closed before any byte of an answer), never once the SUT may
//! have acted on it; at most `ClientConfig::attempts` tries.

use std::future::Future;

use super::SutFault;
use super::config::ClientConfig;

/// A failed try: its fault, and whether the request certainly did not reach the SUT.
#[derive(Debug)]
pub struct Failed {
    pub fault: SutFault,
    pub unsent: bool,
}

/// Runs `once` until it succeeds, fails after sending, or the attempts are spent; returns
/// the outcome and the tries made.
pub async fn retrying<T, F, Fut>(config: &ClientConfig, mut once: F) -> (Result<T, SutFault>, u32)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failed>>,
{
    let attempts = config.attempts.max(1);
    let mut backoff = config.backoff;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match once().await {
            Ok(answer) => return (Ok(answer), attempt),
            Err(failed) if failed.unsent && attempt < attempts => {
                tokio::time::sleep(backoff).await;
                backoff = backoff.saturating_mul(2);
            }
            Err(failed) => return (Err(failed.fault), attempt),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::time::Duration;

    use super::*;

    fn config() -> ClientConfig {
        ClientConfig {
            attempts: 3,
            backoff: Duration::from_millis(1),
            ..ClientConfig::default()
        }
    }

    fn fault() -> SutFault {
        SutFault::Connection {
            message: "refused".into(),
        }
    }

    #[tokio::test]
    async fn unsent_requests_are_tried_again_up_to_the_attempts() {
        let tries = Cell::new(0);
        let (result, attempts) = retrying(&config(), || {
            tries.set(tries.get() + 1);
            async {
                Err::<(), _>(Failed {
                    fault: fault(),
                    unsent: true,
                })
            }
        })
        .await;
        assert_eq!((result, attempts, tries.get()), (Err(fault()), 3, 3));
    }

    #[tokio::test]
    async fn a_request_that_may_have_been_acted_on_is_never_sent_again() {
        let (result, attempts) = retrying(&config(), || async {
            Err::<(), _>(Failed {
                fault: fault(),
                unsent: false,
            })
        })
        .await;
        assert_eq!((result, attempts), (Err(fault()), 1));
    }

    #[tokio::test]
    async fn success_after_an_unsent_try_counts_both() {
        let tries = Cell::new(0);
        let (result, attempts) = retrying(&config(), || {
            tries.set(tries.get() + 1);
            let first = tries.get() == 1;
            async move {
                if first {
                    Err(Failed {
                        fault: fault(),
                        unsent: true,
                    })
                } else {
                    Ok(7)
                }
            }
        })
        .await;
        assert_eq!((result, attempts), (Ok(7), 2));
    }
}
