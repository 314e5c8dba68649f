//! "Now" for the worker. In production this is the system clock. The dev-tools build (local
//! `wrangler dev` and tests only) adds an offset stored in D1, so tests can move time forward
//! by days and watch reminders, holds and transfers happen.

use coopreg_shared::model::Timestamp;
use worker::{D1Database, Result};

fn system_now() -> Timestamp {
    chrono::Utc::now().timestamp()
}

/// The current time as the product sees it.
#[cfg(not(feature = "dev-tools"))]
pub async fn now(_db: &D1Database) -> Result<Timestamp> {
    Ok(system_now())
}

/// The current time as the product sees it: the system clock plus the test offset.
#[cfg(feature = "dev-tools")]
pub async fn now(db: &D1Database) -> Result<Timestamp> {
    Ok(system_now() + offset(db).await?)
}

// Only `/dev/clock` changes the offset, so the isolate keeps it after the first read; a new
// isolate (a restart) reads it from D1 again.
#[cfg(feature = "dev-tools")]
thread_local! {
    static CACHED_OFFSET: std::cell::Cell<Option<i64>> = const { std::cell::Cell::new(None) };
}

#[cfg(feature = "dev-tools")]
pub async fn offset(db: &D1Database) -> Result<i64> {
    if let Some(offset) = CACHED_OFFSET.with(|cell| cell.get()) {
        return Ok(offset);
    }
    ensure_table(db).await?;
    let offset: Option<f64> = db
        .prepare("SELECT offset_seconds FROM dev_clock WHERE id = 1")
        .first(Some("offset_seconds"))
        .await?;
    let offset = offset.unwrap_or(0.0) as i64;
    CACHED_OFFSET.with(|cell| cell.set(Some(offset)));
    Ok(offset)
}

#[cfg(feature = "dev-tools")]
pub async fn advance(db: &D1Database, seconds: i64) -> Result<i64> {
    ensure_table(db).await?;
    let new_offset: Option<f64> = db
        .prepare(
            "INSERT INTO dev_clock (id, offset_seconds) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET offset_seconds = offset_seconds + ?1
             RETURNING offset_seconds",
        )
        .bind(&[(seconds as f64).into()])?
        .first(Some("offset_seconds"))
        .await?;
    let new_offset = new_offset.unwrap_or(0.0) as i64;
    CACHED_OFFSET.with(|cell| cell.set(Some(new_offset)));
    Ok(new_offset)
}

#[cfg(feature = "dev-tools")]
pub async fn reset(db: &D1Database) -> Result<()> {
    ensure_table(db).await?;
    db.prepare("DELETE FROM dev_clock").run().await?;
    CACHED_OFFSET.with(|cell| cell.set(Some(0)));
    Ok(())
}

/// The offset lives in a table that only the dev-tools build creates, so a production
/// database never has it.
#[cfg(feature = "dev-tools")]
async fn ensure_table(db: &D1Database) -> Result<()> {
    db.prepare(
        "CREATE TABLE IF NOT EXISTS dev_clock (id INTEGER PRIMARY KEY, offset_seconds INTEGER NOT NULL)",
    )
    .run()
    .await?;
    Ok(())
}
