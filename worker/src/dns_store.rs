//! SQL of the DNS push (issue 12): the `dns_outbox` of domains whose delegation must reach
//! the hidden primary, and the `dns_reconciliations` log (migrations/0008_dns.sql).

use coopreg_shared::dns::Drift;
use worker::{D1Database, D1PreparedStatement, Result};

/// A name owed a push, with the generation the push answers for.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Owed {
    pub name: String,
    pub generation: i64,
    pub attempts: i64,
}

/// The statement that records that `name`'s delegation must be pushed, for the batch that
/// changes the domain. The first attempt belongs to the request (after its response); cron
/// takes the row once `next_attempt_at` has passed. A new row starts at a random
/// `generation` (`fresh`), an existing one moves to the next: a push that read an older
/// generation never settles a row written after it, even one written after its row was
/// deleted.
pub fn enqueue(
    db: &D1Database,
    name: &str,
    fresh: u32,
    now: i64,
    first_retry_at: i64,
) -> Result<D1PreparedStatement> {
    db.prepare(
        "INSERT INTO dns_outbox (name, generation, queued_at, attempts, next_attempt_at)
         VALUES (?1, ?4, ?2, 0, ?3)
         ON CONFLICT (name) DO UPDATE SET generation = generation + 1, queued_at = ?2,
           attempts = 0, next_attempt_at = ?3, last_error = NULL",
    )
    .bind(&[
        name.into(),
        (now as f64).into(),
        (first_retry_at as f64).into(),
        f64::from(fresh).into(),
    ])
}

/// The rows of `names` (their generations now).
pub async fn owed(db: &D1Database, names: &[String]) -> Result<Vec<Owed>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(names).map_err(|e| worker::Error::RustError(e.to_string()))?;
    db.prepare(
        "SELECT name, generation, attempts FROM dns_outbox
         WHERE name IN (SELECT value FROM json_each(?1))",
    )
    .bind(&[list.into()])?
    .all()
    .await?
    .results::<Owed>()
}

/// Up to `limit` rows due at `now`, oldest first.
pub async fn due(db: &D1Database, now: i64, limit: u32) -> Result<Vec<Owed>> {
    db.prepare(
        "SELECT name, generation, attempts FROM dns_outbox WHERE next_attempt_at <= ?1
         ORDER BY next_attempt_at LIMIT ?2",
    )
    .bind(&[(now as f64).into(), limit.into()])?
    .all()
    .await?
    .results::<Owed>()
}

/// The pushes succeeded: rows still at the pushed generation are done.
pub async fn done(db: &D1Database, pushed: &[Owed]) -> Result<()> {
    if pushed.is_empty() {
        return Ok(());
    }
    let statements = pushed
        .iter()
        .map(|row| {
            db.prepare("DELETE FROM dns_outbox WHERE name = ?1 AND generation = ?2")
                .bind(&[row.name.as_str().into(), (row.generation as f64).into()])
        })
        .collect::<Result<Vec<_>>>()?;
    db.batch(statements).await.map(drop)
}

/// The pushes failed: each row (still at its generation) waits `retry_at(attempts)`.
pub async fn failed(
    db: &D1Database,
    pushed: &[Owed],
    error: &str,
    retry_at: impl Fn(i64) -> i64,
) -> Result<()> {
    if pushed.is_empty() {
        return Ok(());
    }
    let error: String = error.chars().take(500).collect();
    let statements = pushed
        .iter()
        .map(|row| {
            db.prepare(
                "UPDATE dns_outbox SET attempts = ?3, next_attempt_at = ?4, last_error = ?5
                 WHERE name = ?1 AND generation = ?2",
            )
            .bind(&[
                row.name.as_str().into(),
                (row.generation as f64).into(),
                ((row.attempts + 1) as f64).into(),
                (retry_at(row.attempts + 1) as f64).into(),
                error.as_str().into(),
            ])
        })
        .collect::<Result<Vec<_>>>()?;
    db.batch(statements).await.map(drop)
}

/// The outbox at a glance: rows waiting, rows that failed at least once, the oldest change.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct OutboxState {
    pub pending: i64,
    pub failing: i64,
    pub oldest_queued_at: Option<i64>,
    pub last_error: Option<String>,
}

pub async fn outbox_state(db: &D1Database) -> Result<OutboxState> {
    let row: Option<OutboxState> = db
        .prepare(
            "SELECT COUNT(*) AS pending, COALESCE(SUM(attempts > 0), 0) AS failing,
                    MIN(queued_at) AS oldest_queued_at,
                    (SELECT last_error FROM dns_outbox WHERE last_error IS NOT NULL
                      ORDER BY queued_at DESC LIMIT 1) AS last_error
             FROM dns_outbox",
        )
        .first(None)
        .await?;
    Ok(row.unwrap_or_default())
}

/// One reconciliation run.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Reconciliation {
    pub at: i64,
    pub day: String,
    pub expected: i64,
    pub server: i64,
    pub matching: i64,
    pub missing: i64,
    pub differing: i64,
    pub extra: i64,
    pub repaired: i64,
    pub error: Option<String>,
    pub millis: i64,
}

impl Reconciliation {
    pub fn with_drift(mut self, drift: &Drift) -> Self {
        self.matching = drift.matching as i64;
        self.missing = drift.missing as i64;
        self.differing = drift.differing as i64;
        self.extra = drift.extra as i64;
        self
    }
}

pub async fn insert_reconciliation(db: &D1Database, run: &Reconciliation) -> Result<()> {
    db.prepare(
        "INSERT INTO dns_reconciliations
           (at, day, expected, server, matching, missing, differing, extra, repaired, error, millis)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .bind(&[
        (run.at as f64).into(),
        run.day.as_str().into(),
        (run.expected as f64).into(),
        (run.server as f64).into(),
        (run.matching as f64).into(),
        (run.missing as f64).into(),
        (run.differing as f64).into(),
        (run.extra as f64).into(),
        (run.repaired as f64).into(),
        run.error
            .as_deref()
            .map_or(wasm_bindgen::JsValue::NULL, |e| e.into()),
        (run.millis as f64).into(),
    ])?
    .run()
    .await
    .map(drop)
}

/// The latest runs, newest first.
pub async fn recent_reconciliations(db: &D1Database, limit: u32) -> Result<Vec<Reconciliation>> {
    db.prepare(
        "SELECT at, day, expected, server, matching, missing, differing, extra, repaired, error,
                millis
         FROM dns_reconciliations ORDER BY id DESC LIMIT ?1",
    )
    .bind(&[limit.into()])?
    .all()
    .await?
    .results::<Reconciliation>()
}

/// Runs made on `day` (`YYYY-MM-DD`).
pub async fn reconciliations_on(db: &D1Database, day: &str) -> Result<i64> {
    let count: Option<f64> = db
        .prepare("SELECT COUNT(*) AS n FROM dns_reconciliations WHERE day = ?1")
        .bind(&[day.into()])?
        .first(Some("n"))
        .await?;
    Ok(count.unwrap_or(0.0) as i64)
}
