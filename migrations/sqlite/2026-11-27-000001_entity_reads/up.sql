-- A person's or place's history reads its mentions' events by entity. Once
-- the situation index (kind, event_id, slot, entity_id) covered those reads
-- and this one did not, SQLite's planner took the covering one and scanned
-- every mention of the kind (3 s instead of milliseconds per history). With
-- the event in this index too, both cover and the entity's equality wins.
DROP INDEX entity_mentions_entity;
CREATE INDEX entity_mentions_entity ON entity_mentions (kind, entity_id, event_id);
