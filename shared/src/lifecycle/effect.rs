//! What a command returns: the changed records, the names freed, the e-mails to send and the
//! history events to append.

use super::record::{ContactRecord, DomainRecord};
use crate::model::{DomainName, Timestamp};
use serde::{Deserialize, Serialize};

/// Who caused a change, for the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// The registrant, through a link sent to the owner's address.
    Registrant,
    /// A reseller, by its id (`"web"` for the browser form).
    Reseller(String),
    /// A registry staff member, by login.
    Staff(String),
    /// The registry's signed decision callback.
    Callback,
    /// Time passing (cron or a read projection).
    System,
}

impl Actor {
    /// Staff and the signed callback are the registry; only they may decide on eligibility.
    pub fn is_registry(&self) -> bool {
        matches!(self, Actor::Staff(_) | Actor::Callback)
    }
}

/// One line of history: who changed which object, when, from what to what, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: Timestamp,
    pub actor: Actor,
    /// `domain:<ascii name>` or `contact:<handle>`.
    pub object: String,
    pub from: String,
    pub to: String,
    /// Why, for everyone who may read the object's history (the registrant's order page too).
    pub reason: String,
    /// What only registry staff read: a staff member's note, the web client's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The actor of a stored history line (`staff:jane`, `verification-service`, `reseller:acme`,
/// `registrant`, `system`) as the public sees it: every registry actor is `registry`, so
/// the registrant's order page never names a staff member.
pub fn public_actor(stored: &str) -> &str {
    if stored.starts_with("staff:") || stored == "verification-service" {
        "registry"
    } else {
        stored
    }
}

/// Which e-mail to send; the worker renders the text and the links from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EmailKind {
    /// First link for a contact (new registration, new owner, material change).
    Verification,
    /// Day 7: the earlier link is still valid until `expires_at`; how to request a new one.
    Reminder,
    /// Day 15: the link expired, `domains` are on hold; how to request a new link.
    TimeoutHeld,
    /// The owner confirmed (or staff approved): `domains` are now active.
    Confirmed,
    /// The owner declined: `domains` are on hold.
    Declined,
    /// A new link on request; the old one no longer works.
    NewLink,
    /// Registry staff rejected the registrant: `domains` are on hold, deleted at `delete_at`.
    Rejected,
    /// A transfer was requested; the link approves or denies it; done anyway at `expires_at`.
    TransferRequested { gaining_reseller: String },
    /// A web order under the already verified registrant: the link approves or declines it
    /// (also a new link on request); without an answer the domain is held at `expires_at`.
    ApprovalRequest,
    /// Day 7 of an approval request: the earlier link works until `expires_at`.
    ApprovalReminder,
    /// The registrant declined the web order by its approval link: the name is free again.
    ApprovalDeclined,
}

impl EmailKind {
    /// Whether the e-mail carries a verification or approval link: those count toward the
    /// limit of such e-mails to one address ([`crate::limits`]).
    pub fn counts_toward_link_quota(&self) -> bool {
        matches!(
            self,
            EmailKind::Verification | EmailKind::NewLink | EmailKind::ApprovalRequest
        )
    }
}

/// One e-mail to send. `token` is the plain link secret: it exists only here, never in a
/// record, so the `Debug` form hides it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    /// The address to send to.
    pub to: String,
    pub kind: EmailKind,
    /// The contact concerned (the owner).
    pub contact: String,
    /// The domains the message is about.
    pub domains: Vec<DomainName>,
    /// The plain token for the link, when the e-mail carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// When the link (or the transfer's silent approval) runs out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// When held domains will be deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_at: Option<Timestamp>,
}

impl core::fmt::Debug for Email {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Email")
            .field("to", &self.to)
            .field("kind", &self.kind)
            .field("contact", &self.contact)
            .field("domains", &self.domains)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("expires_at", &self.expires_at)
            .field("delete_at", &self.delete_at)
            .finish()
    }
}

/// Something the worker must do besides storing records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    Email(Email),
    /// A registration used the allocation token with this hash (issued for `name`): mark it
    /// used in the same transaction, so that it never registers anything again.
    AllocationTokenUsed {
        token_hash: String,
        name: String,
    },
}

/// The result of a command or of time passing. Records are listed only when they changed
/// (new ones included); freed names are no longer records and must be deleted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub contacts: Vec<ContactRecord>,
    pub domains: Vec<DomainRecord>,
    /// ASCII names whose records must be deleted: the name is free again.
    pub freed: Vec<String>,
    pub effects: Vec<Effect>,
    pub events: Vec<Event>,
}

impl Outcome {
    /// Puts a staff member's `note` on the history lines of `actor` (kept from public views).
    pub fn with_note(mut self, actor: &Actor, note: &str) -> Outcome {
        let note = note.trim();
        if !note.is_empty() {
            for event in self.events.iter_mut().filter(|event| &event.actor == actor) {
                event.note = Some(note.to_string());
            }
        }
        self
    }

    /// True when nothing changed and nothing is to be done.
    pub fn is_empty(&self) -> bool {
        self.contacts.is_empty()
            && self.domains.is_empty()
            && self.freed.is_empty()
            && self.effects.is_empty()
            && self.events.is_empty()
    }

    /// The changed record of the domain `ascii`, if any.
    pub fn domain(&self, ascii: &str) -> Option<&DomainRecord> {
        self.domains
            .iter()
            .find(|domain| domain.name.ascii == ascii)
    }

    /// The changed record of the contact `handle`, if any.
    pub fn contact(&self, handle: &str) -> Option<&ContactRecord> {
        self.contacts
            .iter()
            .find(|contact| contact.handle == handle)
    }

    /// The e-mails to send, in order.
    pub fn emails(&self) -> impl Iterator<Item = &Email> {
        self.effects.iter().filter_map(|effect| match effect {
            Effect::Email(email) => Some(email),
            Effect::AllocationTokenUsed { .. } => None,
        })
    }

    /// The allocation token this outcome used up (its hash), if any.
    pub fn allocation_token_used(&self) -> Option<&str> {
        self.effects.iter().find_map(|effect| match effect {
            Effect::AllocationTokenUsed { token_hash, .. } => Some(token_hash.as_str()),
            Effect::Email(_) => None,
        })
    }
}
