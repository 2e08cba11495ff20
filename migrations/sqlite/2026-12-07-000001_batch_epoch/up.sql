-- How many sync batches have committed. The SQLite writer remembers what it stored and trusts
-- that memory only while this count is the one its own last batch wrote: a batch written by
-- any other connection (another process, another store on the same file) moves it on, and the
-- memory is dropped. PostgreSQL writers keep no such memory, so it has no such table.
CREATE TABLE batch_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    batches BIGINT NOT NULL
);
INSERT INTO batch_epoch (id, batches) VALUES (1, 0);
