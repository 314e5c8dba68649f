//! The working set of one command: copies of the records it was given, projected to `now`,
//! changed in place, then reduced to an [`Outcome`] that lists only what changed.

use super::effect::{Actor, Effect, Email, Event, Outcome};
use super::record::{ContactRecord, DomainRecord, DomainState};
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

struct Slot<T> {
    original: Option<T>,
    /// `None` for a domain freed in this command.
    current: Option<T>,
}

pub(crate) struct Work {
    pub now: Timestamp,
    contacts: Vec<Slot<ContactRecord>>,
    domains: Vec<Slot<DomainRecord>>,
    effects: Vec<Effect>,
    events: Vec<Event>,
}

impl Work {
    /// A working set of the given records, not yet projected. A record given twice (same
    /// handle or name) is kept once: the first.
    pub fn new<'a>(
        now: Timestamp,
        contacts: impl IntoIterator<Item = &'a ContactRecord>,
        domains: impl IntoIterator<Item = &'a DomainRecord>,
    ) -> Self {
        let mut work = Work {
            now,
            contacts: Vec::new(),
            domains: Vec::new(),
            effects: Vec::new(),
            events: Vec::new(),
        };
        for contact in contacts {
            if work.find_contact(&contact.handle).is_none() {
                work.contacts.push(Slot {
                    original: Some(contact.clone()),
                    current: Some(contact.clone()),
                });
            }
        }
        for domain in domains {
            let known = work.domains.iter().any(|slot| {
                slot.original
                    .as_ref()
                    .is_some_and(|known| known.name.ascii == domain.name.ascii)
            });
            if !known {
                work.domains.push(Slot {
                    original: Some(domain.clone()),
                    current: Some(domain.clone()),
                });
            }
        }
        work
    }

    /// The index of the contact `handle`.
    pub fn find_contact(&self, handle: &str) -> Option<usize> {
        (0..self.contacts.len()).find(|&i| {
            self.contact(i)
                .is_some_and(|contact| contact.handle == handle)
        })
    }

    /// The index of the live domain `ascii`.
    pub fn find_domain(&self, ascii: &str) -> Option<usize> {
        (0..self.domains.len()).find(|&i| {
            self.domain(i)
                .is_some_and(|domain| domain.name.ascii == ascii)
        })
    }

    // --- access -----------------------------------------------------------------------

    pub fn contact_count(&self) -> usize {
        self.contacts.len()
    }

    pub fn domain_count(&self) -> usize {
        self.domains.len()
    }

    pub fn contact(&self, index: usize) -> Option<&ContactRecord> {
        self.contacts
            .get(index)
            .and_then(|slot| slot.current.as_ref())
    }

    pub fn contact_mut(&mut self, index: usize) -> Option<&mut ContactRecord> {
        self.contacts
            .get_mut(index)
            .and_then(|slot| slot.current.as_mut())
    }

    pub fn domain(&self, index: usize) -> Option<&DomainRecord> {
        self.domains
            .get(index)
            .and_then(|slot| slot.current.as_ref())
    }

    pub fn domain_mut(&mut self, index: usize) -> Option<&mut DomainRecord> {
        self.domains
            .get_mut(index)
            .and_then(|slot| slot.current.as_mut())
    }

    /// The first contact, which single-contact commands put there.
    pub fn first_contact(&self) -> Result<&ContactRecord, Problems> {
        self.contact(0).ok_or_else(internal)
    }

    /// The first domain; `not_found` when time freed it.
    pub fn first_domain(&self) -> Result<&DomainRecord, Problems> {
        self.domain(0).ok_or_else(domain_gone)
    }

    /// Indexes of the live domains whose owner is `handle`.
    pub fn owned_by(&self, handle: &str) -> Vec<usize> {
        (0..self.domains.len())
            .filter(|&i| self.domain(i).is_some_and(|domain| domain.owner == handle))
            .collect()
    }

    // --- changes ------------------------------------------------------------------------

    pub fn add_contact(&mut self, contact: ContactRecord) {
        self.contacts.push(Slot {
            original: None,
            current: Some(contact),
        });
    }

    pub fn add_domain(&mut self, domain: DomainRecord) {
        self.domains.push(Slot {
            original: None,
            current: Some(domain),
        });
    }

    /// Frees the name of domain `index` (its record is to be deleted).
    pub fn free_domain(&mut self, index: usize, at: Timestamp, actor: Actor, reason: &str) {
        let Some(slot) = self.domains.get_mut(index) else {
            return;
        };
        if let Some(domain) = slot.current.take() {
            self.events.push(Event {
                at,
                actor,
                object: domain.object(),
                from: domain.state.describe(),
                to: "FREE".to_string(),
                reason: reason.to_string(),
                note: None,
            });
        }
    }

    /// Sets the state of domain `index`, recording the change in the history.
    pub fn set_state(
        &mut self,
        index: usize,
        state: DomainState,
        at: Timestamp,
        actor: Actor,
        reason: &str,
    ) {
        let Some(domain) = self.domain_mut(index) else {
            return;
        };
        let from = domain.state.describe();
        domain.state = state;
        domain.updated = at;
        let event = Event {
            at,
            actor,
            object: domain.object(),
            from,
            to: domain.state.describe(),
            reason: reason.to_string(),
            note: None,
        };
        self.events.push(event);
    }

    pub fn email(&mut self, email: Email) {
        self.effects.push(Effect::Email(email));
    }

    pub fn effect(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    pub fn event(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Everything that changed, in input order (new domains last).
    pub fn finish(self) -> Outcome {
        let mut outcome = Outcome {
            effects: self.effects,
            events: self.events,
            ..Outcome::default()
        };
        for slot in self.contacts {
            if let Some(current) = slot.current {
                if slot.original.as_ref() != Some(&current) {
                    outcome.contacts.push(current);
                }
            }
        }
        for slot in self.domains {
            match (slot.original, slot.current) {
                (original, Some(current)) => {
                    if original.as_ref() != Some(&current) {
                        outcome.domains.push(current);
                    }
                }
                (Some(original), None) => outcome.freed.push(original.name.ascii),
                (None, None) => {}
            }
        }
        // A name freed and registered again in the same command: its new record replaces
        // the old one, so it is not listed as freed.
        let domains = &outcome.domains;
        outcome
            .freed
            .retain(|ascii| !domains.iter().any(|domain| domain.name.ascii == *ascii));
        outcome
    }

    /// The current records (for projections), with the names freed.
    pub fn into_records(self) -> (Vec<ContactRecord>, Vec<DomainRecord>, Vec<String>) {
        let contacts = self
            .contacts
            .into_iter()
            .filter_map(|slot| slot.current)
            .collect();
        let mut domains = Vec::new();
        let mut freed = Vec::new();
        for slot in self.domains {
            match (slot.original, slot.current) {
                (_, Some(current)) => domains.push(current),
                (Some(original), None) => freed.push(original.name.ascii),
                (None, None) => {}
            }
        }
        (contacts, domains, freed)
    }
}

/// The answer for a domain whose deletion has completed.
pub(crate) fn domain_gone() -> Problems {
    Problems::one(Problem::new(
        ErrorCode::NotFound,
        "domain",
        "The domain no longer exists: its deletion has completed and the name is free.",
    ))
}

fn internal() -> Problems {
    Problems::one(Problem::new(
        ErrorCode::Internal,
        "",
        "The command was called without the record it needs; nothing was changed.",
    ))
}
