//! SQL of the RDAP lookups (`routes/rdap.rs`): each answer is one read. Records are parsed
//! without opening their sealed secrets (`seal.rs`): no RDAP answer shows an auth code, so the
//! public path never decrypts one.
//! - a domain with its contacts and its registrar's name;
//! - the domains that list a name server host (`domain_hosts`, kept by the triggers of
//!   migrations/0009);
//! - an entity handle as a registrar (reseller) or a contact;
//! - a page of a domain search by a range of A-label or U-label names (both indexed), after a
//!   cursor.

use coopreg_shared::lifecycle::{ContactRecord, DomainRecord};
use coopreg_shared::rdap::{Column, SearchQuery};
use serde::Deserialize;
use worker::{D1Database, Result};

/// A stored record as RDAP reads it: its sealed secrets (auth codes, `seal.rs`) stay sealed,
/// since no answer shows them, so the public path never decrypts one.
fn parse<T: serde::de::DeserializeOwned>(record: &str) -> Result<T> {
    serde_json::from_str(record).map_err(broken)
}

/// [`parse`] of a record inside another query's JSON.
fn parse_value<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_json::from_value(value).map_err(broken)
}

fn broken(error: serde_json::Error) -> worker::Error {
    worker::Error::RustError(format!("stored record does not parse: {error}"))
}

#[derive(Deserialize)]
struct RecordRow {
    record: String,
}

/// A domain, the stored records of its contacts, and its registrar's name (if stored).
pub struct DomainRow {
    pub domain: DomainRecord,
    pub contacts: Vec<ContactRecord>,
    pub registrar_name: Option<String>,
}

#[derive(Deserialize)]
struct DomainJoin {
    record: String,
    registrar_name: Option<String>,
    contacts: Option<String>,
}

/// The domain `ascii` with its contacts and registrar, in one query.
pub async fn domain(db: &D1Database, ascii: &str) -> Result<Option<DomainRow>> {
    let row: Option<DomainJoin> = db
        .prepare(
            "SELECT d.record AS record, r.name AS registrar_name,
               (SELECT json_group_array(json(c.record)) FROM contacts c
                WHERE c.handle IN (d.owner, json_extract(d.record, '$.admin'),
                  json_extract(d.record, '$.tech'), json_extract(d.record, '$.billing'))) AS contacts
             FROM domains d LEFT JOIN resellers r ON r.id = d.reseller_id
             WHERE d.name = ?1",
        )
        .bind(&[ascii.into()])?
        .first(None)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let contacts: Vec<serde_json::Value> = match row.contacts {
        Some(text) => serde_json::from_str(&text)
            .map_err(|error| worker::Error::RustError(format!("contacts do not parse: {error}")))?,
        None => Vec::new(),
    };
    Ok(Some(DomainRow {
        domain: parse(&row.record)?,
        contacts: contacts
            .into_iter()
            .map(parse_value)
            .collect::<Result<_>>()?,
        registrar_name: row.registrar_name,
    }))
}

/// The most domains read for one name server (its glue is the same in each).
const HOST_DOMAINS: u32 = 100;

/// The domains that list `host` as a name server.
pub async fn host_domains(db: &D1Database, host: &str) -> Result<Vec<DomainRecord>> {
    db.prepare(
        "SELECT d.record AS record FROM domain_hosts h JOIN domains d ON d.name = h.domain
         WHERE h.host = ?1 ORDER BY d.name LIMIT ?2",
    )
    .bind(&[host.into(), HOST_DOMAINS.into()])?
    .all()
    .await?
    .results::<RecordRow>()?
    .iter()
    .map(|row| parse(&row.record))
    .collect()
}

/// What an entity handle names.
pub enum EntityRow {
    /// A reseller, by its name.
    Registrar(String),
    Contact(Box<ContactRecord>),
}

#[derive(Deserialize)]
struct EntityJoin {
    kind: String,
    value: String,
}

/// The reseller or else the contact with this handle.
pub async fn entity(db: &D1Database, handle: &str) -> Result<Option<EntityRow>> {
    let row: Option<EntityJoin> = db
        .prepare(
            "SELECT 'registrar' AS kind, name AS value FROM resellers WHERE id = ?1
             UNION ALL
             SELECT 'contact' AS kind, record AS value FROM contacts WHERE handle = ?1
             ORDER BY kind DESC LIMIT 1",
        )
        .bind(&[handle.into()])?
        .first(None)
        .await?;
    match row {
        None => Ok(None),
        Some(row) if row.kind == "registrar" => Ok(Some(EntityRow::Registrar(row.value))),
        Some(row) => Ok(Some(EntityRow::Contact(Box::new(parse(&row.value)?)))),
    }
}

/// A search result: the domain, its owner's record (for the projection) and registrar name.
pub struct SearchRow {
    pub domain: DomainRecord,
    pub owner: Option<ContactRecord>,
    pub registrar_name: Option<String>,
}

#[derive(Deserialize)]
struct SearchJoin {
    record: String,
    owner_record: Option<String>,
    registrar_name: Option<String>,
}

/// The range condition of a search on its column (the A-label key is indexed).
fn range(column: Column) -> &'static str {
    match column {
        Column::Ascii => "d.name >= ?1 AND d.name < ?2",
        Column::Unicode => "d.unicode >= ?1 AND d.unicode < ?2",
        Column::Both => "((d.name >= ?1 AND d.name < ?2) OR (d.unicode >= ?1 AND d.unicode < ?2))",
    }
}

/// Up to `limit` domains of the search after its cursor, in name order, and the number that
/// match in all when the query asks for it.
pub async fn search(
    db: &D1Database,
    query: &SearchQuery,
    limit: u32,
) -> Result<(Vec<SearchRow>, Option<u64>)> {
    let condition = range(query.column);
    let page = db.prepare(format!(
        "SELECT d.record AS record, c.record AS owner_record, r.name AS registrar_name
         FROM domains d LEFT JOIN contacts c ON c.handle = d.owner
           LEFT JOIN resellers r ON r.id = d.reseller_id
         WHERE {condition} AND d.name > ?3 ORDER BY d.name LIMIT ?4"
    ));
    let page = page.bind(&[
        query.from.as_str().into(),
        query.to.as_str().into(),
        query.after().into(),
        limit.into(),
    ])?;
    let rows: Vec<SearchJoin> = if query.count {
        let count = db
            .prepare(format!(
                "SELECT COUNT(*) AS n FROM domains d WHERE {condition}"
            ))
            .bind(&[query.from.as_str().into(), query.to.as_str().into()])?;
        let mut results = db.batch(vec![page, count]).await?.into_iter();
        let rows = match results.next() {
            Some(result) => result.results::<SearchJoin>()?,
            None => Vec::new(),
        };
        let total = match results.next() {
            Some(result) => result
                .results::<CountRow>()?
                .first()
                .map(|row| row.n as u64),
            None => None,
        };
        return Ok((read_rows(rows)?, total));
    } else {
        page.all().await?.results::<SearchJoin>()?
    };
    Ok((read_rows(rows)?, None))
}

#[derive(Deserialize)]
struct CountRow {
    n: f64,
}

fn read_rows(rows: Vec<SearchJoin>) -> Result<Vec<SearchRow>> {
    rows.into_iter()
        .map(|row| {
            Ok(SearchRow {
                domain: parse(&row.record)?,
                owner: row.owner_record.as_deref().map(parse).transpose()?,
                registrar_name: row.registrar_name,
            })
        })
        .collect()
}
