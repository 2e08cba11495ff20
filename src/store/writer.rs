//! SQLite's single writer as a thread of its own, with a connection of its own.
//!
//! Writes used to take an async lock, then a pooled connection on the blocking pool. The lock
//! was released only when the async task that held it was polled again, and the next writer
//! started only when its task was polled: with the runtime's workers busy mapping fetched
//! batches, the database sat idle between commits for a quarter of a sync. Here the next queued
//! write starts the moment the last one commits, and the connection's page cache stays warm
//! across batches, since no other connection writes in between.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::thread::JoinHandle;

use diesel::r2d2::ManageConnection;
use tokio::sync::oneshot;

use super::StoreError;
use super::connection::{AnyConnection, Manager};
use super::known_records::KnownRecords;

type Job = Box<dyn FnOnce(&mut AnyConnection, &mut KnownRecords) + Send>;

pub struct Writer {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Connects now, so a bad database is reported by `Store::open`, not by the first write.
    pub fn start(manager: Manager) -> Result<Writer, StoreError> {
        let first = manager.connect()?;
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || serve(manager, first, queue))
            .map_err(|e| StoreError::Task(format!("starting the writer thread: {e}")))?;
        Ok(Writer {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Runs `f` on the writer's connection after the writes queued before it, in order.
    pub async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, StoreError> + Send + 'static,
    {
        self.run_remembering(move |conn, _| f(conn)).await
    }

    /// As `run`, with what the writer remembers of the records it stored (`known_records`).
    pub async fn run_remembering<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection, &mut KnownRecords) -> Result<T, StoreError> + Send + 'static,
    {
        let (done, outcome) = oneshot::channel();
        let job: Job = Box::new(move |conn, memory| {
            // A caller that stopped waiting does not need the answer.
            let _ = done.send(f(conn, memory));
        });
        self.jobs
            .as_ref()
            .and_then(|jobs| jobs.send(job).ok())
            .ok_or_else(|| StoreError::Task("the writer thread has stopped".into()))?;
        outcome
            .await
            .map_err(|_| {
                StoreError::Task(
                    "the write did not finish: it panicked, or the writer could not reconnect (see the log)"
                        .into(),
                )
            })?
    }
}

/// Nice value the writer asks for: every batch of every connector passes through this one
/// thread, so it goes before the work that feeds it (see `thread_priority`).
const NICE: i32 = -10;

fn serve(manager: Manager, first: AnyConnection, queue: mpsc::Receiver<Job>) {
    if !crate::thread_priority::raise(NICE) {
        tracing::debug!(
            "the SQLite writer runs at normal priority (raising it needs CAP_SYS_NICE)"
        );
    }
    let mut conn = Some(first);
    let mut memory = KnownRecords::default();
    while let Ok(job) = queue.recv() {
        let c = match conn.as_mut() {
            Some(c) => c,
            None => match manager.connect() {
                Ok(c) => conn.insert(c),
                Err(e) => {
                    // The job (and its answer channel) is dropped: the caller gets an error.
                    tracing::error!(error = %e, "the writer cannot reconnect");
                    continue;
                }
            },
        };
        if catch_unwind(AssertUnwindSafe(|| job(c, &mut memory))).is_err() {
            // A write that panicked may have left a transaction open, or stopped between a
            // commit and remembering it; start afresh.
            conn = None;
            memory.forget();
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the queue ends the thread once the writes already queued are done.
        drop(self.jobs.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicU64;

    use super::*;
    use crate::store::DbUrl;
    use crate::thread_priority::{own_nice, raise};

    #[tokio::test]
    async fn the_writer_goes_first_where_the_system_allows_it() {
        // Whether this process may raise a thread's priority, tried on a thread of its own.
        let allowed = std::thread::spawn(|| raise(NICE)).join().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let url = DbUrl::parse(&format!("sqlite://{}", dir.path().join("w.db").display())).unwrap();
        let writer = Writer::start(Manager {
            url,
            statements: Arc::new(AtomicU64::new(0)),
        })
        .unwrap();
        let nice = writer.run(|_| Ok(own_nice())).await.unwrap();
        if allowed {
            assert!(nice <= NICE, "the writer runs at {nice}");
        } else {
            assert_eq!(nice, own_nice(), "left as it was");
        }
    }
}
