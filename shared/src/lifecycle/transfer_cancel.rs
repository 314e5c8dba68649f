//! The gaining reseller cancels its pending transfer request.
//!
//! Rules: only the reseller that requested it; the domain returns to ACTIVE unchanged.
//!
//! Errors: `no_transfer_pending`, `not_yours`, `not_found` (freed by now).

use super::effect::{Actor, Outcome};
use super::record::{DomainRecord, DomainState};
use super::tick::advance;
use super::transfer_approve::pending;
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

/// Cancels the pending transfer of `domain` requested by `gaining_reseller`.
pub fn transfer_cancel(
    domain: &DomainRecord,
    gaining_reseller: &str,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = Work::new(now, [], [domain]);
    advance(&mut work);
    let current = work.first_domain()?;
    if pending(current)?.gaining_reseller != gaining_reseller {
        return Err(Problems::one(Problem::new(
            ErrorCode::NotYours,
            "domain",
            format!(
                "Only the reseller that requested the transfer of {} may cancel it.",
                current.name.unicode
            ),
        )));
    }
    work.set_state(
        0,
        DomainState::Active,
        now,
        Actor::Reseller(gaining_reseller.to_string()),
        "transfer cancelled",
    );
    Ok(work.finish())
}
