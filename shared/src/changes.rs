//! What changed between two daily escrow deposits, for registrant review (seed 001: the
//! registry finds new registrants and material changes by comparing escrow files, and opens a
//! case for each).
//!
//! Rules:
//! - A **registrant** is a contact that owns at least one domain.
//! - **New registrants**: contacts that own a domain now and owned none in the previous
//!   deposit, plus the new owner of every domain whose owner changed (an owner switch is
//!   reviewed even when the new owner already owned other domains). Each lists the domains
//!   that brought it up for review.
//! - **Material changes**: registrants now, not new registrants, whose
//!   [`ContactInfo::material_differences`] with their previous data is not empty
//!   (organisation, first or last name, country, e-mail ignoring ASCII case).
//! - **Owner changes**, **new domains** and **deleted domains** by A-label name.
//! - Every list is sorted by handle or name, so the same two deposits give the same report.
//!
//! Memory: both deposits are compared as parsed structs, plus maps of borrowed keys, so the
//! cost is about the two parsed deposits (see `docs/benchmarks.md`); no streaming variant.
//! This function raises no errors: [`crate::escrow::parse_deposit`] has already refused a
//! malformed deposit.
//!
//! [`ContactInfo::material_differences`]: crate::model::ContactInfo::material_differences

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::escrow::{Deposit, EscrowContact, EscrowDomain};
use crate::model::MaterialField;

/// A registrant to review, and the domains that brought it up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRegistrant {
    pub handle: String,
    /// Domains it owns now that it did not own before, sorted.
    pub domains: Vec<String>,
}

/// A registrant whose material data changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialChange {
    pub handle: String,
    pub fields: Vec<MaterialField>,
    /// The domains it owns now, sorted.
    pub domains: Vec<String>,
}

/// A domain that moved to another owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerChange {
    pub domain: String,
    pub previous_owner: String,
    pub current_owner: String,
}

/// The changes between two deposits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeReport {
    pub new_registrants: Vec<NewRegistrant>,
    pub material_changes: Vec<MaterialChange>,
    pub owner_changes: Vec<OwnerChange>,
    pub new_domains: Vec<String>,
    pub deleted_domains: Vec<String>,
}

impl ChangeReport {
    /// True when there is nothing to review or report.
    pub fn is_empty(&self) -> bool {
        self.new_registrants.is_empty()
            && self.material_changes.is_empty()
            && self.owner_changes.is_empty()
            && self.new_domains.is_empty()
            && self.deleted_domains.is_empty()
    }
}

fn domains_by_name(deposit: &Deposit) -> BTreeMap<&str, &EscrowDomain> {
    deposit
        .domains
        .iter()
        .map(|domain| (domain.name.ascii.as_str(), domain))
        .collect()
}

fn contacts_by_handle(deposit: &Deposit) -> BTreeMap<&str, &EscrowContact> {
    deposit
        .contacts
        .iter()
        .map(|contact| (contact.handle.as_str(), contact))
        .collect()
}

/// Handle → the domains it owns, sorted by name (the map is keyed by name).
fn owned_domains<'a>(
    domains: &BTreeMap<&'a str, &'a EscrowDomain>,
) -> BTreeMap<&'a str, Vec<&'a str>> {
    let mut owned: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, domain) in domains {
        owned
            .entry(domain.registrant.as_str())
            .or_default()
            .push(name);
    }
    owned
}

/// Compares two deposits; see the module documentation for the rules.
pub fn diff_deposits(previous: &Deposit, current: &Deposit) -> ChangeReport {
    let previous_domains = domains_by_name(previous);
    let current_domains = domains_by_name(current);
    let previous_contacts = contacts_by_handle(previous);
    let previous_owned = owned_domains(&previous_domains);
    let current_owned = owned_domains(&current_domains);

    let mut report = ChangeReport::default();
    // Handle → domains that make it a new registrant (BTreeMap/Set keep them sorted).
    let mut for_review: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();

    for (name, domain) in &current_domains {
        match previous_domains.get(name) {
            None => report.new_domains.push(name.to_string()),
            Some(before) if before.registrant != domain.registrant => {
                report.owner_changes.push(OwnerChange {
                    domain: name.to_string(),
                    previous_owner: before.registrant.clone(),
                    current_owner: domain.registrant.clone(),
                });
                for_review
                    .entry(domain.registrant.as_str())
                    .or_default()
                    .insert(name);
            }
            Some(_) => {}
        }
    }
    report.deleted_domains = previous_domains
        .keys()
        .filter(|name| !current_domains.contains_key(*name))
        .map(|name| name.to_string())
        .collect();

    for (handle, domains) in &current_owned {
        if !previous_owned.contains_key(handle) {
            for_review.entry(handle).or_default().extend(domains.iter());
        }
    }
    report.new_registrants = for_review
        .iter()
        .map(|(handle, domains)| NewRegistrant {
            handle: handle.to_string(),
            domains: domains.iter().map(|name| name.to_string()).collect(),
        })
        .collect();

    for contact in &current.contacts {
        let handle = contact.handle.as_str();
        let Some(domains) = current_owned.get(handle) else {
            continue;
        };
        if for_review.contains_key(handle) {
            continue;
        }
        let Some(before) = previous_contacts.get(handle) else {
            continue;
        };
        let fields = before.info.material_differences(&contact.info);
        if !fields.is_empty() {
            report.material_changes.push(MaterialChange {
                handle: handle.to_string(),
                fields,
                domains: domains.iter().map(|name| name.to_string()).collect(),
            });
        }
    }
    report
        .material_changes
        .sort_by(|a, b| a.handle.cmp(&b.handle));
    report
}
