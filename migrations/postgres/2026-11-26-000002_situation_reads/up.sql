-- Situation analysis reads the entity of every mention of a window of
-- events: with the entity in the index that read never touches the table
-- (whose `why` column is wide).
CREATE INDEX entity_mentions_event_entity ON entity_mentions (kind, event_id, slot, entity_id);
