-- coopreg schema: each change reaches the hidden primary (PowerDNS) within seconds (issue 12).
--
-- 1. dns_outbox: the domains whose delegation must be pushed. A row is written (or its
--    generation raised) in the same D1 batch as every change of a domain record, so a push is
--    never lost; the request that made the change pushes after its response, cron retries
--    with backoff. The push always sends the domain's *current* delegation, so rows need no
--    order and one row per name is enough. A row is deleted only when the push of its
--    generation succeeded (a change meanwhile raised the generation and keeps it).
-- 2. dns_reconciliations: the daily comparison of the server's zone with the registry's view
--    (the zone writer's rrsets) and what was repaired, for the staff console.
-- DS records live in the domain record (`ds_records` of the core's JSON): no column needed.

CREATE TABLE dns_outbox (
  name            TEXT PRIMARY KEY,           -- A-label domain name
  generation      INTEGER NOT NULL DEFAULT 1, -- random when written, raised by every new change
  queued_at       INTEGER NOT NULL,           -- the latest change
  attempts        INTEGER NOT NULL DEFAULT 0, -- failed pushes of this generation
  next_attempt_at INTEGER NOT NULL,           -- when cron may push it
  last_error      TEXT
);
CREATE INDEX dns_outbox_due ON dns_outbox (next_attempt_at);

CREATE TABLE dns_reconciliations (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  day         TEXT NOT NULL,                  -- YYYY-MM-DD (UTC) of `at`
  expected    INTEGER NOT NULL,               -- rrsets in the registry's view
  server      INTEGER NOT NULL,               -- managed rrsets found on the server
  matching    INTEGER NOT NULL,
  missing     INTEGER NOT NULL,
  differing   INTEGER NOT NULL,
  extra       INTEGER NOT NULL,
  repaired    INTEGER NOT NULL,               -- changes sent (0 when the repair failed)
  error       TEXT,                           -- why the run or the repair failed
  millis      INTEGER NOT NULL DEFAULT 0      -- how long the run took
);
CREATE INDEX dns_reconciliations_day ON dns_reconciliations (day);
