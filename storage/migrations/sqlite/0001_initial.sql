-- The whole schema of the HTTP API. Kept semantically identical to postgres/0001_initial.sql:
-- timestamps are BIGINT milliseconds since the Unix epoch (UTC), booleans INTEGER 0/1, JSON
-- documents TEXT, and CHECK constraints hold the enumerated values.
-- AUTOINCREMENT so that ids are never reused, like PostgreSQL identity columns.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  name          TEXT   NOT NULL,
  email         TEXT   NOT NULL,  -- stored lower-cased by the application
  password_hash TEXT,              -- NULL for users who only sign in through OAuth
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         TEXT   NOT NULL,
  token_hash   TEXT   NOT NULL UNIQUE,  -- hex SHA-256 of the secret; the secret is never stored
  kind         TEXT   NOT NULL CHECK (kind IN ('session', 'personal')),
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT,
  expires_at   BIGINT,
  revoked_at   BIGINT
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE oauth_identities (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider   TEXT   NOT NULL CHECK (provider IN ('google', 'github')),
  subject    TEXT   NOT NULL,
  email      TEXT   NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (provider, subject)
);
CREATE INDEX oauth_identities_user_id_idx ON oauth_identities (user_id);

CREATE TABLE oauth_states (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  state_hash    TEXT   NOT NULL UNIQUE,
  purpose       TEXT   NOT NULL CHECK (purpose IN ('login', 'provider')),
  provider      TEXT   NOT NULL,
  user_id       BIGINT REFERENCES users (id) ON DELETE CASCADE,
  code_verifier TEXT   NOT NULL,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL,
  used_at       BIGINT
);
CREATE INDEX oauth_states_expires_at_idx ON oauth_states (expires_at);

CREATE TABLE providers (
  id                     INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id                BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type                   TEXT    NOT NULL,
  name                   TEXT    NOT NULL,
  status                 TEXT    NOT NULL CHECK (status IN ('active', 'inactive', 'error')),
  enabled                INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  credentials_ciphertext TEXT    NOT NULL,
  credentials_hint       TEXT    NOT NULL,  -- JSON: {field: masked last four characters}
  settings               TEXT    NOT NULL DEFAULT '{}',  -- JSON
  last_error             TEXT,
  last_checked_at        BIGINT,
  contacts_count         BIGINT  NOT NULL DEFAULT 0,
  contacts_synced_at     BIGINT,
  sync_status            TEXT    CHECK (sync_status IN ('running', 'succeeded', 'failed')),
  sync_started_at        BIGINT,
  sync_finished_at       BIGINT,
  sync_imported          BIGINT  NOT NULL DEFAULT 0,
  sync_error             TEXT,
  created_at             BIGINT  NOT NULL,
  updated_at             BIGINT  NOT NULL
);
CREATE INDEX providers_user_id_id_idx ON providers (user_id, id);

CREATE TABLE contacts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
  external_id TEXT   NOT NULL,
  name        TEXT   NOT NULL,
  email       TEXT,
  phone       TEXT,
  synced_at   BIGINT NOT NULL,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  UNIQUE (provider_id, external_id)
);
CREATE INDEX contacts_provider_id_name_idx ON contacts (provider_id, name);

CREATE TABLE batches (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider_id BIGINT  NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
  total       INTEGER NOT NULL CHECK (total >= 0),
  content     TEXT    NOT NULL,
  send_at     BIGINT  NOT NULL,
  created_at  BIGINT  NOT NULL
);
CREATE INDEX batches_user_id_idx ON batches (user_id);

CREATE TABLE scheduled_messages (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id             BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider_id         BIGINT  NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
  contact_id          BIGINT  NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  batch_id            BIGINT  REFERENCES batches (id) ON DELETE SET NULL,
  content             TEXT    NOT NULL,
  send_at             BIGINT  NOT NULL,
  status              TEXT    NOT NULL DEFAULT 'pending'
                              CHECK (status IN ('pending', 'processing', 'sent', 'failed', 'cancelled')),
  attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at     BIGINT  NOT NULL,  -- send_at at creation, later the retry time
  lease_owner         TEXT,
  lease_expires_at    BIGINT,
  last_error          TEXT,
  provider_message_id TEXT,
  sent_at             BIGINT,
  created_at          BIGINT  NOT NULL,
  updated_at          BIGINT  NOT NULL
);
-- The dispatcher's due query and lease recovery; both must repeat the literal status in their
-- WHERE clause (not a parameter) for the planner to use these partial indexes.
CREATE INDEX scheduled_messages_due_idx ON scheduled_messages (next_attempt_at) WHERE status = 'pending';
CREATE INDEX scheduled_messages_lease_idx ON scheduled_messages (lease_expires_at) WHERE status = 'processing';
CREATE INDEX scheduled_messages_user_send_at_idx ON scheduled_messages (user_id, send_at);
CREATE INDEX scheduled_messages_user_status_send_at_idx ON scheduled_messages (user_id, status, send_at);
CREATE INDEX scheduled_messages_user_created_at_idx ON scheduled_messages (user_id, created_at);
CREATE INDEX scheduled_messages_batch_id_idx ON scheduled_messages (batch_id);
CREATE INDEX scheduled_messages_provider_status_idx ON scheduled_messages (provider_id, status);
CREATE INDEX scheduled_messages_contact_id_idx ON scheduled_messages (contact_id);

CREATE TABLE message_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id  BIGINT  NOT NULL REFERENCES scheduled_messages (id) ON DELETE CASCADE,
  at          BIGINT  NOT NULL,
  event       TEXT    NOT NULL CHECK (event IN ('created', 'updated', 'dispatched', 'sent',
                                                'attempt_failed', 'retry_scheduled', 'failed',
                                                'cancelled')),
  attempt     INTEGER NOT NULL DEFAULT 0,
  detail      TEXT,
  http_status INTEGER,
  latency_ms  BIGINT
);
CREATE INDEX message_events_message_id_id_idx ON message_events (message_id, id);

CREATE TABLE idempotency_keys (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id         BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  idempotency_key TEXT    NOT NULL,
  request_hash    TEXT    NOT NULL,
  response_status INTEGER NOT NULL,
  response_body   TEXT    NOT NULL,
  created_at      BIGINT  NOT NULL,
  expires_at      BIGINT  NOT NULL,
  UNIQUE (user_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
