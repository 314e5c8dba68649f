//! The sponsoring reseller changes a domain: name servers, admin/tech/billing contacts,
//! DNSSEC DS records, client statuses, transfer lock, auth code, and (through [`super::change_owner`]) owner.
//!
//! Rules:
//! - only the sponsor; not while deleted (redemption, pending delete); not under the registry
//!   lock's `serverUpdateProhibited`;
//! - with `clientUpdateProhibited` set, only a change that removes it is accepted (and then
//!   the whole change applies);
//! - an owner change follows [`super::change_owner`];
//! - a new auth code is 8–64 printable ASCII characters without spaces, and unique: a code
//!   that is another domain's current one is refused (the worker looks it up by a keyed
//!   hash and passes `auth_code_in_use`; the answer never says which domain);
//! - a change that changes nothing is not recorded.
//!
//! The name servers and handles arrive validated (count, syntax, existence and ownership of
//! the contacts are checked by validation and the worker).
//!
//! Random bytes: the first half makes a token if the owner change needs one.
//!
//! Errors: `not_yours`, `status_prohibits`, `transfer_pending` (owner change only),
//! `invalid_value` (auth code), `auth_code_in_use`, `not_found` (freed by now).

use super::change_owner;
use super::effect::{Actor, Event, Outcome};
use super::guard::{ensure_no_server_status, ensure_not_deleted, ensure_sponsor, status_prohibits};
use super::record::{AuthCode, ClientStatus, ContactRecord, DomainRecord, ServerStatus};
use super::secret::RandomBytes;
use super::tick::advance;
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::{Nameserver, Timestamp};

/// What to change; `None` and empty lists leave a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DomainChanges<'a> {
    /// The new owner, with the domains it already owns.
    pub owner: Option<(&'a ContactRecord, &'a [DomainRecord])>,
    pub admin: Option<String>,
    pub tech: Option<String>,
    pub billing: Option<String>,
    pub nameservers: Option<Vec<Nameserver>>,
    /// The full new DS set (checked by [`crate::dns::check_ds_set`]); `Some(empty)` removes
    /// DNSSEC from the delegation.
    pub ds_records: Option<Vec<crate::dns::DsRecord>>,
    pub add_statuses: Vec<ClientStatus>,
    pub remove_statuses: Vec<ClientStatus>,
    pub transfer_lock: Option<bool>,
    pub auth_code: Option<String>,
    /// True when `auth_code` is the current auth code of another domain (the worker's
    /// lookup by keyed hash).
    pub auth_code_in_use: bool,
}

/// Applies `changes` to `domain` for `reseller`.
pub fn modify_domain(
    domain: &DomainRecord,
    reseller: &str,
    changes: &DomainChanges<'_>,
    random: &RandomBytes,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let (owner, owner_domains): (Vec<&ContactRecord>, &[DomainRecord]) = match changes.owner {
        Some((owner, domains)) => (vec![owner], domains),
        None => (Vec::new(), &[]),
    };
    let mut work = Work::new(now, owner, core::iter::once(domain).chain(owner_domains));
    advance(&mut work);
    let current = work.first_domain()?.clone();
    ensure_sponsor(&current, reseller)?;
    ensure_not_deleted(&current, "an update")?;
    ensure_no_server_status(&current, ServerStatus::ServerUpdateProhibited, "an update")?;
    if current.has_status(ClientStatus::ClientUpdateProhibited)
        && !changes
            .remove_statuses
            .contains(&ClientStatus::ClientUpdateProhibited)
    {
        return Err(status_prohibits(format!(
            "{} has clientUpdateProhibited: only an update that removes it is accepted.",
            current.name.unicode
        )));
    }
    if let Some(code) = &changes.auth_code {
        check_auth_code(code)?;
        if changes.auth_code_in_use && !current.auth_code.matches(code) {
            return Err(Problems::one(Problem::new(
                ErrorCode::AuthCodeInUse,
                "auth",
                "This auth code cannot be used; choose another (auth codes are unique per domain).",
            )));
        }
    }
    let owner_change = match (changes.owner, work.first_contact()) {
        (Some(_), Ok(owner)) if owner.handle != current.owner => {
            let mut unlocked = current.clone();
            unlocked
                .client_statuses
                .remove(&ClientStatus::ClientUpdateProhibited);
            change_owner::check(&unlocked, reseller, owner)?;
            true
        }
        _ => false,
    };

    let Some(record) = work.domain_mut(0) else {
        return Ok(work.finish());
    };
    let mut changed = Vec::new();
    for (field, value, target) in [
        ("admin", &changes.admin, &mut record.admin),
        ("tech", &changes.tech, &mut record.tech),
        ("billing", &changes.billing, &mut record.billing),
    ] {
        if let Some(value) = value {
            if target != value {
                value.clone_into(target);
                changed.push(field);
            }
        }
    }
    if let Some(nameservers) = &changes.nameservers {
        if record.nameservers != *nameservers {
            record.nameservers.clone_from(nameservers);
            changed.push("nameservers");
        }
    }
    if let Some(ds_records) = &changes.ds_records {
        if record.ds_records != *ds_records {
            record.ds_records.clone_from(ds_records);
            changed.push("DNSSEC DS records");
        }
    }
    let statuses_before = record.client_statuses.clone();
    for status in &changes.remove_statuses {
        record.client_statuses.remove(status);
    }
    record
        .client_statuses
        .extend(changes.add_statuses.iter().copied());
    if record.client_statuses != statuses_before {
        changed.push("statuses");
    }
    if let Some(lock) = changes.transfer_lock {
        if record.transfer_lock != lock {
            record.transfer_lock = lock;
            changed.push("transfer lock");
        }
    }
    if let Some(code) = &changes.auth_code {
        if !record.auth_code.matches(code) {
            record.auth_code = AuthCode::new(code.clone());
            changed.push("auth code");
        }
    }
    if !changed.is_empty() {
        record.updated = now;
        let state = record.state.describe();
        let event = Event {
            at: now,
            actor: Actor::Reseller(reseller.to_string()),
            object: record.object(),
            from: state.clone(),
            to: state,
            reason: format!("changed: {}", changed.join(", ")),
            note: None,
        };
        work.event(event);
    }
    if owner_change {
        change_owner::apply(&mut work, 0, reseller, random);
    }
    Ok(work.finish())
}

fn check_auth_code(code: &str) -> Result<(), Problems> {
    let length = code.chars().count();
    if (8..=64).contains(&length) && code.chars().all(|c| c.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(Problems::one(Problem::new(
            ErrorCode::InvalidValue,
            "auth",
            "An auth code is 8 to 64 printable ASCII characters, without spaces.",
        )))
    }
}
