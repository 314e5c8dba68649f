//! The contacts of a transferred domain move to the gaining reseller.
//!
//! Rules:
//! - planned when the transfer is requested (so that completion, also by the clock, needs
//!   neither randomness nor the contacts) and applied on completion: each of the domain's
//!   contacts (owner, admin, tech, billing; a handle used in several roles once) that belongs
//!   to another reseller becomes a contact of the gaining reseller;
//! - the gaining reseller's own contact with identical data ([`super::identical_contact`])
//!   is used as it is, unless the old contact is verified and that one is not;
//! - otherwise a copy under a new handle owned by the gaining reseller, with the data as at
//!   the request; a verified owner stays verified (the data is identical), any other
//!   verification state starts as unverified;
//! - afterwards the domain names only the gaining reseller's contacts: the old ones stay
//!   with the losing reseller, which can change them without touching the domain (and a
//!   re-verification of them holds none of its names).
//!
//! Errors: `not_found` (a contact of the domain not given), `invalid_value` (fewer fresh
//! handles than contacts to copy: a caller error).

use serde::{Deserialize, Serialize};

use super::add_contact::identical_contact;
use super::record::{ContactRecord, DomainRecord, Verification};
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

/// What one of the domain's contacts becomes on completion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactHandover {
    /// The handle the domain names today.
    pub from: String,
    /// The gaining reseller's handle it names after completion.
    pub to: String,
    /// The copy created under `to` on completion; `None` when `to` is an existing contact
    /// of the gaining reseller.
    pub copy: Option<ContactRecord>,
}

/// Plans the hand-over of `domain`'s contacts to `gaining`. `contacts` are the domain's
/// contacts as stored, `candidates` contacts of `gaining` that may be identical (others are
/// ignored), `fresh_handles` unused handles for copies (4 always suffice).
pub fn plan_handover(
    domain: &DomainRecord,
    contacts: &[ContactRecord],
    gaining: &str,
    candidates: &[ContactRecord],
    fresh_handles: &[String],
    now: Timestamp,
) -> Result<Vec<ContactHandover>, Problems> {
    let mut plan: Vec<ContactHandover> = Vec::new();
    let mut fresh = fresh_handles.iter();
    for handle in [&domain.owner, &domain.admin, &domain.tech, &domain.billing] {
        if plan.iter().any(|step| step.from == *handle) {
            continue;
        }
        let Some(contact) = contacts.iter().find(|c| c.handle == *handle) else {
            return Err(Problems::one(Problem::new(
                ErrorCode::NotFound,
                "contact",
                format!("Contact {handle} of {} was not given.", domain.name.unicode),
            )));
        };
        if contact.reseller == gaining {
            continue;
        }
        let reusable = identical_contact(candidates, gaining, &contact.info)
            .filter(|existing| existing.is_verified() || !contact.is_verified());
        let step = match reusable {
            Some(existing) => ContactHandover {
                from: handle.clone(),
                to: existing.handle.clone(),
                copy: None,
            },
            None => {
                let Some(new_handle) = fresh.next() else {
                    return Err(Problems::one(Problem::new(
                        ErrorCode::InvalidValue,
                        "handles",
                        "not enough fresh handles for the contacts to copy",
                    )));
                };
                let mut copy =
                    ContactRecord::new(new_handle.clone(), gaining, contact.info.clone(), now);
                if let Verification::Verified { .. } = &contact.verification {
                    copy.verification = contact.verification.clone();
                }
                ContactHandover {
                    from: handle.clone(),
                    to: new_handle.clone(),
                    copy: Some(copy),
                }
            }
        };
        plan.push(step);
    }
    Ok(plan)
}

/// Applies `plan` to domain `index` at `at`: copies are created, the roles renamed.
pub(crate) fn apply_handover(
    work: &mut Work,
    index: usize,
    plan: &[ContactHandover],
    at: Timestamp,
) {
    for step in plan {
        if let Some(copy) = &step.copy {
            if work.find_contact(&copy.handle).is_none() {
                let mut copy = copy.clone();
                copy.created = at;
                copy.updated = at;
                work.add_contact(copy);
            }
        }
        let Some(domain) = work.domain_mut(index) else {
            return;
        };
        for role in [
            &mut domain.owner,
            &mut domain.admin,
            &mut domain.tech,
            &mut domain.billing,
        ] {
            if *role == step.from {
                *role = step.to.clone();
            }
        }
    }
}
