-- Unified store, SQLite flavour. Keep in step with ../postgres: only the auto-increment
-- spelling differs. All times are UTC (TIMESTAMP without zone); JSON is TEXT.

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,               -- hotline | alarm | petition
    record_id TEXT NOT NULL,            -- the source's own id (gdbh / jjdbh / xfjbh)
    connector TEXT NOT NULL,            -- connector instance that wrote the current version
    occurred_at TIMESTAMP NOT NULL,
    source_updated_at TIMESTAMP,
    event_type TEXT,
    category TEXT NOT NULL,             -- common taxonomy path, levels joined by '>'
    category_raw TEXT,
    content TEXT,
    unit TEXT,
    status TEXT NOT NULL,               -- common lifecycle
    status_raw TEXT,
    deadline TIMESTAMP,
    closed_at TIMESTAMP,
    satisfaction TEXT,
    longitude DOUBLE PRECISION,
    latitude DOUBLE PRECISION,
    petitioners BIGINT,
    detail TEXT NOT NULL,               -- source-specific fields, JSON object
    content_hash TEXT NOT NULL,
    version BIGINT NOT NULL,            -- number of the version that is current
    UNIQUE (source, record_id)
);
CREATE INDEX events_occurred ON events (occurred_at);

CREATE TABLE event_versions (
    event_id BIGINT NOT NULL REFERENCES events (id),
    version BIGINT NOT NULL,
    connector TEXT NOT NULL,
    source_updated_at TIMESTAMP,
    status TEXT NOT NULL,
    status_raw TEXT,
    content_hash TEXT NOT NULL,
    raw TEXT NOT NULL,                  -- the record exactly as the source sent it, JSON
    observed_at TIMESTAMP NOT NULL,     -- wall clock of the sync that saw it
    PRIMARY KEY (event_id, version)
);

CREATE TABLE person_mentions (
    event_id BIGINT NOT NULL REFERENCES events (id),
    position BIGINT NOT NULL,           -- 0 for hotline/alarm; order in xfr for petitions
    name TEXT,
    phone TEXT,
    id_number TEXT,
    PRIMARY KEY (event_id, position)
);

CREATE TABLE address_mentions (
    event_id BIGINT NOT NULL REFERENCES events (id),
    field TEXT NOT NULL,                -- canonical field: sqdz | afdd | zz | wtsd
    text TEXT NOT NULL,
    PRIMARY KEY (event_id, field)
);

CREATE TABLE sync_checkpoints (
    connector TEXT PRIMARY KEY,
    checkpoint TEXT NOT NULL,           -- connector-kind specific state, JSON
    records_total BIGINT NOT NULL,      -- rows accepted (events written or unchanged) so far
    source_behind BIGINT,               -- what the source said was still pending at the last fetch
    last_source_time TIMESTAMP,         -- newest source timestamp seen
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    connector TEXT NOT NULL,
    source TEXT NOT NULL,
    record_id TEXT,
    stage TEXT NOT NULL,                -- decode (bytes/columns) | map (fields)
    location TEXT NOT NULL,             -- page, cursor, file and line
    raw TEXT NOT NULL,                  -- raw record JSON (map) or decoded-with-replacement text (decode)
    raw_hex TEXT,                       -- the undecodable bytes, when the text could not be decoded
    reason TEXT NOT NULL,
    raw_hash TEXT NOT NULL,
    status TEXT NOT NULL,               -- open | replayed
    seen_count BIGINT NOT NULL,
    first_seen_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    UNIQUE (connector, raw_hash)
);

CREATE INDEX quarantine_record ON quarantine (connector, record_id);

CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    connector TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status TEXT NOT NULL,               -- running | ok | failed
    fetched BIGINT NOT NULL,
    inserted BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    quarantined BIGINT NOT NULL,
    error TEXT
);
CREATE INDEX sync_runs_connector ON sync_runs (connector, id);
