-- coopreg schema, version 2: the registry's outputs (zone file, escrow deposits) and the
-- staff review queue fed by the change report between deposits.

-- One row per zone export whose content changed (same content keeps the previous serial).
-- The body (everything after the SOA and apex records) is in R2 under `body_key`; the file
-- served is the header for `serial` followed by that body.
CREATE TABLE zone_exports (
  serial        INTEGER PRIMARY KEY,
  content_hash  TEXT NOT NULL,             -- SHA-256 of everything but the serial
  header        TEXT NOT NULL,             -- $ORIGIN, $TTL, SOA with this serial, apex NS
  body_key      TEXT NOT NULL,
  body_bytes    INTEGER NOT NULL,
  published     INTEGER NOT NULL,          -- delegated domains
  skipped       INTEGER NOT NULL,          -- domains left out (held, pending, deleted)
  created_at    INTEGER NOT NULL,
  checked_at    INTEGER NOT NULL           -- last export that found this same content
);

-- Daily escrow deposits, stored in R2 under `object_key`.
CREATE TABLE escrow_deposits (
  id            TEXT PRIMARY KEY,          -- coop_YYYY-MM-DD_full_S1_R<n>
  day           TEXT NOT NULL,             -- YYYY-MM-DD of the watermark (UTC)
  watermark     INTEGER NOT NULL,
  object_key    TEXT NOT NULL,
  bytes         INTEGER NOT NULL,
  resellers     INTEGER NOT NULL,
  contacts      INTEGER NOT NULL,
  domains       INTEGER NOT NULL,
  nameservers   INTEGER NOT NULL,
  previous_id   TEXT,                      -- the deposit the change report compares with
  report        TEXT                       -- JSON ChangeReport against previous_id
);
CREATE INDEX escrow_deposits_watermark ON escrow_deposits (watermark);

-- Registrants for staff to review: from each change report (new registrants, material
-- changes). Resolved by a staff decision on the contact.
CREATE TABLE review_queue (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  handle        TEXT NOT NULL,
  kind          TEXT NOT NULL,             -- new_registrant | material_change
  detail        TEXT NOT NULL,             -- domains / changed fields, as JSON
  deposit_id    TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  resolved_at   INTEGER,
  resolved_by   TEXT,
  decision      TEXT
);
CREATE INDEX review_queue_open ON review_queue (resolved_at, created_at);
CREATE INDEX review_queue_handle ON review_queue (handle);
