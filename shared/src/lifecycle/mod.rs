//! Lifecycle rules: what each command does to domains and contacts over time.
//!
//! Every command is a pure function in the style of Nomulus flows: it takes the current
//! records, its arguments, `now` and (where it makes secrets) [`RandomBytes`], and returns an
//! [`Outcome`] — the records that changed, the names freed, the e-mails to send and the
//! history events — or [`Problems`](crate::Problems) and nothing changed. Each module's doc
//! lists its rules and the errors it raises.
//!
//! Every command first projects its records to `now` ([`tick`]'s steps), so a late cron never
//! lets a command act on a stale state; the outcome includes those steps' changes and e-mails.
//!
//! # How the worker calls it
//! - A contact always travels with the domains it owns (`owner = handle`): commands that
//!   take a contact take those domains too, because its verification decides their state.
//! - Store (upsert) every record of the outcome, delete the records of `freed`, queue the
//!   e-mails (the plain tokens exist only in them) and append the events, in one
//!   transaction. A name freed and registered again in one outcome is only in `domains`.
//! - Index `ContactRecord::next_due` / `DomainRecord::next_due` as `due_at`; cron calls [`tick`]
//!   with the due contacts (and their domains) and the due domains.
//! - Look tokens up by [`token_hash`] (`ContactRecord::token_hash`,
//!   `DomainRecord::transfer_token_hash`); no match means [`token_invalid`].
//! - Reads show [`project`]ed records and store nothing.
//!
//! # Map
//! | module | command |
//! |---|---|
//! | [`register`](register()) | create: PROCESSING or ACTIVE, verification or approval link |
//! | [`confirm`](confirm()) / [`decline`](decline()) | the owner answers by link |
//! | [`approve`](approve()) / [`decline_approval`] | the mailbox answers a web order of a verified registrant |
//! | [`request_new_link`](request_new_link()), [`request_new_approval`], [`resend_link`] | a new link, the old one void |
//! | [`issue_allocation_token`] | staff let one reserved name be registered |
//! | [`staff_decision`](staff_decision()) | registry approves or rejects a contact |
//! | [`staff_hold`](staff_hold()) / [`staff_release`] | HELD(staff) and back |
//! | [`registry_lock`](registry_lock()) | staff set/clear `server*Prohibited` (registry lock) |
//! | [`identical_contact`] | `AddContact`: the reseller's existing contact with identical data |
//! | [`modify_contact`](modify_contact()) | contact data; material change → re-verification |
//! | [`change_owner`](change_owner()) / [`modify_domain`](modify_domain()) | domain changes |
//! | [`renew`](renew()) / [`delete`](delete()) / [`restore`](restore()) | term and deletion |
//! | [`staff_delete`] | registry staff delete a domain |
//! | [`transfer_request`](transfer_request()), [`plan_handover`](plan_handover()), [`transfer_approve`](transfer_approve()), [`transfer_deny`](transfer_deny()), [`transfer_cancel`](transfer_cancel()) | transfers |
//! | [`tick`](tick()) / [`project`] | time passing |
//!
//! Records: [`ContactRecord`] with [`Verification`], [`DomainRecord`] with [`DomainState`].
//! Periods: [`time`]. Secrets: [`token_hash`], [`RandomBytes`].

mod add_contact;
mod allocation;
mod approve;
mod change_owner;
mod confirm;
mod decline;
mod delete;
mod effect;
mod guard;
mod link;
mod modify_contact;
mod modify_domain;
mod owner_domains;
mod record;
mod register;
mod registry_lock;
mod renew;
mod request_new_link;
mod restore;
mod roid;
mod secret;
mod staff_decision;
mod staff_hold;
mod tick;
pub mod time;
mod transfer_approve;
mod transfer_cancel;
mod transfer_deny;
mod transfer_handover;
mod transfer_request;
mod work;

#[cfg(test)]
mod tests;

pub use add_contact::identical_contact;
pub use allocation::{issue_allocation_token, Allocation, AllocationToken};
pub use approve::{approve, decline_approval, request_new_approval, resend_link};
pub use change_owner::change_owner;
pub use confirm::confirm;
pub use decline::decline;
pub use delete::{delete, staff_delete};
pub use effect::{public_actor, Actor, Effect, Email, EmailKind, Event, Outcome};
pub use guard::ensure_sponsor;
pub use modify_contact::modify_contact;
pub use modify_domain::{modify_domain, DomainChanges};
pub use record::{
    Approval, AuthCode, AutoRenew, Certification, Channel, ClientStatus, ContactRecord,
    DomainRecord, DomainState, HoldReason, PendingTransfer, Revision, ServerStatus, Verification,
};
pub use register::{register, NewDomain};
pub use registry_lock::registry_lock;
pub use renew::renew;
pub use request_new_link::request_new_link;
pub use restore::restore;
pub use roid::{legacy_roid, new_roid};
pub use secret::{auth_code_index, token_hash, token_invalid, RandomBytes};
pub use staff_decision::{staff_decision, Decision};
pub use staff_hold::{staff_hold, staff_release};
pub use tick::{project, project_domain, tick, Projection};
pub use transfer_approve::{transfer_approve, LosingSide};
pub use transfer_cancel::transfer_cancel;
pub use transfer_deny::transfer_deny;
pub use transfer_handover::{plan_handover, ContactHandover, ContactRole};
pub use transfer_request::{transfer_request, transfer_request_handing_over};

pub(crate) use time::format_time;

/// The reseller id that owns what the browser form registers.
pub const WEB_RESELLER: &str = "web";
