//! Random sequences of commands and time steps: nothing panics, and the invariants hold
//! after every step (term within 10 years, well-formed states, no stuck PROCESSING domain,
//! at most one working token per contact, no token in a record, freed names gone; tick is
//! idempotent and equal to the projection).

use super::fixtures::*;
use crate::lifecycle::time::{add_years, year_of};
use crate::lifecycle::*;
use crate::model::{Timestamp, DAY};
use proptest::prelude::*;

const LABELS: [&str; 4] = ["a", "bb", "ccc", "dddd"];
const CONTACTS: [&str; 4] = ["OWNER", "ADMIN", "C3", "C4"];
const RESELLERS: [&str; 2] = [R1, R2];

#[derive(Clone, Debug)]
enum Op {
    Advance(u32),
    Tick,
    Register {
        label: usize,
        owner: usize,
        period: u32,
        foreign: bool,
    },
    Confirm {
        contact: usize,
        right: bool,
    },
    Decline {
        contact: usize,
    },
    NewLink {
        contact: usize,
    },
    Decide {
        contact: usize,
        approve: bool,
    },
    Hold {
        label: usize,
    },
    Release {
        label: usize,
    },
    ModifyContact {
        contact: usize,
        material: bool,
    },
    ChangeOwner {
        label: usize,
        owner: usize,
    },
    Renew {
        label: usize,
        period: u32,
        year_offset: i64,
    },
    Delete {
        label: usize,
        reseller: usize,
    },
    Restore {
        label: usize,
    },
    SetStatus {
        label: usize,
        status: usize,
        add: bool,
    },
    TransferRequest {
        label: usize,
        right_code: bool,
    },
    Approve {
        label: usize,
        by_token: bool,
    },
    Deny {
        label: usize,
    },
    Cancel {
        label: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let label = 0..LABELS.len();
    let contact = 0..CONTACTS.len();
    prop_oneof![
        4 => prop_oneof![4 => 0u32..48, 4 => 0u32..(20 * 24), 1 => (300 * 24)..(400 * 24u32)].prop_map(Op::Advance),
        2 => Just(Op::Tick),
        4 => (label.clone(), contact.clone(), prop_oneof![6 => 1u32..4, 1 => 0u32..12], prop::bool::weighted(0.15))
            .prop_map(|(label, owner, period, foreign)| Op::Register { label, owner, period, foreign }),
        2 => (contact.clone(), any::<bool>()).prop_map(|(contact, right)| Op::Confirm { contact, right }),
        1 => contact.clone().prop_map(|contact| Op::Decline { contact }),
        1 => contact.clone().prop_map(|contact| Op::NewLink { contact }),
        1 => (contact.clone(), any::<bool>()).prop_map(|(contact, approve)| Op::Decide { contact, approve }),
        1 => label.clone().prop_map(|label| Op::Hold { label }),
        1 => label.clone().prop_map(|label| Op::Release { label }),
        1 => (contact.clone(), any::<bool>()).prop_map(|(contact, material)| Op::ModifyContact { contact, material }),
        1 => (label.clone(), contact).prop_map(|(label, owner)| Op::ChangeOwner { label, owner }),
        2 => (label.clone(), prop_oneof![4 => 1u32..4, 1 => 0u32..12], prop_oneof![3 => Just(0i64), 1 => -1i64..=1]).prop_map(|(label, period, year_offset)| Op::Renew { label, period, year_offset }),
        1 => (label.clone(), 0..2usize).prop_map(|(label, reseller)| Op::Delete { label, reseller }),
        1 => label.clone().prop_map(|label| Op::Restore { label }),
        1 => (label.clone(), 0..ClientStatus::ALL.len(), any::<bool>())
            .prop_map(|(label, status, add)| Op::SetStatus { label, status, add }),
        2 => (label.clone(), any::<bool>()).prop_map(|(label, right_code)| Op::TransferRequest { label, right_code }),
        1 => (label.clone(), any::<bool>()).prop_map(|(label, by_token)| Op::Approve { label, by_token }),
        1 => label.clone().prop_map(|label| Op::Deny { label }),
        1 => label.prop_map(|label| Op::Cancel { label }),
    ]
}

struct Runner {
    registry: Registry,
    now: Timestamp,
    seed: u8,
}

impl Runner {
    fn new() -> Self {
        let mut registry = Registry::new();
        registry.add_contact(ContactRecord::new(
            "C3",
            R1,
            info("Three", "c3@three.coop"),
            T0,
        ));
        registry.add_contact(ContactRecord::new(
            "C4",
            R2,
            info("Four", "c4@four.coop"),
            T0,
        ));
        Runner {
            registry,
            now: T0,
            seed: 0,
        }
    }

    fn random(&mut self) -> RandomBytes {
        self.seed = self.seed.wrapping_add(1);
        random(self.seed)
    }

    fn domain(&self, label: usize) -> Option<DomainRecord> {
        self.registry.find(LABELS[label]).cloned()
    }

    fn contact(&self, index: usize) -> ContactRecord {
        self.registry.contact(CONTACTS[index]).clone()
    }

    fn sponsor(&self, label: usize) -> String {
        self.domain(label).map_or(R1.to_string(), |d| d.reseller)
    }

    fn run(&mut self, op: &Op) {
        let now = self.now;
        let random = self.random();
        let result: Result<Outcome, crate::Problems> = match *op {
            Op::Advance(hours) => {
                self.now += i64::from(hours) * 3600;
                return;
            }
            Op::Tick => {
                let contacts: Vec<_> = self.registry.contacts.values().cloned().collect();
                let domains: Vec<_> = self.registry.domains.values().cloned().collect();
                let projected = project(&contacts, &domains, now);
                self.registry.tick(now);
                assert_eq!(
                    projected.contacts,
                    self.registry.contacts.values().cloned().collect::<Vec<_>>()
                );
                assert_eq!(
                    projected.domains,
                    self.registry.domains.values().cloned().collect::<Vec<_>>()
                );
                assert!(self.registry.tick(now).is_empty(), "tick is not idempotent");
                return;
            }
            Op::Register {
                label,
                owner,
                period,
                foreign,
            } => {
                let owner = self.contact(owner);
                let reseller = match (foreign, owner.reseller == R1) {
                    (false, true) | (true, false) => R1,
                    _ => R2,
                };
                let existing = self.domain(label);
                register(
                    &order(LABELS[label], &owner.handle, period),
                    reseller,
                    &owner,
                    &self.registry.owned(&owner.handle),
                    existing.as_ref(),
                    &random,
                    now,
                )
            }
            Op::Confirm { contact, right } => {
                let contact = self.contact(contact);
                let token = if right {
                    self.registry
                        .emails
                        .iter()
                        .rev()
                        .find(|e| {
                            e.contact == contact.handle
                                && e.token.is_some()
                                && !matches!(e.kind, EmailKind::TransferRequested { .. })
                        })
                        .and_then(|e| e.token.clone())
                        .unwrap_or_default()
                } else {
                    "wrong".to_string()
                };
                confirm(&contact, &self.registry.owned(&contact.handle), &token, now)
            }
            Op::Decline { contact } => {
                let contact = self.contact(contact);
                let token = self
                    .registry
                    .emails
                    .iter()
                    .rev()
                    .find(|e| e.contact == contact.handle)
                    .and_then(|e| e.token.clone())
                    .unwrap_or_default();
                decline(&contact, &self.registry.owned(&contact.handle), &token, now)
            }
            Op::NewLink { contact } => {
                let contact = self.contact(contact);
                request_new_link(
                    &contact,
                    &self.registry.owned(&contact.handle),
                    Actor::Registrant,
                    &random,
                    now,
                )
            }
            Op::Decide { contact, approve } => {
                let contact = self.contact(contact);
                let decision = if approve {
                    Decision::Approve
                } else {
                    Decision::Reject
                };
                staff_decision(
                    &contact,
                    &self.registry.owned(&contact.handle),
                    decision,
                    Actor::Callback,
                    now,
                )
            }
            Op::Hold { label } => match self.domain(label) {
                Some(d) => staff_hold(&d, Actor::Staff("s".into()), "", now),
                None => return,
            },
            Op::Release { label } => match self.domain(label) {
                Some(d) => staff_release(&d, Actor::Staff("s".into()), "", now),
                None => return,
            },
            Op::ModifyContact { contact, material } => {
                let contact = self.contact(contact);
                let mut info = contact.info.clone();
                if material {
                    info.organization =
                        Some(format!("{} renamed", info.organization.unwrap_or_default()));
                } else {
                    info.city = format!("{} ", info.city.trim());
                }
                let reseller = contact.reseller.clone();
                modify_contact(
                    &contact,
                    &self.registry.owned(&contact.handle),
                    &reseller,
                    &info,
                    &random,
                    now,
                )
            }
            Op::ChangeOwner { label, owner } => match self.domain(label) {
                Some(d) => {
                    let owner = self.contact(owner);
                    change_owner(
                        &d,
                        &d.reseller,
                        &owner,
                        &self.registry.owned(&owner.handle),
                        &random,
                        now,
                    )
                }
                None => return,
            },
            Op::Renew {
                label,
                period,
                year_offset,
            } => match self.domain(label) {
                Some(d) => {
                    let base = d.auto_renew.map_or(d.expires, |a| a.previous_expiry);
                    renew(&d, &d.reseller, period, year_of(base) + year_offset, now)
                }
                None => return,
            },
            Op::Delete { label, reseller } => match self.domain(label) {
                Some(d) => delete(&d, RESELLERS[reseller], now),
                None => return,
            },
            Op::Restore { label } => match self.domain(label) {
                Some(d) => restore(&d, &d.reseller, now),
                None => return,
            },
            Op::SetStatus { label, status, add } => match self.domain(label) {
                Some(d) => {
                    let status = ClientStatus::ALL[status];
                    let mut changes = DomainChanges::default();
                    if add {
                        changes.add_statuses.push(status);
                    } else {
                        changes.remove_statuses.push(status);
                    }
                    modify_domain(&d, &d.reseller, &changes, &random, now)
                }
                None => return,
            },
            Op::TransferRequest { label, right_code } => match self.domain(label) {
                Some(d) => {
                    let gaining = if d.reseller == R1 { R2 } else { R1 };
                    let code = if right_code {
                        d.auth_code.as_str().to_string()
                    } else {
                        "coop-bad".into()
                    };
                    let owner = self.registry.contact(&d.owner).clone();
                    let admin = self.registry.contact("ADMIN").clone();
                    transfer_request(&d, gaining, &code, &owner, &admin, &random, now)
                }
                None => return,
            },
            Op::Approve { label, by_token } => match self.domain(label) {
                Some(d) => {
                    let by = if by_token {
                        let token = self
                            .registry
                            .emails
                            .iter()
                            .rev()
                            .find(|e| {
                                matches!(e.kind, EmailKind::TransferRequested { .. })
                                    && e.domains.iter().any(|n| n.ascii == d.name.ascii)
                            })
                            .and_then(|e| e.token.clone())
                            .unwrap_or_default();
                        LosingSide::Token(token)
                    } else {
                        LosingSide::Reseller(self.sponsor(label))
                    };
                    transfer_approve(&d, &by, now)
                }
                None => return,
            },
            Op::Deny { label } => match self.domain(label) {
                Some(d) => transfer_deny(&d, &LosingSide::Reseller(d.reseller.clone()), now),
                None => return,
            },
            Op::Cancel { label } => match self.domain(label) {
                Some(d) => {
                    let gaining = if d.reseller == R1 { R2 } else { R1 };
                    transfer_cancel(&d, gaining, now)
                }
                None => return,
            },
        };
        if std::env::var_os("LIFECYCLE_PROPS_TRACE").is_some() {
            eprintln!(
                "{op:?} -> {}",
                match &result {
                    Ok(_) => "ok".to_string(),
                    Err(p) => p.errors[0].code.to_string(),
                }
            );
        }
        if let Ok(outcome) = result {
            self.registry.apply(outcome);
        }
    }

    fn check_invariants(&self) {
        let now = self.now;
        for domain in self.registry.domains.values() {
            assert!(
                domain.expires <= add_years(now, 10),
                "{}: term beyond 10 years",
                domain.name.ascii
            );
            assert!(well_formed(&domain.state, 0), "{:?}", domain.state);
            if domain.state == DomainState::Processing {
                let owner = self.registry.contact(&domain.owner);
                assert!(
                    matches!(
                        owner.verification,
                        Verification::Pending { .. } | Verification::Rejected { .. }
                    ),
                    "{} PROCESSING with a {} owner",
                    domain.name.ascii,
                    owner.verification.word()
                );
            }
        }
        for contact in self.registry.contacts.values() {
            let mut working: Vec<&str> = self
                .registry
                .emails
                .iter()
                .filter(|e| e.contact == contact.handle)
                .filter_map(|e| e.token.as_deref())
                .filter(|token| contact.token_hash() == Some(token_hash(token).as_str()))
                .collect();
            working.sort_unstable();
            working.dedup();
            assert!(
                working.len() <= 1,
                "{}: {} working tokens",
                contact.handle,
                working.len()
            );
            if let Verification::Pending {
                token_issued_at,
                token_expires_at,
                timed_out,
                ..
            } = contact.verification
            {
                assert_eq!(token_expires_at - token_issued_at, 15 * DAY);
                assert_eq!(contact.next_due().is_none(), timed_out);
            }
        }
    }
}

/// Holds wrap PROCESSING, ACTIVE or (for a staff hold) another hold; redemption wraps a
/// live or held state; nothing wraps a transfer or a deletion.
fn well_formed(state: &DomainState, depth: usize) -> bool {
    if depth > 3 {
        return false;
    }
    match state {
        DomainState::Held {
            reason,
            previous,
            delete_at,
            ..
        } => {
            (delete_at.is_some() == (*reason == HoldReason::Rejected))
                && match previous.as_ref() {
                    DomainState::Processing | DomainState::Active => true,
                    DomainState::Held { .. } => {
                        *reason == HoldReason::Staff && well_formed(previous, depth + 1)
                    }
                    _ => false,
                }
        }
        DomainState::Redemption { previous, .. } => match previous.as_ref() {
            DomainState::Processing | DomainState::Active => true,
            DomainState::Held { .. } => well_formed(previous, depth + 1),
            _ => false,
        },
        _ => true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_command_sequences_keep_the_invariants(ops in proptest::collection::vec(op(), 1..100)) {
        let mut runner = Runner::new();
        for op in &ops {
            runner.run(op);
            runner.check_invariants();
        }
    }
}
