//! The resolution queue against concurrent syncs, on both stores: an event
//! revised after resolution read it is read again, never dropped from the
//! queue unresolved.

mod common;

use chrono::NaiveDateTime;
use hub::config::ResolveSettings;
use hub::domain::{AddressField, AddressMention, EventRecord, Lifecycle, PersonMention, Source};
use hub::ingest::resolution::Resolving;
use hub::resolve::mention::MentionKey;
use hub::store::resolution::ResolutionWrite;
use hub::store::{BatchWrite, IncomingEvent, Store};
use serde_json::json;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// A work order whose caller is `name` on `phone`, as of `updated`.
fn order(id: &str, name: &str, phone: &str, updated: &str) -> IncomingEvent {
    IncomingEvent::new(
        EventRecord {
            source: Source::Hotline,
            record_id: id.into(),
            occurred_at: t("2026-11-01 08:00:00"),
            source_updated_at: Some(t(updated)),
            event_type: Some("投诉".into()),
            category: "城乡建设>物业管理".into(),
            category_raw: None,
            content: Some("楼道堆物".into()),
            unit: None,
            status: Lifecycle::Received,
            status_raw: None,
            deadline: None,
            closed_at: None,
            satisfaction: None,
            longitude: None,
            latitude: None,
            petitioners: None,
            detail: Default::default(),
            persons: vec![PersonMention {
                position: 0,
                name: Some(name.into()),
                phone: Some(phone.into()),
                id_number: None,
            }],
            addresses: vec![AddressMention {
                field: AddressField::Sqdz,
                text: "淇滨区华夏南路108号院3号楼".into(),
            }],
        },
        json!({ "gdbh": id, "name": name, "gxsj": updated }).to_string(),
    )
}

async fn write(store: &Store, events: Vec<IncomingEvent>) {
    let run = store.start_run("hotline").await.unwrap();
    store
        .apply_batch(BatchWrite {
            connector: "hotline".into(),
            source: Source::Hotline,
            run_id: run,
            fetched: events.len() as i64,
            events,
            rejects: vec![],
            checkpoint: None,
            source_behind: Some(0),
        })
        .await
        .unwrap();
}

/// G1 from 张伟 on 13903921234 and G2 from `second`, synced and resolved.
async fn two_callers_resolved(
    store: &Store,
    settings: &ResolveSettings,
    second: (&str, &str),
) -> Resolving {
    write(
        store,
        vec![
            order("G1", "张伟", "13903921234", "2026-11-01 09:00:00"),
            order("G2", second.0, second.1, "2026-11-01 09:00:00"),
        ],
    )
    .await;
    let mut r = Resolving::open(store, settings).await.unwrap();
    r.drain(store).await.unwrap();
    r
}

fn label(r: &Resolving, record: &str) -> String {
    let key = MentionKey::new(Source::Hotline, record, 0);
    let id = r.persons().entity_of(&key).expect("resolved");
    r.persons().summary(id).expect("an entity").label
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revision_stored_after_resolution_read_its_event_is_resolved_again() {
    let settings = ResolveSettings::default();
    for db in common::databases() {
        let store = Store::open(&db.url).await.unwrap();
        write(
            &store,
            vec![
                order("G1", "张伟", "13903921234", "2026-11-01 09:00:00"),
                order("G2", "李娜", "13600001111", "2026-11-01 09:00:00"),
            ],
        )
        .await;
        // Opening reads every stored mention, both queued events included.
        let mut r = Resolving::open(&store, &settings).await.unwrap();
        assert_eq!(label(&r, "G1"), "张伟", "{}", db.label);
        // G1 is revised before the queue is drained: its caller was
        // written down wrongly the first time.
        write(
            &store,
            vec![order("G1", "王强", "13700002222", "2026-11-01 10:00:00")],
        )
        .await;
        let report = r.drain(&store).await.unwrap();
        assert_eq!(report.events, 2, "{}", db.label);
        assert_eq!(label(&r, "G1"), "王强", "{}: revision lost", db.label);
        assert_eq!(label(&r, "G2"), "李娜", "{}", db.label);
        assert!(
            store.queued_events(10).await.unwrap().is_empty(),
            "{}",
            db.label
        );

        // The store keeps a queued event whose version moved on since it
        // was read, and drops it at the version that was read.
        write(
            &store,
            vec![order("G3", "赵敏", "13500003333", "2026-11-01 11:00:00")],
        )
        .await;
        let read = store.queued_events(10).await.unwrap();
        assert_eq!(read.len(), 1, "{}", db.label);
        write(
            &store,
            vec![order("G3", "赵敏", "13500004444", "2026-11-01 12:00:00")],
        )
        .await;
        let dequeue = |version: i64| {
            vec![ResolutionWrite {
                kind: "person",
                dequeue: vec![(read[0].id, version)],
                ..ResolutionWrite::default()
            }]
        };
        store
            .write_resolution(dequeue(read[0].version))
            .await
            .unwrap();
        let left = store.queued_events(10).await.unwrap();
        assert_eq!(left.len(), 1, "{}: revised event dequeued", db.label);
        assert_eq!(left[0].version, read[0].version + 1, "{}", db.label);
        store
            .write_resolution(dequeue(left[0].version))
            .await
            .unwrap();
        assert!(
            store.queued_events(10).await.unwrap().is_empty(),
            "{}",
            db.label
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revision_stored_while_resolution_was_stopped_moves_its_mention() {
    let settings = ResolveSettings::default();
    for db in common::databases() {
        let store = Store::open(&db.url).await.unwrap();
        let r = two_callers_resolved(&store, &settings, ("张伟", "13903921234")).await;
        let key = |record: &str| MentionKey::new(Source::Hotline, record, 0);
        let before = r.persons().entity_of(&key("G1"));
        assert!(before.is_some(), "{}", db.label);
        assert_eq!(before, r.persons().entity_of(&key("G2")), "{}", db.label);
        drop(r);

        // While no resolver runs, G1 turns out to be someone else.
        write(
            &store,
            vec![order("G1", "王强", "13700002222", "2026-11-01 10:00:00")],
        )
        .await;
        let mut r = Resolving::open(&store, &settings).await.unwrap();
        r.drain(&store).await.unwrap();
        assert_eq!(label(&r, "G1"), "王强", "{}", db.label);
        assert_eq!(label(&r, "G2"), "张伟", "{}", db.label);
        let g1 = r.persons().entity_of(&key("G1"));
        assert_ne!(g1, r.persons().entity_of(&key("G2")), "{}", db.label);
        // The store says the same as the resolver.
        let stored: Vec<i64> = store
            .entity_links("person")
            .await
            .unwrap()
            .into_values()
            .collect();
        assert!(stored.contains(&g1.unwrap()), "{}: {stored:?}", db.label);
        let reopened = Resolving::open(&store, &settings).await.unwrap();
        assert_eq!(
            reopened.export_rows(None),
            r.export_rows(None),
            "{}",
            db.label
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_removed_while_resolution_was_stopped_loses_its_link() {
    let settings = ResolveSettings::default();
    for db in common::databases() {
        let store = Store::open(&db.url).await.unwrap();
        let r = two_callers_resolved(&store, &settings, ("李娜", "13600001111")).await;
        let key = MentionKey::new(Source::Hotline, "G1", 0);
        let g1 = r.persons().entity_of(&key).unwrap();
        drop(r);
        assert_eq!(store.entity_links("person").await.unwrap().len(), 2);

        // The revision no longer names the caller.
        let mut revised = order("G1", "", "", "2026-11-01 10:00:00");
        revised.event.persons.clear();
        write(&store, vec![revised]).await;
        let mut r = Resolving::open(&store, &settings).await.unwrap();
        r.drain(&store).await.unwrap();
        assert_eq!(r.persons().entity_of(&key), None, "{}", db.label);
        let links = store.entity_links("person").await.unwrap();
        assert_eq!(links.len(), 1, "{}: {links:?}", db.label);
        assert!(!links.values().any(|e| *e == g1), "{}", db.label);
        let log = store.entity_history("person", g1).await.unwrap();
        assert!(
            log.iter().any(|(_, action, _, _)| action == "retired"),
            "{}: {log:?}",
            db.label
        );
    }
}
