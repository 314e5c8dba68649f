-- coopreg schema, version 9: RDAP's nameserver lookup and U-label search (issue 13). Name servers are attributes
-- of the domains that delegate to them (inside each domain's record JSON); this table indexes
-- them by host so that `/rdap/nameserver/<host>` reads only the domains that list the host.
-- Triggers keep it equal to the records on every insert, update and delete of a domain, so no
-- write path has to remember it.
CREATE TABLE domain_hosts (
  host    TEXT NOT NULL,                 -- A-label form, lower case, as in the record
  domain  TEXT NOT NULL,                 -- domains.name
  PRIMARY KEY (host, domain)
) WITHOUT ROWID;
CREATE INDEX domain_hosts_domain ON domain_hosts (domain);

CREATE TRIGGER domain_hosts_insert AFTER INSERT ON domains
BEGIN
  INSERT OR IGNORE INTO domain_hosts (host, domain)
    SELECT json_extract(ns.value, '$.host'), NEW.name
    FROM json_each(NEW.record, '$.nameservers') AS ns
    WHERE json_extract(ns.value, '$.host') IS NOT NULL;
END;

CREATE TRIGGER domain_hosts_update AFTER UPDATE OF record ON domains
BEGIN
  DELETE FROM domain_hosts WHERE domain = OLD.name;
  INSERT OR IGNORE INTO domain_hosts (host, domain)
    SELECT json_extract(ns.value, '$.host'), NEW.name
    FROM json_each(NEW.record, '$.nameservers') AS ns
    WHERE json_extract(ns.value, '$.host') IS NOT NULL;
END;

CREATE TRIGGER domain_hosts_delete AFTER DELETE ON domains
BEGIN
  DELETE FROM domain_hosts WHERE domain = OLD.name;
END;

-- RDAP's domain search by U-label prefix (domains?name=müll*) reads a range of this index.
CREATE INDEX domains_unicode ON domains (unicode);

-- The domains stored before this migration.
INSERT OR IGNORE INTO domain_hosts (host, domain)
  SELECT json_extract(ns.value, '$.host'), d.name
  FROM domains AS d, json_each(d.record, '$.nameservers') AS ns
  WHERE json_extract(ns.value, '$.host') IS NOT NULL;
