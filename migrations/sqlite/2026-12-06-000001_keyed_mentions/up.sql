-- Mentions and the resolution queue are written and read by their keys only. As rowid tables
-- every row was stored twice, in the table and in the index SQLite keeps for a primary key
-- that is not the rowid, so each new mention cost two B-tree inserts on the sync writer and
-- each read one lookup in the index and one in the table. Keyed by the primary key itself
-- (rows here are a few dozen bytes), a row is stored once. PostgreSQL is unchanged: a heap
-- and its key's index is how it stores any table.

CREATE TABLE person_mentions_keyed (
    event_id BIGINT NOT NULL REFERENCES events (id),
    position BIGINT NOT NULL,
    name TEXT,
    phone TEXT,
    id_number TEXT,
    PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
INSERT INTO person_mentions_keyed (event_id, position, name, phone, id_number)
    SELECT event_id, position, name, phone, id_number FROM person_mentions;
DROP TABLE person_mentions;
ALTER TABLE person_mentions_keyed RENAME TO person_mentions;

CREATE TABLE address_mentions_keyed (
    event_id BIGINT NOT NULL REFERENCES events (id),
    field TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (event_id, field)
) WITHOUT ROWID;
INSERT INTO address_mentions_keyed (event_id, field, text)
    SELECT event_id, field, text FROM address_mentions;
DROP TABLE address_mentions;
ALTER TABLE address_mentions_keyed RENAME TO address_mentions;

-- INTEGER PRIMARY KEY, unlike BIGINT PRIMARY KEY, is the rowid itself.
CREATE TABLE resolve_queue_keyed (
    event_id INTEGER PRIMARY KEY
);
INSERT INTO resolve_queue_keyed (event_id) SELECT event_id FROM resolve_queue;
DROP TABLE resolve_queue;
ALTER TABLE resolve_queue_keyed RENAME TO resolve_queue;
