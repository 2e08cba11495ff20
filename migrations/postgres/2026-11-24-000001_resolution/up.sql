-- Entity resolution, PostgreSQL flavour. Keep in step with ../../sqlite: only the
-- auto-increment spelling differs.

-- Events whose mentions changed since they were last resolved; written in the
-- same transaction as the mentions, drained by the resolver.
CREATE TABLE resolve_queue (
    event_id BIGINT PRIMARY KEY
);

-- One row per resolved person or place.
CREATE TABLE entities (
    kind TEXT NOT NULL,                 -- person | address
    id BIGINT NOT NULL,                 -- stable within a kind
    label TEXT NOT NULL,                -- best name / canonical address text
    level TEXT,                         -- address level (room ... district); NULL for persons
    parent_id BIGINT,                   -- the enclosing address entity
    mention_count BIGINT NOT NULL,
    detail TEXT NOT NULL,               -- JSON: variants seen, coordinates
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX entities_parent ON entities (kind, parent_id);

-- Which entity each mention belongs to.
CREATE TABLE entity_mentions (
    kind TEXT NOT NULL,                 -- person | address
    event_id BIGINT NOT NULL REFERENCES events (id),
    slot BIGINT NOT NULL,               -- person: position in the record; address: field (0 sqdz, 1 afdd, 2 zz, 3 wtsd)
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (kind, event_id, slot)
);
CREATE INDEX entity_mentions_entity ON entity_mentions (kind, entity_id);

-- Every creation, merge, split and retirement of an entity, with why.
CREATE TABLE entity_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL,               -- created | merged | split | retired
    entity_id BIGINT NOT NULL,
    others TEXT NOT NULL,               -- JSON array of the other entity ids involved
    reason TEXT NOT NULL
);
CREATE INDEX entity_log_entity ON entity_log (kind, entity_id);

-- The parameters resolution runs with (JSON), per kind.
CREATE TABLE resolution_models (
    kind TEXT PRIMARY KEY,
    params TEXT NOT NULL,
    trained_at TIMESTAMP NOT NULL
);
