//! Time passes: every time-driven step that is due at `now`, in the order it fell due.
//!
//! Rules (product.md, "State machine at a glance"):
//! - day 7 after a link was issued, without answer: reminder e-mail (once per link; skipped
//!   when the link has expired by the time this runs);
//! - day 15: the link expires; the owner's PROCESSING (and, during a re-verification, ACTIVE)
//!   domains go to HELD(timeout); e-mail saying how to get a new link;
//! - 30 days in HELD(rejected): deleted, the name is free;
//! - pending transfer for 5 days: approved automatically;
//! - an approval request of a web order (registrant already verified): reminder at day 7,
//!   HELD(timeout) at day 15 with an e-mail saying how to get a new link;
//! - a web order never confirmed — HELD(timeout) or HELD(declined) — is deleted 45 days
//!   after it was placed, and the name is free (unless confirmed, approved by staff or
//!   released first); the e-mail of its day-15 hold names that date;
//! - redemption ends after 30 days: PENDING DELETE for 5 days, then the name is free;
//! - expiry reached while ACTIVE or HELD (staff, rejected): renewed for one year, 45-day
//!   auto-renew grace; while HELD(timeout) or HELD(declined) it is not renewed: it goes to
//!   REDEMPTION (30 days), PENDING DELETE (5 days), then the name is free;
//! - end of the add grace and auto-renew grace periods.
//!
//! Each step happens at the time it fell due, not at `now`, so a late cron and a read
//! projection reach exactly the same records. Calling it again at the same `now` changes
//! nothing. [`project`] is the same without the e-mails and history, for reads.
//!
//! Give it the due contacts each with ALL the domains it owns, and the due domains. A contact
//! given without some of its domains would have its day-15 timeout hold only the ones given
//! and then be done: to tick a due domain alone, pass no contacts (domain steps need none).
//! It never fails.

use super::effect::{Actor, Email, EmailKind, Event, Outcome};
use super::owner_domains::held;
use super::record::{
    ContactRecord, ContactStep, DomainRecord, DomainState, DomainStep, HoldReason, Verification,
};
use super::time::{add_years, AUTO_RENEW_GRACE, PENDING_DELETE, REDEMPTION};
use super::transfer_approve::complete_transfer;
use super::work::Work;
use crate::model::Timestamp;

/// Runs every step due at `now` and returns the changes, e-mails and history.
pub fn tick(contacts: &[ContactRecord], domains: &[DomainRecord], now: Timestamp) -> Outcome {
    let mut work = Work::new(now, contacts, domains);
    advance(&mut work);
    work.finish()
}

/// The records as they are at `now`, with the names freed by then.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Projection {
    pub contacts: Vec<ContactRecord>,
    pub domains: Vec<DomainRecord>,
    pub freed: Vec<String>,
}

/// The records as [`tick`] would leave them at `now`, for reads; nothing is sent.
pub fn project(contacts: &[ContactRecord], domains: &[DomainRecord], now: Timestamp) -> Projection {
    let mut work = Work::new(now, contacts, domains);
    advance(&mut work);
    let (contacts, domains, freed) = work.into_records();
    Projection {
        contacts,
        domains,
        freed,
    }
}

/// One domain (with its owner, when at hand) as it is at `now`; `None` once its name is free.
pub fn project_domain(
    domain: &DomainRecord,
    owner: Option<&ContactRecord>,
    now: Timestamp,
) -> Option<DomainRecord> {
    let owner: Vec<ContactRecord> = owner.into_iter().cloned().collect();
    project(&owner, core::slice::from_ref(domain), now)
        .domains
        .into_iter()
        .next()
}

/// A bound on steps per call, far above any real backlog (one step per domain-year late).
const MAX_STEPS: usize = 100_000;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    Contact(usize, ContactStep),
    Domain(usize, DomainStep),
}

/// Applies due steps, earliest first, until none is due at `work.now`.
pub(crate) fn advance(work: &mut Work) {
    for _ in 0..MAX_STEPS {
        let Some((at, due)) = earliest_due(work) else {
            return;
        };
        match due {
            Due::Contact(index, step) => contact_step(work, index, step, at),
            Due::Domain(index, step) => domain_step(work, index, step, at),
        }
    }
}

fn earliest_due(work: &Work) -> Option<(Timestamp, Due)> {
    let contacts = (0..work.contact_count()).filter_map(|i| {
        let (at, step) = work.contact(i)?.next_step()?;
        Some((at, Due::Contact(i, step)))
    });
    let domains = (0..work.domain_count()).filter_map(|i| {
        let (at, step) = work.domain(i)?.next_step()?;
        Some((at, Due::Domain(i, step)))
    });
    contacts
        .chain(domains)
        .filter(|(at, _)| *at <= work.now)
        .min()
}

fn contact_step(work: &mut Work, index: usize, step: ContactStep, at: Timestamp) {
    let now = work.now;
    let Some(contact) = work.contact_mut(index) else {
        return;
    };
    let Verification::Pending {
        token_expires_at,
        reminder_sent,
        timed_out,
        ..
    } = &mut contact.verification
    else {
        return;
    };
    let expires_at = *token_expires_at;
    match step {
        ContactStep::Reminder => {
            *reminder_sent = true;
            if now >= expires_at {
                // Late: the timeout e-mail follows at once and says all a reminder would.
                return;
            }
        }
        ContactStep::Timeout => {
            *timed_out = true;
            contact.updated = at;
        }
    }
    let contact = contact.clone();
    let mut domains = Vec::new();
    let mut delete_at: Option<Timestamp> = None;
    for i in work.owned_by(&contact.handle) {
        let Some(domain) = work.domain(i) else {
            continue;
        };
        match step {
            ContactStep::Reminder => {
                if held(&domain.state, HoldReason::Timeout, at).is_some() {
                    domains.push(domain.name.clone());
                }
            }
            ContactStep::Timeout => {
                if let Some(state) = held(&domain.state, HoldReason::Timeout, at) {
                    domains.push(domain.name.clone());
                    delete_at = earliest(delete_at, domain.unconfirmed_deletion_at());
                    work.set_state(
                        i,
                        state,
                        at,
                        Actor::System,
                        "verification link expired after 15 days",
                    );
                }
            }
        }
    }
    let (kind, reason) = match step {
        ContactStep::Reminder => (EmailKind::Reminder, "day-7 reminder sent"),
        ContactStep::Timeout => (
            EmailKind::TimeoutHeld,
            "verification link expired after 15 days",
        ),
    };
    work.email(Email {
        to: contact.info.email.clone(),
        kind,
        contact: contact.handle.clone(),
        domains,
        token: None,
        expires_at: Some(expires_at),
        delete_at,
    });
    work.event(Event {
        at,
        actor: Actor::System,
        object: contact.object(),
        from: "pending".to_string(),
        to: "pending".to_string(),
        reason: reason.to_string(),
        note: None,
    });
}

fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Day 7 and day 15 of an approval request: the reminder, then the hold.
fn approval_step(work: &mut Work, index: usize, step: DomainStep, at: Timestamp) {
    let now = work.now;
    let Some(domain) = work.domain_mut(index) else {
        return;
    };
    let Some(approval) = domain.approval.as_mut() else {
        return;
    };
    let expires_at = approval.token_expires_at;
    let to = approval.email.clone();
    let kind = if step == DomainStep::ApprovalReminder {
        approval.reminder_sent = true;
        if now >= expires_at {
            // Late: the timeout e-mail follows at once and says all a reminder would.
            return;
        }
        EmailKind::ApprovalReminder
    } else {
        approval.timed_out = true;
        EmailKind::TimeoutHeld
    };
    let domain = domain.clone();
    let mut delete_at = None;
    let mut held_now = false;
    if kind == EmailKind::TimeoutHeld {
        if let Some(state) = held(&domain.state, HoldReason::Timeout, at) {
            delete_at = domain.unconfirmed_deletion_at();
            held_now = true;
            work.set_state(
                index,
                state,
                at,
                Actor::System,
                "approval link expired after 15 days",
            );
        }
    }
    work.email(Email {
        to,
        kind: kind.clone(),
        contact: domain.owner.clone(),
        domains: vec![domain.name.clone()],
        token: None,
        expires_at: Some(expires_at),
        delete_at,
    });
    if !held_now {
        let reason = match kind {
            EmailKind::ApprovalReminder => "day-7 reminder of the approval request sent",
            _ => "approval link expired after 15 days",
        };
        work.event(Event {
            at,
            actor: Actor::System,
            object: domain.object(),
            from: domain.state.describe(),
            to: domain.state.describe(),
            reason: reason.to_string(),
            note: None,
        });
    }
}

fn domain_step(work: &mut Work, index: usize, step: DomainStep, at: Timestamp) {
    match step {
        DomainStep::AddGraceEnds => {
            if let Some(domain) = work.domain_mut(index) {
                domain.add_grace_until = None;
            }
        }
        DomainStep::AutoRenewGraceEnds => {
            if let Some(domain) = work.domain_mut(index) {
                domain.auto_renew = None;
            }
        }
        DomainStep::TransferAutoApproved => complete_transfer(
            work,
            index,
            at,
            Actor::System,
            "transfer approved automatically after 5 days",
        ),
        DomainStep::RejectedDeletion => work.free_domain(
            index,
            at,
            Actor::System,
            "held for 30 days after the registrant was rejected",
        ),
        DomainStep::ApprovalReminder | DomainStep::ApprovalTimeout => {
            approval_step(work, index, step, at)
        }
        DomainStep::UnconfirmedDeletion => work.free_domain(
            index,
            at,
            Actor::System,
            "web order never confirmed: deleted 45 days after it was placed",
        ),
        DomainStep::ExpiryDeletion => {
            let Some(domain) = work.domain_mut(index) else {
                return;
            };
            domain.auto_renew = None;
            domain.add_grace_until = None;
            let previous = Box::new(domain.state.clone());
            work.set_state(
                index,
                DomainState::Redemption {
                    since: at,
                    until: at.saturating_add(REDEMPTION),
                    previous,
                },
                at,
                Actor::System,
                "expiry reached while held unconfirmed: not renewed, deleted",
            );
        }
        DomainStep::RedemptionEnds => work.set_state(
            index,
            DomainState::PendingDelete {
                until: at.saturating_add(PENDING_DELETE),
            },
            at,
            Actor::System,
            "redemption period ended",
        ),
        DomainStep::PendingDeleteEnds => {
            work.free_domain(index, at, Actor::System, "pending delete period ended")
        }
        DomainStep::AutoRenew => auto_renew(work, index, at),
    }
}

fn auto_renew(work: &mut Work, index: usize, at: Timestamp) {
    let Some(domain) = work.domain_mut(index) else {
        return;
    };
    let previous_expiry = domain.expires;
    domain.expires = add_years(previous_expiry, 1);
    domain.auto_renew = Some(super::record::AutoRenew {
        grace_until: at.saturating_add(AUTO_RENEW_GRACE),
        previous_expiry,
    });
    domain.updated = at;
    let event = Event {
        at,
        actor: Actor::System,
        object: domain.object(),
        from: domain.state.describe(),
        to: domain.state.describe(),
        reason: format!(
            "expiry reached: renewed automatically until {}",
            super::time::format_time(domain.expires)
        ),
        note: None,
    };
    work.event(event);
}
