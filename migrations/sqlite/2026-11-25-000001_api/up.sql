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

-- The places each event happened in, one column per level, from its incident
-- address (the caller's home address only when the record gives no other).
CREATE TABLE event_areas (
    event_id BIGINT PRIMARY KEY REFERENCES events (id),
    district_id BIGINT,
    street_id BIGINT,
    community_id BIGINT,
    site_id BIGINT,
    building_id BIGINT
);
CREATE INDEX event_areas_district ON event_areas (district_id);
CREATE INDEX event_areas_street ON event_areas (street_id);
CREATE INDEX event_areas_community ON event_areas (community_id);
CREATE INDEX event_areas_site ON event_areas (site_id);
CREATE INDEX event_areas_building ON event_areas (building_id);

-- With the category, counting a source's events in a time range reads only the index.
CREATE INDEX events_source_time ON events (source, occurred_at, category);
