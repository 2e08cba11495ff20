//! Multi-row INSERTs in a few fixed widths, each a statement the connection prepares once.
//!
//! Diesel builds and prepares an INSERT of a slice of rows anew every time (its text depends
//! on the row count), and on SQLite the parsing alone took a fifth of the sync writer's time.
//! An INSERT of a fixed-size array has a static text that the statement cache keeps; so rows go
//! out 400 at a time, and what is left in widths of 100, 25, 5 and 1: five texts per table.

/// Inserts every row of `$rows` (a slice or Vec of `Insertable` references) into `$table`,
/// chaining `$then()` calls (such as `on_conflict_do_nothing`) onto each statement; or, with
/// `hot`, rows of a `HotRow` shape into their own table. Returns from the enclosing function
/// on a database error.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr $(, $then:ident)*) => {
        $crate::store::insert_rows::insert_rows!(@widths $rows, |head| {
            $crate::store::connection::per_backend!($conn, |c| diesel::insert_into($table)
                .values(head)
                $(.$then())*
                .execute(c))?;
        })
    };
    // Rows of the sync's hot shapes, binding their own values (`hot_rows`).
    ($conn:expr, hot $rows:expr) => {
        $crate::store::insert_rows::insert_rows!(@widths $rows, |head| {
            $crate::store::connection::per_backend!($conn, |c| {
                $crate::store::hot_rows::HotInsert::<_, _, $crate::store::hot_rows::Plain>::new(head)
                    .execute(c)
            })?;
        })
    };
    // New events, adding each one's id and record id to `$out`.
    ($conn:expr, hot $rows:expr, returning => $out:ident) => {
        $crate::store::insert_rows::insert_rows!(@widths $rows, |head| {
            $out.extend($crate::store::connection::per_backend!($conn, |c| {
                $crate::store::hot_rows::HotInsert::<_, _, $crate::store::hot_rows::IdAndKey>::new(
                    head,
                )
                .get_results::<(i64, String)>(c)
            })?);
        })
    };
    // Runs `$body` on `$rows` cut into arrays of the fixed widths, each bound to `$head`.
    (@widths $rows:expr, |$head:ident| $body:block) => {{
        let mut rest = &$rows[..];
        while !rest.is_empty() {
            match rest.len() {
                400.. => $crate::store::insert_rows::insert_rows!(@width 400, rest, |$head| $body),
                100.. => $crate::store::insert_rows::insert_rows!(@width 100, rest, |$head| $body),
                25.. => $crate::store::insert_rows::insert_rows!(@width 25, rest, |$head| $body),
                5.. => $crate::store::insert_rows::insert_rows!(@width 5, rest, |$head| $body),
                _ => $crate::store::insert_rows::insert_rows!(@width 1, rest, |$head| $body),
            }
        }
    }};
    (@width $n:literal, $rest:ident, |$head:ident| $body:block) => {{
        let (head, tail) = $rest.split_at($n);
        $rest = tail;
        let $head: &[_; $n] = head.try_into().expect("split at the width");
        $body
    }};
}
pub(crate) use insert_rows;
