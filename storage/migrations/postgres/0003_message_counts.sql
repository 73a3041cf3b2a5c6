-- What a million-row message list needs beyond 0001. Kept semantically identical to
-- sqlite/0003_message_counts.sql; only the way the counts are kept differs.

-- A list's total, when it filters by nothing but connection and status, is the sum of these rows
-- instead of a COUNT(*) over every matching message (110 ms at a million rows).
CREATE TABLE message_counts (
  user_id     BIGINT  NOT NULL,
  provider_id BIGINT  NOT NULL,
  status      TEXT    NOT NULL,
  n           BIGINT  NOT NULL,
  PRIMARY KEY (user_id, provider_id, status)
);

-- Changes not yet folded into message_counts. Writers only ever append here, so no two
-- transactions wait on (or deadlock over) a shared counter row; the housekeeper folds the rows
-- into message_counts every second, and readers add both tables up.
CREATE TABLE message_count_deltas (
  id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     BIGINT  NOT NULL,
  provider_id BIGINT  NOT NULL,
  status      TEXT    NOT NULL,
  delta       BIGINT  NOT NULL
);
CREATE INDEX message_count_deltas_user_id_idx ON message_count_deltas (user_id);

-- No writer may slip a message between the backfill and the triggers.
LOCK TABLE scheduled_messages IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO message_counts (user_id, provider_id, status, n)
SELECT user_id, provider_id, status, COUNT(*) FROM scheduled_messages
GROUP BY user_id, provider_id, status;

-- One delta row per (user, connection, status) a statement changed: a claim of 500 messages adds
-- two rows, not a thousand.
CREATE FUNCTION count_message_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO message_count_deltas (user_id, provider_id, status, delta)
    SELECT user_id, provider_id, status, COUNT(*) FROM new_rows
    GROUP BY user_id, provider_id, status;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO message_count_deltas (user_id, provider_id, status, delta)
    SELECT user_id, provider_id, status, -COUNT(*) FROM old_rows
    GROUP BY user_id, provider_id, status;
  ELSE
    INSERT INTO message_count_deltas (user_id, provider_id, status, delta)
    SELECT user_id, provider_id, status, SUM(delta) FROM (
      SELECT user_id, provider_id, status, -1 AS delta FROM old_rows
      UNION ALL
      SELECT user_id, provider_id, status, 1 AS delta FROM new_rows) AS changes
    GROUP BY user_id, provider_id, status
    HAVING SUM(delta) <> 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER scheduled_messages_count_inserts AFTER INSERT ON scheduled_messages
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION count_message_changes();
CREATE TRIGGER scheduled_messages_count_updates AFTER UPDATE ON scheduled_messages
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION count_message_changes();
CREATE TRIGGER scheduled_messages_count_deletes AFTER DELETE ON scheduled_messages
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION count_message_changes();

-- A page is found in an index alone (its ids, in order), and only then are its rows read: with
-- id in each sort's index, page 2,000 of a million rows takes 6 ms instead of 50. (SQLite keys
-- every index by rowid, which is id, already.) Sorting by updated_at had no index at all.
DROP INDEX scheduled_messages_user_send_at_idx;
DROP INDEX scheduled_messages_user_status_send_at_idx;
DROP INDEX scheduled_messages_user_created_at_idx;
CREATE INDEX scheduled_messages_user_send_at_id_idx ON scheduled_messages (user_id, send_at, id);
CREATE INDEX scheduled_messages_user_status_send_at_id_idx
  ON scheduled_messages (user_id, status, send_at, id);
CREATE INDEX scheduled_messages_user_created_at_id_idx ON scheduled_messages (user_id, created_at, id);
CREATE INDEX scheduled_messages_user_updated_at_id_idx ON scheduled_messages (user_id, updated_at, id);
