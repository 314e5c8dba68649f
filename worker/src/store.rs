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
