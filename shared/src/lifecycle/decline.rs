//! The owner declines with the link's token (a POST from the verification page).
//!
//! Rules:
//! - the token must be the contact's current one and not expired;
//! - the contact becomes rejected (registry staff may still approve it later);
//! - its PROCESSING domains go to HELD(declined); during a re-verification its ACTIVE
//!   domains do too (they stayed as they were only until the answer);
//! - e-mail to the owner naming the held domains. The token is used up.
//!
//! Errors: `token_invalid` (unknown, used or replaced), `token_expired`.

use super::effect::{Actor, Email, EmailKind, Event, Outcome};
use super::link::answer_work;
use super::owner_domains::held;
use super::record::{ContactRecord, DomainRecord, HoldReason, Verification};
use crate::error::Problems;
use crate::model::Timestamp;

/// Declines for `contact` (with the domains it owns) by `token`.
pub fn decline(
    contact: &ContactRecord,
    domains: &[DomainRecord],
    token: &str,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = answer_work(contact, domains, token, now)?;
    let reason = "owner declined by link";
    let Some(contact) = work.contact_mut(0) else {
        return Ok(work.finish());
    };
    contact.verification = Verification::Rejected {
        at: now,
        by: Actor::Registrant,
    };
    contact.updated = now;
    let contact = contact.clone();
    work.event(Event {
        at: now,
        actor: Actor::Registrant,
        object: contact.object(),
        from: "pending".to_string(),
        to: "rejected".to_string(),
        reason: reason.to_string(),
        note: None,
    });
    let mut held_names = Vec::new();
    for i in work.owned_by(&contact.handle) {
        let Some(domain) = work.domain(i) else {
            continue;
        };
        if let Some(state) = held(&domain.state, HoldReason::Declined, now) {
            held_names.push(domain.name.clone());
            work.set_state(i, state, now, Actor::Registrant, reason);
        }
    }
    work.email(Email {
        to: contact.info.email.clone(),
        kind: EmailKind::Declined,
        contact: contact.handle.clone(),
        domains: held_names,
        token: None,
        expires_at: None,
        delete_at: None,
    });
    Ok(work.finish())
}
