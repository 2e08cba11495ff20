//! Batch writes on both stores: natural-key upsert, versions, mentions, quarantine, checkpoint.

mod common;

use chrono::NaiveDateTime;
use hub::domain::{AddressField, AddressMention, EventRecord, Lifecycle, PersonMention, Source};
use hub::store::{
    BatchWrite, EventFilter, IncomingEvent, IncomingReject, QuarantineFilter, Stage, Store,
};
use serde_json::json;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn order(id: &str, status: Lifecycle, updated: &str, phone: &str) -> IncomingEvent {
    IncomingEvent::new(
        EventRecord {
            source: Source::Hotline,
            record_id: id.into(),
            occurred_at: t("2026-11-01 00:00:00"),
            source_updated_at: Some(t(updated)),
            event_type: Some("投诉".into()),
            category: "城乡建设>物业管理".into(),
            category_raw: Some("城乡建设>物业管理>物业服务".into()),
            content: Some("电梯故障".into()),
            unit: Some("九州路街道".into()),
            status,
            status_raw: Some(status.as_str().into()),
            deadline: None,
            closed_at: None,
            satisfaction: None,
            longitude: None,
            latitude: None,
            petitioners: None,
            detail: Default::default(),
            persons: vec![PersonMention {
                position: 0,
                name: Some("张伟".into()),
                phone: Some(phone.into()),
                id_number: None,
            }],
            addresses: vec![AddressMention {
                field: AddressField::Sqdz,
                text: "华夏南路108号院".into(),
            }],
        },
        json!({"gdbh": id, "zt": status.as_str(), "gxsj": updated}).to_string(),
    )
}

async fn write(
    store: &Store,
    run: i64,
    events: Vec<IncomingEvent>,
    rejects: Vec<IncomingReject>,
    cp: u32,
) -> hub::store::BatchOutcome {
    store
        .apply_batch(BatchWrite {
            connector: "hotline".into(),
            source: Source::Hotline,
            run_id: run,
            fetched: (events.len() + rejects.len()) as i64,
            events,
            rejects,
            checkpoint: Some(json!({ "page": cp })),
            source_behind: Some(0),
        })
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upsert_versions_mentions_and_checkpoint() {
    for db in common::databases() {
        let store = Store::open(&db.url).await.unwrap();
        let run = store.start_run("hotline").await.unwrap();
        let o = write(
            &store,
            run,
            vec![
                order("G1", Lifecycle::Received, "2026-11-01 01:00:00", "111"),
                order("G2", Lifecycle::Received, "2026-11-01 01:00:00", "222"),
            ],
            vec![],
            1,
        )
        .await;
        assert_eq!(
            (o.inserted, o.updated, o.unchanged),
            (2, 0, 0),
            "{}",
            db.label
        );

        // The same state again (a re-sent page): nothing changes.
        let o = write(
            &store,
            run,
            vec![order(
                "G1",
                Lifecycle::Received,
                "2026-11-01 01:00:00",
                "111",
            )],
            vec![],
            2,
        )
        .await;
        assert_eq!(
            (o.inserted, o.updated, o.unchanged),
            (0, 0, 1),
            "{}",
            db.label
        );

        // Two revisions of G1 in one batch, then an older state arriving late.
        let o = write(
            &store,
            run,
            vec![
                order("G1", Lifecycle::Assigned, "2026-11-01 02:00:00", "111"),
                order("G1", Lifecycle::Resolved, "2026-11-01 03:00:00", "333"),
            ],
            vec![],
            3,
        )
        .await;
        assert_eq!((o.inserted, o.updated), (0, 2), "{}", db.label);
        let late = write(
            &store,
            run,
            vec![order(
                "G1",
                Lifecycle::InProgress,
                "2026-11-01 02:30:00",
                "111",
            )],
            vec![],
            4,
        )
        .await;
        assert_eq!(late.updated, 1, "a late older state is kept as history");

        let page = store
            .events_page(EventFilter::default(), None, 10)
            .await
            .unwrap();
        assert_eq!(
            page.total,
            Some(2),
            "{}: natural key never duplicates",
            db.label
        );
        let g1 = page.events.iter().find(|e| e.record_id == "G1").unwrap();
        assert_eq!(
            g1.status, "resolved",
            "{}: the newest source state stays current",
            db.label
        );
        assert_eq!(g1.version, 3);
        let versions = store.event_versions(g1.id).await.unwrap();
        let statuses: Vec<_> = versions
            .iter()
            .map(|v| (v.version, v.status.as_str()))
            .collect();
        assert_eq!(
            statuses,
            [
                (1, "received"),
                (2, "assigned"),
                (3, "resolved"),
                (4, "in_progress")
            ],
            "{}",
            db.label
        );
        let phones: Vec<_> = page
            .persons
            .iter()
            .filter(|p| p.event_id == g1.id)
            .map(|p| p.phone.clone().unwrap())
            .collect();
        assert_eq!(
            phones,
            ["333"],
            "{}: mentions follow the current version",
            db.label
        );

        let cp = store.checkpoint("hotline").await.unwrap().unwrap();
        assert_eq!(cp.checkpoint, json!({"page": 4}));
        assert_eq!(cp.records_total, 2);
        assert_eq!(cp.last_source_time, Some(t("2026-11-01 03:00:00")));
        let counts = store.finish_run(run, None).await.unwrap();
        assert_eq!(
            (counts.inserted, counts.updated, counts.unchanged),
            (2, 3, 1)
        );
    }
}

/// Person (name, phone) and address (field, text) mentions of one record's event.
async fn mentions_of(store: &Store, id: &str) -> (Vec<(String, String)>, Vec<(String, String)>) {
    let page = store
        .events_page(EventFilter::default(), None, 10)
        .await
        .unwrap();
    let event = page.events.iter().find(|e| e.record_id == id).unwrap().id;
    let persons = page
        .persons
        .iter()
        .filter(|p| p.event_id == event)
        .map(|p| (p.name.clone().unwrap(), p.phone.clone().unwrap()))
        .collect();
    let places = page
        .addresses
        .iter()
        .filter(|a| a.event_id == event)
        .map(|a| (a.field.clone(), a.text.clone()))
        .collect();
    (persons, places)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revision_keeps_the_mentions_it_names_and_replaces_the_rest() {
    for db in common::databases() {
        let store = Store::open(&db.url).await.unwrap();
        let run = store.start_run("hotline").await.unwrap();
        let first = order("G1", Lifecycle::Received, "2026-11-01 01:00:00", "111");
        write(&store, run, vec![first], vec![], 1).await;
        let named = (
            vec![("张伟".to_string(), "111".to_string())],
            vec![("sqdz".to_string(), "华夏南路108号院".to_string())],
        );

        // A status change naming the same person and place: the mentions stay as they are.
        let o = write(
            &store,
            run,
            vec![order(
                "G1",
                Lifecycle::Assigned,
                "2026-11-01 02:00:00",
                "111",
            )],
            vec![],
            2,
        )
        .await;
        assert_eq!(o.updated, 1, "{}", db.label);
        assert_eq!(mentions_of(&store, "G1").await, named, "{}", db.label);

        // Another place, a second person added: both replace what was stored.
        let mut moved = order("G1", Lifecycle::InProgress, "2026-11-01 03:00:00", "111");
        moved.event.addresses[0].text = "华夏南路110号".into();
        moved.event.persons.push(PersonMention {
            position: 1,
            name: Some("李娜".into()),
            phone: Some("222".into()),
            id_number: None,
        });
        write(
            &store,
            run,
            vec![IncomingEvent::new(moved.event, moved.raw)],
            vec![],
            3,
        )
        .await;
        assert_eq!(
            mentions_of(&store, "G1").await,
            (
                vec![
                    ("张伟".to_string(), "111".to_string()),
                    ("李娜".to_string(), "222".to_string())
                ],
                vec![("sqdz".to_string(), "华夏南路110号".to_string())],
            ),
            "{}",
            db.label
        );

        // Back to the first person and place alone: the second person is gone.
        write(
            &store,
            run,
            vec![order(
                "G1",
                Lifecycle::Resolved,
                "2026-11-01 04:00:00",
                "111",
            )],
            vec![],
            4,
        )
        .await;
        assert_eq!(mentions_of(&store, "G1").await, named, "{}", db.label);
        // Each state that became current was queued for resolution.
        assert_eq!(
            store.queued_events(10).await.unwrap().len(),
            1,
            "{}",
            db.label
        );
    }
}

/// The ids of events found by a source, time window and category filter, as the time
/// indexes find them.
async fn found(store: &Store, from: &str, to: &str, category: &str) -> Vec<String> {
    let filter = EventFilter {
        sources: vec!["hotline".into()],
        from: Some(t(from)),
        to: Some(t(to)),
        category: Some(category.into()),
        ..Default::default()
    };
    let page = store.events_page(filter, None, 10).await.unwrap();
    page.events.into_iter().map(|e| e.record_id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revision_sets_every_column_whether_or_not_it_moves_in_time() {
    for db in common::databases() {
        let store = Store::open(&db.url).await.unwrap();
        let run = store.start_run("hotline").await.unwrap();
        let first = order("G7", Lifecycle::Received, "2026-11-01 01:00:00", "111");
        write(&store, run, vec![first], vec![], 1).await;

        // Same time and category: the UPDATE leaves them out, everything else is set.
        let mut closed = order("G7", Lifecycle::Closed, "2026-11-01 05:00:00", "111");
        closed.event.closed_at = Some(t("2026-11-01 05:00:00"));
        closed.event.content = Some("电梯已修复".into());
        closed.event.unit = None;
        let closed = IncomingEvent::new(closed.event, closed.raw);
        assert_eq!(write(&store, run, vec![closed], vec![], 2).await.updated, 1);
        let page = store
            .events_page(EventFilter::default(), None, 10)
            .await
            .unwrap();
        let e = &page.events[0];
        assert_eq!(
            (
                e.status.as_str(),
                e.version,
                e.closed_at,
                e.content.as_deref(),
                e.unit.as_deref()
            ),
            (
                "closed",
                2,
                Some(t("2026-11-01 05:00:00")),
                Some("电梯已修复"),
                None
            ),
            "{}",
            db.label
        );
        assert_eq!(e.occurred_at, t("2026-11-01 00:00:00"), "{}", db.label);
        assert_eq!(
            found(
                &store,
                "2026-11-01 00:00:00",
                "2026-11-02 00:00:00",
                "城乡建设"
            )
            .await,
            ["G7"],
            "{}",
            db.label
        );

        // Another time and category: both change, and the time indexes find it there only.
        let mut moved = order("G7", Lifecycle::Closed, "2026-11-01 06:00:00", "111");
        moved.event.occurred_at = t("2026-11-03 09:00:00");
        moved.event.category = "社会治安>邻里纠纷".into();
        let moved = IncomingEvent::new(moved.event, moved.raw);
        assert_eq!(write(&store, run, vec![moved], vec![], 3).await.updated, 1);
        assert!(
            found(
                &store,
                "2026-11-01 00:00:00",
                "2026-11-02 00:00:00",
                "城乡建设"
            )
            .await
            .is_empty(),
            "{}",
            db.label
        );
        assert_eq!(
            found(
                &store,
                "2026-11-03 00:00:00",
                "2026-11-04 00:00:00",
                "社会治安"
            )
            .await,
            ["G7"],
            "{}",
            db.label
        );
        let page = store
            .events_page(EventFilter::default(), None, 10)
            .await
            .unwrap();
        assert_eq!(
            (page.events[0].occurred_at, page.events[0].version),
            (t("2026-11-03 09:00:00"), 3),
            "{}",
            db.label
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quarantine_dedups_and_is_superseded_by_a_good_version() {
    for db in common::databases() {
        let store = Store::open(&db.url).await.unwrap();
        let run = store.start_run("hotline").await.unwrap();
        let bad = IncomingReject {
            record_id: Some("G9".into()),
            stage: Stage::Map,
            location: "page 1 item 3".into(),
            raw: json!({"gdbh": "G9", "ldsj": "2026-13-45"}).to_string(),
            raw_hex: None,
            reason: "field `ldsj`: not a time".into(),
        };
        let o = write(
            &store,
            run,
            vec![order("G1", Lifecycle::Received, "2026-11-01 01:00:00", "1")],
            vec![bad.clone()],
            1,
        )
        .await;
        assert_eq!(
            (o.inserted, o.quarantined),
            (1, 1),
            "{}: the good row lands beside the bad one",
            db.label
        );
        write(&store, run, vec![], vec![bad], 2).await;
        let open = store
            .quarantine_entries(QuarantineFilter {
                status: Some("open".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            open.len(),
            1,
            "{}: the same bad row twice is one entry",
            db.label
        );
        assert_eq!(open[0].seen_count, 2);
        assert_eq!(open[0].reason, "field `ldsj`: not a time");

        write(
            &store,
            run,
            vec![order("G9", Lifecycle::Received, "2026-11-01 05:00:00", "9")],
            vec![],
            3,
        )
        .await;
        let all = store
            .quarantine_entries(QuarantineFilter::default())
            .await
            .unwrap();
        assert_eq!(all[0].status, "superseded", "{}", db.label);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_quarantined_again_under_a_new_reason_stays_one_entry() {
    for db in common::databases() {
        let store = Store::open(&db.url).await.unwrap();
        let run = store.start_run("hotline").await.unwrap();
        let bad = |reason: &str| IncomingReject {
            record_id: Some("G7".into()),
            stage: Stage::Map,
            location: "page 2 item 1".into(),
            raw: json!({"gdbh": "G7", "myd": "非常满意"}).to_string(),
            raw_hex: None,
            reason: reason.into(),
        };
        write(
            &store,
            run,
            vec![],
            vec![bad("satisfaction `非常满意` is not in [satisfaction]")],
            1,
        )
        .await;
        write(
            &store,
            run,
            vec![],
            vec![bad("missing time (field `ldsj`)")],
            2,
        )
        .await;
        let all = store
            .quarantine_entries(QuarantineFilter::default())
            .await
            .unwrap();
        assert_eq!(all.len(), 1, "{}", db.label);
        assert_eq!(all[0].seen_count, 2);
        assert_eq!(
            all[0].reason, "missing time (field `ldsj`)",
            "{}: the newest reason",
            db.label
        );
    }
}

#[derive(diesel::QueryableByName)]
struct PlanStep {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

/// A person's or place's history reads its mentions by entity. SQLite,
/// without statistics, prefers an index that covers a query: when only the
/// situation index covered these reads, it scanned every mention of the
/// kind for each history (3 s instead of milliseconds on a city).
#[tokio::test]
async fn entity_reads_use_the_entity_index_on_sqlite() {
    use diesel::{Connection, RunQueryDsl};
    let db = common::sqlite();
    // Kept open: closing it checkpoints the WAL while this test reads.
    let _store = Store::open(&db.url).await.unwrap();
    let path = db.url.trim_start_matches("sqlite://");
    let mut conn = diesel::SqliteConnection::establish(path).unwrap();
    // The store's own connections may still be closing (a WAL checkpoint).
    diesel::sql_query("PRAGMA busy_timeout = 10000")
        .execute(&mut conn)
        .unwrap();
    for sql in [
        // The span of an entity (first and last seen, events).
        "SELECT em.entity_id, MIN(e.occurred_at), MAX(e.occurred_at), COUNT(*) \
         FROM entity_mentions em JOIN events e ON e.id = em.event_id \
         WHERE em.kind = 'person' AND em.entity_id IN (1, 2) GROUP BY em.entity_id",
        // The events of an entity.
        "SELECT DISTINCT event_id FROM entity_mentions WHERE kind = 'person' AND entity_id = 1",
    ] {
        let plan: Vec<PlanStep> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load(&mut conn)
            .unwrap();
        let mentions = plan
            .iter()
            .find(|s| s.detail.contains("entity_mentions") || s.detail.contains(" em "))
            .map(|s| s.detail.clone())
            .unwrap_or_default();
        assert!(
            mentions.contains("INDEX entity_mentions_entity (kind=? AND entity_id=?)"),
            "{sql}\n{mentions}"
        );
    }
}

/// A person named twice in one record (a petition listing the same
/// petitioner twice, say) has one event there, not two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_named_twice_in_one_event_counts_it_once() {
    use hub::store::resolution::{EntityRow, LinkWrite, PERSON, ResolutionWrite};
    for db in common::databases() {
        let store = Store::open(&db.url).await.unwrap();
        let run = store.start_run("hotline").await.unwrap();
        let mut twice = order(
            "W1",
            Lifecycle::Received,
            "2026-11-01 08:00:00",
            "13800000001",
        );
        let again = twice.event.persons[0].clone();
        twice.event.persons.push(PersonMention {
            position: 1,
            ..again
        });
        let once = order(
            "W2",
            Lifecycle::Received,
            "2026-11-02 08:00:00",
            "13800000001",
        );
        write(&store, run, vec![twice, once], vec![], 1).await;
        let page = store
            .events_page(EventFilter::default(), None, 10)
            .await
            .unwrap();
        let link = |event_id, slot| LinkWrite {
            event_id,
            slot,
            entity_id: 1,
            why: None,
        };
        let mut links = vec![];
        for e in &page.events {
            let named = page.persons.iter().filter(|p| p.event_id == e.id);
            links.extend(named.map(|p| link(e.id, p.position)));
        }
        assert_eq!(links.len(), 3, "{}", db.label);
        store
            .write_resolution(vec![ResolutionWrite {
                kind: PERSON,
                links,
                entities: vec![EntityRow {
                    kind: PERSON.into(),
                    id: 1,
                    label: "张伟".into(),
                    level: None,
                    parent_id: None,
                    mention_count: 3,
                    detail: "{}".into(),
                    updated_at: t("2026-11-02 09:00:00"),
                }],
                ..ResolutionWrite::default()
            }])
            .await
            .unwrap();
        let (_, span) = store
            .entity_with_span(PERSON, 1, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(span.unwrap().events, 2, "{}", db.label);
        let spans = store.entity_spans(PERSON, vec![1]).await.unwrap();
        assert_eq!(spans[0].events, 2, "{}", db.label);
        let filter = EventFilter {
            person: Some(1),
            ..EventFilter::default()
        };
        let page = store.events_page(filter, None, 10).await.unwrap();
        assert_eq!(page.total, Some(2), "{}", db.label);
        // The history read with the person agrees, page by page.
        let reads = hub::store::PageReads::ALL;
        let h = store.person_history(1, 10, reads).await.unwrap().unwrap();
        assert_eq!(h.span.unwrap().events, 2, "{}", db.label);
        assert_eq!(h.page.total, Some(2), "{}", db.label);
        let ids = |p: &hub::store::EventPage| p.events.iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(ids(&h.page), ids(&page), "{}: newest first", db.label);
        assert_eq!(h.page.persons, page.persons, "{}", db.label);
        assert_eq!(h.page.addresses, page.addresses, "{}", db.label);
        assert!(!h.page.has_more, "{}", db.label);
        let one = store.person_history(1, 1, reads).await.unwrap().unwrap();
        assert_eq!(ids(&one.page), ids(&page)[..1], "{}", db.label);
        assert!(one.page.has_more, "{}", db.label);
        assert_eq!(one.page.total, Some(2), "{}", db.label);
        assert!(store.person_history(2, 10, reads).await.unwrap().is_none());
    }
}

/// The batches of `what_the_writer_remembers_is_what_reading_the_store_gives`: new records,
/// deliveries again, revisions that keep or change their mentions, a late older state, an older
/// state delivered again, and several states of one record in one batch.
fn remembering_batches() -> Vec<Vec<IncomingEvent>> {
    let with_place = |mut e: IncomingEvent, place: &str| {
        e.event.addresses[0].text = place.into();
        IncomingEvent::new(e.event, e.raw)
    };
    vec![
        vec![
            order("R1", Lifecycle::Received, "2026-11-01 01:00:00", "111"),
            order("R2", Lifecycle::Received, "2026-11-01 01:00:00", "222"),
        ],
        vec![
            order("R1", Lifecycle::Received, "2026-11-01 01:00:00", "111"),
            order("R2", Lifecycle::Assigned, "2026-11-01 02:00:00", "222"),
            order("R3", Lifecycle::Received, "2026-11-01 02:00:00", "333"),
        ],
        vec![
            with_place(
                order("R2", Lifecycle::InProgress, "2026-11-01 03:00:00", "222"),
                "华夏南路110号",
            ),
            order("R1", Lifecycle::Assigned, "2026-11-01 02:00:00", "999"),
        ],
        vec![
            // Later than R2's first state but older than its current one.
            order("R2", Lifecycle::Resolved, "2026-11-01 02:30:00", "222"),
            order("R3", Lifecycle::Assigned, "2026-11-01 03:00:00", "333"),
            order("R3", Lifecycle::InProgress, "2026-11-01 04:00:00", "333"),
            order("R3", Lifecycle::Assigned, "2026-11-01 03:00:00", "333"),
        ],
        vec![
            order("R2", Lifecycle::Received, "2026-11-01 01:00:00", "222"),
            order("R2", Lifecycle::Resolved, "2026-11-01 02:30:00", "222"),
            order("R1", Lifecycle::Closed, "2026-11-01 05:00:00", "111"),
            order("R4", Lifecycle::Received, "2026-11-01 05:00:00", "444"),
        ],
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_writer_remembers_is_what_reading_the_store_gives() {
    for (remembering, reading) in common::databases().into_iter().zip(common::databases()) {
        // One store writes every batch and may answer from what it remembers; the other is
        // opened afresh for each batch, so it reads everything it compares from the database.
        let store = Store::open(&remembering.url).await.unwrap();
        let run = store.start_run("hotline").await.unwrap();
        let mut outcomes = Vec::new();
        for (n, batch) in remembering_batches().into_iter().enumerate() {
            outcomes.push(write(&store, run, batch, vec![], n as u32).await);
        }
        let mut read_outcomes = Vec::new();
        for (n, batch) in remembering_batches().into_iter().enumerate() {
            let fresh = Store::open(&reading.url).await.unwrap();
            let run = fresh.start_run("hotline").await.unwrap();
            read_outcomes.push(write(&fresh, run, batch, vec![], n as u32).await);
        }
        assert_eq!(outcomes, read_outcomes, "{}", remembering.label);
        let reader = Store::open(&reading.url).await.unwrap();
        common::dump::assert_same(
            &common::dump::dump(&reader).await,
            &common::dump::dump(&store).await,
            remembering.label,
        );
        // R2: four states, the one of 03:00 current; R3: three; R1: three.
        let versions = common::dump::dump(&store)
            .await
            .into_iter()
            .filter(|l| l.starts_with("version"))
            .count();
        assert_eq!(versions, 4 + 3 + 3 + 1, "{}", remembering.label);
        assert_eq!(
            (outcomes[3].updated, outcomes[3].unchanged),
            (3, 1),
            "{}",
            remembering.label
        );
        assert_eq!(
            (
                outcomes[4].inserted,
                outcomes[4].updated,
                outcomes[4].unchanged
            ),
            (1, 1, 2),
            "{}",
            remembering.label
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_another_writer_committed_is_not_overlooked() {
    for db in common::databases() {
        let ours = Store::open(&db.url).await.unwrap();
        let theirs = Store::open(&db.url).await.unwrap();
        let run = ours.start_run("hotline").await.unwrap();
        let their_run = theirs.start_run("hotline").await.unwrap();
        let o = write(
            &ours,
            run,
            vec![order(
                "W1",
                Lifecycle::Received,
                "2026-11-01 01:00:00",
                "111",
            )],
            vec![],
            1,
        )
        .await;
        assert_eq!(o.inserted, 1, "{}", db.label);

        // Between two of our batches, another store revises W1 and stores W2.
        let o = write(
            &theirs,
            their_run,
            vec![
                order("W1", Lifecycle::Assigned, "2026-11-01 02:00:00", "222"),
                order("W2", Lifecycle::Received, "2026-11-01 02:00:00", "333"),
            ],
            vec![],
            2,
        )
        .await;
        assert_eq!((o.inserted, o.updated), (1, 1), "{}", db.label);

        // We hear of both as they are now: nothing new. Remembering W1 as first written, or the
        // source as holding W1 alone, would make a second version 2 or a second W2.
        let o = write(
            &ours,
            run,
            vec![
                order("W1", Lifecycle::Assigned, "2026-11-01 02:00:00", "222"),
                order("W2", Lifecycle::Received, "2026-11-01 02:00:00", "333"),
            ],
            vec![],
            3,
        )
        .await;
        assert_eq!(
            (o.inserted, o.updated, o.unchanged),
            (0, 0, 2),
            "{}",
            db.label
        );
        let o = write(
            &ours,
            run,
            vec![order(
                "W1",
                Lifecycle::InProgress,
                "2026-11-01 03:00:00",
                "222",
            )],
            vec![],
            4,
        )
        .await;
        assert_eq!(o.updated, 1, "{}", db.label);
        let dump = common::dump::dump(&ours).await;
        let w1_versions: Vec<&String> = dump
            .iter()
            .filter(|l| l.starts_with("version") && l.contains("\"W1\""))
            .collect();
        assert_eq!(w1_versions.len(), 3, "{}: {w1_versions:?}", db.label);
        assert!(
            dump.iter().any(|l| l.starts_with("event")
                && l.contains("\"W1\"")
                && l.contains("in_progress")),
            "{}: {dump:?}",
            db.label
        );
    }
}
