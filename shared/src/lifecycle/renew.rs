//! The sponsoring reseller renews a domain (`RenewDomain`).
//!
//! Rules:
//! - only the sponsor; only ACTIVE or HELD domains (not PROCESSING, deleted or with a
//!   pending transfer); not with `clientRenewProhibited`;
//! - `EXPIRATION` must be the current expiration year, so that a retried renew cannot renew
//!   twice; during the auto-renew grace it is the year before the automatic renewal, and the
//!   renewal replaces the automatic one (the grace ends);
//! - the period is 1–10 years and the unexpired term afterwards at most 10 years.
//!
//! Errors: `not_yours`, `status_prohibits`, `transfer_pending`, `expiration_mismatch`,
//! `invalid_value` (period 0), `period_exceeded`, `not_found` (freed by now).

use super::effect::{Actor, Event, Outcome};
use super::guard::{
    check_period, ensure_no_client_status, ensure_no_pending_transfer, ensure_not_deleted,
    ensure_sponsor, period_exceeded, status_prohibits,
};
use super::record::{ClientStatus, DomainRecord, DomainState};
use super::tick::advance;
use super::time::{add_years, format_time, max_expiry, year_of, MAX_YEARS};
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

/// Renews `domain` for `period` years; `expiration_year` is the reseller's `EXPIRATION`.
pub fn renew(
    domain: &DomainRecord,
    reseller: &str,
    period: u32,
    expiration_year: i64,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = Work::new(now, [], [domain]);
    advance(&mut work);
    let current = work.first_domain()?;
    ensure_sponsor(current, reseller)?;
    ensure_not_deleted(current, "a renewal")?;
    ensure_no_pending_transfer(current, "a renewal")?;
    if current.state == DomainState::Processing {
        return Err(status_prohibits(format!(
            "{} is still PROCESSING (waiting for the owner's verification): it cannot be renewed yet.",
            current.name.unicode
        )));
    }
    ensure_no_client_status(current, ClientStatus::ClientRenewProhibited, "a renewal")?;
    check_period(period)?;
    let base = current
        .auto_renew
        .map_or(current.expires, |auto_renew| auto_renew.previous_expiry);
    if year_of(base) != expiration_year {
        return Err(Problems::one(Problem::new(
            ErrorCode::ExpirationMismatch,
            "expiration",
            format!(
                "EXPIRATION must be {}, the current expiration year of {}{}; {expiration_year} \
                 was given (was it renewed already?).",
                year_of(base),
                current.name.unicode,
                if current.auto_renew.is_some() {
                    " before its automatic renewal"
                } else {
                    ""
                }
            ),
        )));
    }
    let expires = add_years(base, period);
    if expires > max_expiry(now) {
        return Err(period_exceeded(format!(
            "Renewing {} for {period} year(s) would make it expire at {}, more than {MAX_YEARS} \
             years from now; at most {} is possible.",
            current.name.unicode,
            format_time(expires),
            format_time(max_expiry(now))
        )));
    }
    let Some(record) = work.domain_mut(0) else {
        return Ok(work.finish());
    };
    let from = format!("expires {}", format_time(record.expires));
    record.expires = expires;
    record.auto_renew = None;
    record.updated = now;
    let event = Event {
        at: now,
        actor: Actor::Reseller(reseller.to_string()),
        object: record.object(),
        from,
        to: format!("expires {}", format_time(expires)),
        reason: format!("renewed for {period} year(s)"),
        note: None,
    };
    work.event(event);
    Ok(work.finish())
}
