//! Row shapes for diesel, borrowing their text from the domain types and the sync's batches.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::*;
use super::sql_time::SqlTime;

/// An event row, inserted for a new record or set over the current one when a revision
/// becomes current (all but its key: an UPDATE that does not name the key's columns leaves
/// the key's index alone). The sync's rows borrow their text from the batch they are written
/// for: owned, each new record cost the single writer a dozen copies of strings the batch
/// already held, and as many frees.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = events, treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct NewEvent<'a> {
    #[diesel(skip_update)]
    pub source: &'static str,
    #[diesel(skip_update)]
    pub record_id: &'a str,
    pub occurred_at: SqlTime,
    pub category: &'a str,
    #[diesel(embed)]
    pub state: EventRevision<'a>,
}

/// Everything an event row holds but its key, time and category: what a revision that
/// keeps its time and category sets, leaving the two time indexes alone.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = events, treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct EventRevision<'a> {
    pub connector: &'a str,
    pub source_updated_at: Option<SqlTime>,
    pub event_type: Option<&'a str>,
    pub category_raw: Option<&'a str>,
    pub content: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub status: &'static str,
    pub status_raw: Option<&'a str>,
    pub deadline: Option<SqlTime>,
    pub closed_at: Option<SqlTime>,
    pub satisfaction: Option<&'static str>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub petitioners: Option<i64>,
    pub detail: &'a str,
    pub content_hash: &'a str,
    pub version: i64,
}

#[derive(Insertable)]
#[diesel(table_name = event_versions, treat_none_as_default_value = false)]
pub struct NewVersion<'a> {
    pub event_id: i64,
    pub version: i64,
    pub connector: &'a str,
    pub source_updated_at: Option<SqlTime>,
    pub status: &'static str,
    pub status_raw: Option<&'a str>,
    pub content_hash: &'a str,
    pub raw: &'a str,
    pub observed_at: SqlTime,
}

#[derive(Insertable)]
#[diesel(table_name = person_mentions, treat_none_as_default_value = false)]
pub struct NewPersonMention<'a> {
    pub event_id: i64,
    pub position: i64,
    pub name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub id_number: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = address_mentions, treat_none_as_default_value = false)]
pub struct NewAddressMention<'a> {
    pub event_id: i64,
    pub field: &'static str,
    pub text: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = quarantine, treat_none_as_default_value = false)]
pub struct NewQuarantine<'a> {
    pub connector: &'a str,
    pub source: &'a str,
    pub record_id: Option<&'a str>,
    pub stage: &'a str,
    pub location: &'a str,
    pub raw: &'a str,
    pub raw_hex: Option<&'a str>,
    pub reason: &'a str,
    pub raw_hash: String,
    pub status: &'a str,
    pub seen_count: i64,
    pub first_seen_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = sync_checkpoints, treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct CheckpointRow<'a> {
    pub connector: &'a str,
    pub checkpoint: String,
    pub records_total: i64,
    pub source_behind: Option<i64>,
    pub last_source_time: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}
