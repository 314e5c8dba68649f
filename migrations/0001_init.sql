-- coopreg schema, version 1.
-- Records are stored as the core's JSON (`record`), with the columns that queries need
-- (ownership, state, the next time-driven step `due_at`) copied beside it by the store.

CREATE TABLE resellers (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,           -- PBKDF2-SHA256, salted, see worker/src/auth.rs
  created_at    INTEGER NOT NULL
);

CREATE TABLE contacts (
  handle        TEXT PRIMARY KEY,
  reseller_id   TEXT NOT NULL,
  verification  TEXT NOT NULL,           -- unverified | pending | verified | rejected
  token_hash    TEXT UNIQUE,             -- SHA-256 of the outstanding verification token
  due_at        INTEGER,                 -- next time-driven step, for cron
  updated_at    INTEGER NOT NULL,
  record        TEXT NOT NULL
);
CREATE INDEX contacts_reseller ON contacts (reseller_id, handle);
CREATE INDEX contacts_due ON contacts (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE domains (
  name          TEXT PRIMARY KEY,        -- A-label form; the primary key makes taking a name atomic
  unicode       TEXT NOT NULL,
  reseller_id   TEXT NOT NULL,
  owner         TEXT NOT NULL,
  state         TEXT NOT NULL,
  due_at        INTEGER,
  expires_at    INTEGER NOT NULL,
  transfer_token_hash TEXT UNIQUE,
  record        TEXT NOT NULL
);
CREATE INDEX domains_owner ON domains (owner);
CREATE INDEX domains_reseller ON domains (reseller_id, name);
CREATE INDEX domains_due ON domains (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE orders (
  id               TEXT PRIMARY KEY,       -- unguessable (128-bit random), the status URL's key
  domain           TEXT NOT NULL,
  idempotency_key  TEXT UNIQUE,
  request_hash     TEXT NOT NULL,          -- SHA-256 of the body, to refuse a reused key
  created_at       INTEGER NOT NULL
);
CREATE INDEX orders_domain ON orders (domain);

CREATE TABLE events (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  object    TEXT NOT NULL,                 -- domain:<name> | contact:<handle>
  from_state TEXT NOT NULL,
  to_state  TEXT NOT NULL,
  reason    TEXT NOT NULL
);
CREATE INDEX events_object ON events (object, id);

-- E-mail is written in the same batch as the change that owes it, then sent by the worker
-- and retried by cron with backoff until it is sent.
CREATE TABLE outbox (
  id              TEXT PRIMARY KEY,        -- also the Message-ID's local part
  created_at      INTEGER NOT NULL,
  to_addr         TEXT NOT NULL,
  subject         TEXT NOT NULL,
  raw             TEXT,                    -- the MIME message; cleared after sending in production
  status          TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  sent_at         INTEGER
);
CREATE INDEX outbox_pending ON outbox (status, next_attempt_at);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('publish_processing', 'false');

-- One row, rewritten by GET /health to prove a write and a read work.
CREATE TABLE health_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL
);

-- Registry staff (staff console, staff API).
CREATE TABLE staff (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);

-- Sessions of resellers and staff; only the SHA-256 of the session id is stored.
CREATE TABLE sessions (
  id_hash     TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,               -- reseller | staff
  account_id  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);

-- Failed logins, for rate limiting (pruned as they age out).
CREATE TABLE login_failures (
  login TEXT NOT NULL,
  at    INTEGER NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login, at);

-- Signed decision callbacks already seen (replay protection), pruned after the window.
CREATE TABLE callback_nonces (
  signature TEXT PRIMARY KEY,
  at        INTEGER NOT NULL
);
