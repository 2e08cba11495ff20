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
        let Some(last) = self.values.len().checked_sub(1) else {
            out.push_sql("1 = 0");
            return Ok(());
        };
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        for i in 0..self.width() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param::<C::SqlType, T>(&self.values[i.min(last)])?;
        }
        out.push_sql(")");
        Ok(())
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
    fn an_empty_list_selects_nothing() {
        assert!(sql(&[]).contains("WHERE 1 = 0"), "{}", sql(&[]));
    }
}
