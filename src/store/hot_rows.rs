//! The sync's four hot row shapes (events, versions, person and address mentions) written
//! into their fixed-width multi-row INSERTs by hand.
//!
//! Through diesel's `Insertable`, every such INSERT walked all its rows' values twice before
//! a value was bound: once only to learn that the statement may stay prepared (the answer is
//! always yes: the text is fixed by the row type and the width, see `insert_rows`), once more
//! to collect the binds, checking each value on the way for a DEFAULT that these rows never
//! hold. On the sync writer that was about a sixth of its time. Here a row binds its columns
//! in one pass, in the order of its column list.

use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Double, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;
use diesel::{QueryResult, RunQueryDsl};

use super::models::{NewAddressMention, NewEvent, NewPersonMention, NewVersion};
use super::sql_time::SqlTime;

/// A row that writes itself into an INSERT.
pub trait HotRow {
    /// `INSERT INTO table (columns) VALUES`, the columns in the order `bind` binds them.
    const INSERT: &'static str;
    /// The row type with its borrows made `'static`: names the statement in the cache, as the
    /// text depends on the row type alone, never on what a row borrows. Each row type must
    /// name itself: two sharing an id would find each other's statement prepared.
    type Id: 'static;

    fn bind<'b, DB: RowBackend>(&'b self, out: Binds<'_, 'b, '_, DB>) -> QueryResult<()>;
}

/// What comes after the rows.
pub trait Tail: 'static {
    const SQL: &'static str;
}

/// Nothing after the rows.
pub struct Plain;

impl Tail for Plain {
    const SQL: &'static str = "";
}

/// The new events' ids with their keys (`insert_rows`' `returning` arm gives them back).
pub struct IdAndKey;

impl Tail for IdAndKey {
    const SQL: &'static str = " RETURNING id, record_id";
}

/// An INSERT of `N` rows.
pub struct HotInsert<'a, R, const N: usize, T> {
    rows: &'a [R; N],
    tail: PhantomData<T>,
}

impl<'a, R: HotRow, const N: usize, T: Tail> HotInsert<'a, R, N, T> {
    pub fn new(rows: &'a [R; N]) -> Self {
        HotInsert {
            rows,
            tail: PhantomData,
        }
    }
}

impl<R: HotRow, const N: usize, T: Tail> QueryId for HotInsert<'_, R, N, T> {
    type QueryId = (PhantomData<R::Id>, [(); N], PhantomData<T>);
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<R: HotRow, const N: usize, T: Tail, DB: RowBackend> QueryFragment<DB>
    for HotInsert<'_, R, N, T>
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(R::INSERT);
        for (i, row) in self.rows.iter().enumerate() {
            out.push_sql(if i == 0 { " (" } else { ", (" });
            row.bind(Binds {
                out: &mut out,
                first: true,
            })?;
            out.push_sql(")");
        }
        out.push_sql(T::SQL);
        Ok(())
    }

    // The text depends on the row type and the width alone, both in the query id.
    fn is_safe_to_cache_prepared(&self, _: &DB) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<R: HotRow, const N: usize> Query for HotInsert<'_, R, N, IdAndKey> {
    type SqlType = (BigInt, Text);
}

impl<R, const N: usize, T, Conn> RunQueryDsl<Conn> for HotInsert<'_, R, N, T> {}

/// One row's values, each after a comma but the first.
pub struct Binds<'a, 'b, 'c, DB: Backend> {
    out: &'a mut AstPass<'c, 'b, DB>,
    first: bool,
}

impl<'b, DB: RowBackend> Binds<'_, 'b, '_, DB> {
    fn next(&mut self) -> AstPass<'_, 'b, DB> {
        if !std::mem::take(&mut self.first) {
            self.out.push_sql(", ");
        }
        self.out.reborrow()
    }
}

/// The kinds of value the hot rows hold, each bound as its SQL type: a method of `Binds`
/// and of `RowBackend`, implemented for both stores.
macro_rules! value_kinds {
    ($($kind:ident: $rust:ty => $sql:ty),* $(,)?) => {
        /// The two stores' backends, binding the kinds of value the hot rows hold.
        pub trait RowBackend: Backend {
            $(fn $kind<'b>(out: &mut AstPass<'_, 'b, Self>, v: &'b $rust) -> QueryResult<()>;)*
        }

        value_kinds!(@backend Sqlite, $($kind: $rust => $sql),*);
        value_kinds!(@backend Pg, $($kind: $rust => $sql),*);

        impl<'b, DB: RowBackend> Binds<'_, 'b, '_, DB> {
            $(fn $kind(&mut self, v: &'b $rust) -> QueryResult<&mut Self> {
                DB::$kind(&mut self.next(), v)?;
                Ok(self)
            })*
        }
    };
    (@backend $db:ty, $($kind:ident: $rust:ty => $sql:ty),*) => {
        impl RowBackend for $db {
            $(fn $kind<'b>(out: &mut AstPass<'_, 'b, Self>, v: &'b $rust) -> QueryResult<()> {
                out.push_bind_param::<$sql, $rust>(v)
            })*
        }
    };
}

value_kinds! {
    text: str => Text,
    maybe_text: Option<&str> => Nullable<Text>,
    int: i64 => BigInt,
    maybe_int: Option<i64> => Nullable<BigInt>,
    maybe_double: Option<f64> => Nullable<Double>,
    time: SqlTime => Timestamp,
    maybe_time: Option<SqlTime> => Nullable<Timestamp>,
}

/// An event row's columns in the order `NewEvent::bind_columns` binds them (a macro, so that
/// both event INSERTs can be spelt from it at compile time).
macro_rules! event_columns {
    () => {
        "source, record_id, occurred_at, category, connector, source_updated_at, event_type, \
         category_raw, content, unit, status, status_raw, deadline, closed_at, satisfaction, \
         longitude, latitude, petitioners, detail, content_hash, version"
    };
}

impl HotRow for NewEvent<'_> {
    type Id = NewEvent<'static>;
    const INSERT: &'static str = concat!("INSERT INTO events (", event_columns!(), ") VALUES");

    fn bind<'b, DB: RowBackend>(&'b self, mut out: Binds<'_, 'b, '_, DB>) -> QueryResult<()> {
        self.bind_columns(&mut out)
    }
}

/// A new event with the id the SQLite writer gave it (`apply`): no ids to read back.
pub struct NumberedEvent<'a> {
    pub id: i64,
    pub event: NewEvent<'a>,
}

impl HotRow for NumberedEvent<'_> {
    type Id = NumberedEvent<'static>;
    const INSERT: &'static str = concat!("INSERT INTO events (id, ", event_columns!(), ") VALUES");

    fn bind<'b, DB: RowBackend>(&'b self, mut out: Binds<'_, 'b, '_, DB>) -> QueryResult<()> {
        out.int(&self.id)?;
        self.event.bind_columns(&mut out)
    }
}

impl NewEvent<'_> {
    /// Its columns in `event_columns!`'s order.
    fn bind_columns<'b, DB: RowBackend>(
        &'b self,
        out: &mut Binds<'_, 'b, '_, DB>,
    ) -> QueryResult<()> {
        let s = &self.state;
        out.text(self.source)?
            .text(self.record_id)?
            .time(&self.occurred_at)?
            .text(self.category)?
            .text(s.connector)?
            .maybe_time(&s.source_updated_at)?
            .maybe_text(&s.event_type)?
            .maybe_text(&s.category_raw)?
            .maybe_text(&s.content)?
            .maybe_text(&s.unit)?
            .text(s.status)?
            .maybe_text(&s.status_raw)?
            .maybe_time(&s.deadline)?
            .maybe_time(&s.closed_at)?
            .maybe_text(&s.satisfaction)?
            .maybe_double(&s.longitude)?
            .maybe_double(&s.latitude)?
            .maybe_int(&s.petitioners)?
            .text(s.detail)?
            .text(s.content_hash)?
            .int(&s.version)?;
        Ok(())
    }
}

impl HotRow for NewVersion<'_> {
    type Id = NewVersion<'static>;
    const INSERT: &'static str = "INSERT INTO event_versions (event_id, version, connector, \
        source_updated_at, status, status_raw, content_hash, raw, observed_at) VALUES";

    fn bind<'b, DB: RowBackend>(&'b self, mut out: Binds<'_, 'b, '_, DB>) -> QueryResult<()> {
        out.int(&self.event_id)?
            .int(&self.version)?
            .text(self.connector)?
            .maybe_time(&self.source_updated_at)?
            .text(self.status)?
            .maybe_text(&self.status_raw)?
            .text(self.content_hash)?
            .text(self.raw)?
            .time(&self.observed_at)?;
        Ok(())
    }
}

impl HotRow for NewPersonMention<'_> {
    type Id = NewPersonMention<'static>;
    const INSERT: &'static str =
        "INSERT INTO person_mentions (event_id, position, name, phone, id_number) VALUES";

    fn bind<'b, DB: RowBackend>(&'b self, mut out: Binds<'_, 'b, '_, DB>) -> QueryResult<()> {
        out.int(&self.event_id)?
            .int(&self.position)?
            .maybe_text(&self.name)?
            .maybe_text(&self.phone)?
            .maybe_text(&self.id_number)?;
        Ok(())
    }
}

impl HotRow for NewAddressMention<'_> {
    type Id = NewAddressMention<'static>;
    const INSERT: &'static str = "INSERT INTO address_mentions (event_id, field, text) VALUES";

    fn bind<'b, DB: RowBackend>(&'b self, mut out: Binds<'_, 'b, '_, DB>) -> QueryResult<()> {
        out.int(&self.event_id)?.text(self.field)?.text(self.text)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    use super::*;
    use crate::store::connection::{AnyConnection, run_migrations};
    use crate::store::models::EventRevision;
    use crate::store::schema::{address_mentions, event_versions, events, person_mentions};

    fn at(hour: u32) -> SqlTime {
        SqlTime(
            NaiveDate::from_ymd_opt(2026, 12, 6)
                .unwrap()
                .and_hms_micro_opt(hour, 5, 6, 789_000)
                .unwrap(),
        )
    }

    /// Every optional column set, or none.
    fn event(source: &'static str, key: &'static str, full: bool) -> NewEvent<'static> {
        let some = |s: &'static str| full.then_some(s);
        NewEvent {
            source,
            record_id: key,
            occurred_at: at(8),
            category: "治安>纠纷",
            state: EventRevision {
                connector: "c1",
                source_updated_at: full.then(|| at(9)),
                event_type: some("求助"),
                category_raw: some("邻里纠纷"),
                content: some("内容"),
                unit: some("城关派出所"),
                status: "open",
                status_raw: some("处理中"),
                deadline: full.then(|| at(10)),
                closed_at: full.then(|| at(11)),
                satisfaction: full.then_some("satisfied"),
                longitude: full.then_some(114.25),
                latitude: full.then_some(35.5),
                petitioners: full.then_some(7),
                detail: r#"{"k":"v"}"#,
                content_hash: "h1",
                version: 2,
            },
        }
    }

    fn version(event_id: i64, version: i64, full: bool) -> NewVersion<'static> {
        NewVersion {
            event_id,
            version,
            connector: "c1",
            source_updated_at: full.then(|| at(9)),
            status: "closed",
            status_raw: full.then_some("已办结"),
            content_hash: "h2",
            raw: r#"{"raw":1}"#,
            observed_at: at(12),
        }
    }

    fn person(event_id: i64, position: i64, full: bool) -> NewPersonMention<'static> {
        NewPersonMention {
            event_id,
            position,
            name: Some("张三"),
            phone: full.then_some("13800000000"),
            id_number: full.then_some("410621199602136776"),
        }
    }

    fn address(event_id: i64, field: &'static str) -> NewAddressMention<'static> {
        NewAddressMention {
            event_id,
            field,
            text: "城关镇幸福路1号",
        }
    }

    /// Each row of `table` matching `filter` as SQLite quotes its values (so types show),
    /// every column but `skip`.
    fn quoted(c: &mut SqliteConnection, table: &str, skip: &[&str], filter: &str) -> Vec<String> {
        #[derive(QueryableByName)]
        struct Column {
            #[diesel(sql_type = Text)]
            name: String,
        }
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = Text)]
            row: String,
        }
        let columns: Vec<String> =
            diesel::sql_query(format!("SELECT name FROM pragma_table_info('{table}')"))
                .load::<Column>(c)
                .unwrap()
                .into_iter()
                .map(|c| c.name)
                .filter(|n| !skip.contains(&n.as_str()))
                .map(|n| format!("quote({n})"))
                .collect();
        let sql = format!(
            "SELECT {} AS row FROM {table} WHERE {filter} ORDER BY row",
            columns.join(" || ',' || ")
        );
        diesel::sql_query(sql)
            .load::<Row>(c)
            .unwrap()
            .into_iter()
            .map(|r| r.row)
            .collect()
    }

    /// Writes `hot` rows of event `a` through `HotInsert` and the same rows of event `b`
    /// through diesel's `Insertable` into `table`, and compares what landed.
    macro_rules! lands_alike {
        ($c:expr, $table:ident, $a:expr, $b:expr, $hot:expr, $by_diesel:expr) => {{
            let hot = $hot;
            HotInsert::<_, _, Plain>::new(&hot).execute($c).unwrap();
            diesel::insert_into($table::table)
                .values(&$by_diesel)
                .execute($c)
                .unwrap();
            let mut of = |id: i64| {
                quoted(
                    $c,
                    stringify!($table),
                    &["event_id"],
                    &format!("event_id = {id}"),
                )
            };
            let written = of($a);
            assert_eq!(written.len(), hot.len());
            assert_eq!(written, of($b));
        }};
    }

    #[test]
    fn hot_rows_land_as_diesels_insertable_writes_them() {
        let c = SqliteConnection::establish(":memory:").unwrap();
        let mut any = AnyConnection::Sqlite(c);
        run_migrations(&mut any).unwrap();
        let AnyConnection::Sqlite(c) = &mut any else {
            unreachable!()
        };

        let hot = [event("hotline", "R1", true), event("hotline", "R2", false)];
        let mut ids: Vec<(i64, String)> = HotInsert::<_, 2, IdAndKey>::new(&hot)
            .get_results(c)
            .unwrap();
        ids.sort_by(|a, b| a.1.cmp(&b.1));
        assert_eq!(
            ids.iter().map(|(_, k)| k.as_str()).collect::<Vec<_>>(),
            ["R1", "R2"]
        );
        let by_diesel = [event("alarm", "R1", true), event("alarm", "R2", false)];
        diesel::insert_into(events::table)
            .values(&by_diesel)
            .execute(c)
            .unwrap();
        // Numbered by the writer: the same row under the id it was given.
        let numbered = [
            NumberedEvent {
                id: 1000,
                event: event("petition", "R1", true),
            },
            NumberedEvent {
                id: 1001,
                event: event("petition", "R2", false),
            },
        ];
        HotInsert::<_, 2, Plain>::new(&numbered).execute(c).unwrap();
        let skip = ["id", "source"];
        let written = quoted(c, "events", &skip, "source = 'hotline'");
        assert_eq!(written, quoted(c, "events", &skip, "source = 'alarm'"));
        assert_eq!(written, quoted(c, "events", &skip, "source = 'petition'"));
        assert_eq!(
            quoted(c, "events", &["source"], "source = 'petition'")
                .iter()
                .map(|r| r.split(',').next().unwrap().to_string())
                .collect::<Vec<_>>(),
            ["1000", "1001"]
        );
        assert!(!written[0].contains("NULL"), "{}", written[0]);
        assert!(written[0].contains("114.25"), "{}", written[0]);

        let (a, b) = (ids[0].0, ids[1].0);
        lands_alike!(
            c,
            event_versions,
            a,
            b,
            [version(a, 1, true), version(a, 2, false)],
            [version(b, 1, true), version(b, 2, false)]
        );
        lands_alike!(
            c,
            person_mentions,
            a,
            b,
            [person(a, 0, true), person(a, 1, false)],
            [person(b, 0, true), person(b, 1, false)]
        );
        lands_alike!(
            c,
            address_mentions,
            a,
            b,
            [address(a, "sqdz")],
            [address(b, "sqdz")]
        );
    }
}
