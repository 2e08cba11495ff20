//! SQLite WAL checkpoints off the writer's path. Left to SQLite, the commit that crosses the
//! auto-checkpoint size copies the WAL into the database and waits for the disk while every
//! other batch queues behind it. A thread of its own runs PASSIVE checkpoints instead, which
//! never block the writer, so copying and writing use both cores. Under a continuous sync it
//! never catches up completely, so the writer still checkpoints itself, rarely, for the WAL
//! to start over (`wal_autocheckpoint` in `connection.rs`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use diesel::connection::SimpleConnection;

use super::{DbUrl, StoreError};

const EVERY: Duration = Duration::from_millis(250);

pub struct Checkpointer {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub fn start(url: DbUrl) -> Result<Checkpointer, StoreError> {
        let mut conn = url.connect()?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(EVERY);
                    if let Err(e) = conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE);") {
                        tracing::debug!(error = %e, "WAL checkpoint skipped");
                    }
                }
            })
            .map_err(|e| StoreError::Task(format!("starting the checkpoint thread: {e}")))?;
        Ok(Checkpointer {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
