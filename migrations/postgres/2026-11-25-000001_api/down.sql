DROP TABLE event_areas;
DROP INDEX entity_mentions_event;
DROP INDEX events_deadline;
DROP INDEX events_unit;
DROP INDEX events_source_time;
DROP TABLE entity_keys;
ALTER TABLE entity_mentions DROP COLUMN why;
