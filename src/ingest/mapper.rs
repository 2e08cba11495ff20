//! Threads that map fetched batches into rows for the writer, at a lower priority than the
//! rest of the process. Mapping is bulk CPU work that feeds the single writer; on a busy
//! machine it should give way to the writer, to API requests, and to fetching. Threads of
//! their own (not tokio's blocking pool, whose threads also serve requests) can be lowered
//! for good. There are as many as cores: more would only queue behind each other.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};

use tokio::sync::oneshot;

/// Nice value of mapping threads (0 is normal, 19 the lowest).
const NICE: i32 = 10;

type Job = Box<dyn FnOnce() + Send>;

struct Pool {
    jobs: mpsc::Sender<Job>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for i in 0..threads {
            let queue = queue.clone();
            let started = std::thread::Builder::new()
                .name(format!("hub-mapper-{i}"))
                .spawn(move || {
                    crate::thread_priority::lower(NICE);
                    loop {
                        // The lock is held only while waiting for the next job.
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        let Ok(job) = job else { return };
                        // A job that panics drops its answer channel; its caller reports it.
                        let _ = catch_unwind(AssertUnwindSafe(job));
                    }
                });
            if let Err(e) = started {
                tracing::error!(error = %e, "could not start a mapping thread");
            }
        }
        Pool { jobs }
    })
}

/// The job panicked or no mapping thread could be started.
#[derive(Debug, thiserror::Error)]
#[error("the mapping thread gave no result (it panicked or could not start; see the log)")]
pub struct MappingLost;

/// Runs `f` on a mapping thread; the result is awaited like a task's.
pub fn spawn<T, F>(f: F) -> Mapped<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (done, outcome) = oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(f());
    });
    // If every thread failed to start, the job is dropped and the caller sees MappingLost.
    let _ = pool().jobs.send(job);
    Mapped(outcome)
}

/// The result of a job on a mapping thread, to be awaited.
pub struct Mapped<T>(oneshot::Receiver<T>);

impl<T> Future for Mapped<T> {
    type Output = Result<T, MappingLost>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map_err(|_| MappingLost)
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[tokio::test]
    async fn jobs_run_on_lowered_threads_and_a_panic_is_an_error() {
        let (name, nice) = super::spawn(|| {
            let name = std::thread::current().name().map(str::to_string);
            (name, crate::thread_priority::own_nice())
        })
        .await
        .expect("the job ran");
        assert!(name.unwrap_or_default().starts_with("hub-mapper-"));
        // At NICE, or lower still if the whole process was started lower.
        assert!(nice >= super::NICE, "a mapping thread runs at {nice}");

        let lost =
            super::spawn(|| -> u8 { panic!("a mapping bug (this panic is expected)") }).await;
        assert!(lost.is_err());
        // The thread that caught the panic still serves.
        assert_eq!(super::spawn(|| 2 + 2).await.ok(), Some(4));
    }
}
