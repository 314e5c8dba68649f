//! Registry staff place or lift a server hold on one domain.
//!
//! Rules:
//! - hold: a PROCESSING, ACTIVE, PENDING TRANSFER (the transfer is cancelled) or
//!   HELD(declined, timeout) domain goes to HELD(staff); the state under it is kept, so a
//!   confirmation meanwhile still counts and a release returns to what it decided;
//! - release: any hold is lifted; the domain returns to the state it had before the hold.
//!   Releasing HELD(rejected) cancels its deletion;
//! - both are in the history with the staff identity and note.
//!
//! Errors: `not_yours` (not registry staff), `status_prohibits` (already held by staff or as
//! rejected, deleted, or — for release — not held), `not_found` (freed by now).

use super::effect::{Actor, Outcome};
use super::guard::{ensure_not_deleted, status_prohibits};
use super::record::{DomainRecord, DomainState, HoldReason};
use super::staff_decision::registry_domain_work;
use crate::error::Problems;
use crate::model::Timestamp;

/// Puts `domain` on HELD(staff); `note` goes into the history.
pub fn staff_hold(
    domain: &DomainRecord,
    actor: Actor,
    note: &str,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = registry_domain_work(domain, &actor, now)?;
    let domain = work.first_domain()?;
    ensure_not_deleted(domain, "a staff hold")?;
    let previous = match &domain.state {
        DomainState::Held {
            reason: reason @ (HoldReason::Staff | HoldReason::Rejected),
            ..
        } => {
            return Err(status_prohibits(format!(
                "{} is already held ({}); release it first.",
                domain.name.unicode,
                reason.as_str()
            )))
        }
        DomainState::PendingTransfer(_) => DomainState::Active,
        other => other.clone(),
    };
    let state = DomainState::Held {
        reason: HoldReason::Staff,
        since: now,
        delete_at: None,
        previous: Box::new(previous),
    };
    work.set_state(0, state, now, actor.clone(), "held by registry staff");
    Ok(work.finish().with_note(&actor, note))
}

/// Lifts the hold of `domain`: back to the state it had before.
pub fn staff_release(
    domain: &DomainRecord,
    actor: Actor,
    note: &str,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = registry_domain_work(domain, &actor, now)?;
    let domain = work.first_domain()?;
    let DomainState::Held { previous, .. } = &domain.state else {
        return Err(status_prohibits(format!(
            "{} is not on hold ({}); there is nothing to release.",
            domain.name.unicode,
            domain.state.describe()
        )));
    };
    let previous = previous.as_ref().clone();
    work.set_state(
        0,
        previous,
        now,
        actor.clone(),
        "released by registry staff",
    );
    Ok(work.finish().with_note(&actor, note))
}
