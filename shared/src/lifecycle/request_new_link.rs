//! The owner (or its reseller) asks for a new verification link.
//!
//! Rules:
//! - only a pending contact, whether its link still works or has expired (its domains then
//!   being on HELD(timeout));
//! - a new token replaces the old one, which no longer works; it is valid 15 days, with its
//!   own day-7 reminder and day-15 timeout;
//! - e-mail with the new link to the contact's current address. Domains do not change:
//!   held ones are released by confirming. (How many such e-mails one address may get is
//!   [`crate::limits`]'s rule, checked on the outcome before it is stored.)
//!
//! Random bytes: the first half makes the token.
//!
//! Errors: `status_prohibits` (contact not pending: unverified, verified or rejected).

use super::effect::{Actor, EmailKind, Outcome};
use super::link::issue_link;
use super::record::{ContactRecord, DomainRecord, Verification};
use super::secret::{halves, RandomBytes};
use super::tick::advance;
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

/// Sends `contact` (with the domains it owns) a new link; `actor` is who asked.
pub fn request_new_link(
    contact: &ContactRecord,
    domains: &[DomainRecord],
    actor: Actor,
    random: &RandomBytes,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = Work::new(now, [contact], domains);
    advance(&mut work);
    new_verification_link(&mut work, actor, random)?;
    Ok(work.finish())
}

/// Gives contact 0 of `work` (projected to now) a new verification link, by the rules above.
pub(crate) fn new_verification_link(
    work: &mut Work,
    actor: Actor,
    random: &RandomBytes,
) -> Result<(), Problems> {
    let contact = work.first_contact()?;
    let why_not = match contact.verification {
        Verification::Pending { .. } => None,
        Verification::Unverified => Some("has no verification under way"),
        Verification::Verified { .. } => Some("is already verified"),
        Verification::Rejected { .. } => {
            Some("was found not eligible; only registry staff can change that")
        }
    };
    if let Some(why_not) = why_not {
        return Err(Problems::one(Problem::new(
            ErrorCode::StatusProhibits,
            "contact",
            format!("Contact {} {why_not}: no new link is sent.", contact.handle),
        )));
    }
    let (token_bytes, _) = halves(random);
    issue_link(
        work,
        0,
        &token_bytes,
        EmailKind::NewLink,
        actor,
        "new verification link requested",
    );
    Ok(())
}
