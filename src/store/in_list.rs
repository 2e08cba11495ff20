//! `column IN (…)` over bound values, in a statement a connection keeps
//! prepared. Diesel's `eq_any` marks a bound list as never cacheable on
//! SQLite, so every page's mentions, links and entities were parsed and
//! planned anew; here the list is padded to a power of two (repeating its
//! last value, which changes nothing an `IN` selects), so a handful of
//! statement texts cover every length and each is prepared once per
//! connection.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Bool, HasSqlType};

#[derive(Debug, Clone)]
pub struct InList<C, T> {
    column: C,
    values: Vec<T>,
}

/// `column IN (values…)`; no values selects nothing.
pub fn in_list<C, T: Clone>(column: C, values: &[T]) -> InList<C, T> {
    InList {
        column,
        values: values.to_vec(),
    }
}

impl<C, T> InList<C, T> {
    /// Placeholders the statement has: the next power of two.
    fn width(&self) -> usize {
        self.values.len().next_power_of_two()
    }
}

impl<C, T> Expression for InList<C, T> {
    type SqlType = Bool;
}

impl<C: AppearsOnTable<QS>, T, QS> AppearsOnTable<QS> for InList<C, T> {}

impl<C: ValidGrouping<GB>, T, GB> ValidGrouping<GB> for InList<C, T> {
    type IsAggregate = C::IsAggregate;
}

/// Not static: the text depends on the width, so the statement cache keys
/// it by its SQL.
impl<C, T> QueryId for InList<C, T> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C, T, DB> QueryFragment<DB> for InList<C, T>
where
    DB: Backend + HasSqlType<C::SqlType>,
    C: Expression + QueryFragment<DB>,
    T: ToSql<C::SqlType, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        if self.values.is_empty() {
            out.push_sql("1 = 0");
            return Ok(());
        }
        push_padded(&self.column, &self.values, self.width(), out)
    }
}

/// `column IN (?, …)` with `width` placeholders bound to `values` (at
/// least one), the last repeated to fill them.
fn push_padded<'b, C, T, DB>(
    column: &'b C,
    values: &'b [T],
    width: usize,
    mut out: AstPass<'_, 'b, DB>,
) -> QueryResult<()>
where
    DB: Backend + HasSqlType<C::SqlType>,
    C: Expression + QueryFragment<DB>,
    T: ToSql<C::SqlType, DB>,
{
    let last = values.len() - 1;
    column.walk_ast(out.reborrow())?;
    out.push_sql(" IN (");
    for i in 0..width {
        if i > 0 {
            out.push_sql(", ");
        }
        out.push_bind_param::<C::SqlType, T>(&values[i.min(last)])?;
    }
    out.push_sql(")");
    Ok(())
}

/// Loads `$query` (written with `$within` as its `IN` filter) for rows whose
/// `$column` is one of `$ids`, in one statement however many: a fixed list
/// on the backend's own connection when the ids fit one (a page of twenty),
/// a padded list otherwise; no ids load nothing. Evaluates to a
/// `QueryResult<Vec<_>>`.
macro_rules! load_where_in {
    ($conn:expr, $column:expr, $ids:expr, |$within:ident| $query:expr) => {{
        let ids = $ids;
        if ids.is_empty() {
            Ok(Vec::new())
        } else if ids.len() <= $crate::store::in_list::FIXED_WIDTH {
            let $within = $crate::store::in_list::in_fixed_list($column, ids);
            $crate::store::connection::per_backend!($conn, |c| $query.load(c))
        } else {
            let $within = $crate::store::in_list::in_list($column, ids);
            $query.load($conn)
        }
    }};
}
pub(super) use load_where_in;

/// Values a fixed list holds at most: a page of twenty events' ids, or
/// twenty-one with the one that tells whether another page follows.
pub const FIXED_WIDTH: usize = 32;

/// `column IN (…)` with always `FIXED_WIDTH` placeholders, the values
/// padded with the last. Unlike `InList` its statement text is fixed, so it
/// has a type of its own: run on the backend's own connection (not through
/// the multi-backend one, which writes every statement out as text), the
/// connection finds the prepared statement by type without building SQL.
#[derive(Debug, Clone)]
pub struct FixedInList<C, T> {
    column: C,
    values: Vec<T>,
}

/// `column IN (values…)` for 1 to `FIXED_WIDTH` values.
///
/// # Panics
/// On no values or more than `FIXED_WIDTH`: callers cut their lists into
/// chunks first.
pub fn in_fixed_list<C, T: Clone>(column: C, values: &[T]) -> FixedInList<C, T> {
    assert!(
        (1..=FIXED_WIDTH).contains(&values.len()),
        "a fixed IN list takes 1 to {FIXED_WIDTH} values, not {}",
        values.len()
    );
    FixedInList {
        column,
        values: values.to_vec(),
    }
}

impl<C, T> Expression for FixedInList<C, T> {
    type SqlType = Bool;
}

impl<C: AppearsOnTable<QS>, T, QS> AppearsOnTable<QS> for FixedInList<C, T> {}

impl<C: ValidGrouping<GB>, T, GB> ValidGrouping<GB> for FixedInList<C, T> {
    type IsAggregate = C::IsAggregate;
}

/// The bound values' type is the column's, so the column alone tells two
/// such lists apart.
impl<C: QueryId, T> QueryId for FixedInList<C, T> {
    type QueryId = FixedInList<C::QueryId, ()>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C, T, DB> QueryFragment<DB> for FixedInList<C, T>
where
    DB: Backend + HasSqlType<C::SqlType>,
    C: Expression + QueryFragment<DB>,
    T: ToSql<C::SqlType, DB>,
{
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        push_padded(&self.column, &self.values, FIXED_WIDTH, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema::person_mentions;
    use diesel::prelude::*;
    use diesel::query_builder::QueryFragment;
    use diesel::sqlite::Sqlite;

    fn sql(ids: &[i64]) -> String {
        let q = person_mentions::table
            .filter(in_list(person_mentions::event_id, ids))
            .select(person_mentions::event_id);
        diesel::debug_query::<Sqlite, _>(&q).to_string()
    }

    #[test]
    fn lists_of_one_width_share_one_statement() {
        let three = sql(&[1, 2, 3]);
        let four = sql(&[7, 8, 9, 10]);
        let text = |s: &str| s.split(" -- binds").next().unwrap().to_string();
        assert_eq!(text(&three), text(&four));
        assert!(three.contains("IN (?, ?, ?, ?)"), "{three}");
        assert!(three.ends_with("binds: [1, 2, 3, 3]"), "{three}");
        assert_ne!(text(&sql(&[1, 2, 3, 4, 5])), text(&four));
    }

    #[test]
    fn the_statement_may_be_kept_prepared_where_eq_any_may_not() {
        let ids = [1_i64, 2, 3];
        let ours = person_mentions::table.filter(in_list(person_mentions::event_id, &ids));
        let theirs = person_mentions::table.filter(person_mentions::event_id.eq_any(&ids));
        let cacheable =
            |q: &dyn QueryFragment<Sqlite>| q.is_safe_to_cache_prepared(&Sqlite).unwrap();
        assert!(cacheable(&ours));
        assert!(!cacheable(&theirs));
    }

    #[test]
    fn a_fixed_list_has_one_text_and_a_type_of_its_own() {
        let q = |ids: &[i64]| {
            person_mentions::table
                .filter(in_fixed_list(person_mentions::event_id, ids))
                .select(person_mentions::event_id)
        };
        let one = diesel::debug_query::<Sqlite, _>(&q(&[5])).to_string();
        let twenty: Vec<i64> = (1..=20).collect();
        let many = diesel::debug_query::<Sqlite, _>(&q(&twenty)).to_string();
        let text = |s: &str| s.split(" -- binds").next().unwrap().to_string();
        assert_eq!(text(&one), text(&many));
        assert_eq!(text(&one).matches('?').count(), FIXED_WIDTH);
        assert!(
            many.ends_with(&format!("{}]", "20, ".repeat(12) + "20")),
            "{many}"
        );
        fn static_id<Q: QueryId>(_: &Q) -> bool {
            Q::HAS_STATIC_QUERY_ID
        }
        assert!(static_id(&q(&[5])));
    }

    #[test]
    #[should_panic(expected = "takes 1 to 32 values")]
    fn a_fixed_list_refuses_more_than_it_holds() {
        let ids: Vec<i64> = (0..33).collect();
        in_fixed_list(person_mentions::event_id, &ids);
    }

    #[test]
    fn an_empty_list_selects_nothing() {
        assert!(sql(&[]).contains("WHERE 1 = 0"), "{}", sql(&[]));
    }
}
