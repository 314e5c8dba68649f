//! The sponsoring reseller gives a domain a new owner contact.
//!
//! Rules:
//! - only the sponsor; not while deleted, while a transfer is pending, or with
//!   `clientUpdateProhibited`;
//! - the new owner belongs to the same reseller and has not been rejected;
//! - a verified new owner finalises a PROCESSING or HELD(timeout) domain (ACTIVE), as its
//!   confirmation would; otherwise the domain stays
//!   as it is while the new owner verifies: an unverified owner, or a pending one whose link
//!   expired, gets a link by e-mail (a pending one with a working link gets no second one);
//!   a timeout or decline then holds the domain like any of the owner's;
//! - the same owner again changes nothing.
//!
//! Random bytes: the first half makes the token.
//!
//! Errors: `not_yours`, `status_prohibits`, `transfer_pending`, `not_found` (freed by now).

use super::effect::{Actor, EmailKind, Event, Outcome};
use super::guard::{
    ensure_no_client_status, ensure_no_pending_transfer, ensure_no_server_status,
    ensure_not_deleted, ensure_sponsor,
};
use super::link::issue_link;
use super::owner_domains::activated;
use super::record::{
    ClientStatus, ContactRecord, DomainRecord, HoldReason, ServerStatus, Verification,
};
use super::secret::{halves, RandomBytes};
use super::tick::advance;
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

/// Makes `new_owner` (with the domains it already owns) the owner of `domain`.
pub fn change_owner(
    domain: &DomainRecord,
    reseller: &str,
    new_owner: &ContactRecord,
    new_owner_domains: &[DomainRecord],
    random: &RandomBytes,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = Work::new(
        now,
        [new_owner],
        core::iter::once(domain).chain(new_owner_domains),
    );
    advance(&mut work);
    let domain = work.first_domain()?;
    check(domain, reseller, work.first_contact()?)?;
    if domain.owner == new_owner.handle {
        return Ok(work.finish());
    }
    apply(&mut work, 0, reseller, random);
    Ok(work.finish())
}

/// The checks of an owner change, also used by [`super::modify_domain`].
pub(crate) fn check(
    domain: &DomainRecord,
    reseller: &str,
    new_owner: &ContactRecord,
) -> Result<(), Problems> {
    ensure_sponsor(domain, reseller)?;
    ensure_not_deleted(domain, "an owner change")?;
    ensure_no_pending_transfer(domain, "an owner change")?;
    ensure_no_server_status(domain, ServerStatus::ServerUpdateProhibited, "an update")?;
    ensure_no_client_status(domain, ClientStatus::ClientUpdateProhibited, "an update")?;
    if new_owner.reseller != reseller {
        return Err(Problems::one(Problem::new(
            ErrorCode::NotYours,
            "contacts.owner",
            format!("Contact {} belongs to another reseller.", new_owner.handle),
        )));
    }
    if let Verification::Rejected { .. } = new_owner.verification {
        return Err(Problems::one(Problem::new(
            ErrorCode::StatusProhibits,
            "contacts.owner",
            format!(
                "Contact {} was found not eligible for .coop and cannot own a domain.",
                new_owner.handle
            ),
        )));
    }
    Ok(())
}

/// Sets contact 0 as owner of domain `index` and starts its verification if needed.
pub(crate) fn apply(work: &mut Work, index: usize, reseller: &str, random: &RandomBytes) {
    let now = work.now;
    let Some(owner) = work.contact(0).cloned() else {
        return;
    };
    let actor = Actor::Reseller(reseller.to_string());
    let Some(domain) = work.domain_mut(index) else {
        return;
    };
    let previous_owner = std::mem::replace(&mut domain.owner, owner.handle.clone());
    domain.updated = now;
    let event = Event {
        at: now,
        actor: actor.clone(),
        object: domain.object(),
        from: format!("owner {previous_owner}"),
        to: format!("owner {}", owner.handle),
        reason: "owner changed".to_string(),
        note: None,
    };
    let finalised = activated(&domain.state, &[HoldReason::Timeout]);
    work.event(event);
    if owner.is_verified() {
        if let Some(state) = finalised {
            work.set_state(index, state, now, actor, "new owner is verified");
        }
    } else if !owner.has_outstanding_token(now) {
        let (token_bytes, _) = halves(random);
        issue_link(
            work,
            0,
            &token_bytes,
            EmailKind::Verification,
            actor,
            "verification link sent for a new owner",
        );
    }
}
