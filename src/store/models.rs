//! Row shapes for diesel. A sync batch's rows own their text (see `NewEvent`); the others
//! borrow from the domain types.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::*;
use super::sql_time::SqlTime;

/// An event row, inserted for a new record or set over the current one when a revision
/// becomes current (all but its key: an UPDATE that does not name the key's columns leaves
/// the key's index alone). The rows of a batch own their text: diesel keeps a multi-row
/// INSERT prepared only for an array of rows with no borrowed data in them (`insert_rows`).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = events, treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct NewEvent {
    #[diesel(skip_update)]
    pub source: &'static str,
    #[diesel(skip_update)]
    pub record_id: String,
    pub occurred_at: SqlTime,
    pub category: String,
    #[diesel(embed)]
    pub state: EventRevision,
}

/// Everything an event row holds but its key, time and category: what a revision that
/// keeps its time and category sets, leaving the two time indexes alone.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = events, treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct EventRevision {
    pub connector: String,
    pub source_updated_at: Option<SqlTime>,
    pub event_type: Option<String>,
    pub category_raw: Option<String>,
    pub content: Option<String>,
    pub unit: Option<String>,
    pub status: &'static str,
    pub status_raw: Option<String>,
    pub deadline: Option<SqlTime>,
    pub closed_at: Option<SqlTime>,
    pub satisfaction: Option<&'static str>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub petitioners: Option<i64>,
    pub detail: String,
    pub content_hash: String,
    pub version: i64,
}

#[derive(Insertable)]
#[diesel(table_name = event_versions, treat_none_as_default_value = false)]
pub struct NewVersion {
    pub event_id: i64,
    pub version: i64,
    pub connector: String,
    pub source_updated_at: Option<SqlTime>,
    pub status: &'static str,
    pub status_raw: Option<String>,
    pub content_hash: String,
    pub raw: String,
    pub observed_at: SqlTime,
}

#[derive(Insertable)]
#[diesel(table_name = person_mentions, treat_none_as_default_value = false)]
pub struct NewPersonMention {
    pub event_id: i64,
    pub position: i64,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = address_mentions, treat_none_as_default_value = false)]
pub struct NewAddressMention {
    pub event_id: i64,
    pub field: &'static str,
    pub text: String,
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
