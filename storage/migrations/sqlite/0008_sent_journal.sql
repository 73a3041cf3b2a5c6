-- Sends the platform accepted, journaled at once and folded into their messages later
-- (storage/sent_journal.hpp). A message's outcome writes its row through every index of
-- scheduled_messages, its history row and the counts; a journal row is one narrow insert, so a
-- burst's sends are stored durably at a fraction of that cost and folded once the connection has
-- nothing left to send. Until then the message reads `processing`, as while it is being sent.
-- A row's claim fences its fold (same message, attempt and lease owner, still processing).
CREATE TABLE sent_outcomes (
  message_id BIGINT NOT NULL,
  attempt INTEGER NOT NULL,
  lease_owner TEXT NOT NULL,
  provider_id BIGINT NOT NULL,
  sent_at BIGINT NOT NULL,
  provider_message_id TEXT,
  http_status INTEGER,
  latency_ms BIGINT,
  PRIMARY KEY (message_id, attempt)
);
