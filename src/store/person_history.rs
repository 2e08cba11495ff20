//! A person's history as the API's most frequent read asks for it: the
//! person, when they were first and last seen, how many events name them
//! and the newest page of those events with their mentions, in one
//! checkout of four statements (five when the page shows addresses).
//!
//! The general page (`events_page_with`) counts and sorts in SQL and its
//! boxed query is written out as text on every call to find its prepared
//! statement. Here the person's events are read as (time, id) pairs once:
//! their count and first/last seen come from the same rows, the page is
//! cut from them in memory, and every statement has a type of its own, so
//! the connection finds it by type and diesel writes no SQL text. A person
//! names few events (a repeat caller a few dozen), so the pairs are cheap.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::per_backend;
use super::entity_query::{ENTITY_COLUMNS, EntityRecord, Span};
use super::event_query::{EventPage, EventRow, PageReads, mentions};
use super::in_list::load_where_in;
use super::resolution::PERSON;
use super::schema::{entities, entity_mentions, events};
use super::sql_time::SqlTime;
use super::{Store, StoreError};

/// What `Store::person_history` returns for a person that exists.
#[derive(Debug, Clone)]
pub struct PersonHistory {
    pub record: EntityRecord,
    /// None when no stored event names the person.
    pub span: Option<Span>,
    /// The newest events, `total` always counted.
    pub page: EventPage,
}

impl Store {
    /// The person `id` and the newest `first` events naming them; None when
    /// there is no such person.
    pub async fn person_history(
        &self,
        id: i64,
        first: i64,
        with: PageReads,
    ) -> Result<Option<PersonHistory>, StoreError> {
        let first = first.max(0) as usize;
        self.run(move |conn| {
            let record: Option<EntityRecord> = per_backend!(conn, |c| entities::table
                .filter(entities::kind.eq(PERSON))
                .filter(entities::id.eq(id))
                .select(ENTITY_COLUMNS)
                .first(c)
                .optional())?;
            let Some(record) = record else {
                return Ok(None);
            };
            // One row per event: an event naming the person twice is one
            // event of theirs.
            let times: Vec<(SqlTime, i64)> = per_backend!(conn, |c| events::table
                .filter(
                    events::id.eq_any(
                        entity_mentions::table
                            .filter(entity_mentions::kind.eq(PERSON))
                            .filter(entity_mentions::entity_id.eq(id))
                            .select(entity_mentions::event_id),
                    ),
                )
                .select((events::occurred_at, events::id))
                .load(c))?;
            let mut times: Vec<(NaiveDateTime, i64)> =
                times.into_iter().map(|(t, id)| (t.0, id)).collect();
            // Newest first, ties by id: the order and cursors of every page.
            times.sort_unstable_by(|a, b| b.cmp(a));
            let span = match (times.last(), times.first()) {
                (Some(earliest), Some(latest)) => Some(Span {
                    entity_id: id,
                    first: earliest.0,
                    last: latest.0,
                    events: times.len() as i64,
                }),
                _ => None,
            };
            let ids: Vec<i64> = times.iter().take(first).map(|t| t.1).collect();
            let mut rows = rows_by_ids(conn, &ids)?;
            let at = |id: i64| ids.iter().position(|&i| i == id);
            rows.sort_by_key(|r| at(r.id));
            let (persons, addresses) = mentions(conn, &ids, with)?;
            Ok(Some(PersonHistory {
                record,
                span,
                page: EventPage {
                    events: rows,
                    persons,
                    addresses,
                    has_more: times.len() > first,
                    total: Some(times.len() as i64),
                },
            }))
        })
        .await
    }
}

/// The rows of these events, in no particular order, in one statement.
fn rows_by_ids(conn: &mut super::AnyConnection, ids: &[i64]) -> Result<Vec<EventRow>, StoreError> {
    Ok(load_where_in!(conn, events::id, ids, |within| {
        events::table.filter(within).select(EventRow::as_select())
    })?)
}
