//! The contacts of a transferred domain move to the gaining reseller.
//!
//! Rules:
//! - planned when the transfer is requested (so that completion, also by the clock, needs
//!   neither randomness nor the contacts) and applied on completion: each of the domain's
//!   contacts (owner, admin, tech, billing; a handle used in several roles once) that belongs
//!   to another reseller becomes a contact of the gaining reseller;
//! - a contact the request named for a role (`OWNERCONTACT0` …) is used: it must be the
//!   gaining reseller's; for the owner it must have identical data (a transfer keeps the
//!   registrant) and be verified if the owner is;
//! - otherwise the gaining reseller's own contact with identical data ([`super::identical_contact`])
//!   is used as it is, unless the old contact is verified and that one is not;
//! - otherwise a copy under a new handle owned by the gaining reseller, with the data as at
//!   the request; a verified owner stays verified (the data is identical), any other
//!   verification state starts as unverified;
//! - afterwards the domain names only the gaining reseller's contacts: the old ones stay
//!   with the losing reseller, which can change them without touching the domain (and a
//!   re-verification of them holds none of its names).
//!
//! Errors: `not_found` (a contact of the domain not given), `not_yours` (a named contact of
//! another reseller), `invalid_value` (a named owner with other data, or unverified for a
//! verified owner; fewer fresh handles than contacts to copy: a caller error).

use serde::{Deserialize, Serialize};

use super::add_contact::identical_contact;
use super::record::{ContactRecord, DomainRecord, Verification};
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

/// A contact role of a domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    Owner,
    Admin,
    Tech,
    Billing,
}

impl ContactRole {
    pub const ALL: [ContactRole; 4] = [
        ContactRole::Owner,
        ContactRole::Admin,
        ContactRole::Tech,
        ContactRole::Billing,
    ];

    /// The reseller attribute naming it in a request.
    pub fn field(self) -> &'static str {
        match self {
            ContactRole::Owner => "OWNERCONTACT0",
            ContactRole::Admin => "ADMINCONTACT0",
            ContactRole::Tech => "TECHCONTACT0",
            ContactRole::Billing => "BILLINGCONTACT0",
        }
    }

    fn of(self, domain: &mut DomainRecord) -> &mut String {
        match self {
            ContactRole::Owner => &mut domain.owner,
            ContactRole::Admin => &mut domain.admin,
            ContactRole::Tech => &mut domain.tech,
            ContactRole::Billing => &mut domain.billing,
        }
    }
}

/// What the contact of one role becomes on completion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactHandover {
    pub role: ContactRole,
    /// The gaining reseller's handle the role names after completion.
    pub to: String,
    /// The copy created under `to` on completion (listed once for a handle in several
    /// roles); `None` when `to` is an existing contact of the gaining reseller.
    pub copy: Option<ContactRecord>,
}

/// Plans the hand-over of `domain`'s contacts to `gaining`. `contacts` are the domain's
/// contacts as stored, `named` the gaining reseller's contacts its request named per role
/// (owner, admin, tech, billing), `candidates` contacts of `gaining` that may be identical
/// (others are ignored), `fresh_handles` unused handles for copies (4 always suffice).
pub fn plan_handover(
    domain: &DomainRecord,
    contacts: &[ContactRecord],
    gaining: &str,
    named: [Option<&ContactRecord>; 4],
    candidates: &[ContactRecord],
    fresh_handles: &[String],
    now: Timestamp,
) -> Result<Vec<ContactHandover>, Problems> {
    let mut plan: Vec<ContactHandover> = Vec::new();
    // Copies made so far: old handle -> new handle.
    let mut copied: Vec<(String, String)> = Vec::new();
    let mut fresh = fresh_handles.iter();
    let handles = [&domain.owner, &domain.admin, &domain.tech, &domain.billing];
    for ((role, handle), named) in ContactRole::ALL.into_iter().zip(handles).zip(named) {
        let Some(contact) = contacts.iter().find(|c| c.handle == *handle) else {
            return Err(Problems::one(Problem::new(
                ErrorCode::NotFound,
                "contact",
                format!("Contact {handle} of {} was not given.", domain.name.unicode),
            )));
        };
        if let Some(named) = named {
            check_named(role, contact, named, gaining)?;
            plan.push(ContactHandover {
                role,
                to: named.handle.clone(),
                copy: None,
            });
            continue;
        }
        if contact.reseller == gaining {
            continue;
        }
        if let Some((_, to)) = copied.iter().find(|(from, _)| from == handle) {
            plan.push(ContactHandover {
                role,
                to: to.clone(),
                copy: None,
            });
            continue;
        }
        let reusable = identical_contact(candidates, gaining, &contact.info)
            .filter(|existing| existing.is_verified() || !contact.is_verified());
        let step = match reusable {
            Some(existing) => ContactHandover {
                role,
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
                copied.push((handle.clone(), new_handle.clone()));
                ContactHandover {
                    role,
                    to: new_handle.clone(),
                    copy: Some(copy),
                }
            }
        };
        plan.push(step);
    }
    Ok(plan)
}

/// A contact the request named for `role` instead of `current`: the gaining reseller's; for
/// the owner the same data (a transfer keeps the registrant) and verified if `current` is.
fn check_named(
    role: ContactRole,
    current: &ContactRecord,
    named: &ContactRecord,
    gaining: &str,
) -> Result<(), Problems> {
    if named.reseller != gaining {
        return Err(Problems::one(Problem::new(
            ErrorCode::NotYours,
            role.field(),
            format!("Contact {} belongs to another reseller.", named.handle),
        )));
    }
    if role != ContactRole::Owner {
        return Ok(());
    }
    if !named.info.is_identical(&current.info) {
        return Err(Problems::one(Problem::new(
            ErrorCode::InvalidValue,
            role.field(),
            format!(
                "Contact {} does not have the registrant's data: a transfer keeps the \
                 registrant. Name a contact with identical data, or none (a copy is made).",
                named.handle
            ),
        )));
    }
    if current.is_verified() && !named.is_verified() {
        return Err(Problems::one(Problem::new(
            ErrorCode::InvalidValue,
            role.field(),
            format!(
                "Contact {} is not verified but the registrant is. Name a verified contact \
                 with identical data, or none (a verified copy is made).",
                named.handle
            ),
        )));
    }
    Ok(())
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
        *step.role.of(domain) = step.to.clone();
    }
}
