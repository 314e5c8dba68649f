-- coopreg schema: the public web path cannot be abused (issue 11).
--
-- 1. A web order under an already verified registrant waits for an approval by the
--    registrant's mailbox: the token's hash is a query column of the domain, for the link.
-- 2. Durable quotas per e-mail address: the contact's address as the core counts it
--    (`limits::quota_address`: trimmed, ASCII lower case), whether a domain is an unconfirmed
--    web order (`DomainRecord::is_unconfirmed_web_order`), and which outbox messages carry a
--    verification or approval link (`quota_key`, the recipient in the same form).
-- 3. Allocation tokens for reserved names: issued by staff, stored hashed, used once.
--
-- The store writes every new column from the core's record (worker/src/store.rs); the
-- backfills below compute the same for rows written before. An update of a contact or domain
-- row must be written as its next revision (migrations/0004_revisions.sql), so they bump it.

ALTER TABLE domains ADD COLUMN approval_token_hash TEXT;
CREATE UNIQUE INDEX domains_approval_token ON domains (approval_token_hash)
  WHERE approval_token_hash IS NOT NULL;

ALTER TABLE domains ADD COLUMN unconfirmed_web INTEGER NOT NULL DEFAULT 0;
UPDATE domains
   SET unconfirmed_web = 1, rev = rev + 1, record = json_set(record, '$.revision', rev + 1)
 WHERE reseller_id = 'web'
   AND (json_extract(record, '$.state.state') = 'processing'
        OR (json_extract(record, '$.state.state') = 'held'
            AND json_extract(record, '$.state.reason') IN ('timeout', 'declined')));
CREATE INDEX domains_owner_unconfirmed ON domains (owner) WHERE unconfirmed_web = 1;

ALTER TABLE contacts ADD COLUMN email_key TEXT;
UPDATE contacts
   SET email_key = lower(trim(json_extract(record, '$.info.email'))), rev = rev + 1,
       record = json_set(record, '$.revision', rev + 1);
CREATE INDEX contacts_email_key ON contacts (email_key);

ALTER TABLE outbox ADD COLUMN quota_key TEXT;
CREATE INDEX outbox_quota ON outbox (quota_key, created_at) WHERE quota_key IS NOT NULL;

CREATE TABLE allocation_tokens (
  token_hash  TEXT PRIMARY KEY,          -- SHA-256 of the token; the token is shown once
  name        TEXT NOT NULL,             -- the reserved A-label name it lets be registered
  issued_by   TEXT NOT NULL,             -- staff login
  issued_at   INTEGER NOT NULL,
  used_at     INTEGER,
  used_for    TEXT                       -- the order or reseller that used it
);
CREATE INDEX allocation_tokens_name ON allocation_tokens (name, issued_at);

-- Single use, whatever the race: marking a used token used again aborts the whole batch
-- (the registration with it).
CREATE TRIGGER allocation_token_single_use BEFORE UPDATE OF used_at ON allocation_tokens
WHEN OLD.used_at IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'allocation_token_used: this allocation token was already used');
END;
