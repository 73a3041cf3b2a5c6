-- What the provider and contact stores need beyond 0001. Kept semantically identical to
-- sqlite/0002_providers.sql.

-- The running contact import's last sign of life (ms): an import whose heartbeat is older than
-- the caller's staleness limit died with its node, and a new one may begin.
ALTER TABLE providers ADD COLUMN sync_heartbeat_at BIGINT;

-- Name, email and phone folded by domain::fold_for_search (lower case, Latin accents removed),
-- then the phone's digits; contact searches match it with LIKE, the same on both backends.
-- No code wrote contacts before this migration, so no existing row needs filling in.
ALTER TABLE contacts ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

-- Contact lists are ordered by name, then id: with id in the index, a page is read in order
-- without a sort (SQLite keys every index by rowid anyway; PostgreSQL needs it spelled out).
DROP INDEX contacts_provider_id_name_idx;
CREATE INDEX contacts_provider_id_name_id_idx ON contacts (provider_id, name, id);
