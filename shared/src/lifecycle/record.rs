//! The stored records: a contact with its verification state, a domain with its lifecycle
//! state. The worker keeps them as JSON; every rule that reads them lives here or in a command.

use super::effect::Actor;
use super::time::{REMINDER_AFTER, TOKEN_LIFETIME, UNCONFIRMED_WEB_ORDER_DELETED_AFTER};
use super::WEB_RESELLER;
use crate::model::{ContactInfo, DomainName, Nameserver, Timestamp};
use crate::validate::EligibilityCriterion;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use subtle::ConstantTimeEq;

// --- contact -----------------------------------------------------------------------------

/// Where a contact is in its eligibility verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Verification {
    /// Never asked to verify (no domain has needed it yet).
    Unverified,
    /// A link was sent and not yet answered. The contact has this one token only.
    Pending {
        /// SHA-256 of the link token ([`super::token_hash`]); the plain token is never stored.
        token_hash: String,
        token_issued_at: Timestamp,
        /// `token_issued_at` + 15 days. The hash is kept after expiry so that the old link
        /// answers "expired" rather than "unknown".
        token_expires_at: Timestamp,
        /// The day-7 reminder went out for this token.
        reminder_sent: bool,
        /// The day-15 timeout ran for this token (waiting domains were held).
        timed_out: bool,
        /// When this verification round started (first link).
        since: Timestamp,
    },
    Verified {
        at: Timestamp,
        by: Actor,
    },
    Rejected {
        at: Timestamp,
        by: Actor,
    },
}

impl Verification {
    /// `unverified`, `pending`, `verified` or `rejected`.
    pub fn word(&self) -> &'static str {
        match self {
            Verification::Unverified => "unverified",
            Verification::Pending { .. } => "pending",
            Verification::Verified { .. } => "verified",
            Verification::Rejected { .. } => "rejected",
        }
    }
}

/// How many times the store has written a record. The core never changes it: a command's
/// outcome carries each record with the revision it was read at, and the store writes it as
/// the next revision only if the stored row is still at that one, so of two commands that read
/// the same record and both change it, the second fails (`write_conflict`) instead of
/// silently undoing the first.
pub type Revision = u64;

/// A contact as stored: its data, its owning reseller and its verification state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRecord {
    pub handle: String,
    /// Id of the owning reseller; the browser form uses [`super::WEB_RESELLER`].
    pub reseller: String,
    pub info: ContactInfo,
    pub verification: Verification,
    pub created: Timestamp,
    pub updated: Timestamp,
    /// The store's write counter ([`Revision`]); the commands carry it through unchanged.
    #[serde(default)]
    pub revision: Revision,
}

/// A time-driven step of a contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ContactStep {
    Reminder,
    Timeout,
}

impl ContactRecord {
    /// A new, unverified contact.
    pub fn new(
        handle: impl Into<String>,
        reseller: impl Into<String>,
        info: ContactInfo,
        now: Timestamp,
    ) -> Self {
        ContactRecord {
            handle: handle.into(),
            reseller: reseller.into(),
            info,
            verification: Verification::Unverified,
            created: now,
            updated: now,
            revision: 0,
        }
    }

    /// `X-COOP-VERIFICATION`: 1 when verified.
    pub fn is_verified(&self) -> bool {
        matches!(self.verification, Verification::Verified { .. })
    }

    /// The hash of the contact's verification token, for the worker's lookup index.
    pub fn token_hash(&self) -> Option<&str> {
        match &self.verification {
            Verification::Pending { token_hash, .. } => Some(token_hash),
            _ => None,
        }
    }

    /// True when the contact has a link that still works at `now`.
    pub fn has_outstanding_token(&self, now: Timestamp) -> bool {
        matches!(self.verification, Verification::Pending { token_expires_at, .. } if now < token_expires_at)
    }

    /// When the contact's current link expires, if it has one.
    pub fn token_expires_at(&self) -> Option<Timestamp> {
        match self.verification {
            Verification::Pending {
                token_expires_at, ..
            } => Some(token_expires_at),
            _ => None,
        }
    }

    /// `contact:<handle>`, the object name in the history.
    pub fn object(&self) -> String {
        format!("contact:{}", self.handle)
    }

    /// The earliest time a time-driven step (reminder, timeout) is due; `None` if none is.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.next_step().map(|(at, _)| at)
    }

    pub(crate) fn next_step(&self) -> Option<(Timestamp, ContactStep)> {
        match self.verification {
            Verification::Pending {
                token_issued_at,
                token_expires_at,
                reminder_sent,
                timed_out: false,
                ..
            } => {
                let reminder_at = token_issued_at.saturating_add(REMINDER_AFTER);
                if !reminder_sent && reminder_at < token_expires_at {
                    Some((reminder_at, ContactStep::Reminder))
                } else {
                    Some((token_expires_at, ContactStep::Timeout))
                }
            }
            _ => None,
        }
    }

    /// The pending state for a fresh token issued at `now`.
    pub(crate) fn pending_with(
        token_hash: String,
        since: Timestamp,
        now: Timestamp,
    ) -> Verification {
        Verification::Pending {
            token_hash,
            token_issued_at: now,
            token_expires_at: now.saturating_add(TOKEN_LIFETIME),
            reminder_sent: false,
            timed_out: false,
            since,
        }
    }
}

// --- domain ------------------------------------------------------------------------------

/// Why a domain is on `serverHold`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// The owner declined the verification.
    Declined,
    /// The owner did not answer within 15 days.
    Timeout,
    /// Registry staff rejected the owner; the domain is deleted 30 days later.
    Rejected,
    /// Registry staff placed the hold.
    Staff,
}

impl HoldReason {
    pub fn as_str(self) -> &'static str {
        match self {
            HoldReason::Declined => "declined",
            HoldReason::Timeout => "timeout",
            HoldReason::Rejected => "rejected",
            HoldReason::Staff => "staff",
        }
    }
}

/// A secret that must not show in logs: `Debug` prints `<redacted>`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AuthCode(String);

impl AuthCode {
    pub fn new(code: impl Into<String>) -> Self {
        AuthCode(code.into())
    }

    /// The code, for the sponsoring reseller only.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares in constant time (for codes of equal length).
    pub fn matches(&self, candidate: &str) -> bool {
        bool::from(self.0.as_bytes().ct_eq(candidate.as_bytes()))
    }
}

impl core::fmt::Debug for AuthCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AuthCode(<redacted>)")
    }
}

/// A transfer waiting for the losing side's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingTransfer {
    pub gaining_reseller: String,
    pub requested_at: Timestamp,
    /// `requested_at` + 5 days: approved automatically then.
    pub auto_approve_at: Timestamp,
    /// SHA-256 of the approve/deny link token sent to the owner and admin.
    pub token_hash: String,
    /// The auth code the domain gets on completion, drawn at request time so that completion
    /// (also by the clock) needs no randomness. Never shown before completion.
    pub next_auth_code: AuthCode,
    /// The domain's contacts as they move to the gaining reseller on completion
    /// ([`super::plan_handover`]); empty: the contacts stay.
    #[serde(default)]
    pub handover: Vec<super::ContactHandover>,
}

/// A web order under an already verified registrant, waiting for the registrant's mailbox to
/// approve it (product.md: nobody gets a domain in a registrant's name without that
/// registrant's mailbox). The domain stays PROCESSING meanwhile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// SHA-256 of the approve/decline link token ([`super::token_hash`]); kept after expiry
    /// so that the old link answers "expired" rather than "unknown".
    pub token_hash: String,
    pub token_issued_at: Timestamp,
    /// `token_issued_at` + 15 days: the domain goes on HELD(timeout) then.
    pub token_expires_at: Timestamp,
    /// The day-7 reminder went out for this token.
    pub reminder_sent: bool,
    /// The day-15 timeout ran for this token.
    pub timed_out: bool,
    /// The registrant's address the request went to; its reminder and timeout go there too.
    pub email: String,
}

impl Approval {
    /// A fresh approval token issued at `now`, sent to `email`.
    pub(crate) fn issued(token_hash: String, email: String, now: Timestamp) -> Approval {
        Approval {
            email,
            token_hash,
            token_issued_at: now,
            token_expires_at: now.saturating_add(TOKEN_LIFETIME),
            reminder_sent: false,
            timed_out: false,
        }
    }
}

/// Through which door a registration came.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Channel {
    /// The browser form or the orders API.
    Web,
    /// A reseller's `AddDomain`, by reseller id.
    Reseller(String),
}

impl Channel {
    /// The channel of a registration by `reseller` ([`WEB_RESELLER`] is the web).
    pub fn of(reseller: &str) -> Channel {
        if reseller == WEB_RESELLER {
            Channel::Web
        } else {
            Channel::Reseller(reseller.to_string())
        }
    }

    /// `web` or `reseller:<id>`, as the history, the console and the escrow deposit write it.
    pub fn label(&self) -> String {
        match self {
            Channel::Web => "web".to_string(),
            Channel::Reseller(id) => format!("reseller:{id}"),
        }
    }

    /// Reads [`Channel::label`] back; `None` for anything else.
    pub fn from_label(label: &str) -> Option<Channel> {
        match label {
            "web" => Some(Channel::Web),
            _ => label
                .strip_prefix("reseller:")
                .filter(|id| !id.is_empty())
                .map(|id| Channel::Reseller(id.to_string())),
        }
    }
}

/// The registrant's certification that it meets a .coop eligibility criterion (seed 000), as
/// it was given with the registration: kept for audit in the record, the history, the staff
/// console and the escrow deposit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certification {
    /// The criterion named; `None` when a reseller certified without naming one
    /// (`X-COOP-ELIGIBILITY-CRITERION` is optional there; the form always asks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<EligibilityCriterion>,
    pub at: Timestamp,
    pub channel: Channel,
    /// The client's IP address for a web order (`CF-Connecting-IP`), in canonical form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
}

impl Certification {
    /// One line for people: `cooperative_under_local_law, 2026-01-01T00:00:00Z, web from
    /// 203.0.113.9`.
    pub fn describe(&self) -> String {
        let from = self
            .client_ip
            .as_deref()
            .map(|ip| format!(" from {ip}"))
            .unwrap_or_default();
        format!("{}{from}", self.describe_public())
    }

    /// [`describe`](Self::describe) without the client's address: what a public history shows.
    pub fn describe_public(&self) -> String {
        let criterion = self
            .criterion
            .map_or("no criterion named", |criterion| criterion.code());
        format!(
            "{criterion}, {}, {}",
            super::format_time(self.at),
            self.channel.label()
        )
    }
}

/// The lifecycle state of a domain: exactly one at a time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DomainState {
    /// Waiting for the owner's verification (EPP `pendingCreate`).
    Processing,
    Active,
    /// On `serverHold`. `previous` is what a release returns to.
    Held {
        reason: HoldReason,
        since: Timestamp,
        /// Set for [`HoldReason::Rejected`]: the domain is deleted then.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        delete_at: Option<Timestamp>,
        previous: Box<DomainState>,
    },
    PendingTransfer(PendingTransfer),
    /// Deleted, restorable until `until`; `previous` is what a restore returns to.
    Redemption {
        since: Timestamp,
        until: Timestamp,
        previous: Box<DomainState>,
    },
    /// Deleted, not restorable; the name is freed at `until`.
    PendingDelete {
        until: Timestamp,
    },
}

impl DomainState {
    /// The reseller `STATUS` word.
    pub fn word(&self) -> &'static str {
        match self {
            DomainState::Processing => "PROCESSING",
            DomainState::Active => "ACTIVE",
            DomainState::Held { .. } => "HELD",
            DomainState::PendingTransfer(_) => "PENDING_TRANSFER",
            DomainState::Redemption { .. } => "REDEMPTION",
            DomainState::PendingDelete { .. } => "PENDING_DELETE",
        }
    }

    /// The word with the hold reason (`HELD(timeout)`), for the history.
    pub fn describe(&self) -> String {
        match self {
            DomainState::Held { reason, .. } => format!("HELD({})", reason.as_str()),
            other => other.word().to_string(),
        }
    }
}

/// Client statuses a sponsoring reseller may set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ClientStatus {
    ClientHold,
    ClientTransferProhibited,
    ClientDeleteProhibited,
    ClientUpdateProhibited,
    ClientRenewProhibited,
}

impl ClientStatus {
    pub const ALL: [ClientStatus; 5] = [
        ClientStatus::ClientHold,
        ClientStatus::ClientTransferProhibited,
        ClientStatus::ClientDeleteProhibited,
        ClientStatus::ClientUpdateProhibited,
        ClientStatus::ClientRenewProhibited,
    ];

    /// The EPP status value.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientStatus::ClientHold => "clientHold",
            ClientStatus::ClientTransferProhibited => "clientTransferProhibited",
            ClientStatus::ClientDeleteProhibited => "clientDeleteProhibited",
            ClientStatus::ClientUpdateProhibited => "clientUpdateProhibited",
            ClientStatus::ClientRenewProhibited => "clientRenewProhibited",
        }
    }

    /// Parses an EPP value (any ASCII case) or the reseller API's aliases `registrar-hold`
    /// and `registrar-lock`.
    pub fn from_epp(value: &str) -> Option<ClientStatus> {
        if value.eq_ignore_ascii_case("registrar-hold") {
            return Some(ClientStatus::ClientHold);
        }
        if value.eq_ignore_ascii_case("registrar-lock") {
            return Some(ClientStatus::ClientTransferProhibited);
        }
        ClientStatus::ALL
            .into_iter()
            .find(|status| status.as_str().eq_ignore_ascii_case(value))
    }
}

/// Server statuses registry staff set (registry lock, [`super::registry_lock`]); every
/// command of a reseller or the web honours them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ServerStatus {
    /// No transfer request is accepted.
    ServerTransferProhibited,
    /// No delete (by the sponsor or by registry staff) is accepted.
    ServerDeleteProhibited,
    /// No change of the domain (ModifyDomain, owner change, restore) is accepted.
    ServerUpdateProhibited,
}

impl ServerStatus {
    pub const ALL: [ServerStatus; 3] = [
        ServerStatus::ServerTransferProhibited,
        ServerStatus::ServerDeleteProhibited,
        ServerStatus::ServerUpdateProhibited,
    ];

    /// The EPP status value.
    pub fn as_str(self) -> &'static str {
        match self {
            ServerStatus::ServerTransferProhibited => "serverTransferProhibited",
            ServerStatus::ServerDeleteProhibited => "serverDeleteProhibited",
            ServerStatus::ServerUpdateProhibited => "serverUpdateProhibited",
        }
    }

    /// Parses the EPP value (exact spelling).
    pub fn from_epp(value: &str) -> Option<ServerStatus> {
        ServerStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }
}

/// An automatic renewal still inside its 45-day grace period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoRenew {
    pub grace_until: Timestamp,
    /// The expiry before the automatic renewal (what `EXPIRATION` names during the grace).
    pub previous_expiry: Timestamp,
}

/// A domain as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainRecord {
    pub name: DomainName,
    /// The registration's repository object id (`lifecycle::new_roid`), unique per
    /// registration; empty on records stored before it was kept (see [`DomainRecord::roid`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub roid: String,
    /// Id of the sponsoring reseller.
    pub reseller: String,
    pub owner: String,
    pub admin: String,
    pub tech: String,
    pub billing: String,
    pub nameservers: Vec<Nameserver>,
    /// DNSSEC: the DS records the registrant gave (checked by [`crate::dns::ds`]), published
    /// with the delegation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ds_records: Vec<crate::dns::DsRecord>,
    /// The period of the registration, in years.
    pub period: u32,
    pub created: Timestamp,
    pub updated: Timestamp,
    pub expires: Timestamp,
    pub state: DomainState,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub client_statuses: BTreeSet<ClientStatus>,
    /// The registry lock's statuses, set only by registry staff.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub server_statuses: BTreeSet<ServerStatus>,
    pub transfer_lock: bool,
    pub auth_code: AuthCode,
    /// End of the 5-day add grace period, while it lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_grace_until: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew: Option<AutoRenew>,
    /// A web order under a verified registrant waiting for the mailbox's approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// The eligibility certification given with the registration (absent on records made
    /// before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification: Option<Certification>,
    /// The store's write counter ([`Revision`]); the commands carry it through unchanged.
    #[serde(default)]
    pub revision: Revision,
}

/// A time-driven step of a domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DomainStep {
    AddGraceEnds,
    AutoRenewGraceEnds,
    ApprovalReminder,
    ApprovalTimeout,
    TransferAutoApproved,
    RejectedDeletion,
    UnconfirmedDeletion,
    RedemptionEnds,
    PendingDeleteEnds,
    AutoRenew,
    ExpiryDeletion,
}

impl DomainRecord {
    /// The registration's ROID: the stored one, or the name-derived one of old records.
    pub fn roid(&self) -> String {
        if self.roid.is_empty() {
            super::legacy_roid(&self.name.ascii)
        } else {
            self.roid.clone()
        }
    }

    /// `domain:<ascii name>`, the object name in the history.
    pub fn object(&self) -> String {
        format!("domain:{}", self.name.ascii)
    }

    pub fn has_status(&self, status: ClientStatus) -> bool {
        self.client_statuses.contains(&status)
    }

    pub fn has_server_status(&self, status: ServerStatus) -> bool {
        self.server_statuses.contains(&status)
    }

    /// The EPP status values: `ok` alone, or the state's server status plus the client ones.
    pub fn epp_statuses(&self) -> Vec<&'static str> {
        let mut statuses = Vec::new();
        match &self.state {
            DomainState::Processing => statuses.push("pendingCreate"),
            DomainState::Active => {}
            DomainState::Held { .. } => statuses.push("serverHold"),
            DomainState::PendingTransfer(_) => statuses.push("pendingTransfer"),
            DomainState::Redemption { .. } | DomainState::PendingDelete { .. } => {
                statuses.push("pendingDelete")
            }
        }
        if self.nameservers.is_empty() {
            statuses.push("inactive");
        }
        statuses.extend(self.server_statuses.iter().map(|status| status.as_str()));
        statuses.extend(self.client_statuses.iter().map(|status| status.as_str()));
        if statuses.is_empty() {
            statuses.push("ok");
        }
        statuses
    }

    /// The reseller API's `STATUS` word (`PROCESSING`, `ACTIVE`, `HELD`, ...).
    pub fn status_word(&self) -> &'static str {
        self.state.word()
    }

    /// Whether the delegation goes into the zone file. Never on hold (server or client),
    /// while deleted or without name servers; PROCESSING only when the registry publishes
    /// pending registrations (`publish_processing`).
    pub fn is_published(&self, publish_processing: bool) -> bool {
        let by_state = match self.state {
            DomainState::Processing => publish_processing,
            DomainState::Active | DomainState::PendingTransfer(_) => true,
            DomainState::Held { .. }
            | DomainState::Redemption { .. }
            | DomainState::PendingDelete { .. } => false,
        };
        by_state && !self.has_status(ClientStatus::ClientHold) && !self.nameservers.is_empty()
    }

    /// The RGP statuses (RFC 3915) of the reseller `rgp status` property.
    pub fn rgp_status(&self) -> Vec<&'static str> {
        let mut statuses = Vec::new();
        if self.add_grace_until.is_some() {
            statuses.push("addPeriod");
        }
        if self.auto_renew.is_some() {
            statuses.push("autoRenewPeriod");
        }
        match self.state {
            DomainState::Redemption { .. } => statuses.push("redemptionPeriod"),
            DomainState::PendingDelete { .. } => statuses.push("pendingDelete"),
            _ => {}
        }
        statuses
    }

    /// The hash of the pending transfer's approve/deny token, for the worker's lookup index.
    pub fn transfer_token_hash(&self) -> Option<&str> {
        match &self.state {
            DomainState::PendingTransfer(transfer) => Some(&transfer.token_hash),
            _ => None,
        }
    }

    /// The hash of the approval token of a web order waiting for its registrant's mailbox,
    /// for the worker's lookup index.
    pub fn approval_token_hash(&self) -> Option<&str> {
        self.approval
            .as_ref()
            .map(|approval| approval.token_hash.as_str())
    }

    /// True for a web order whose registrant's mailbox has not confirmed it: PROCESSING, or
    /// held because the link was not answered or was declined. These count toward the limit
    /// of unconfirmed web orders naming one address, and are deleted at day 45.
    pub fn is_unconfirmed_web_order(&self) -> bool {
        self.reseller == WEB_RESELLER
            && matches!(
                self.state,
                DomainState::Processing
                    | DomainState::Held {
                        reason: HoldReason::Timeout | HoldReason::Declined,
                        ..
                    }
            )
    }

    /// When this web order is deleted if it is still unconfirmed then (held for timeout or
    /// decline): 45 days after it was placed. `None` for a reseller's domain.
    pub fn unconfirmed_deletion_at(&self) -> Option<Timestamp> {
        (self.reseller == WEB_RESELLER).then(|| {
            self.created
                .saturating_add(UNCONFIRMED_WEB_ORDER_DELETED_AFTER)
        })
    }

    /// The earliest time a time-driven step is due (grace ends, auto-renew, transfer
    /// auto-approval, deletion steps); `None` if none is. Index it as `due_at`.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.next_step().map(|(at, _)| at)
    }

    pub(crate) fn next_step(&self) -> Option<(Timestamp, DomainStep)> {
        let mut steps = Vec::with_capacity(3);
        if let Some(until) = self.add_grace_until {
            steps.push((until, DomainStep::AddGraceEnds));
        }
        if let Some(auto_renew) = self.auto_renew {
            steps.push((auto_renew.grace_until, DomainStep::AutoRenewGraceEnds));
        }
        match &self.state {
            DomainState::Processing => {
                if let Some(approval) = self.approval.as_ref().filter(|a| !a.timed_out) {
                    let reminder_at = approval.token_issued_at.saturating_add(REMINDER_AFTER);
                    if !approval.reminder_sent && reminder_at < approval.token_expires_at {
                        steps.push((reminder_at, DomainStep::ApprovalReminder));
                    } else {
                        steps.push((approval.token_expires_at, DomainStep::ApprovalTimeout));
                    }
                }
            }
            DomainState::Active => steps.push((self.expires, DomainStep::AutoRenew)),
            DomainState::Held {
                reason, delete_at, ..
            } => {
                // Names are never held for free: a domain held because its registrant did not
                // answer or declined is not renewed, and a web order never confirmed is
                // deleted at day 45.
                if matches!(reason, HoldReason::Timeout | HoldReason::Declined) {
                    steps.push((self.expires, DomainStep::ExpiryDeletion));
                    if let Some(at) = self.unconfirmed_deletion_at() {
                        steps.push((at, DomainStep::UnconfirmedDeletion));
                    }
                } else {
                    steps.push((self.expires, DomainStep::AutoRenew));
                }
                if let Some(at) = delete_at {
                    steps.push((*at, DomainStep::RejectedDeletion));
                }
            }
            // Under `serverTransferProhibited` the pending transfer cannot complete: the
            // 5-day auto-approval waits until the registry lifts the lock.
            DomainState::PendingTransfer(transfer) => {
                if !self.has_server_status(ServerStatus::ServerTransferProhibited) {
                    steps.push((transfer.auto_approve_at, DomainStep::TransferAutoApproved))
                }
            }
            DomainState::Redemption { until, .. } => {
                steps.push((*until, DomainStep::RedemptionEnds))
            }
            DomainState::PendingDelete { until } => {
                steps.push((*until, DomainStep::PendingDeleteEnds))
            }
        }
        steps.into_iter().min()
    }
}
