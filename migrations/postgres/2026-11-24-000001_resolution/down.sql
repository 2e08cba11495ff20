DROP TABLE resolution_models;
DROP TABLE entity_log;
DROP TABLE entity_mentions;
DROP TABLE entities;
DROP TABLE resolve_queue;
