//! D1 access: the only module that writes SQL.

use worker::{D1Database, Env, Result};

pub fn db(env: &Env) -> Result<D1Database> {
    env.d1("DB")
}

/// What `GET /health` reports about storage.
#[derive(serde::Serialize)]
pub struct StorageHealth {
    pub ok: bool,
    pub schema_version: i64,
    pub probe_written_at: i64,
}

/// Writes and reads back one row, and reads the applied migration count.
pub async fn health_round_trip(db: &D1Database, now: i64) -> Result<StorageHealth> {
    let written: Option<f64> = db
        .prepare(
            "INSERT INTO health_probe (id, at) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET at = excluded.at RETURNING at",
        )
        .bind(&[(now as f64).into()])?
        .first(Some("at"))
        .await?;
    let schema_version: Option<f64> = db
        .prepare("SELECT COUNT(*) AS n FROM d1_migrations")
        .first(Some("n"))
        .await?;
    let probe_written_at = written.unwrap_or(-1.0) as i64;
    Ok(StorageHealth {
        ok: probe_written_at == now,
        schema_version: schema_version.unwrap_or(0.0) as i64,
        probe_written_at,
    })
}

#[cfg(feature = "dev-tools")]
#[derive(serde::Deserialize)]
pub struct OutboxRow {
    pub id: String,
    pub to_addr: String,
    pub subject: String,
    pub raw: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub created_at: i64,
}

#[cfg(feature = "dev-tools")]
pub async fn outbox_recent(db: &D1Database, limit: u32) -> Result<Vec<OutboxRow>> {
    db.prepare(
        "SELECT id, to_addr, subject, raw, status, attempts, created_at
         FROM outbox ORDER BY created_at DESC, rowid DESC LIMIT ?1",
    )
    .bind(&[limit.into()])?
    .all()
    .await?
    .results()
}

#[cfg(feature = "dev-tools")]
pub async fn outbox_raw(db: &D1Database, id: &str) -> Result<Option<String>> {
    db.prepare("SELECT raw FROM outbox WHERE id = ?1")
        .bind(&[id.into()])?
        .first(Some("raw"))
        .await
}

// --- records ------------------------------------------------------------------------------

use coopreg_shared::lifecycle::{
    Allocation, AllocationToken, ContactRecord, DomainRecord, Event, Outcome, Revision,
};
use coopreg_shared::limits::{quota_address, AddressUsage, LINK_EMAIL_WINDOW};
use worker::D1PreparedStatement;

#[derive(serde::Deserialize)]
pub(crate) struct RecordRow {
    pub(crate) record: String,
}

/// Reads a stored record: the JSON, with its sealed secrets opened.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(row: RecordRow) -> Result<T> {
    let broken = |error: serde_json::Error| {
        worker::Error::RustError(format!("stored record does not parse: {error}"))
    };
    let mut value: serde_json::Value = serde_json::from_str(&row.record).map_err(broken)?;
    crate::seal::open(&mut value)?;
    serde_json::from_value(value).map_err(broken)
}

/// Runs a query whose rows have a `record` column and reads each record.
pub(crate) async fn records<T: serde::de::DeserializeOwned>(
    statement: D1PreparedStatement,
) -> Result<Vec<T>> {
    statement
        .all()
        .await?
        .results::<RecordRow>()?
        .into_iter()
        .map(parse)
        .collect()
}

/// Runs a query for one row with a `record` column, bound to `key`, and reads the record.
async fn record<T: serde::de::DeserializeOwned>(
    db: &D1Database,
    sql: &str,
    key: &str,
) -> Result<Option<T>> {
    let row: Option<RecordRow> = db.prepare(sql).bind(&[key.into()])?.first(None).await?;
    row.map(parse).transpose()
}

/// A record's stored JSON, with its secrets sealed (`seal.rs`).
fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    let mut value =
        serde_json::to_value(value).map_err(|error| worker::Error::RustError(error.to_string()))?;
    crate::seal::seal(&mut value)?;
    serde_json::to_string(&value).map_err(|error| worker::Error::RustError(error.to_string()))
}

fn opt_f64(value: Option<i64>) -> wasm_bindgen::JsValue {
    value.map_or(wasm_bindgen::JsValue::NULL, |v| (v as f64).into())
}

fn opt_str(value: Option<&str>) -> wasm_bindgen::JsValue {
    value.map_or(wasm_bindgen::JsValue::NULL, |v| v.into())
}

pub async fn contact(db: &D1Database, handle: &str) -> Result<Option<ContactRecord>> {
    record(db, "SELECT record FROM contacts WHERE handle = ?1", handle).await
}

/// The contacts of `reseller` with the e-mail address `email`, exactly as stored: the
/// candidates `AddContact` gives the core to find an identical contact. The expression
/// matches the index `contacts_reseller_email` (migrations/0003), so only that reseller's
/// contacts with that address are read.
pub async fn reseller_contacts_with_email(
    db: &D1Database,
    reseller: &str,
    email: &str,
) -> Result<Vec<ContactRecord>> {
    records(
        db.prepare(
            "SELECT record FROM contacts
             WHERE reseller_id = ?1 AND json_extract(record, '$.info.email') = ?2",
        )
        .bind(&[reseller.into(), email.into()])?,
    )
    .await
}

pub async fn contact_by_token_hash(db: &D1Database, hash: &str) -> Result<Option<ContactRecord>> {
    record(
        db,
        "SELECT record FROM contacts WHERE token_hash = ?1",
        hash,
    )
    .await
}

pub async fn domain(db: &D1Database, ascii: &str) -> Result<Option<DomainRecord>> {
    record(db, "SELECT record FROM domains WHERE name = ?1", ascii).await
}

/// The web order whose approval link has this token hash.
pub async fn domain_by_approval_token_hash(
    db: &D1Database,
    hash: &str,
) -> Result<Option<DomainWithOwner>> {
    domain_with_owner_result(
        &db.prepare(
            "SELECT d.record AS record, c.record AS owner_record
             FROM domains d LEFT JOIN contacts c ON c.handle = d.owner
             WHERE d.approval_token_hash = ?1",
        )
        .bind(&[hash.into()])?
        .all()
        .await?,
    )
}

pub async fn domain_by_transfer_token_hash(
    db: &D1Database,
    hash: &str,
) -> Result<Option<DomainRecord>> {
    record(
        db,
        "SELECT record FROM domains WHERE transfer_token_hash = ?1",
        hash,
    )
    .await
}

/// The domains `handle` owns (a contact travels with them: its verification decides them).
pub async fn domains_owned_by(db: &D1Database, handle: &str) -> Result<Vec<DomainRecord>> {
    records(
        db.prepare("SELECT record FROM domains WHERE owner = ?1 ORDER BY name")
            .bind(&[handle.into()])?,
    )
    .await
}

/// Handles of contacts whose next time-driven step is due.
pub async fn due_contacts(db: &D1Database, now: i64, limit: u32) -> Result<Vec<ContactRecord>> {
    records(
        db.prepare("SELECT record FROM contacts WHERE due_at <= ?1 ORDER BY due_at LIMIT ?2")
            .bind(&[(now as f64).into(), limit.into()])?,
    )
    .await
}

pub async fn due_domains(db: &D1Database, now: i64, limit: u32) -> Result<Vec<DomainRecord>> {
    records(
        db.prepare("SELECT record FROM domains WHERE due_at <= ?1 ORDER BY due_at LIMIT ?2")
            .bind(&[(now as f64).into(), limit.into()])?,
    )
    .await
}

/// Domains stored before their auth code had a lookup index (migration 0010), for cron to
/// write again with it.
pub async fn domains_without_auth_index(db: &D1Database, limit: u32) -> Result<Vec<DomainRecord>> {
    records(
        db.prepare("SELECT record FROM domains WHERE auth_index IS NULL LIMIT ?1")
            .bind(&[limit.into()])?,
    )
    .await
}

const CONTACT_INSERT: &str =
    "INSERT INTO contacts (handle, reseller_id, verification, token_hash, due_at, updated_at, record, rev, email_key)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/// Binds a contact's query columns and record to a [`CONTACT_INSERT`] statement.
fn contact_values(
    statement: D1PreparedStatement,
    contact: &ContactRecord,
) -> Result<D1PreparedStatement> {
    statement.bind(&[
        contact.handle.as_str().into(),
        contact.reseller.as_str().into(),
        contact.verification.word().into(),
        opt_str(contact.token_hash()),
        opt_f64(contact.next_due()),
        (contact.updated as f64).into(),
        to_json(contact)?.into(),
        (contact.revision as f64).into(),
        quota_address(&contact.info.email).into(),
    ])
}

/// A record as the next revision of the one that was read: what an update writes. The
/// `*_write_conflict` triggers (migrations/0004_revisions.sql) refuse it, and so the whole
/// batch, if the row has been written since it was read.
fn next_revision<T: Clone>(record: &T, revision: impl Fn(&mut T) -> &mut Revision) -> T {
    let mut next = record.clone();
    *revision(&mut next) += 1;
    next
}

/// Whether a D1 error is a write refused because the record changed since it was read.
pub fn is_write_conflict(error: &worker::Error) -> bool {
    error.to_string().contains("write_conflict")
}

/// Writes a contact (insert, or update of the revision that was read), with its query
/// columns.
pub fn put_contact(db: &D1Database, contact: &ContactRecord) -> Result<D1PreparedStatement> {
    contact_values(
        db.prepare(format!(
            "{CONTACT_INSERT} ON CONFLICT (handle) DO UPDATE SET reseller_id = excluded.reseller_id,
               verification = excluded.verification, token_hash = excluded.token_hash,
               due_at = excluded.due_at, updated_at = excluded.updated_at, record = excluded.record,
               rev = excluded.rev, email_key = excluded.email_key"
        )),
        &next_revision(contact, |c| &mut c.revision),
    )
}

/// Inserts a contact only if its handle is new (the web form's derived contacts).
pub fn add_contact_if_new(db: &D1Database, contact: &ContactRecord) -> Result<D1PreparedStatement> {
    contact_values(
        db.prepare(format!("{CONTACT_INSERT} ON CONFLICT (handle) DO NOTHING")),
        contact,
    )
}

const DOMAIN_COLUMNS: &str =
    "(name, unicode, reseller_id, owner, state, due_at, expires_at, transfer_token_hash, record, rev,
      approval_token_hash, unconfirmed_web, roid, auth_index)";
const DOMAIN_VALUES: &str = "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

fn domain_values(
    statement: D1PreparedStatement,
    domain: &DomainRecord,
) -> Result<D1PreparedStatement> {
    statement.bind(&[
        domain.name.ascii.as_str().into(),
        domain.name.unicode.as_str().into(),
        domain.reseller.as_str().into(),
        domain.owner.as_str().into(),
        domain.state.word().into(),
        opt_f64(domain.next_due()),
        (domain.expires as f64).into(),
        opt_str(domain.transfer_token_hash()),
        to_json(domain)?.into(),
        (domain.revision as f64).into(),
        opt_str(domain.approval_token_hash()),
        i32::from(domain.is_unconfirmed_web_order()).into(),
        domain.roid().into(),
        crate::seal::auth_index(domain.auth_code.as_str())?.into(),
    ])
}

/// True when a domain other than `except` has the auth code whose index is `index`
/// ([`crate::seal::auth_index`]); says nothing about which.
pub async fn auth_code_in_use(db: &D1Database, index: &str, except: &str) -> Result<bool> {
    let found = db
        .prepare("SELECT 1 AS hit FROM domains WHERE auth_index = ?1 AND name <> ?2 LIMIT 1")
        .bind(&[index.into(), except.into()])?
        .first::<serde_json::Value>(None)
        .await?;
    Ok(found.is_some())
}

/// Writes a domain (insert, or update of the revision that was read).
pub fn put_domain(db: &D1Database, domain: &DomainRecord) -> Result<D1PreparedStatement> {
    domain_values(
        db.prepare(format!(
            "INSERT INTO domains {DOMAIN_COLUMNS} {DOMAIN_VALUES}
             ON CONFLICT (name) DO UPDATE SET unicode = excluded.unicode, reseller_id = excluded.reseller_id,
               owner = excluded.owner, state = excluded.state, due_at = excluded.due_at,
               expires_at = excluded.expires_at, transfer_token_hash = excluded.transfer_token_hash,
               record = excluded.record, rev = excluded.rev,
               approval_token_hash = excluded.approval_token_hash,
               unconfirmed_web = excluded.unconfirmed_web, roid = excluded.roid,
               auth_index = excluded.auth_index"
        )),
        &next_revision(domain, |d| &mut d.revision),
    )
}

/// Inserts a new registration. Fails with a UNIQUE constraint error when the name is taken,
/// which makes taking a name atomic under concurrent orders.
pub fn insert_domain(db: &D1Database, domain: &DomainRecord) -> Result<D1PreparedStatement> {
    domain_values(
        db.prepare(format!(
            "INSERT INTO domains {DOMAIN_COLUMNS} {DOMAIN_VALUES}"
        )),
        domain,
    )
}

pub fn delete_domain(db: &D1Database, ascii: &str) -> Result<D1PreparedStatement> {
    db.prepare("DELETE FROM domains WHERE name = ?1")
        .bind(&[ascii.into()])
}

/// Deletes a domain row only while it is still in `state` (a name freed by projection), so
/// that a concurrent registration of the name is never deleted.
pub fn delete_domain_in_state(
    db: &D1Database,
    ascii: &str,
    state: &str,
) -> Result<D1PreparedStatement> {
    db.prepare("DELETE FROM domains WHERE name = ?1 AND state = ?2")
        .bind(&[ascii.into(), state.into()])
}

pub fn add_event(db: &D1Database, event: &Event) -> Result<D1PreparedStatement> {
    db.prepare(
        "INSERT INTO events (at, actor, object, from_state, to_state, reason, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(&[
        (event.at as f64).into(),
        actor_label(&event.actor).into(),
        event.object.as_str().into(),
        event.from.as_str().into(),
        event.to.as_str().into(),
        event.reason.as_str().into(),
        opt_str(event.note.as_deref()),
    ])
}

/// How an actor is shown in the history.
pub fn actor_label(actor: &coopreg_shared::lifecycle::Actor) -> String {
    use coopreg_shared::lifecycle::Actor;
    match actor {
        Actor::Registrant => "registrant".to_string(),
        Actor::Reseller(id) => format!("reseller:{id}"),
        Actor::Staff(id) => format!("staff:{id}"),
        Actor::Callback => "verification-service".to_string(),
        Actor::System => "system".to_string(),
    }
}

// --- quotas --------------------------------------------------------------------------------

#[derive(serde::Deserialize)]
struct UsageRow {
    link_emails: f64,
    oldest_link_email_at: Option<f64>,
    unconfirmed_web_orders: f64,
}

/// Whose address a usage is read for.
#[derive(Clone, Copy)]
pub enum UsageOf<'a> {
    /// An e-mail address (any case; it is put in its quota form).
    Address(&'a str),
    /// The address of the stored contact with this handle (none: nothing counted).
    Contact(&'a str),
}

/// What is stored for one address at `now`, read in one statement so callers can add it to
/// their read batch: link e-mails to it in the last 24 hours (the outbox rows
/// `mail::enqueue` marked with the address) and unconfirmed web orders whose owner has it.
pub fn address_usage_statement(
    db: &D1Database,
    of: UsageOf<'_>,
    now: i64,
) -> Result<D1PreparedStatement> {
    let (key, value) = match of {
        UsageOf::Address(email) => ("SELECT ?1 AS key", quota_address(email)),
        UsageOf::Contact(handle) => (
            "SELECT email_key AS key FROM contacts WHERE handle = ?1",
            handle.to_string(),
        ),
    };
    db.prepare(format!(
        "WITH k AS ({key})
         SELECT (SELECT COUNT(*) FROM outbox, k WHERE quota_key = k.key AND created_at > ?2)
                  AS link_emails,
                (SELECT MIN(created_at) FROM outbox, k WHERE quota_key = k.key AND created_at > ?2)
                  AS oldest_link_email_at,
                (SELECT COUNT(*) FROM domains d JOIN contacts c ON c.handle = d.owner, k
                  WHERE c.email_key = k.key AND d.unconfirmed_web = 1) AS unconfirmed_web_orders"
    ))
    .bind(&[
        value.as_str().into(),
        ((now - LINK_EMAIL_WINDOW) as f64).into(),
    ])
}

/// The usage of [`address_usage_statement`]'s result.
pub fn address_usage_result(result: &worker::D1Result) -> Result<AddressUsage> {
    let row = result.results::<UsageRow>()?.into_iter().next();
    Ok(row.map_or_else(AddressUsage::default, |row| AddressUsage {
        link_emails: row.link_emails as u32,
        oldest_link_email_at: row.oldest_link_email_at.map(|at| at as i64),
        unconfirmed_web_orders: row.unconfirmed_web_orders as u32,
    }))
}

/// [`address_usage_statement`] run alone.
pub async fn address_usage(db: &D1Database, of: UsageOf<'_>, now: i64) -> Result<AddressUsage> {
    address_usage_result(&address_usage_statement(db, of, now)?.all().await?)
}

// --- allocation tokens ----------------------------------------------------------------------

#[derive(serde::Deserialize)]
struct AllocationRow {
    token_hash: String,
    name: String,
    issued_by: String,
    issued_at: f64,
    used_at: Option<f64>,
}

impl From<AllocationRow> for AllocationToken {
    fn from(row: AllocationRow) -> Self {
        AllocationToken {
            token_hash: row.token_hash,
            name: row.name,
            issued_by: row.issued_by,
            issued_at: row.issued_at as i64,
            used_at: row.used_at.map(|at| at as i64),
        }
    }
}

/// The allocation token with this hash (to run in a batch).
pub fn allocation_token_statement(db: &D1Database, hash: &str) -> Result<D1PreparedStatement> {
    db.prepare(
        "SELECT token_hash, name, issued_by, issued_at, used_at FROM allocation_tokens
         WHERE token_hash = ?1",
    )
    .bind(&[hash.into()])
}

/// The token of [`allocation_token_statement`]'s result.
pub fn allocation_token_result(result: &worker::D1Result) -> Result<Option<AllocationToken>> {
    Ok(result
        .results::<AllocationRow>()?
        .into_iter()
        .next()
        .map(AllocationToken::from))
}

/// [`allocation_token_statement`] run alone.
pub async fn allocation_token(db: &D1Database, hash: &str) -> Result<Option<AllocationToken>> {
    allocation_token_result(&allocation_token_statement(db, hash)?.all().await?)
}

pub fn insert_allocation_token(
    db: &D1Database,
    token: &AllocationToken,
) -> Result<D1PreparedStatement> {
    db.prepare(
        "INSERT INTO allocation_tokens (token_hash, name, issued_by, issued_at) VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(&[
        token.token_hash.as_str().into(),
        token.name.as_str().into(),
        token.issued_by.as_str().into(),
        (token.issued_at as f64).into(),
    ])
}

/// Marks a token used, in the batch of the registration that used it; a second use aborts
/// the batch (trigger `allocation_token_single_use`, migrations/0006).
pub fn use_allocation_token(
    db: &D1Database,
    hash: &str,
    used_for: &str,
    now: i64,
) -> Result<D1PreparedStatement> {
    db.prepare("UPDATE allocation_tokens SET used_at = ?2, used_for = ?3 WHERE token_hash = ?1")
        .bind(&[hash.into(), (now as f64).into(), used_for.into()])
}

/// Whether a D1 error is a second use of an allocation token.
pub fn is_allocation_token_reuse(error: &worker::Error) -> bool {
    error.to_string().contains("allocation_token_used")
}

/// The newest allocation tokens, for the console.
pub async fn recent_allocation_tokens(db: &D1Database, limit: u32) -> Result<Vec<AllocationToken>> {
    Ok(db
        .prepare(
            "SELECT token_hash, name, issued_by, issued_at, used_at FROM allocation_tokens
             ORDER BY issued_at DESC, rowid DESC LIMIT ?1",
        )
        .bind(&[limit.into()])?
        .all()
        .await?
        .results::<AllocationRow>()?
        .into_iter()
        .map(AllocationToken::from)
        .collect())
}

/// The statements that store an outcome: records, freed names and history. `new_name` is
/// the domain this outcome registers; it is inserted (not replaced) so that a concurrent
/// registration of the same name fails as a whole. E-mails are queued by the caller
/// (`mail::enqueue`) into the same batch.
pub fn outcome_statements(
    db: &D1Database,
    outcome: &Outcome,
    new_name: Option<&str>,
) -> Result<Vec<D1PreparedStatement>> {
    let mut statements = Vec::new();
    for name in &outcome.freed {
        statements.push(delete_domain(db, name)?);
    }
    for contact in &outcome.contacts {
        statements.push(put_contact(db, contact)?);
    }
    for domain in &outcome.domains {
        if Some(domain.name.ascii.as_str()) == new_name {
            statements.push(insert_domain(db, domain)?);
        } else {
            statements.push(put_domain(db, domain)?);
        }
    }
    for event in &outcome.events {
        statements.push(add_event(db, event)?);
    }
    Ok(statements)
}

#[derive(serde::Deserialize, serde::Serialize)]
pub struct EventRow {
    pub at: i64,
    pub actor: String,
    pub object: String,
    pub from_state: String,
    pub to_state: String,
    pub reason: String,
    /// Staff-only text (a staff member's note, the web client's address); never read for
    /// public views.
    #[serde(default)]
    pub note: Option<String>,
}

pub async fn setting(db: &D1Database, key: &str) -> Result<Option<String>> {
    db.prepare("SELECT value FROM settings WHERE key = ?1")
        .bind(&[key.into()])?
        .first(Some("value"))
        .await
}

/// Whether a D1 error is the UNIQUE constraint of `table.column`.
pub fn is_unique_violation(error: &worker::Error, table_column: &str) -> bool {
    let text = error.to_string();
    text.contains("UNIQUE constraint failed") && text.contains(table_column)
}

/// A web order as stored: its registration's ROID binds it to that registration only.
#[derive(serde::Deserialize)]
pub struct OrderRow {
    pub id: String,
    pub domain: String,
    pub request_hash: String,
    pub roid: Option<String>,
}

pub async fn order_by_key(db: &D1Database, key: &str) -> Result<Option<OrderRow>> {
    db.prepare("SELECT id, domain, request_hash, roid FROM orders WHERE idempotency_key = ?1")
        .bind(&[key.into()])?
        .first(None)
        .await
}

pub async fn order_by_id(db: &D1Database, id: &str) -> Result<Option<OrderRow>> {
    db.prepare("SELECT id, domain, request_hash, roid FROM orders WHERE id = ?1")
        .bind(&[id.into()])?
        .first(None)
        .await
}

/// The registration of `order` if it is the one stored now; `None` once it has ended (deleted,
/// freed, or the name registered again by someone else).
pub async fn order_domain(db: &D1Database, order: &OrderRow) -> Result<Option<DomainRecord>> {
    let Some(roid) = &order.roid else {
        return Ok(None);
    };
    Ok(domain(db, &order.domain)
        .await?
        .filter(|domain| &domain.roid() == roid))
}

/// Inserts a web order in the batch that registers its domain (after the registration's
/// history lines): bound to the registration's ROID and its first history line.
pub fn insert_order(
    db: &D1Database,
    id: &str,
    domain: &DomainRecord,
    idempotency_key: Option<&str>,
    request_hash: &str,
    now: i64,
) -> Result<D1PreparedStatement> {
    db.prepare(
        "INSERT INTO orders (id, domain, idempotency_key, request_hash, created_at, roid, first_event)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6,
                 (SELECT MAX(id) FROM events WHERE object = 'domain:' || ?2 AND from_state = 'FREE'))",
    )
    .bind(&[
        id.into(),
        domain.name.ascii.as_str().into(),
        opt_str(idempotency_key),
        request_hash.into(),
        (now as f64).into(),
        domain.roid().into(),
    ])
}

/// What an order's status page needs, read in one round trip: the order, its domain and owner
/// records, and the history since the order.
pub struct OrderView {
    pub id: String,
    pub domain: String,
    pub created_at: i64,
    /// The ROID of the registration the order made (`None` on orders that predate it and
    /// found no registration of theirs).
    pub roid: Option<String>,
    pub domain_record: Option<DomainRecord>,
    pub owner: Option<ContactRecord>,
    pub history: Vec<EventRow>,
}

#[derive(serde::Deserialize)]
struct OrderViewRow {
    id: String,
    domain: String,
    created_at: i64,
    roid: Option<String>,
    domain_record: Option<String>,
    owner_record: Option<String>,
}

fn parse_opt<T: serde::de::DeserializeOwned>(json: Option<String>) -> Result<Option<T>> {
    json.map(|record| parse(RecordRow { record })).transpose()
}

pub async fn order_view(db: &D1Database, order_id: &str) -> Result<Option<OrderView>> {
    let results = db
        .batch(vec![
            db.prepare(
                "SELECT o.id AS id, o.domain AS domain, o.created_at AS created_at, o.roid AS roid,
                        d.record AS domain_record, c.record AS owner_record
                 FROM orders o LEFT JOIN domains d ON d.name = o.domain AND d.roid = o.roid
                 LEFT JOIN contacts c ON c.handle = d.owner WHERE o.id = ?1",
            )
            .bind(&[order_id.into()])?,
            db.prepare(
                // The order's own registration only: from its first history line to the
                // next registration of the name (if any); the owner's lines only while the
                // registration is the one stored. Never the staff-only `note`.
                "SELECT e.at AS at, e.actor AS actor, e.object AS object, e.from_state AS from_state,
                        e.to_state AS to_state, e.reason AS reason
                 FROM orders o LEFT JOIN domains d ON d.name = o.domain AND d.roid = o.roid
                 JOIN events e ON e.at >= o.created_at AND e.id >= COALESCE(o.first_event, 0)
                   AND (e.object = 'domain:' || o.domain OR e.object = 'contact:' || d.owner)
                   AND e.id < COALESCE(
                     (SELECT MIN(n.id) FROM events n
                       WHERE n.object = 'domain:' || o.domain AND n.from_state = 'FREE'
                         AND n.id > COALESCE(o.first_event, 0)),
                     9007199254740991)
                 WHERE o.id = ?1 ORDER BY e.id LIMIT 500",
            )
            .bind(&[order_id.into()])?,
        ])
        .await?;
    let mut results = results.into_iter();
    let (Some(order), Some(history)) = (results.next(), results.next()) else {
        return Ok(None);
    };
    let Some(row) = order.results::<OrderViewRow>()?.into_iter().next() else {
        return Ok(None);
    };
    Ok(Some(OrderView {
        id: row.id,
        domain: row.domain,
        created_at: row.created_at,
        roid: row.roid,
        domain_record: parse_opt(row.domain_record)?,
        owner: parse_opt(row.owner_record)?,
        history: history.results()?,
    }))
}

/// What registering a name needs, read in one round trip: the owner contact, the domains it
/// owns, the current record of the name, the owner address's quota usage and the allocation
/// token the order carries.
pub struct RegistrationContext {
    pub owner: Option<ContactRecord>,
    pub owner_domains: Vec<DomainRecord>,
    pub existing: Option<DomainRecord>,
    pub usage: AddressUsage,
    pub allocation: Allocation,
}

/// Reads the [`RegistrationContext`] of `name` for the owner `owner`; `usage` names whose
/// address to count, `allocation_token` is the plain token the order carries (looked up by
/// its hash).
pub async fn registration_context(
    db: &D1Database,
    owner: &str,
    name: &str,
    usage: UsageOf<'_>,
    allocation_token: Option<&str>,
    now: i64,
) -> Result<RegistrationContext> {
    let token_hash = allocation_token.map(coopreg_shared::lifecycle::token_hash);
    let mut statements = vec![
        db.prepare("SELECT record FROM contacts WHERE handle = ?1")
            .bind(&[owner.into()])?,
        db.prepare("SELECT record FROM domains WHERE owner = ?1 ORDER BY name")
            .bind(&[owner.into()])?,
        db.prepare("SELECT record FROM domains WHERE name = ?1")
            .bind(&[name.into()])?,
        address_usage_statement(db, usage, now)?,
    ];
    if let Some(hash) = &token_hash {
        statements.push(allocation_token_statement(db, hash)?);
    }
    let results = db.batch(statements).await?;
    let mut results = results.into_iter();
    let mut records = || -> Result<Vec<RecordRow>> {
        results
            .next()
            .map_or_else(|| Ok(Vec::new()), |result| result.results::<RecordRow>())
    };
    let owner = records()?.into_iter().next().map(parse).transpose()?;
    let owner_domains = records()?
        .into_iter()
        .map(parse)
        .collect::<Result<Vec<_>>>()?;
    let existing = records()?.into_iter().next().map(parse).transpose()?;
    let usage = match results.next() {
        Some(result) => address_usage_result(&result)?,
        None => AddressUsage::default(),
    };
    let allocation = match (token_hash, results.next()) {
        (None, _) => Allocation::None,
        (Some(_), Some(result)) => match allocation_token_result(&result)? {
            Some(token) => Allocation::Token(token),
            None => Allocation::Unknown,
        },
        (Some(_), None) => Allocation::Unknown,
    };
    Ok(RegistrationContext {
        owner,
        owner_domains,
        existing,
        usage,
        allocation,
    })
}

// --- reseller API -------------------------------------------------------------------------

/// Inserts a new contact; fails (UNIQUE constraint) if the handle exists, so a new handle
/// never replaces a stored contact.
pub fn insert_contact(db: &D1Database, contact: &ContactRecord) -> Result<D1PreparedStatement> {
    contact_values(db.prepare(CONTACT_INSERT), contact)
}

#[derive(serde::Deserialize)]
struct DomainOwnerRow {
    record: String,
    owner_record: Option<String>,
}

/// A domain with its owner contact, in one query.
/// A domain's record with its owner contact's record (absent if the contact is gone).
pub type DomainWithOwner = (DomainRecord, Option<ContactRecord>);

pub async fn domain_with_owner(db: &D1Database, ascii: &str) -> Result<Option<DomainWithOwner>> {
    domain_with_owner_result(&domain_with_owner_statement(db, ascii)?.all().await?)
}

/// The query of [`domain_with_owner`], to run in a batch.
pub fn domain_with_owner_statement(db: &D1Database, ascii: &str) -> Result<D1PreparedStatement> {
    db.prepare(
        "SELECT d.record AS record, c.record AS owner_record
         FROM domains d LEFT JOIN contacts c ON c.handle = d.owner WHERE d.name = ?1",
    )
    .bind(&[ascii.into()])
}

/// The records of [`domain_with_owner_statement`]'s result.
pub fn domain_with_owner_result(result: &worker::D1Result) -> Result<Option<DomainWithOwner>> {
    result
        .results::<DomainOwnerRow>()?
        .into_iter()
        .next()
        .map(|row| {
            Ok((
                parse(RecordRow { record: row.record })?,
                parse_opt(row.owner_record)?,
            ))
        })
        .transpose()
}

/// One page of a reseller's domains, by A-label name, and how many match in all. `pattern`
/// is a LIKE pattern (with `\` as escape) matched against the A-label and the U-label.
pub async fn domains_of_reseller(
    db: &D1Database,
    reseller: &str,
    pattern: &str,
    first: u32,
    limit: u32,
) -> Result<(Vec<DomainRecord>, u32)> {
    const MATCH: &str =
        "reseller_id = ?1 AND (name LIKE ?2 ESCAPE '\\' OR unicode LIKE ?2 ESCAPE '\\')";
    let total: Option<f64> = db
        .prepare(format!("SELECT COUNT(*) AS n FROM domains WHERE {MATCH}"))
        .bind(&[reseller.into(), pattern.into()])?
        .first(Some("n"))
        .await?;
    let page = db
        .prepare(format!(
            "SELECT record FROM domains WHERE {MATCH} ORDER BY name LIMIT ?3 OFFSET ?4"
        ))
        .bind(&[reseller.into(), pattern.into(), limit.into(), first.into()])?
        .all()
        .await?
        .results::<RecordRow>()?
        .into_iter()
        .map(parse)
        .collect::<Result<Vec<DomainRecord>>>()?;
    Ok((page, total.unwrap_or(0.0) as u32))
}
