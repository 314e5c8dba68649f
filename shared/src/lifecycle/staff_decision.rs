//! Registry staff (console) or the signed decision callback approve or reject a contact.
//!
//! Rules (any verification state):
//! - approve: the contact becomes verified (its link, if any, is void); its PROCESSING and
//!   HELD(declined, timeout, rejected) domains become ACTIVE (a staff hold stays);
//!   e-mail to the owner naming the activated domains;
//! - reject: the contact becomes rejected; every live domain of it goes to HELD(rejected)
//!   (other holds replaced, a pending transfer cancelled), deleted 30 days later unless staff
//!   release it; e-mail to the owner with the date;
//! - repeating a decision changes nothing more (callbacks may be retried); the history
//!   names the staff member.
//!
//! Errors: `not_yours` (the actor is not registry staff or the callback).

use super::confirm::verify;
use super::effect::{Actor, Email, EmailKind, Event, Outcome};
use super::owner_domains::rejected;
use super::record::{ContactRecord, DomainRecord, HoldReason, Verification};
use super::tick::advance;
use super::time::REJECTED_DELETE_AFTER;
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

/// The registry's decision on a contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

/// Applies `decision` by `actor` to `contact` and the domains it owns.
pub fn staff_decision(
    contact: &ContactRecord,
    domains: &[DomainRecord],
    decision: Decision,
    actor: Actor,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    ensure_registry(&actor)?;
    let mut work = Work::new(now, [contact], domains);
    advance(&mut work);
    match decision {
        Decision::Approve => verify(
            &mut work,
            actor,
            &[
                HoldReason::Declined,
                HoldReason::Timeout,
                HoldReason::Rejected,
            ],
            "approved by the registry",
        ),
        Decision::Reject => reject(&mut work, actor),
    }
    Ok(work.finish())
}

/// Only registry staff and the signed callback decide on eligibility or place holds.
pub(crate) fn ensure_registry(actor: &Actor) -> Result<(), Problems> {
    if actor.is_registry() {
        Ok(())
    } else {
        Err(Problems::one(Problem::new(
            ErrorCode::NotYours,
            "actor",
            "Only registry staff or the registry's signed callback may do this.",
        )))
    }
}

/// The start of a registry command on one domain: the actor must be the registry, and the
/// domain is projected to `now`.
pub(crate) fn registry_domain_work(
    domain: &DomainRecord,
    actor: &Actor,
    now: Timestamp,
) -> Result<Work, Problems> {
    ensure_registry(actor)?;
    let mut work = Work::new(now, [], [domain]);
    advance(&mut work);
    Ok(work)
}

fn reject(work: &mut Work, actor: Actor) {
    let now = work.now;
    let reason = "rejected by the registry";
    let Some(contact) = work.contact_mut(0) else {
        return;
    };
    let from = contact.verification.word();
    let newly_rejected = !matches!(contact.verification, Verification::Rejected { .. });
    if newly_rejected {
        contact.verification = Verification::Rejected {
            at: now,
            by: actor.clone(),
        };
        contact.updated = now;
    }
    let contact = contact.clone();
    if newly_rejected {
        work.event(Event {
            at: now,
            actor: actor.clone(),
            object: contact.object(),
            from: from.to_string(),
            to: "rejected".to_string(),
            reason: reason.to_string(),
            note: None,
        });
    }
    let mut held_names = Vec::new();
    for i in work.owned_by(&contact.handle) {
        let Some(domain) = work.domain(i) else {
            continue;
        };
        if let Some(state) = rejected(&domain.state, now) {
            held_names.push(domain.name.clone());
            work.set_state(i, state, now, actor.clone(), reason);
        }
    }
    if newly_rejected || !held_names.is_empty() {
        work.email(Email {
            to: contact.info.email.clone(),
            kind: EmailKind::Rejected,
            contact: contact.handle.clone(),
            domains: held_names,
            token: None,
            expires_at: None,
            delete_at: Some(now.saturating_add(REJECTED_DELETE_AFTER)),
        });
    }
}
