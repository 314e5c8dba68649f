//! The sponsoring reseller deletes a domain (`DeleteDomain`).
//!
//! Rules:
//! - only the sponsor; not with `clientDeleteProhibited`, not while a transfer is pending,
//!   not when already deleted; not under the registry lock's `serverDeleteProhibited`;
//! - ACTIVE or PROCESSING within the 5-day add grace period: the name is freed at once;
//! - otherwise (ACTIVE, PROCESSING, HELD — also within the 45-day auto-renew grace):
//!   REDEMPTION for 30 days (restorable), then PENDING DELETE for 5 days, then free.
//!
//! Errors: `not_yours`, `status_prohibits`, `transfer_pending`, `not_found` (freed by now).
//!
//! [`staff_delete`]: registry staff delete any domain (seed 001: a domain found ineligible is
//! held, then deleted from the registry console). The same steps as the sponsor's delete,
//! with the staff identity in the history; the sponsor's `clientDeleteProhibited` does not
//! bind the registry, but its own `serverDeleteProhibited` does (staff lift it first). Errors: `not_yours` (not registry staff), `status_prohibits` (already
//! deleted), `transfer_pending`, `not_found`.

use super::effect::{Actor, Outcome};
use super::guard::{
    ensure_no_client_status, ensure_no_pending_transfer, ensure_no_server_status,
    ensure_not_deleted, ensure_sponsor,
};
use super::record::{ClientStatus, DomainRecord, DomainState, ServerStatus};
use super::staff_decision::registry_domain_work;
use super::tick::advance;
use super::time::REDEMPTION;
use super::work::Work;
use crate::error::Problems;
use crate::model::Timestamp;

/// Deletes `domain` for `reseller`.
pub fn delete(domain: &DomainRecord, reseller: &str, now: Timestamp) -> Result<Outcome, Problems> {
    let mut work = Work::new(now, [], [domain]);
    advance(&mut work);
    let current = work.first_domain()?;
    ensure_sponsor(current, reseller)?;
    ensure_not_deleted(current, "a delete")?;
    ensure_no_pending_transfer(current, "a delete")?;
    ensure_no_server_status(current, ServerStatus::ServerDeleteProhibited, "a delete")?;
    ensure_no_client_status(current, ClientStatus::ClientDeleteProhibited, "a delete")?;
    let actor = Actor::Reseller(reseller.to_string());
    delete_now(work, actor, "deleted")
}

/// Deletes `domain` for registry staff `actor`; `note` goes into the history.
pub fn staff_delete(
    domain: &DomainRecord,
    actor: Actor,
    note: &str,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let work = registry_domain_work(domain, &actor, now)?;
    let current = work.first_domain()?;
    ensure_not_deleted(current, "a delete")?;
    ensure_no_pending_transfer(current, "a delete")?;
    ensure_no_server_status(current, ServerStatus::ServerDeleteProhibited, "a delete")?;
    Ok(delete_now(work, actor.clone(), "deleted by registry staff")?.with_note(&actor, note))
}

/// Frees the name within the add grace period, else starts the redemption period.
fn delete_now(mut work: Work, actor: Actor, reason: &str) -> Result<Outcome, Problems> {
    let now = work.now;
    let current = work.first_domain()?;
    let in_add_grace = current.add_grace_until.is_some_and(|until| now < until);
    let live = matches!(current.state, DomainState::Active | DomainState::Processing);
    if in_add_grace && live {
        work.free_domain(
            0,
            now,
            actor,
            &format!("{reason} within the add grace period"),
        );
    } else {
        let state = DomainState::Redemption {
            since: now,
            until: now.saturating_add(REDEMPTION),
            previous: Box::new(current.state.clone()),
        };
        if let Some(record) = work.domain_mut(0) {
            record.auto_renew = None;
            record.add_grace_until = None;
        }
        work.set_state(0, state, now, actor, reason);
    }
    Ok(work.finish())
}
