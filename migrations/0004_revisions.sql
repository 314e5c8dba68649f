-- coopreg schema, version 4: optimistic concurrency for contacts and domains. A record is read,
-- the core decides, the result is written in a later batch; two requests that read the same
-- record could otherwise both write it, the second silently undoing the first (a confirmation
-- and a timeout hold at the same moment, say). Every write of a stored record is written as
-- the next revision of the one that was read (worker/src/store.rs): these triggers refuse any
-- other update, which aborts the whole batch, so nothing of it is stored.
ALTER TABLE contacts ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE domains ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER contacts_write_conflict BEFORE UPDATE ON contacts
WHEN NEW.rev IS NOT OLD.rev + 1
BEGIN
  SELECT RAISE(ABORT, 'write_conflict: the contact changed since it was read');
END;

CREATE TRIGGER domains_write_conflict BEFORE UPDATE ON domains
WHEN NEW.rev IS NOT OLD.rev + 1
BEGIN
  SELECT RAISE(ABORT, 'write_conflict: the domain changed since it was read');
END;
