//! The registry's daily outputs: the zone file ([`zone`]) and the escrow deposit with its
//! change report ([`escrow`]), written as streams into R2 (`DEPOSITS`) with their index in D1.
//!
//! [`daily`] runs from cron: at most one output per run (the zone first, then the deposit,
//! then the reconciliation of the hidden primary when DNS is configured), each once per UTC day, so one invocation stays bounded; staff can run both at once from the
//! console.

pub mod escrow;
mod sink;
pub mod zone;

use coopreg_shared::model::Timestamp;
use worker::{Bucket, D1Database, Env, Result};

/// The R2 bucket of zone bodies and deposits.
pub fn bucket(env: &Env) -> Result<Bucket> {
    env.bucket("DEPOSITS")
}

/// `YYYY-MM-DD` (UTC) of `at`.
pub fn day_of(at: Timestamp) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "1970-01-01".to_string())
}

/// What one run produced, for the console and the logs.
#[derive(Debug, Default, serde::Serialize)]
pub struct DailyReport {
    pub zone: Option<zone::ZoneExport>,
    pub deposit: Option<escrow::DepositSummary>,
    /// The reconciliation of the hidden primary (when DNS is configured).
    pub dns: Option<crate::dns_store::Reconciliation>,
}

/// The cron step: the zone if not exported today, else the deposit if not made today.
pub async fn daily(env: &Env, db: &D1Database, now: Timestamp) -> Result<DailyReport> {
    let today = day_of(now);
    let mut report = DailyReport::default();
    let zone_done = crate::registry_store::latest_zone(db)
        .await?
        .is_some_and(|latest| day_of(latest.checked_at) == today);
    if !zone_done {
        report.zone = Some(zone::export(env, db, now).await?);
        return Ok(report);
    }
    if crate::registry_store::deposits_on(db, &today).await? == 0 {
        report.deposit = Some(escrow::deposit(env, db, now).await?);
        return Ok(report);
    }
    if crate::dns::api(env).is_some()
        && crate::dns_store::reconciliations_on(db, &today).await? == 0
    {
        report.dns = crate::dns::reconcile::run(env, db, now).await?;
    }
    Ok(report)
}

/// Both outputs now, whatever was done today (staff console, tests).
pub async fn run_all(env: &Env, db: &D1Database, now: Timestamp) -> Result<DailyReport> {
    Ok(DailyReport {
        zone: Some(zone::export(env, db, now).await?),
        deposit: Some(escrow::deposit(env, db, now).await?),
        dns: crate::dns::reconcile::run(env, db, now).await?,
    })
}
