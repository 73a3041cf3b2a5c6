-- What a million-row message list needs beyond 0001. Kept semantically identical to
-- postgres/0003_message_counts.sql; only the way the counts are kept differs.

-- A list's total, when it filters by nothing but connection and status, is the sum of these rows
-- instead of a COUNT(*) over every matching message.
CREATE TABLE message_counts (
  user_id     BIGINT  NOT NULL,
  provider_id BIGINT  NOT NULL,
  status      TEXT    NOT NULL,
  n           BIGINT  NOT NULL,
  PRIMARY KEY (user_id, provider_id, status)
);

-- PostgreSQL's writers append here and the housekeeper folds the rows into message_counts; SQLite
-- has one writer at a time, so its triggers update message_counts directly and this table stays
-- empty. Readers add both tables up on either backend.
CREATE TABLE message_count_deltas (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id     BIGINT  NOT NULL,
  provider_id BIGINT  NOT NULL,
  status      TEXT    NOT NULL,
  delta       BIGINT  NOT NULL
);
CREATE INDEX message_count_deltas_user_id_idx ON message_count_deltas (user_id);

INSERT INTO message_counts (user_id, provider_id, status, n)
SELECT user_id, provider_id, status, COUNT(*) FROM scheduled_messages
GROUP BY user_id, provider_id, status;

CREATE TRIGGER scheduled_messages_count_inserts AFTER INSERT ON scheduled_messages
BEGIN
  INSERT INTO message_counts (user_id, provider_id, status, n)
  VALUES (NEW.user_id, NEW.provider_id, NEW.status, 1)
  ON CONFLICT (user_id, provider_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER scheduled_messages_count_updates
AFTER UPDATE OF user_id, provider_id, status ON scheduled_messages
WHEN OLD.user_id IS NOT NEW.user_id OR OLD.provider_id IS NOT NEW.provider_id
  OR OLD.status IS NOT NEW.status
BEGIN
  UPDATE message_counts SET n = n - 1
  WHERE user_id = OLD.user_id AND provider_id = OLD.provider_id AND status = OLD.status;
  INSERT INTO message_counts (user_id, provider_id, status, n)
  VALUES (NEW.user_id, NEW.provider_id, NEW.status, 1)
  ON CONFLICT (user_id, provider_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER scheduled_messages_count_deletes AFTER DELETE ON scheduled_messages
BEGIN
  UPDATE message_counts SET n = n - 1
  WHERE user_id = OLD.user_id AND provider_id = OLD.provider_id AND status = OLD.status;
END;

-- Sorting by updated_at had no index at all and sorted every row of the user. (PostgreSQL also
-- adds id to each sort's index here; SQLite keys every index by rowid, which is id, already.)
CREATE INDEX scheduled_messages_user_updated_at_idx ON scheduled_messages (user_id, updated_at);
