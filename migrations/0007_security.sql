-- coopreg schema: security hardening (issue 19).
--
-- 1. Each registration has its own repository object id (ROID, `lifecycle::new_roid`): a
--    query column of the domain row beside the record's `roid`. A web order is bound to the
--    registration it made (`orders.roid`) and to the first history line of it
--    (`orders.first_event`): after a delete and a re-registration of the same name by someone
--    else, the old order reads as ended, never as the new registration.
-- 2. Failed logins are throttled per client network and account together (`login_throttle`,
--    worker/src/throttle_store.rs) instead of locking the account for everyone.
-- 3. History lines keep what only staff may read (a staff member's note, the web client's
--    address) in `events.note`, apart from the public `reason`.
-- 4. Sessions are found per account (a password reset ends them) and pruned when expired.
--
-- An update of a domain row must be written as its next revision (0004_revisions.sql).

-- 1. ROIDs: every stored registration gets its own, in the column and in the record.
ALTER TABLE domains ADD COLUMN roid TEXT;
UPDATE domains
   SET roid = 'D' || upper(hex(randomblob(10))) || '-COOP', rev = rev + 1,
       record = json_set(record, '$.revision', rev + 1)
 WHERE roid IS NULL;
UPDATE domains
   SET record = json_set(record, '$.roid', roid, '$.revision', rev + 1), rev = rev + 1
 WHERE json_extract(record, '$.roid') IS NULL;
CREATE UNIQUE INDEX domains_roid ON domains (roid);

ALTER TABLE orders ADD COLUMN roid TEXT;
ALTER TABLE orders ADD COLUMN first_event INTEGER;
-- An order made before binds to the registration stored now only if that registration is
-- not older than the order (a later one is someone else's: the order reads as ended).
UPDATE orders
   SET roid = (SELECT d.roid FROM domains d
                WHERE d.name = orders.domain
                  AND json_extract(d.record, '$.created') >= orders.created_at),
       first_event = (SELECT MIN(e.id) FROM events e
                       WHERE e.object = 'domain:' || orders.domain AND e.at >= orders.created_at);
CREATE INDEX orders_roid ON orders (roid);

-- 2. Failed logins per (kind:account|client network).
DROP TABLE login_failures;
CREATE TABLE login_throttle (
  key TEXT NOT NULL,                     -- <kind>:<account>|<IPv4 address or IPv6 /64>
  at  INTEGER NOT NULL
);
CREATE INDEX login_throttle_key ON login_throttle (key, at);
CREATE INDEX login_throttle_at ON login_throttle (at);

-- 3. Staff-only text of history lines; staff notes written before move out of the reason.
ALTER TABLE events ADD COLUMN note TEXT;
UPDATE events SET note = substr(reason, length('held by registry staff: ') + 1),
                  reason = 'held by registry staff'
 WHERE reason LIKE 'held by registry staff: %';
UPDATE events SET note = substr(reason, length('released by registry staff: ') + 1),
                  reason = 'released by registry staff'
 WHERE reason LIKE 'released by registry staff: %';
UPDATE events SET note = substr(reason, length('deleted by registry staff: ') + 1),
                  reason = 'deleted by registry staff'
 WHERE reason LIKE 'deleted by registry staff: %';
-- The web client's address of a registration (`…, web from 203.0.113.9[; with …]`).
UPDATE events
   SET note = 'certified from ' || substr(reason, instr(reason, ', web from ') + 11),
       reason = substr(reason, 1, instr(reason, ', web from ') + 4)
 WHERE from_state = 'FREE' AND instr(reason, ', web from ') > 0;

-- 4. Sessions by account, and by expiry for pruning.
CREATE INDEX sessions_account ON sessions (kind, account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
