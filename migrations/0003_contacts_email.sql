-- coopreg schema, version 3: AddContact answers a reseller's existing contact with identical
-- data (reseller-api.md §5.2, NEW=0). Its candidates are the reseller's contacts with the same
-- e-mail address, read through this index. The expression must stay exactly the one the
-- query in worker/src/store.rs (`reseller_contacts_with_email`) uses, or SQLite ignores it.
CREATE INDEX contacts_reseller_email ON contacts (reseller_id, json_extract(record, '$.info.email'));
