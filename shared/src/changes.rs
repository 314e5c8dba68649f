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
//! The rules live in one place, `Comparison`, which walks both deposits in lockstep by key
//! (contacts by handle, then domains by name) and keeps only what the report needs across
//! sections: the material fields that changed, the new owners of moved domains and the
//! domains of owners not yet seen in the previous deposit (all bounded by the changes), and
//! one bit per previous contact saying it owned a domain. Two ways in:
//! - [`StreamingDiff`] reads the two deposit files line by line as they stream in (the
//!   daily job, from R2), never holding either; malformed input is refused as
//!   [`Problems`](crate::error::Problems) naming the deposit, line and field. Its memory is
//!   that of [`crate::escrow::DepositReader`] (the handles and front-coded domain names of
//!   each deposit) plus the above: a few MiB at 100k domains (`docs/benchmarks.md`).
//! - [`diff_deposits`] compares two deposits already in memory (tests, small registries).
//!
//! [`ContactInfo::material_differences`]: crate::model::ContactInfo::material_differences

use std::collections::{BTreeMap, BTreeSet};

mod streaming;

pub use streaming::{diff_deposit_lines, Side, StreamingDiff};

use serde::{Deserialize, Serialize};

use crate::escrow::{Deposit, EscrowContact, EscrowDomain};
use crate::model::ContactInfo;
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

/// Previous owners: one bit per previous contact (by its position among the sorted
/// handles), and by name for an owner that is not a contact (only in hand-made deposits).
#[derive(Debug, Default)]
struct OwnerSet {
    bits: Vec<u64>,
    others: BTreeSet<String>,
}

impl OwnerSet {
    fn insert(&mut self, index: Option<usize>, handle: &str) {
        match index {
            Some(index) => {
                let word = index / 64;
                if self.bits.len() <= word {
                    self.bits.resize(word + 1, 0);
                }
                if let Some(bits) = self.bits.get_mut(word) {
                    *bits |= 1 << (index % 64);
                }
            }
            None => {
                self.others.insert(handle.to_string());
            }
        }
    }

    fn contains(&self, index: Option<usize>, handle: &str) -> bool {
        match index {
            Some(index) => self
                .bits
                .get(index / 64)
                .is_some_and(|bits| bits & (1 << (index % 64)) != 0),
            None => self.others.contains(handle),
        }
    }
}

/// A domain row as the comparison sees it: its name, its owner, and the owner's position
/// among the previous deposit's contact handles (None if it is not a previous contact).
#[derive(Clone, Copy, Debug)]
struct DomainSide<'a> {
    name: &'a str,
    owner: &'a str,
    owner_index: Option<usize>,
}

/// The rules of the module, fed in key order; see the module documentation.
#[derive(Debug, Default)]
struct Comparison {
    report: ChangeReport,
    /// Contacts in both deposits whose material data differs, with their current domains.
    material: BTreeMap<String, (Vec<MaterialField>, Vec<String>)>,
    /// The new owners of moved domains, with those domains.
    moved_to: BTreeMap<String, BTreeSet<String>>,
    /// Current owners not seen owning a previous domain so far, with their domains.
    pending: BTreeMap<String, Vec<String>>,
    previous_owners: OwnerSet,
}

impl Comparison {
    /// A contact present in both deposits (contacts are fed in handle order).
    fn contact(&mut self, handle: &str, previous: &ContactInfo, current: &ContactInfo) {
        let fields = previous.material_differences(current);
        if !fields.is_empty() {
            self.material
                .insert(handle.to_string(), (fields, Vec::new()));
        }
    }

    /// One domain name, in name order, as it is in either deposit or both.
    fn domain(&mut self, previous: Option<DomainSide<'_>>, current: Option<DomainSide<'_>>) {
        if let Some(before) = previous {
            self.previous_owners
                .insert(before.owner_index, before.owner);
            self.pending.remove(before.owner);
        }
        let Some(now) = current else {
            if let Some(before) = previous {
                self.report.deleted_domains.push(before.name.to_string());
            }
            return;
        };
        let name = now.name.to_string();
        if let Some((_, domains)) = self.material.get_mut(now.owner) {
            domains.push(name.clone());
        }
        match previous {
            None => self.report.new_domains.push(name.clone()),
            Some(before) if before.owner != now.owner => {
                self.report.owner_changes.push(OwnerChange {
                    domain: name.clone(),
                    previous_owner: before.owner.to_string(),
                    current_owner: now.owner.to_string(),
                });
                self.moved_to
                    .entry(now.owner.to_string())
                    .or_default()
                    .insert(name.clone());
            }
            Some(_) => {}
        }
        if !self.previous_owners.contains(now.owner_index, now.owner) {
            self.pending
                .entry(now.owner.to_string())
                .or_default()
                .push(name);
        }
    }

    fn finish(self) -> ChangeReport {
        let Comparison {
            mut report,
            material,
            mut moved_to,
            pending,
            ..
        } = self;
        // Whoever is still pending owned nothing before: all its domains bring it up.
        for (handle, domains) in pending {
            moved_to.entry(handle).or_default().extend(domains);
        }
        for (handle, (fields, domains)) in material {
            if !domains.is_empty() && !moved_to.contains_key(&handle) {
                report.material_changes.push(MaterialChange {
                    handle,
                    fields,
                    domains,
                });
            }
        }
        report.new_registrants = moved_to
            .into_iter()
            .map(|(handle, domains)| NewRegistrant {
                handle,
                domains: domains.into_iter().collect(),
            })
            .collect();
        report
    }
}

fn sorted_contacts(deposit: &Deposit) -> Vec<&EscrowContact> {
    let mut contacts: Vec<&EscrowContact> = deposit.contacts.iter().collect();
    contacts.sort_by(|a, b| a.handle.cmp(&b.handle));
    contacts
}

fn sorted_domains(deposit: &Deposit) -> Vec<&EscrowDomain> {
    let mut domains: Vec<&EscrowDomain> = deposit.domains.iter().collect();
    domains.sort_by(|a, b| a.name.ascii.cmp(&b.name.ascii));
    domains
}

fn domain_side(domain: &EscrowDomain, owner_index: Option<usize>) -> DomainSide<'_> {
    DomainSide {
        name: domain.name.ascii.as_str(),
        owner: domain.registrant.as_str(),
        owner_index,
    }
}

/// Compares two deposits in memory; see the module documentation for the rules. The
/// deposits need not be sorted (they are walked through sorted references).
pub fn diff_deposits(previous: &Deposit, current: &Deposit) -> ChangeReport {
    let mut comparison = Comparison::default();

    let previous_contacts = sorted_contacts(previous);
    let current_contacts = sorted_contacts(current);
    let index_of = |handle: &str| {
        previous_contacts
            .binary_search_by(|contact| contact.handle.as_str().cmp(handle))
            .ok()
    };
    let (mut p, mut c) = (0, 0);
    while let (Some(before), Some(now)) = (previous_contacts.get(p), current_contacts.get(c)) {
        match before.handle.cmp(&now.handle) {
            std::cmp::Ordering::Less => p += 1,
            std::cmp::Ordering::Greater => c += 1,
            std::cmp::Ordering::Equal => {
                comparison.contact(&now.handle, &before.info, &now.info);
                p += 1;
                c += 1;
            }
        }
    }

    let previous_domains = sorted_domains(previous);
    let current_domains = sorted_domains(current);
    let (mut p, mut c) = (0, 0);
    loop {
        let before = previous_domains
            .get(p)
            .map(|domain| domain_side(domain, index_of(&domain.registrant)));
        let now = current_domains
            .get(c)
            .map(|domain| domain_side(domain, index_of(&domain.registrant)));
        match (before, now) {
            (None, None) => break,
            (Some(b), Some(n)) if b.name == n.name => {
                comparison.domain(before, now);
                p += 1;
                c += 1;
            }
            (Some(b), Some(n)) if b.name > n.name => {
                comparison.domain(None, now);
                c += 1;
            }
            (Some(_), _) => {
                comparison.domain(before, None);
                p += 1;
            }
            (None, Some(_)) => {
                comparison.domain(None, now);
                c += 1;
            }
        }
    }
    comparison.finish()
}
