//! Diesel's view of the tables in `migrations/`. Written by hand to match both flavours.

diesel::table! {
    events (id) {
        id -> BigInt,
        source -> Text,
        record_id -> Text,
        connector -> Text,
        occurred_at -> Timestamp,
        source_updated_at -> Nullable<Timestamp>,
        event_type -> Nullable<Text>,
        category -> Text,
        category_raw -> Nullable<Text>,
        content -> Nullable<Text>,
        unit -> Nullable<Text>,
        status -> Text,
        status_raw -> Nullable<Text>,
        deadline -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        satisfaction -> Nullable<Text>,
        longitude -> Nullable<Double>,
        latitude -> Nullable<Double>,
        petitioners -> Nullable<BigInt>,
        detail -> Text,
        content_hash -> Text,
        version -> BigInt,
    }
}

diesel::table! {
    event_versions (event_id, version) {
        event_id -> BigInt,
        version -> BigInt,
        connector -> Text,
        source_updated_at -> Nullable<Timestamp>,
        status -> Text,
        status_raw -> Nullable<Text>,
        content_hash -> Text,
        raw -> Text,
        observed_at -> Timestamp,
    }
}

diesel::table! {
    person_mentions (event_id, position) {
        event_id -> BigInt,
        position -> BigInt,
        name -> Nullable<Text>,
        phone -> Nullable<Text>,
        id_number -> Nullable<Text>,
    }
}

diesel::table! {
    address_mentions (event_id, field) {
        event_id -> BigInt,
        field -> Text,
        text -> Text,
    }
}

diesel::table! {
    /// SQLite only (see its migration).
    batch_epoch (id) {
        id -> BigInt,
        batches -> BigInt,
    }
}

diesel::table! {
    sync_checkpoints (connector) {
        connector -> Text,
        checkpoint -> Text,
        records_total -> BigInt,
        source_behind -> Nullable<BigInt>,
        last_source_time -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    quarantine (id) {
        id -> BigInt,
        connector -> Text,
        source -> Text,
        record_id -> Nullable<Text>,
        stage -> Text,
        location -> Text,
        raw -> Text,
        raw_hex -> Nullable<Text>,
        reason -> Text,
        raw_hash -> Text,
        status -> Text,
        seen_count -> BigInt,
        first_seen_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    sync_runs (id) {
        id -> BigInt,
        connector -> Text,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        status -> Text,
        fetched -> BigInt,
        inserted -> BigInt,
        updated -> BigInt,
        unchanged -> BigInt,
        quarantined -> BigInt,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    resolve_queue (event_id) {
        event_id -> BigInt,
    }
}

diesel::table! {
    entities (kind, id) {
        kind -> Text,
        id -> BigInt,
        label -> Text,
        level -> Nullable<Text>,
        parent_id -> Nullable<BigInt>,
        mention_count -> BigInt,
        detail -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    entity_mentions (kind, event_id, slot) {
        kind -> Text,
        event_id -> BigInt,
        slot -> BigInt,
        entity_id -> BigInt,
        why -> Nullable<Text>,
    }
}

diesel::table! {
    entity_keys (kind, search_key, entity_id) {
        kind -> Text,
        search_key -> Text,
        entity_id -> BigInt,
    }
}

diesel::table! {
    event_areas (event_id) {
        event_id -> BigInt,
        district_id -> Nullable<BigInt>,
        street_id -> Nullable<BigInt>,
        community_id -> Nullable<BigInt>,
        site_id -> Nullable<BigInt>,
        building_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    entity_log (id) {
        id -> BigInt,
        at -> Timestamp,
        kind -> Text,
        action -> Text,
        entity_id -> BigInt,
        others -> Text,
        reason -> Text,
    }
}

diesel::table! {
    resolution_models (kind) {
        kind -> Text,
        params -> Text,
        trained_at -> Timestamp,
    }
}

diesel::joinable!(event_versions -> events (event_id));
diesel::joinable!(person_mentions -> events (event_id));
diesel::joinable!(address_mentions -> events (event_id));
diesel::joinable!(entity_mentions -> events (event_id));
diesel::joinable!(event_areas -> events (event_id));
diesel::allow_tables_to_appear_in_same_query!(
    events,
    event_versions,
    person_mentions,
    address_mentions,
    sync_checkpoints,
    quarantine,
    sync_runs,
    resolve_queue,
    entities,
    entity_mentions,
    entity_keys,
    event_areas,
    entity_log,
    resolution_models
);

diesel::table! {
    report_runs (id) {
        id -> BigInt,
        job -> Text,
        period -> Text,
        report_date -> Text,
        formats -> Text,
        scheduled_for -> Nullable<Timestamp>,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        status -> Text,
        outputs -> Text,
        error -> Nullable<Text>,
    }
}
