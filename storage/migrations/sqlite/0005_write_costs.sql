-- What creating, claiming and recording messages cost. Kept semantically identical to
-- postgres/0005_write_costs.sql: the same rows go with a deleted user, connection or message as
-- before. PostgreSQL drops there the foreign keys whose row-by-row checks cost most of a batch's
-- insert; SQLite checks a key with a probe of the parent's rowid, so its keys stay.

-- Claims and the due window take pending messages in (next_attempt_at, id) order. With the due
-- index on next_attempt_at alone, every message due at the same millisecond (a batch) was read
-- and sorted by id for each claim of 500, so claiming a batch cost time quadratic in its size.
DROP INDEX scheduled_messages_due_idx;
CREATE INDEX scheduled_messages_due_idx ON scheduled_messages (next_attempt_at, id)
  WHERE status = 'pending';
