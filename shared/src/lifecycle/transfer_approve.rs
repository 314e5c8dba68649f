//! The losing side approves a pending transfer; also how every transfer completes.
//!
//! Rules:
//! - the losing (sponsoring) reseller, or the owner/admin with the link's token, may approve;
//! - completion: the gaining reseller becomes the sponsor; expiry + 1 year, capped so the
//!   unexpired term stays within 10 years; within the 45-day auto-renew grace the automatic
//!   renewal's year is reversed first (+1 year in total from the expiry before it, seed 003);
//!   the domain gets the new auth code drawn at request time (the old one stops working); the
//!   auto-renew grace ends (the transfer replaces it); the contacts move to the gaining
//!   reseller as planned at the request ([`super::transfer_handover`]); ACTIVE;
//! - after 5 days without answer the same completion happens by itself ([`super::tick`]);
//! - while `serverTransferProhibited` is set (registry lock, also when set after the request)
//!   the transfer cannot complete: approval is refused and the auto-approval waits; the
//!   losing side may still deny, the gaining side cancel. When the registry lifts the lock
//!   after the 5 days have passed, the auto-approval happens at the lift.
//!
//! Errors: `no_transfer_pending`, `not_yours` (another reseller), `token_invalid`,
//! `status_prohibits` (registry lock),
//! `not_found` (freed by now).

use super::effect::{Actor, Outcome};
use super::guard::ensure_no_server_status;
use super::record::{DomainRecord, DomainState, PendingTransfer, ServerStatus};
use super::secret::{token_invalid, token_matches};
use super::tick::advance;
use super::time::{add_years, max_expiry};
use super::transfer_handover::apply_handover;
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

/// Who answers a pending transfer on the losing side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LosingSide {
    /// The sponsoring reseller, by id.
    Reseller(String),
    /// The owner or admin, with the token of the e-mailed link.
    Token(String),
}

/// Approves the pending transfer of `domain`.
pub fn transfer_approve(
    domain: &DomainRecord,
    by: &LosingSide,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = Work::new(now, [], [domain]);
    advance(&mut work);
    let current = work.first_domain()?;
    let transfer = pending(current)?;
    let actor = check_losing_side(current, transfer, by)?;
    ensure_no_server_status(
        current,
        ServerStatus::ServerTransferProhibited,
        "completing the transfer",
    )?;
    complete_transfer(&mut work, 0, now, actor, "transfer approved");
    Ok(work.finish())
}

/// The pending transfer of `domain`, or `no_transfer_pending`.
pub(crate) fn pending(domain: &DomainRecord) -> Result<&PendingTransfer, Problems> {
    match &domain.state {
        DomainState::PendingTransfer(transfer) => Ok(transfer),
        other => Err(Problems::one(Problem::new(
            ErrorCode::NoTransferPending,
            "domain",
            format!(
                "{} has no pending transfer (it is {}).",
                domain.name.unicode,
                other.describe()
            ),
        ))),
    }
}

/// Checks that `by` may answer for the losing side; returns the actor for the history.
pub(crate) fn check_losing_side(
    domain: &DomainRecord,
    transfer: &PendingTransfer,
    by: &LosingSide,
) -> Result<Actor, Problems> {
    match by {
        LosingSide::Reseller(reseller) if *reseller == domain.reseller => {
            Ok(Actor::Reseller(reseller.clone()))
        }
        LosingSide::Reseller(_) => Err(Problems::one(Problem::new(
            ErrorCode::NotYours,
            "domain",
            format!(
                "Only the sponsoring reseller of {} may answer its transfer.",
                domain.name.unicode
            ),
        ))),
        LosingSide::Token(token) if token_matches(token, &transfer.token_hash) => {
            Ok(Actor::Registrant)
        }
        LosingSide::Token(_) => Err(token_invalid()),
    }
}

/// Completes the pending transfer of domain `index` at `at` (approval or the clock).
pub(crate) fn complete_transfer(
    work: &mut Work,
    index: usize,
    at: Timestamp,
    actor: Actor,
    reason: &str,
) {
    let Some(domain) = work.domain_mut(index) else {
        return;
    };
    let DomainState::PendingTransfer(transfer) = &domain.state else {
        return;
    };
    let transfer = transfer.clone();
    // Within the auto-renew grace the transfer's year replaces the automatic one.
    let base = match domain.auto_renew {
        Some(grace) if at < grace.grace_until => grace.previous_expiry,
        _ => domain.expires,
    };
    let cap = max_expiry(at).max(base);
    domain.expires = add_years(base, 1).min(cap);
    domain.reseller = transfer.gaining_reseller;
    domain.auth_code = transfer.next_auth_code;
    domain.auto_renew = None;
    apply_handover(work, index, &transfer.handover, at);
    work.set_state(index, DomainState::Active, at, actor, reason);
}
