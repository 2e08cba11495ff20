//! One connection type for both stores, a pool of them, and the migrations of each flavour.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use diesel::connection::{InstrumentationEvent, SimpleConnection};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::StoreError;

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Runs the same diesel expression on whichever store the connection is. Needed where diesel's
/// multi-backend type cannot express a query (upserts, multi-row inserts).
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::store::connection::AnyConnection::Postgresql($c) => $body,
            $crate::store::connection::AnyConnection::Sqlite($c) => $body,
        }
    };
}
pub(crate) use per_backend;

/// SQLite page cache per connection (negative: KiB), sized for the sync writer.
pub const SQLITE_CACHE_SIZE: i64 = -65536;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database URL split into its backend and what that backend's driver expects.
#[derive(Debug, Clone)]
pub struct DbUrl {
    pub backend: Backend,
    target: String,
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<DbUrl, StoreError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(StoreError::Url(format!(
                    "`{url}` names no file (write sqlite://hub.db)"
                )));
            }
            Ok(DbUrl {
                backend: Backend::Sqlite,
                target: path.to_string(),
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbUrl {
                backend: Backend::Postgres,
                target: url.to_string(),
            })
        } else {
            Err(StoreError::Url(format!(
                "`{url}` is not a database URL (expected sqlite://FILE or postgres://USER:PASSWORD@HOST/DB)"
            )))
        }
    }

    /// The URL with any password hidden, for messages and logs.
    pub fn redacted(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite://{}", self.target),
            Backend::Postgres => redact_password(&self.target),
        }
    }

    pub fn connect(&self) -> Result<AnyConnection, StoreError> {
        let fail = |e: ConnectionError| StoreError::Connect {
            url: self.redacted(),
            message: e.to_string(),
        };
        match self.backend {
            Backend::Sqlite => {
                let mut c = diesel::SqliteConnection::establish(&self.target).map_err(fail)?;
                // WAL lets readers (GraphQL) work while a sync writes; NORMAL is durable across
                // process crashes, which is what the checkpoint guarantee needs. Pages are
                // copied into the database by a thread of its own (store/checkpointer.rs), but
                // under a continuous sync it never catches up completely, and the WAL starts
                // over only after the writer's own checkpoint at `wal_autocheckpoint` pages,
                // which holds every batch while it waits for the disk. At 50,000 pages that
                // came a dozen times a sync of the 1M city (about 1 s waiting, 1 s copying);
                // 200,000 pages (at most 800 MB of WAL) do it a quarter as often. A WAL that
                // never starts over slows every page lookup: the writer took 2-3 s longer.
                c.batch_execute(&format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; \
                     PRAGMA foreign_keys = ON; PRAGMA cache_size = {SQLITE_CACHE_SIZE}; PRAGMA temp_store = MEMORY; \
                     PRAGMA wal_autocheckpoint = 200000;",
                ))?;
                Ok(AnyConnection::Sqlite(c))
            }
            Backend::Postgres => Ok(AnyConnection::Postgresql(
                diesel::PgConnection::establish(&self.target).map_err(fail)?,
            )),
        }
    }
}

fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub fn run_migrations(conn: &mut AnyConnection) -> Result<(), StoreError> {
    let result = match conn {
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        AnyConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| StoreError::Migration(e.to_string()))
}

/// Builds connections for the pool with the right driver and settings.
/// Every statement a pooled connection runs is counted in `statements`, so
/// tests can hold the API to a fixed number of queries per request.
#[derive(Debug, Clone)]
pub struct Manager {
    pub url: DbUrl,
    pub statements: Arc<AtomicU64>,
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = StoreError;

    fn connect(&self) -> Result<AnyConnection, StoreError> {
        let mut conn = self.url.connect()?;
        let count = self.statements.clone();
        let counter = move |event: InstrumentationEvent<'_>| {
            if matches!(event, InstrumentationEvent::StartQuery { .. }) {
                count.fetch_add(1, Ordering::Relaxed);
            }
        };
        match &mut conn {
            AnyConnection::Sqlite(c) => c.set_instrumentation(counter),
            AnyConnection::Postgresql(c) => c.set_instrumentation(counter),
        }
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        conn.batch_execute("SELECT 1").map_err(StoreError::from)
    }

    fn has_broken(&self, _conn: &mut AnyConnection) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<Manager>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            DbUrl::parse("sqlite://hub.db").unwrap().backend,
            Backend::Sqlite
        );
        assert_eq!(
            DbUrl::parse("postgres://a:b@h/d").unwrap().backend,
            Backend::Postgres
        );
        assert!(DbUrl::parse("sqlite://").is_err());
        assert!(DbUrl::parse("mysql://x").is_err());
        assert_eq!(
            DbUrl::parse("postgres://hub:secret@127.0.0.1:5432/hub")
                .unwrap()
                .redacted(),
            "postgres://hub:***@127.0.0.1:5432/hub"
        );
    }

    /// The keyed mention tables keep every row through the migration that made them, and
    /// through its revert.
    #[test]
    fn mentions_survive_keying_and_unkeying() {
        use diesel::sql_types::{BigInt, Text};

        #[derive(QueryableByName, Debug, PartialEq)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        #[derive(QueryableByName)]
        struct Sql {
            #[diesel(sql_type = Text)]
            sql: String,
        }
        let mut c = diesel::SqliteConnection::establish(":memory:").unwrap();
        c.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();
        // Back to before the keyed mentions: the batch count came after them.
        c.revert_last_migration(SQLITE_MIGRATIONS).unwrap();
        c.revert_last_migration(SQLITE_MIGRATIONS).unwrap();
        c.batch_execute(
            "INSERT INTO events (source, record_id, connector, occurred_at, category, status, \
                 detail, content_hash, version) \
             VALUES ('hotline', 'GD1', 'hotline', '2026-12-06 08:00:00', '其他', 'open', '{}', 'h', 1); \
             INSERT INTO person_mentions VALUES (1, 0, '张三', '13800000000', NULL), (1, 1, '李四', NULL, NULL); \
             INSERT INTO address_mentions VALUES (1, 'sqdz', '城关镇幸福路1号'); \
             INSERT INTO resolve_queue VALUES (1);",
        )
        .unwrap();
        let counts = |c: &mut diesel::SqliteConnection| -> Vec<i64> {
            ["person_mentions", "address_mentions", "resolve_queue"]
                .iter()
                .map(|t| {
                    diesel::sql_query(format!("SELECT count(*) AS n FROM {t}"))
                        .get_result::<Count>(c)
                        .unwrap()
                        .n
                })
                .collect()
        };
        let keyed = |c: &mut diesel::SqliteConnection| -> usize {
            diesel::sql_query("SELECT sql FROM sqlite_master WHERE type = 'table'")
                .load::<Sql>(c)
                .unwrap()
                .iter()
                .filter(|t| {
                    t.sql.contains("WITHOUT ROWID") || t.sql.contains("INTEGER PRIMARY KEY\n")
                })
                .count()
        };
        assert_eq!(keyed(&mut c), 0);
        c.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();
        assert_eq!(counts(&mut c), vec![2, 1, 1]);
        assert_eq!(
            keyed(&mut c),
            3,
            "both mention tables and the queue are keyed"
        );
        let names: Vec<Sql> = diesel::sql_query(
            "SELECT name || '/' || coalesce(phone, '') AS sql FROM person_mentions ORDER BY position",
        )
        .load(&mut c)
        .unwrap();
        let names: Vec<&str> = names.iter().map(|n| n.sql.as_str()).collect();
        assert_eq!(names, ["张三/13800000000", "李四/"]);
        c.revert_last_migration(SQLITE_MIGRATIONS).unwrap();
        c.revert_last_migration(SQLITE_MIGRATIONS).unwrap();
        assert_eq!(counts(&mut c), vec![2, 1, 1]);
        assert_eq!(keyed(&mut c), 0);
    }
}
