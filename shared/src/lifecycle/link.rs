//! Verification links: issuing one to a contact, and naming the domains it concerns.

use super::effect::{Actor, Email, EmailKind, Event};
use super::owner_domains::{activated, held};
use super::record::DomainRecord;
use super::record::{ContactRecord, HoldReason, Verification};
use super::secret::{check_verification_token, new_token, token_hash};
use super::tick::advance;
use super::work::Work;
use crate::error::Problems;
use crate::model::{DomainName, Timestamp};

/// The work of an answer to a verification link (confirm or decline): `contact` and the
/// domains it owns brought up to `now`, once the token is its current one and not expired.
pub(crate) fn answer_work(
    contact: &ContactRecord,
    domains: &[DomainRecord],
    token: &str,
    now: Timestamp,
) -> Result<Work, Problems> {
    let mut work = Work::new(now, [contact], domains);
    advance(&mut work);
    check_verification_token(work.first_contact()?, token, now)?;
    Ok(work)
}

/// Gives contact `index` a fresh token (any older one is void from now on), makes it
/// pending, and e-mails the link to its current address.
pub(crate) fn issue_link(
    work: &mut Work,
    index: usize,
    bytes: &[u8; 16],
    kind: EmailKind,
    actor: Actor,
    reason: &str,
) {
    let now = work.now;
    let Some(contact) = work.contact_mut(index) else {
        return;
    };
    let token = new_token(bytes);
    let from = contact.verification.word();
    let since = match contact.verification {
        Verification::Pending { since, .. } => since,
        _ => now,
    };
    contact.verification = ContactRecord::pending_with(token_hash(&token), since, now);
    contact.updated = now;
    let contact = contact.clone();
    let domains = concerned(work, &contact.handle);
    work.email(Email {
        to: contact.info.email.clone(),
        kind,
        contact: contact.handle.clone(),
        domains,
        token: Some(token),
        expires_at: contact.token_expires_at(),
        delete_at: None,
    });
    work.event(Event {
        at: now,
        actor,
        object: contact.object(),
        from: from.to_string(),
        to: "pending".to_string(),
        reason: reason.to_string(),
        note: None,
    });
}

/// The owner's domains that its verification decides: those a confirmation would activate
/// or a timeout would hold.
pub(crate) fn concerned(work: &Work, handle: &str) -> Vec<DomainName> {
    let now = work.now;
    work.owned_by(handle)
        .into_iter()
        .filter_map(|i| work.domain(i))
        .filter(|domain| {
            activated(&domain.state, &[HoldReason::Timeout]).is_some()
                || held(&domain.state, HoldReason::Timeout, now).is_some()
        })
        .map(|domain| domain.name.clone())
        .collect()
}
