CREATE TABLE person_mentions_rowid (
    event_id BIGINT NOT NULL REFERENCES events (id),
    position BIGINT NOT NULL,
    name TEXT,
    phone TEXT,
    id_number TEXT,
    PRIMARY KEY (event_id, position)
);
INSERT INTO person_mentions_rowid (event_id, position, name, phone, id_number)
    SELECT event_id, position, name, phone, id_number FROM person_mentions;
DROP TABLE person_mentions;
ALTER TABLE person_mentions_rowid RENAME TO person_mentions;

CREATE TABLE address_mentions_rowid (
    event_id BIGINT NOT NULL REFERENCES events (id),
    field TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (event_id, field)
);
INSERT INTO address_mentions_rowid (event_id, field, text)
    SELECT event_id, field, text FROM address_mentions;
DROP TABLE address_mentions;
ALTER TABLE address_mentions_rowid RENAME TO address_mentions;

CREATE TABLE resolve_queue_rowid (
    event_id BIGINT PRIMARY KEY
);
INSERT INTO resolve_queue_rowid (event_id) SELECT event_id FROM resolve_queue;
DROP TABLE resolve_queue;
ALTER TABLE resolve_queue_rowid RENAME TO resolve_queue;
