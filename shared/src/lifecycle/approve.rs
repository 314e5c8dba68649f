//! The registrant's mailbox answers the approval request of a web order placed under its
//! already verified registrant (product.md: nobody gets a domain in a registrant's name
//! without that registrant's mailbox). POSTs from the approval page, like the verification.
//!
//! Rules of [`approve`]:
//! - the token must be the domain's current approval token and not expired;
//! - the domain must still be waiting: PROCESSING, or HELD(timeout) after a new link (under a
//!   staff hold, the state it returns to becomes ACTIVE); no eligibility re-check (the
//!   registrant is verified);
//! - it becomes ACTIVE; the token is used up; e-mail to the owner naming the domain.
//!
//! Rules of [`decline_approval`]:
//! - the same token checks; the domain must still be waiting (as above);
//! - the name is freed at once (the registration is deleted, whatever the add grace); the
//!   registrant stays verified; e-mail to the owner saying the name is free.
//!
//! Rules of [`request_new_approval`]:
//! - only a domain with an approval under way (waiting, whether its link still works or has
//!   expired);
//! - a new token replaces the old one, valid 15 days with its own day-7 reminder and day-15
//!   timeout; e-mail with the new link to the address the request went to. A held domain
//!   stays held until approved.
//!
//! Errors: `token_invalid` (unknown, used or replaced), `token_expired`, `status_prohibits`
//! (the domain is no longer waiting: approved by staff, deleted…), `not_found` (freed by now).
//!
//! [`resend_link`]: the order page's "send me a new link": a new approval link when the
//! order's domain has an approval under way, otherwise a new verification link for the owner
//! ([`super::request_new_link`]).

use super::effect::{Actor, Email, EmailKind, Event, Outcome};
use super::guard::status_prohibits;
use super::owner_domains::activated;
use super::record::{Approval, ContactRecord, DomainRecord, DomainState, HoldReason};
use super::request_new_link::new_verification_link;
use super::secret::{check_approval_token, halves, new_token, token_hash, RandomBytes};
use super::tick::advance;
use super::work::{domain_gone, Work};
use crate::error::Problems;
use crate::model::Timestamp;

/// Approves the web order `domain` by `token`.
pub fn approve(domain: &DomainRecord, token: &str, now: Timestamp) -> Result<Outcome, Problems> {
    let (mut work, to) = answer_work(domain, token, now)?;
    let current = work.first_domain()?;
    let name = current.name.clone();
    let owner = current.owner.clone();
    let Some(state) = waiting(current).and_then(|state| activated(state, &[HoldReason::Timeout]))
    else {
        return Err(not_waiting(current));
    };
    if let Some(record) = work.domain_mut(0) {
        record.approval = None;
    }
    work.set_state(
        0,
        state,
        now,
        Actor::Registrant,
        "registration approved by the registrant's mailbox",
    );
    work.email(Email {
        to,
        kind: EmailKind::Confirmed,
        contact: owner,
        domains: vec![name],
        token: None,
        expires_at: None,
        delete_at: None,
    });
    Ok(work.finish())
}

/// Declines the web order `domain` by `token`: the name is free at once.
pub fn decline_approval(
    domain: &DomainRecord,
    token: &str,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let (mut work, to) = answer_work(domain, token, now)?;
    let current = work.first_domain()?;
    if waiting(current).is_none() {
        return Err(not_waiting(current));
    }
    let name = current.name.clone();
    let owner = current.owner.clone();
    work.free_domain(
        0,
        now,
        Actor::Registrant,
        "registration declined by the registrant's mailbox; the name is free",
    );
    work.email(Email {
        to,
        kind: EmailKind::ApprovalDeclined,
        contact: owner,
        domains: vec![name],
        token: None,
        expires_at: None,
        delete_at: None,
    });
    Ok(work.finish())
}

/// Sends a new approval link for `domain`, to the address of its request; `actor` is who
/// asked.
pub fn request_new_approval(
    domain: &DomainRecord,
    actor: Actor,
    random: &RandomBytes,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = Work::new(now, [], [domain]);
    advance(&mut work);
    new_approval_link(&mut work, 0, actor, random)?;
    Ok(work.finish())
}

/// A new link for the order of `ascii`: its approval when one is under way, else the owner's
/// verification. `owner_domains` are all the domains `owner` owns (`ascii` among them).
pub fn resend_link(
    owner: &ContactRecord,
    owner_domains: &[DomainRecord],
    ascii: &str,
    actor: Actor,
    random: &RandomBytes,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = Work::new(now, [owner], owner_domains);
    advance(&mut work);
    let approval_under_way = work
        .find_domain(ascii)
        .filter(|&index| work.domain(index).is_some_and(|d| d.approval.is_some()));
    match approval_under_way {
        Some(index) => new_approval_link(&mut work, index, actor, random)?,
        None => new_verification_link(&mut work, actor, random)?,
    }
    Ok(work.finish())
}

/// The domain brought up to now, once `token` is its current approval token, with the
/// address the request went to.
fn answer_work(
    domain: &DomainRecord,
    token: &str,
    now: Timestamp,
) -> Result<(Work, String), Problems> {
    let mut work = Work::new(now, [], [domain]);
    advance(&mut work);
    let current = work.first_domain()?;
    check_approval_token(current, token, now)?;
    let to = current
        .approval
        .as_ref()
        .map(|approval| approval.email.clone())
        .unwrap_or_default();
    Ok((work, to))
}

/// The state an approval decides, when the domain still waits for one: PROCESSING or
/// HELD(timeout), possibly under a staff hold.
fn waiting(domain: &DomainRecord) -> Option<&DomainState> {
    let mut state = &domain.state;
    loop {
        match state {
            DomainState::Processing
            | DomainState::Held {
                reason: HoldReason::Timeout,
                ..
            } => return Some(&domain.state),
            DomainState::Held {
                reason: HoldReason::Staff,
                previous,
                ..
            } => state = previous,
            _ => return None,
        }
    }
}

fn not_waiting(domain: &DomainRecord) -> Problems {
    status_prohibits(format!(
        "{} no longer waits for an approval ({}).",
        domain.name.unicode,
        domain.state.describe()
    ))
}

/// Gives domain `index` a fresh approval token and e-mails it to the address of its request.
fn new_approval_link(
    work: &mut Work,
    index: usize,
    actor: Actor,
    random: &RandomBytes,
) -> Result<(), Problems> {
    let now = work.now;
    let Some(domain) = work.domain(index) else {
        return Err(domain_gone());
    };
    let Some(to) = domain
        .approval
        .as_ref()
        .filter(|_| waiting(domain).is_some())
        .map(|approval| approval.email.clone())
    else {
        return Err(status_prohibits(format!(
            "{} has no approval under way: no new link is sent.",
            domain.name.unicode
        )));
    };
    let (bytes, _) = halves(random);
    let token = new_token(&bytes);
    let approval = Approval::issued(token_hash(&token), to.clone(), now);
    let expires_at = approval.token_expires_at;
    let Some(domain) = work.domain_mut(index) else {
        return Ok(());
    };
    domain.approval = Some(approval);
    domain.updated = now;
    let name = domain.name.clone();
    let object = domain.object();
    let state = domain.state.describe();
    let contact = domain.owner.clone();
    work.email(Email {
        to,
        kind: EmailKind::ApprovalRequest,
        contact,
        domains: vec![name],
        token: Some(token),
        expires_at: Some(expires_at),
        delete_at: None,
    });
    work.event(Event {
        at: now,
        actor,
        object,
        from: state.clone(),
        to: state,
        reason: "new approval link requested".to_string(),
        note: None,
    });
    Ok(())
}
