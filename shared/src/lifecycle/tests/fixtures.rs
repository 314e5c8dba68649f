//! A small in-memory registry that stores outcomes the way the worker does.

use crate::lifecycle::*;
use crate::model::{ContactInfo, DomainName, Nameserver, Timestamp, DAY};
use crate::ErrorCode;
use std::collections::BTreeMap;

/// 2026-01-01T00:00:00Z.
pub const T0: Timestamp = 1_767_225_600;
pub const R1: &str = "reseller-1";
pub const R2: &str = "reseller-2";

pub fn day(n: i64) -> Timestamp {
    T0 + n * DAY
}

pub fn random(seed: u8) -> RandomBytes {
    core::array::from_fn(|i| {
        seed.wrapping_mul(97)
            .wrapping_add((i as u8).wrapping_mul(13))
    })
}

pub fn info(organization: &str, email: &str) -> ContactInfo {
    ContactInfo {
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        organization: Some(organization.into()),
        street: vec!["1 Co-op Street".into()],
        city: "Manchester".into(),
        state: None,
        postcode: "M1 1AA".into(),
        country: "GB".into(),
        phone: "+44.1611234567".into(),
        fax: None,
        email: email.into(),
    }
}

pub fn name(label: &str) -> DomainName {
    let ascii = format!("{label}.coop");
    DomainName {
        unicode: ascii.clone(),
        ascii,
        language: None,
    }
}

pub fn order(label: &str, owner: &str, period: u32) -> NewDomain {
    NewDomain {
        ds_records: Vec::new(),
        name: name(label),
        period,
        owner: owner.into(),
        admin: "ADMIN".into(),
        tech: owner.into(),
        billing: owner.into(),
        nameservers: vec![
            Nameserver {
                host: "ns1.example.net".into(),
                addresses: vec![],
            },
            Nameserver {
                host: "ns2.example.net".into(),
                addresses: vec![],
            },
        ],
        transfer_lock: false,
        criterion: Some(crate::validate::EligibilityCriterion::CooperativeUnderLocalLaw),
        client_ip: None,
        allocation: Allocation::None,
        roid: crate::lifecycle::new_roid(&[label.len() as u8; 10]),
    }
}

pub fn code(problems: &crate::Problems) -> ErrorCode {
    problems
        .errors
        .first()
        .map_or(ErrorCode::Internal, |p| p.code)
}

/// The stored state, as the worker keeps it.
#[derive(Default)]
pub struct Registry {
    pub contacts: BTreeMap<String, ContactRecord>,
    pub domains: BTreeMap<String, DomainRecord>,
    pub emails: Vec<Email>,
    pub events: Vec<Event>,
    pub freed: Vec<String>,
}

/// A record as the fake store keeps it: a new one (revision 0) is stored at revision 1.
trait Stored {
    fn revision_mut(&mut self) -> &mut Revision;
}
impl Stored for ContactRecord {
    fn revision_mut(&mut self) -> &mut Revision {
        &mut self.revision
    }
}
impl Stored for DomainRecord {
    fn revision_mut(&mut self) -> &mut Revision {
        &mut self.revision
    }
}
fn stored<T: Stored>(mut record: T) -> T {
    let revision = record.revision_mut();
    if *revision == 0 {
        *revision = 1;
    }
    record
}

impl Registry {
    /// A registry with contacts `OWNER` (unverified, of R1) and `ADMIN` (verified, of R1).
    pub fn new() -> Self {
        let mut registry = Registry::default();
        registry.add_contact(ContactRecord::new(
            "OWNER",
            R1,
            info("Co-op One", "owner@one.coop"),
            T0,
        ));
        let mut admin = ContactRecord::new("ADMIN", R1, info("Co-op One", "admin@one.coop"), T0);
        admin.verification = Verification::Verified {
            at: T0,
            by: Actor::Staff("seed".into()),
        };
        registry.add_contact(admin);
        registry
    }

    pub fn add_contact(&mut self, contact: ContactRecord) {
        self.contacts
            .insert(contact.handle.clone(), stored(contact));
    }

    pub fn contact(&self, handle: &str) -> &ContactRecord {
        &self.contacts[handle]
    }

    pub fn domain(&self, label: &str) -> &DomainRecord {
        &self.domains[&format!("{label}.coop")]
    }

    pub fn find(&self, label: &str) -> Option<&DomainRecord> {
        self.domains.get(&format!("{label}.coop"))
    }

    pub fn owned(&self, handle: &str) -> Vec<DomainRecord> {
        self.domains
            .values()
            .filter(|d| d.owner == handle)
            .cloned()
            .collect()
    }

    pub fn state(&self, label: &str) -> String {
        self.find(label)
            .map_or("FREE".to_string(), |d| d.state.describe())
    }

    /// Stores an outcome; checks that each command carried every record's revision through
    /// (the worker's store guards writes with it) and that no secret of its e-mails is in a
    /// stored record. Revisions stay fixed here (a record is stored at revision 1), so stored
    /// records compare equal to projections.
    pub fn apply(&mut self, outcome: Outcome) -> Outcome {
        for contact in &outcome.contacts {
            let read_at = self.contacts.get(&contact.handle).map_or(0, |c| c.revision);
            assert_eq!(
                contact.revision, read_at,
                "{}: revision not carried through",
                contact.handle
            );
            self.contacts
                .insert(contact.handle.clone(), stored(contact.clone()));
        }
        for domain in &outcome.domains {
            assert!(
                !outcome.freed.contains(&domain.name.ascii),
                "{} both changed and freed",
                domain.name.ascii
            );
            match self.domains.get(&domain.name.ascii) {
                // A new registration of a name whose deletion has completed: a new record.
                Some(old) if domain.created > old.created => assert_eq!(domain.revision, 0),
                Some(old) => assert_eq!(
                    domain.revision, old.revision,
                    "{}: revision not carried through",
                    domain.name.ascii
                ),
                None => assert_eq!(domain.revision, 0, "{}: new record", domain.name.ascii),
            }
            self.domains
                .insert(domain.name.ascii.clone(), stored(domain.clone()));
        }
        for ascii in &outcome.freed {
            assert!(
                self.domains.remove(ascii).is_some(),
                "freed unknown {ascii}"
            );
            self.freed.push(ascii.clone());
        }
        let stored = serde_json::to_string(&(&self.contacts, &self.domains)).unwrap();
        for email in outcome.emails() {
            if let Some(token) = &email.token {
                assert!(
                    !stored.contains(token.as_str()),
                    "a token is stored in a record"
                );
                assert!(
                    !format!("{email:?}").contains(token.as_str()),
                    "Debug shows a token"
                );
            }
        }
        self.emails.extend(outcome.emails().cloned());
        self.events.extend(outcome.events.iter().cloned());
        outcome
    }

    /// The most recent token e-mailed to `address`.
    pub fn last_token(&self, address: &str) -> String {
        self.emails
            .iter()
            .rev()
            .filter(|e| e.to == address)
            .find_map(|e| e.token.clone())
            .expect("no token sent")
    }

    pub fn emails_of_kind(&self, kind: &EmailKind) -> Vec<&Email> {
        self.emails.iter().filter(|e| e.kind == *kind).collect()
    }

    // --- commands, applied ------------------------------------------------------------

    pub fn tick(&mut self, now: Timestamp) -> Outcome {
        let contacts: Vec<_> = self.contacts.values().cloned().collect();
        let domains: Vec<_> = self.domains.values().cloned().collect();
        self.apply(tick(&contacts, &domains, now))
    }

    pub fn register(
        &mut self,
        label: &str,
        owner: &str,
        now: Timestamp,
    ) -> Result<Outcome, crate::Problems> {
        self.register_for(label, owner, R1, 1, now)
    }

    pub fn register_for(
        &mut self,
        label: &str,
        owner: &str,
        reseller: &str,
        period: u32,
        now: Timestamp,
    ) -> Result<Outcome, crate::Problems> {
        let existing = self.find(label).cloned();
        let outcome = register(
            &order(label, owner, period),
            reseller,
            self.contact(owner),
            &self.owned(owner),
            existing.as_ref(),
            &random(label.len() as u8),
            now,
        )?;
        Ok(self.apply(outcome))
    }

    pub fn confirm(
        &mut self,
        handle: &str,
        token: &str,
        now: Timestamp,
    ) -> Result<Outcome, crate::Problems> {
        let outcome = confirm(self.contact(handle), &self.owned(handle), token, now)?;
        Ok(self.apply(outcome))
    }

    pub fn decline(
        &mut self,
        handle: &str,
        token: &str,
        now: Timestamp,
    ) -> Result<Outcome, crate::Problems> {
        let outcome = decline(self.contact(handle), &self.owned(handle), token, now)?;
        Ok(self.apply(outcome))
    }

    pub fn new_link(
        &mut self,
        handle: &str,
        seed: u8,
        now: Timestamp,
    ) -> Result<Outcome, crate::Problems> {
        let outcome = request_new_link(
            self.contact(handle),
            &self.owned(handle),
            Actor::Registrant,
            &random(seed),
            now,
        )?;
        Ok(self.apply(outcome))
    }

    pub fn decide(
        &mut self,
        handle: &str,
        decision: Decision,
        now: Timestamp,
    ) -> Result<Outcome, crate::Problems> {
        let outcome = staff_decision(
            self.contact(handle),
            &self.owned(handle),
            decision,
            Actor::Staff("alice".into()),
            now,
        )?;
        Ok(self.apply(outcome))
    }

    pub fn on_domain(
        &mut self,
        label: &str,
        command: impl FnOnce(&DomainRecord) -> Result<Outcome, crate::Problems>,
    ) -> Result<Outcome, crate::Problems> {
        let domain = self.domain(label).clone();
        let outcome = command(&domain)?;
        Ok(self.apply(outcome))
    }

    /// Adds a web contact (reseller `web`), verified or unverified.
    pub fn web_contact(&mut self, handle: &str, email: &str, verified: bool) {
        let mut contact = ContactRecord::new(handle, WEB_RESELLER, info("Web Co-op", email), T0);
        if verified {
            contact.verification = Verification::Verified {
                at: T0,
                by: Actor::Registrant,
            };
        }
        self.add_contact(contact);
    }

    /// A web order of `label` by web contact `owner`, from `client_ip`, carrying `allocation`.
    pub fn order_web(
        &mut self,
        label: &str,
        owner: &str,
        client_ip: Option<&str>,
        allocation: Allocation,
        now: Timestamp,
    ) -> Result<Outcome, crate::Problems> {
        let existing = self.find(label).cloned();
        let mut new_domain = order(label, owner, 1);
        new_domain.admin = owner.into();
        new_domain.client_ip = client_ip.map(str::to_string);
        new_domain.allocation = allocation;
        let outcome = register(
            &new_domain,
            WEB_RESELLER,
            self.contact(owner),
            &self.owned(owner),
            existing.as_ref(),
            &random(label.len() as u8 + 40),
            now,
        )?;
        Ok(self.apply(outcome))
    }

    /// Registers `label` for a verified owner `OK` (created on first use): ACTIVE at once.
    pub fn active(&mut self, label: &str, now: Timestamp) -> &DomainRecord {
        if !self.contacts.contains_key("OK") {
            let mut contact = ContactRecord::new("OK", R1, info("Co-op Two", "ok@two.coop"), T0);
            contact.verification = Verification::Verified {
                at: T0,
                by: Actor::Callback,
            };
            self.add_contact(contact);
        }
        self.register(label, "OK", now).expect("register");
        self.domain(label)
    }
}
