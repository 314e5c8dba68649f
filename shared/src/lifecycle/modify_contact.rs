//! The owning reseller changes a contact's data.
//!
//! Rules:
//! - only the owning reseller;
//! - a material change (organisation, names, country, e-mail) of a verified contact starts
//!   re-verification: the contact becomes pending and a link goes to the (new) address; its
//!   domains stay as they are until the link times out or is declined, or staff reject;
//! - other changes, and any change of an unverified, pending or rejected contact, only
//!   update the data (a pending contact's link stays valid; a new link goes to the new
//!   address on request).
//!
//! Random bytes: the first half makes the token.
//!
//! Errors: `not_yours`.

use super::effect::{Actor, EmailKind, Event, Outcome};
use super::link::issue_link;
use super::record::{ContactRecord, DomainRecord};
use super::secret::{halves, RandomBytes};
use super::tick::advance;
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::{ContactInfo, Timestamp};

/// Replaces the data of `contact` (with the domains it owns) by `info`, for `reseller`.
pub fn modify_contact(
    contact: &ContactRecord,
    domains: &[DomainRecord],
    reseller: &str,
    info: &ContactInfo,
    random: &RandomBytes,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    if contact.reseller != reseller {
        return Err(Problems::one(Problem::new(
            ErrorCode::NotYours,
            "contact",
            format!("Contact {} belongs to another reseller.", contact.handle),
        )));
    }
    let mut work = Work::new(now, [contact], domains);
    advance(&mut work);
    let actor = Actor::Reseller(reseller.to_string());
    let Some(record) = work.contact_mut(0) else {
        return Ok(work.finish());
    };
    if record.info == *info {
        return Ok(work.finish());
    }
    let material = record.is_verified() && record.info.materially_differs(info);
    record.info = info.clone();
    record.updated = now;
    let object = record.object();
    let state = record.verification.word();
    if material {
        let (token_bytes, _) = halves(random);
        issue_link(
            &mut work,
            0,
            &token_bytes,
            EmailKind::Verification,
            actor,
            "material change of a verified contact: re-verification",
        );
    } else {
        work.event(Event {
            at: now,
            actor,
            object,
            from: state.to_string(),
            to: state.to_string(),
            reason: "contact data changed".to_string(),
            note: None,
        });
    }
    Ok(work.finish())
}
