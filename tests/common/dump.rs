//! Everything a sync stored, as sorted text lines keyed by natural keys, so two databases can
//! be compared whatever surrogate ids they handed out. Left out, because they describe when and
//! how often something was delivered rather than what was delivered: wall-clock times
//! (observed_at, first/last_seen_at, updated_at), quarantine seen_count, and the run log.

#![allow(clippy::type_complexity)] // row tuples read once, printed, compared

use diesel::prelude::*;
use hub::store::Store;
use hub::store::schema::*;

pub async fn dump(store: &Store) -> Vec<String> {
    store
        .run(|conn| {
            let mut out = Vec::new();
            let evs: Vec<(
                String,
                String,
                String,
                chrono::NaiveDateTime,
                Option<chrono::NaiveDateTime>,
                String,
                String,
                Option<String>,
                String,
                i64,
                String,
            )> = events::table
                .select((
                    events::source,
                    events::record_id,
                    events::connector,
                    events::occurred_at,
                    events::source_updated_at,
                    events::category,
                    events::status,
                    events::content,
                    events::detail,
                    events::version,
                    events::content_hash,
                ))
                .load(conn)?;
            out.extend(evs.into_iter().map(|e| format!("event {e:?}")));
            let versions: Vec<(String, String, i64, String, String, String)> =
                event_versions::table
                    .inner_join(events::table)
                    .select((
                        events::source,
                        events::record_id,
                        event_versions::version,
                        event_versions::connector,
                        event_versions::content_hash,
                        event_versions::raw,
                    ))
                    .load(conn)?;
            out.extend(versions.into_iter().map(|v| format!("version {v:?}")));
            let persons: Vec<(
                String,
                String,
                i64,
                Option<String>,
                Option<String>,
                Option<String>,
            )> = person_mentions::table
                .inner_join(events::table)
                .select((
                    events::source,
                    events::record_id,
                    person_mentions::position,
                    person_mentions::name,
                    person_mentions::phone,
                    person_mentions::id_number,
                ))
                .load(conn)?;
            out.extend(persons.into_iter().map(|p| format!("person {p:?}")));
            let addresses: Vec<(String, String, String, String)> = address_mentions::table
                .inner_join(events::table)
                .select((
                    events::source,
                    events::record_id,
                    address_mentions::field,
                    address_mentions::text,
                ))
                .load(conn)?;
            out.extend(addresses.into_iter().map(|a| format!("address {a:?}")));
            let checkpoints: Vec<(
                String,
                String,
                i64,
                Option<i64>,
                Option<chrono::NaiveDateTime>,
            )> = sync_checkpoints::table
                .select((
                    sync_checkpoints::connector,
                    sync_checkpoints::checkpoint,
                    sync_checkpoints::records_total,
                    sync_checkpoints::source_behind,
                    sync_checkpoints::last_source_time,
                ))
                .load(conn)?;
            out.extend(checkpoints.into_iter().map(|c| format!("checkpoint {c:?}")));
            let q: Vec<(
                String,
                Option<String>,
                String,
                String,
                String,
                Option<String>,
                String,
                String,
            )> = quarantine::table
                .select((
                    quarantine::connector,
                    quarantine::record_id,
                    quarantine::stage,
                    quarantine::location,
                    quarantine::raw,
                    quarantine::raw_hex,
                    quarantine::reason,
                    quarantine::status,
                ))
                .load(conn)?;
            out.extend(q.into_iter().map(|q| format!("quarantine {q:?}")));
            out.sort();
            Ok(out)
        })
        .await
        .expect("dump the database")
}

/// Distinct (source, record id) pairs stored, and the number of event rows.
pub async fn event_keys(store: &Store) -> (usize, std::collections::BTreeSet<(String, String)>) {
    store
        .run(|conn| {
            let keys: Vec<(String, String)> = events::table
                .select((events::source, events::record_id))
                .load(conn)?;
            let n = keys.len();
            Ok((n, keys.into_iter().collect()))
        })
        .await
        .expect("read event keys")
}

/// Fails with the first differing lines when two dumps differ.
pub fn assert_same(expected: &[String], got: &[String], label: &str) {
    let missing: Vec<_> = expected
        .iter()
        .filter(|l| !got.contains(l))
        .take(3)
        .collect();
    let extra: Vec<_> = got
        .iter()
        .filter(|l| !expected.contains(l))
        .take(3)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{label}: missing {missing:?}, extra {extra:?}"
    );
    assert_eq!(got.len(), expected.len(), "{label}");
}
