//! D1 access for the registry's outputs (zone exports, escrow deposits, the review queue) and
//! the staff console's lists and searches. The companion of [`crate::store`], which keeps the
//! records and their history; together they are the only modules that write SQL.

use crate::store::EventRow;
use coopreg_shared::lifecycle::{ContactRecord, DomainRecord};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Result};

use crate::store::{parse, RecordRow};

fn records<T: serde::de::DeserializeOwned>(rows: Vec<RecordRow>) -> Result<Vec<T>> {
    rows.into_iter().map(parse).collect()
}

fn number(value: i64) -> JsValue {
    (value as f64).into()
}

// --- paging through the registry ---------------------------------------------------------

/// Up to `limit` domains after `after` in `ORDER BY name` (byte) order: keyset paging, so
/// each page costs the same however deep it is.
pub async fn domain_page(db: &D1Database, after: &str, limit: u32) -> Result<Vec<DomainRecord>> {
    let rows = db
        .prepare("SELECT record FROM domains WHERE name > ?1 ORDER BY name LIMIT ?2")
        .bind(&[after.into(), limit.into()])?
        .all()
        .await?
        .results::<RecordRow>()?;
    records(rows)
}

/// The owners of the same page of domains as [`domain_page`].
pub async fn owners_of_domain_page(
    db: &D1Database,
    after: &str,
    limit: u32,
) -> Result<Vec<ContactRecord>> {
    let rows = db
        .prepare(
            "SELECT record FROM contacts WHERE handle IN
               (SELECT owner FROM domains WHERE name > ?1 ORDER BY name LIMIT ?2)",
        )
        .bind(&[after.into(), limit.into()])?
        .all()
        .await?
        .results::<RecordRow>()?;
    records(rows)
}

/// Up to `limit` contacts after `after` in `ORDER BY handle` order.
pub async fn contact_page(db: &D1Database, after: &str, limit: u32) -> Result<Vec<ContactRecord>> {
    let rows = db
        .prepare("SELECT record FROM contacts WHERE handle > ?1 ORDER BY handle LIMIT ?2")
        .bind(&[after.into(), limit.into()])?
        .all()
        .await?
        .results::<RecordRow>()?;
    records(rows)
}

pub async fn count_contacts(db: &D1Database) -> Result<u64> {
    let count: Option<f64> = db
        .prepare("SELECT COUNT(*) AS n FROM contacts")
        .first(Some("n"))
        .await?;
    Ok(count.unwrap_or(0.0) as u64)
}

#[derive(serde::Deserialize)]
pub struct ResellerRow {
    pub id: String,
    pub name: String,
}

/// Every reseller a record refers to, by id: the accounts, plus ids used by records without
/// an account (the web form's `web`), named after their id.
pub async fn resellers(db: &D1Database) -> Result<Vec<ResellerRow>> {
    db.prepare(
        "SELECT id, name FROM resellers
         UNION SELECT reseller_id AS id, reseller_id AS name FROM contacts
           WHERE reseller_id NOT IN (SELECT id FROM resellers)
         UNION SELECT reseller_id AS id, reseller_id AS name FROM domains
           WHERE reseller_id NOT IN (SELECT id FROM resellers)
         ORDER BY id",
    )
    .all()
    .await?
    .results()
}

// --- zone exports ------------------------------------------------------------------------

#[derive(Clone, serde::Deserialize, serde::Serialize)]
pub struct ZoneExportRow {
    pub serial: i64,
    pub content_hash: String,
    pub header: String,
    pub body_key: String,
    pub body_bytes: i64,
    pub published: i64,
    pub skipped: i64,
    pub created_at: i64,
    pub checked_at: i64,
}

const ZONE_COLUMNS: &str =
    "serial, content_hash, header, body_key, body_bytes, published, skipped, created_at, checked_at";

/// The export with the newest content.
pub async fn latest_zone(db: &D1Database) -> Result<Option<ZoneExportRow>> {
    db.prepare(format!(
        "SELECT {ZONE_COLUMNS} FROM zone_exports ORDER BY created_at DESC, rowid DESC LIMIT 1"
    ))
    .first(None)
    .await
}

pub async fn insert_zone(db: &D1Database, row: &ZoneExportRow) -> Result<()> {
    db.prepare(format!(
        "INSERT INTO zone_exports ({ZONE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    ))
    .bind(&[
        number(row.serial),
        row.content_hash.as_str().into(),
        row.header.as_str().into(),
        row.body_key.as_str().into(),
        number(row.body_bytes),
        number(row.published),
        number(row.skipped),
        number(row.created_at),
        number(row.checked_at),
    ])?
    .run()
    .await?;
    Ok(())
}

/// Records that an export at `now` found the same content as export `serial`.
pub async fn touch_zone(db: &D1Database, serial: i64, now: i64) -> Result<()> {
    db.prepare("UPDATE zone_exports SET checked_at = ?2 WHERE serial = ?1")
        .bind(&[number(serial), number(now)])?
        .run()
        .await?;
    Ok(())
}

// --- escrow deposits ---------------------------------------------------------------------

#[derive(Clone, serde::Deserialize, serde::Serialize)]
pub struct DepositRow {
    pub id: String,
    pub day: String,
    pub watermark: i64,
    pub object_key: String,
    pub bytes: i64,
    pub resellers: i64,
    pub contacts: i64,
    pub domains: i64,
    pub nameservers: i64,
    pub previous_id: Option<String>,
    pub report: Option<String>,
}

const DEPOSIT_COLUMNS: &str = "id, day, watermark, object_key, bytes, resellers, contacts, domains, nameservers, previous_id, report";

/// The newest deposits first.
pub async fn deposits(db: &D1Database, limit: u32) -> Result<Vec<DepositRow>> {
    db.prepare(format!(
        "SELECT {DEPOSIT_COLUMNS} FROM escrow_deposits ORDER BY watermark DESC, rowid DESC LIMIT ?1"
    ))
    .bind(&[limit.into()])?
    .all()
    .await?
    .results()
}

pub async fn deposit(db: &D1Database, id: &str) -> Result<Option<DepositRow>> {
    db.prepare(format!(
        "SELECT {DEPOSIT_COLUMNS} FROM escrow_deposits WHERE id = ?1"
    ))
    .bind(&[id.into()])?
    .first(None)
    .await
}

pub async fn deposits_on(db: &D1Database, day: &str) -> Result<u64> {
    let count: Option<f64> = db
        .prepare("SELECT COUNT(*) AS n FROM escrow_deposits WHERE day = ?1")
        .bind(&[day.into()])?
        .first(Some("n"))
        .await?;
    Ok(count.unwrap_or(0.0) as u64)
}

pub fn insert_deposit(db: &D1Database, row: &DepositRow) -> Result<D1PreparedStatement> {
    db.prepare(format!(
        "INSERT INTO escrow_deposits ({DEPOSIT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))
    .bind(&[
        row.id.as_str().into(),
        row.day.as_str().into(),
        number(row.watermark),
        row.object_key.as_str().into(),
        number(row.bytes),
        number(row.resellers),
        number(row.contacts),
        number(row.domains),
        number(row.nameservers),
        row.previous_id.as_deref().map_or(JsValue::NULL, JsValue::from),
        row.report.as_deref().map_or(JsValue::NULL, JsValue::from),
    ])
}

// --- review queue ------------------------------------------------------------------------

#[derive(Clone, serde::Deserialize, serde::Serialize)]
pub struct ReviewRow {
    pub id: i64,
    pub handle: String,
    pub kind: String,
    pub detail: String,
    pub deposit_id: String,
    pub created_at: i64,
}

pub fn add_review(
    db: &D1Database,
    handle: &str,
    kind: &str,
    detail: &str,
    deposit_id: &str,
    now: i64,
) -> Result<D1PreparedStatement> {
    db.prepare(
        "INSERT INTO review_queue (handle, kind, detail, deposit_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(&[
        handle.into(),
        kind.into(),
        detail.into(),
        deposit_id.into(),
        number(now),
    ])
}

/// Open review items, newest first. Every registry decision (console, staff API, signed
/// callback) closes the contact's items in its own batch (`apply::registry_decision`).
pub async fn open_reviews(db: &D1Database, limit: u32) -> Result<Vec<ReviewRow>> {
    db.prepare(
        "SELECT q.id, q.handle, q.kind, q.detail, q.deposit_id, q.created_at FROM review_queue q
         WHERE q.resolved_at IS NULL
         ORDER BY q.created_at DESC, q.id DESC LIMIT ?1",
    )
    .bind(&[limit.into()])?
    .all()
    .await?
    .results()
}

/// Closes the open review items of `handle` with a staff decision.
pub fn resolve_reviews(
    db: &D1Database,
    handle: &str,
    staff: &str,
    decision: &str,
    now: i64,
) -> Result<D1PreparedStatement> {
    db.prepare(
        "UPDATE review_queue SET resolved_at = ?2, resolved_by = ?3, decision = ?4
         WHERE handle = ?1 AND resolved_at IS NULL",
    )
    .bind(&[handle.into(), number(now), staff.into(), decision.into()])
}

/// How many contacts the review queue holds: those with open review items and those waiting
/// for verification that own a domain, each counted once.
pub async fn review_count(db: &D1Database) -> Result<u32> {
    let count: Option<f64> = db
        .prepare(
            "SELECT COUNT(*) AS n FROM (
               SELECT handle FROM review_queue WHERE resolved_at IS NULL
               UNION
               SELECT handle FROM contacts c
               WHERE verification IN ('pending', 'unverified')
                 AND EXISTS (SELECT 1 FROM domains d WHERE d.owner = c.handle))",
        )
        .first(Some("n"))
        .await?;
    Ok(count.unwrap_or(0.0) as u32)
}

/// Contacts waiting for verification that own at least one domain, newest change first.
pub async fn unverified_registrants(db: &D1Database, limit: u32) -> Result<Vec<ContactRecord>> {
    let rows = db
        .prepare(
            "SELECT record FROM contacts c
             WHERE verification IN ('pending', 'unverified')
               AND EXISTS (SELECT 1 FROM domains d WHERE d.owner = c.handle)
             ORDER BY updated_at DESC, handle LIMIT ?1",
        )
        .bind(&[limit.into()])?
        .all()
        .await?
        .results::<RecordRow>()?;
    records(rows)
}

// --- search ------------------------------------------------------------------------------

/// `LIKE` pattern for a prefix, with the wildcards of the input escaped (`ESCAPE '\'`).
fn prefix_pattern(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Domains whose A-label or U-label name starts with `prefix`.
pub async fn search_domains(
    db: &D1Database,
    prefix: &str,
    limit: u32,
) -> Result<Vec<DomainRecord>> {
    let rows = db
        .prepare(
            "SELECT record FROM domains WHERE name LIKE ?1 ESCAPE '\\' OR unicode LIKE ?1 ESCAPE '\\'
             ORDER BY name LIMIT ?2",
        )
        .bind(&[prefix_pattern(prefix).into(), limit.into()])?
        .all()
        .await?
        .results::<RecordRow>()?;
    records(rows)
}

/// Contacts whose handle, e-mail address or organisation starts with `prefix` (any case).
pub async fn search_contacts(
    db: &D1Database,
    prefix: &str,
    limit: u32,
) -> Result<Vec<ContactRecord>> {
    let rows = db
        .prepare(
            "SELECT record FROM contacts WHERE handle LIKE ?1 ESCAPE '\\'
               OR json_extract(record, '$.info.email') LIKE ?1 ESCAPE '\\'
               OR json_extract(record, '$.info.organization') LIKE ?1 ESCAPE '\\'
             ORDER BY handle LIMIT ?2",
        )
        .bind(&[prefix_pattern(prefix).into(), limit.into()])?
        .all()
        .await?
        .results::<RecordRow>()?;
    records(rows)
}

// --- history -----------------------------------------------------------------------------

/// The latest `limit` history lines of some objects, oldest first.
pub async fn history(db: &D1Database, objects: &[String], limit: u32) -> Result<Vec<EventRow>> {
    let placeholders: Vec<String> = (0..objects.len()).map(|i| format!("?{}", i + 2)).collect();
    let mut values: Vec<JsValue> = vec![limit.into()];
    values.extend(objects.iter().map(|object| JsValue::from(object.as_str())));
    let mut rows: Vec<EventRow> = db
        .prepare(format!(
            "SELECT at, actor, object, from_state, to_state, reason, note FROM events
             WHERE object IN ({}) ORDER BY id DESC LIMIT ?1",
            placeholders.join(", ")
        ))
        .bind(&values)?
        .all()
        .await?
        .results()?;
    rows.reverse();
    Ok(rows)
}
