DROP TABLE sync_runs; DROP TABLE quarantine; DROP TABLE sync_checkpoints; DROP TABLE address_mentions; DROP TABLE person_mentions; DROP TABLE event_versions; DROP TABLE events;
