//! The only module that speaks diesel. SQLite (embedded, the default) and PostgreSQL (production)
//! behind one `Store`; every write of a sync batch, its quarantine entries and its checkpoint
//! happen in one transaction.

mod aggregate;
mod apply;
mod checkpointer;
pub mod connection;
mod cube_rows;
mod entity_query;
mod event_query;
mod hot_rows;
mod in_list;
mod insert_rows;
mod known_records;
mod models;
mod person_history;
mod quarantine;
mod report_runs;
pub mod resolution;
mod runs;
pub mod schema;
mod situation_rows;
mod sql_time;
mod status;
mod writer;

use std::time::Duration;

pub use aggregate::{Dimension, Group, MAX_DIMENSIONS};
pub use apply::{BatchOutcome, BatchWrite, IncomingEvent, IncomingReject, Stage};
pub use connection::{AnyConnection, Backend, DbUrl};
pub use cube_rows::{CubeRow, DataMark};
pub use entity_query::{EntityRecord, MentionLink, Span, area_of};
pub use event_query::{
    AddressMentionRow, AreaFilter, AreaLevel, EventCursor, EventFilter, EventPage, EventRow,
    FINISHED, PageReads, PersonMentionRow, VersionRow,
};
pub use person_history::PersonHistory;
pub use quarantine::{QuarantineEntry, QuarantineFilter};
pub use report_runs::{NewReportRun, ReportRun};
pub use runs::RunCounts;
pub use situation_rows::{SituationRow, SituationRows};
pub use status::{ConnectorStatus, StoredCheckpoint};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Url(String),
    #[error("cannot connect to {url}: {message}")]
    Connect { url: String, message: String },
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("no database connection available: {0}")]
    Pool(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("database task failed: {0}")]
    Task(String),
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        StoreError::Pool(e.to_string())
    }
}

/// Batches of changes a slow subscriber may fall behind by.
const CHANGE_BACKLOG: usize = 1024;

/// The hub's database. Cheap to clone; reads (and PostgreSQL writes) run diesel on the blocking
/// thread pool, SQLite batch and resolution writes on its writer thread.
#[derive(Clone)]
pub struct Store {
    pool: connection::Pool,
    /// One permit per pooled connection, handed out first come first served:
    /// callers queue here, not as blocked threads on the pool, so under
    /// load the blocking pool holds only the queries that can run and the
    /// longest wait stays close to the typical one.
    turns: std::sync::Arc<tokio::sync::Semaphore>,
    url: DbUrl,
    /// SQLite: the thread every batch and resolution write runs on, in turn.
    writer: Option<std::sync::Arc<writer::Writer>>,
    /// Ids of events whose current state changed, per committed batch, for
    /// live subscriptions in this process.
    changes: tokio::sync::broadcast::Sender<std::sync::Arc<Vec<i64>>>,
    /// SQL statements run through the pool so far (see `statements`).
    statements: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// SQLite: the thread copying the WAL into the database; stops with the last clone.
    _checkpointer: Option<std::sync::Arc<checkpointer::Checkpointer>>,
}

impl Store {
    /// Connects, creating the SQLite file if needed, and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let url = DbUrl::parse(url)?;
        let statements = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let manager = connection::Manager {
            url: url.clone(),
            statements: statements.clone(),
        };
        let writer_manager = manager.clone();
        let size = match url.backend {
            // One writer at a time in SQLite anyway; a few readers for GraphQL.
            Backend::Sqlite => 4,
            Backend::Postgres => 8,
        };
        tokio::task::spawn_blocking(move || {
            // Connect once outside the pool so a bad URL or password is reported as it is,
            // not as a pool timeout.
            let mut first = url.connect()?;
            connection::run_migrations(&mut first)?;
            drop(first);
            let pool = diesel::r2d2::Pool::builder()
                .max_size(size)
                // A SQLite file does not drop connections; checking each
                // checkout would add a statement to every read.
                .test_on_check_out(url.backend == Backend::Postgres)
                .connection_timeout(Duration::from_secs(60))
                .build(manager)
                .map_err(|e| StoreError::Pool(e.to_string()))?;
            let checkpointer = match url.backend {
                Backend::Sqlite => Some(std::sync::Arc::new(checkpointer::Checkpointer::start(
                    url.clone(),
                )?)),
                Backend::Postgres => None,
            };
            let writer = match url.backend {
                Backend::Sqlite => {
                    Some(std::sync::Arc::new(writer::Writer::start(writer_manager)?))
                }
                Backend::Postgres => None,
            };
            Ok(Store {
                pool,
                turns: std::sync::Arc::new(tokio::sync::Semaphore::new(size as usize)),
                url,
                changes: tokio::sync::broadcast::channel(CHANGE_BACKLOG).0,
                statements,
                writer,
                _checkpointer: checkpointer,
            })
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Batches of changed event ids from now on, committed by this process.
    /// A receiver that falls more than `CHANGE_BACKLOG` batches behind
    /// loses the oldest (and is told so by `Lagged`).
    pub fn subscribe_changes(&self) -> tokio::sync::broadcast::Receiver<std::sync::Arc<Vec<i64>>> {
        self.changes.subscribe()
    }

    /// Live change subscribers.
    pub fn change_subscribers(&self) -> usize {
        self.changes.receiver_count()
    }

    fn announce(&self, ids: &[i64]) {
        if !ids.is_empty() {
            // No receiver is not an error: nobody is watching.
            let _ = self.changes.send(std::sync::Arc::new(ids.to_vec()));
        }
    }

    /// SQL statements the pooled connections have run since the store was
    /// opened (pool health checks included).
    pub fn statements(&self) -> u64 {
        self.statements.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn backend(&self) -> Backend {
        self.url.backend
    }

    pub fn redacted_url(&self) -> String {
        self.url.redacted()
    }

    /// Runs a write: on SQLite, which has a single writer, on the writer thread after the writes
    /// queued before it; PostgreSQL writers run side by side on the pool.
    async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, StoreError> + Send + 'static,
    {
        match &self.writer {
            Some(w) => w.run(f).await,
            None => self.run(f).await,
        }
    }

    /// Runs `f` with a pooled connection on the blocking pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, StoreError> + Send + 'static,
    {
        let turn = self
            .turns
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            let out = f(&mut conn);
            drop(conn);
            drop(turn);
            out
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}
