DROP INDEX entity_mentions_entity;
CREATE INDEX entity_mentions_entity ON entity_mentions (kind, entity_id);
