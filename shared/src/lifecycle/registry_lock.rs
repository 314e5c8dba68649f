//! Registry staff set and clear the registry lock's server statuses on one domain
//! (`serverTransferProhibited`, `serverDeleteProhibited`, `serverUpdateProhibited`).
//!
//! Rules:
//! - registry staff only;
//! - `set` and `clear` name distinct statuses (one status in both is refused);
//! - the statuses apply in any state (also while deleted: a locked domain in redemption
//!   cannot be restored); the state itself does not change;
//! - a change is in the history with the staff identity, what was set and cleared, and the
//!   note; a request that changes nothing records nothing;
//! - what the statuses refuse is checked by each command (`guard::ensure_no_server_status`):
//!   transfer request (`serverTransferProhibited`), delete by the sponsor or by staff
//!   (`serverDeleteProhibited`), ModifyDomain, owner change and restore
//!   (`serverUpdateProhibited`); each refusal is `status_prohibits` (reseller 552);
//! - `serverTransferProhibited` also stops a pending transfer from completing (approval
//!   refused, auto-approval waits, see [`super::transfer_approve`]); lifting it after the
//!   transfer's 5 days moves the auto-approval to the lift.
//!
//! Errors: `not_yours` (not registry staff), `invalid_value` (a status both set and
//! cleared), `not_found` (freed by now).

use super::effect::{Actor, Event, Outcome};
use super::record::{DomainRecord, DomainState, ServerStatus};
use super::staff_decision::registry_domain_work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

/// Sets `set` and clears `clear` on `domain` for staff `actor`; `note` goes into the history.
pub fn registry_lock(
    domain: &DomainRecord,
    actor: Actor,
    set: &[ServerStatus],
    clear: &[ServerStatus],
    note: &str,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    if let Some(both) = set.iter().find(|status| clear.contains(status)) {
        return Err(Problems::one(Problem::new(
            ErrorCode::InvalidValue,
            "clear",
            format!(
                "{} is both set and cleared; name each status once.",
                both.as_str()
            ),
        )));
    }
    let mut work = registry_domain_work(domain, &actor, now)?;
    work.first_domain()?;
    let Some(record) = work.domain_mut(0) else {
        return Ok(work.finish());
    };
    let mut added = Vec::new();
    let mut removed = Vec::new();
    for status in set {
        if record.server_statuses.insert(*status) {
            added.push(status.as_str());
        }
    }
    for status in clear {
        if record.server_statuses.remove(status) {
            removed.push(status.as_str());
        }
    }
    // A transfer that waited under the lock past its 5 days is approved at the lift.
    if removed.contains(&ServerStatus::ServerTransferProhibited.as_str()) {
        if let DomainState::PendingTransfer(transfer) = &mut record.state {
            transfer.auto_approve_at = transfer.auto_approve_at.max(now);
        }
    }
    if added.is_empty() && removed.is_empty() {
        return Ok(work.finish());
    }
    record.updated = now;
    let state = record.state.describe();
    let object = record.object();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("set {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("cleared {}", removed.join(", ")));
    }
    work.event(Event {
        at: now,
        actor: actor.clone(),
        object,
        from: state.clone(),
        to: state,
        reason: format!("registry lock: {}", parts.join("; ")),
        note: None,
    });
    Ok(work.finish().with_note(&actor, note))
}
