//! The losing side denies a pending transfer.
//!
//! Rules: the losing (sponsoring) reseller, or the owner/admin with the link's token; the
//! domain returns to ACTIVE with its sponsor, expiry and auth code unchanged.
//!
//! Errors: `no_transfer_pending`, `not_yours`, `token_invalid`, `not_found` (freed by now).

use super::effect::Outcome;
use super::record::{DomainRecord, DomainState};
use super::tick::advance;
use super::transfer_approve::{check_losing_side, pending, LosingSide};
use super::work::Work;
use crate::error::Problems;
use crate::model::Timestamp;

/// Denies the pending transfer of `domain`.
pub fn transfer_deny(
    domain: &DomainRecord,
    by: &LosingSide,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = Work::new(now, [], [domain]);
    advance(&mut work);
    let current = work.first_domain()?;
    let actor = check_losing_side(current, pending(current)?, by)?;
    work.set_state(0, DomainState::Active, now, actor, "transfer denied");
    Ok(work.finish())
}
