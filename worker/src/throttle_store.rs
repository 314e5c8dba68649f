//! SQL of the failed-login throttle (`coopreg_shared::limits::login`): failures per
//! (kind, account, client network) key, and the pruning of old failures and expired sessions.

use coopreg_shared::limits::login::FAILURE_WINDOW;
use coopreg_shared::model::Timestamp;
use worker::{D1Database, D1PreparedStatement, D1Result, Result};

#[derive(serde::Deserialize)]
struct FailureRow {
    n: f64,
    oldest: Option<f64>,
}

/// The failures of `key` within the window (count and oldest), read with other queries.
pub fn failures_statement(
    db: &D1Database,
    key: &str,
    now: Timestamp,
) -> Result<D1PreparedStatement> {
    db.prepare(
        "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_throttle WHERE key = ?1 AND at > ?2",
    )
    .bind(&[key.into(), ((now - FAILURE_WINDOW) as f64).into()])
}

/// The result of [`failures_statement`]: (count, oldest).
pub fn failures_result(result: &D1Result) -> Result<(u32, Option<Timestamp>)> {
    Ok(result
        .results::<FailureRow>()?
        .into_iter()
        .next()
        .map_or((0, None), |row| {
            (row.n as u32, row.oldest.map(|at| at as Timestamp))
        }))
}

/// Records a failed login under `key` and drops failures that have aged out.
pub async fn record_failure(db: &D1Database, key: &str, now: Timestamp) -> Result<()> {
    db.batch(vec![
        db.prepare("INSERT INTO login_throttle (key, at) VALUES (?1, ?2)")
            .bind(&[key.into(), (now as f64).into()])?,
        prune_failures(db, now)?,
    ])
    .await?;
    Ok(())
}

fn prune_failures(db: &D1Database, now: Timestamp) -> Result<D1PreparedStatement> {
    db.prepare("DELETE FROM login_throttle WHERE at <= ?1")
        .bind(&[((now - FAILURE_WINDOW) as f64).into()])
}

/// Cron: drops expired sessions and aged-out failures.
pub async fn prune(db: &D1Database, now: Timestamp) -> Result<()> {
    db.batch(vec![
        db.prepare("DELETE FROM sessions WHERE expires_at <= ?1")
            .bind(&[(now as f64).into()])?,
        prune_failures(db, now)?,
    ])
    .await?;
    Ok(())
}
