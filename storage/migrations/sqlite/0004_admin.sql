-- What the admin API needs: a connection's dispatch can be paused (its messages wait, unclaimed),
-- admins' actions are audited, and failed messages are listed across users, latest first.
-- Kept semantically identical to postgres/0004_admin.sql.

ALTER TABLE providers ADD COLUMN dispatch_paused_at BIGINT;  -- NULL while dispatch runs

CREATE TABLE admin_audit (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          BIGINT NOT NULL,
  admin_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
  admin_email TEXT   NOT NULL,  -- kept when the admin's account is deleted
  action      TEXT   NOT NULL,  -- retry, retry_all, pause, resume, cancel_batch
  target      TEXT   NOT NULL,  -- what it acted on: message:12, provider:3, batch:5
  affected    BIGINT NOT NULL,  -- messages (or connections) it changed
  detail      TEXT   NOT NULL
);

CREATE INDEX scheduled_messages_failed_idx ON scheduled_messages (updated_at, id)
  WHERE status = 'failed';
