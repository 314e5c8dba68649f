//! The owner confirms with the link's token (a POST from the verification page).
//!
//! Rules:
//! - the token must be the contact's current one and not expired;
//! - the contact becomes verified (`X-COOP-VERIFICATION=1`; later registrations need no link);
//! - its PROCESSING and HELD(timeout) domains become ACTIVE (under a staff hold or in
//!   redemption, the state they return to becomes ACTIVE);
//! - confirmation e-mail naming the activated domains. The token is used up.
//!
//! Errors: `token_invalid` (unknown, used or replaced), `token_expired`.

use super::effect::{Actor, Email, EmailKind, Event, Outcome};
use super::link::answer_work;
use super::owner_domains::activated;
use super::record::{ContactRecord, DomainRecord, HoldReason, Verification};
use super::work::Work;
use crate::error::Problems;
use crate::model::Timestamp;

/// Confirms `contact` (with the domains it owns) by `token`.
pub fn confirm(
    contact: &ContactRecord,
    domains: &[DomainRecord],
    token: &str,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = answer_work(contact, domains, token, now)?;
    verify(
        &mut work,
        Actor::Registrant,
        &[HoldReason::Timeout],
        "owner confirmed by link",
    );
    Ok(work.finish())
}

/// Makes contact 0 verified (if it is not) and activates its domains held for `lifted`
/// reasons; e-mails the owner when anything changed. Shared with staff approval.
pub(crate) fn verify(work: &mut Work, actor: Actor, lifted: &[HoldReason], reason: &str) {
    let now = work.now;
    let Some(contact) = work.contact_mut(0) else {
        return;
    };
    let from = contact.verification.word();
    let newly_verified = !contact.is_verified();
    if newly_verified {
        contact.verification = Verification::Verified {
            at: now,
            by: actor.clone(),
        };
        contact.updated = now;
    }
    let contact = contact.clone();
    if newly_verified {
        work.event(Event {
            at: now,
            actor: actor.clone(),
            object: contact.object(),
            from: from.to_string(),
            to: "verified".to_string(),
            reason: reason.to_string(),
            note: None,
        });
    }
    let mut activated_names = Vec::new();
    for i in work.owned_by(&contact.handle) {
        let Some(domain) = work.domain(i) else {
            continue;
        };
        if let Some(state) = activated(&domain.state, lifted) {
            activated_names.push(domain.name.clone());
            work.set_state(i, state, now, actor.clone(), reason);
            // An approval still waiting is settled: the registry (or the registrant's
            // confirmation) decided.
            if let Some(domain) = work.domain_mut(i) {
                domain.approval = None;
            }
        }
    }
    if newly_verified || !activated_names.is_empty() {
        work.email(Email {
            to: contact.info.email.clone(),
            kind: EmailKind::Confirmed,
            contact: contact.handle.clone(),
            domains: activated_names,
            token: None,
            expires_at: None,
            delete_at: None,
        });
    }
}
