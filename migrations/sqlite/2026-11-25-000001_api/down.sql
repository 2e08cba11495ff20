DROP TABLE event_areas;
DROP INDEX events_source_time;
DROP TABLE entity_keys;
ALTER TABLE entity_mentions DROP COLUMN why;
