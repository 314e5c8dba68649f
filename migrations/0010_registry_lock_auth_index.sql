-- coopreg schema, version 10 (issue 15): the lookup index of each domain's auth code, so that a
-- reseller's new AUTH equal to another domain's current code is refused. The value is
-- HMAC-SHA256 under AUTH_CODE_KEY (`lifecycle::auth_code_index`), written by the store with
-- every domain write; the code itself stays sealed in the record. Rows written before this
-- migration get it from cron (`backfill_auth_index`) or their next write. (The registry
-- lock's server statuses live in the record JSON and need no column.)
ALTER TABLE domains ADD COLUMN auth_index TEXT;
CREATE INDEX domains_auth_index ON domains (auth_index);
