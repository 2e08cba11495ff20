-- What the API reads beyond the resolution tables: why each mention belongs to
-- its entity, the keys entities are found by, and indexes for event filters.
-- Identical for SQLite and PostgreSQL.

-- JSON: persons, the strongest link to another mention of the entity with each
-- field's weight; addresses, the place key the text names and any alias steps.
ALTER TABLE entity_mentions ADD COLUMN why TEXT;

-- Normalised search keys of each entity (name, pinyin, phone, ID, place key).
CREATE TABLE entity_keys (
    kind TEXT NOT NULL,                 -- person | address
    search_key TEXT NOT NULL,           -- prefix:value, e.g. t:13812345678
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (kind, search_key, entity_id)
);
CREATE INDEX entity_keys_entity ON entity_keys (kind, entity_id);

CREATE INDEX events_source_time ON events (source, occurred_at);
CREATE INDEX events_unit ON events (unit);
CREATE INDEX events_deadline ON events (deadline);
CREATE INDEX entity_mentions_event ON entity_mentions (event_id);
