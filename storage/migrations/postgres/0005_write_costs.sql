-- What creating, claiming and recording messages cost PostgreSQL (docs/performance.md has the
-- measurements). Kept semantically identical to sqlite/0005_write_costs.sql: the same rows go
-- with a deleted user, connection or message as before.

-- Claims and the due window take pending messages in (next_attempt_at, id) order. With the due
-- index on next_attempt_at alone, every message due at the same millisecond (a batch) was read
-- and sorted by id for each claim of 500, so claiming a batch cost time quadratic in its size.
DROP INDEX scheduled_messages_due_idx;
CREATE INDEX scheduled_messages_due_idx ON scheduled_messages (next_attempt_at, id)
  WHERE status = 'pending';

-- PostgreSQL checks a foreign key row by row, with a locking lookup of the referenced row: of a
-- 10,000-message batch's insert, the four checks took 60 % (250 of 420 ms), and the check of each
-- history row half the cost of writing it. Only the checks that protect something stay.
--
-- A message keeps its contact's key. The contact belongs to the message's connection, which
-- belongs to its user (the service checks both in the transaction that writes the message), so
-- this one key still takes every message with its contact, connection or user, and its check
-- locks the contact, so a connection deleted while a message is written cannot leave that
-- message behind. The keys to the user and the connection repeated that chain. The key to the
-- batch set batch_id to NULL when a batch was deleted, and a batch is only ever deleted with its
-- connection or user, together with every message it holds.
ALTER TABLE scheduled_messages
  DROP CONSTRAINT scheduled_messages_user_id_fkey,
  DROP CONSTRAINT scheduled_messages_provider_id_fkey,
  DROP CONSTRAINT scheduled_messages_batch_id_fkey;

-- History rows are only ever written beside a change of their message, by the statement or
-- transaction that holds the message's row lock (a create, edit, cancel, claim or outcome). A
-- trigger deletes a message's history with it, as ON DELETE CASCADE did.
ALTER TABLE message_events DROP CONSTRAINT message_events_message_id_fkey;

CREATE FUNCTION delete_message_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM message_events WHERE message_id IN (SELECT id FROM old_rows);
  RETURN NULL;
END
$$;

CREATE TRIGGER scheduled_messages_delete_history AFTER DELETE ON scheduled_messages
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION delete_message_history();
