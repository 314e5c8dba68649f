//! The gaining reseller requests a transfer (`TransferDomain ACTION=REQUEST`).
//!
//! Rules:
//! - the requester is not already the sponsor;
//! - the auth code is right (compared in constant time);
//! - no `serverTransferProhibited` (registry lock), no `clientTransferProhibited`, no transfer lock; only an ACTIVE domain (not PROCESSING,
//!   held, deleted or already pending transfer);
//! - the domain becomes PENDING TRANSFER, approved automatically 5 days later; the owner and
//!   the admin (once if they share an address) get an e-mail whose link approves or denies;
//!   the losing reseller sees it in the domain's status.
//!
//! Random bytes: the first half makes the link token, the second the auth code the domain
//! gets on completion.
//!
//! Errors: `auth_code_invalid`, `status_prohibits`, `transfer_pending`, `not_found`.

use super::effect::{Actor, Email, EmailKind, Outcome};
use super::guard::{
    ensure_no_client_status, ensure_no_pending_transfer, ensure_no_server_status,
    ensure_not_deleted, status_prohibits,
};
use super::record::{
    AuthCode, ClientStatus, ContactRecord, DomainRecord, DomainState, PendingTransfer, ServerStatus,
};
use super::secret::{halves, new_auth_code, new_token, token_hash, RandomBytes};
use super::tick::advance;
use super::time::TRANSFER_AUTO_APPROVE;
use super::transfer_handover::ContactHandover;
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

/// Requests the transfer of `domain` to `gaining_reseller` with `auth_code`. `owner` and
/// `admin` are the domain's contacts, for the e-mails.
/// The contacts stay with the losing reseller (see [`transfer_request_handing_over`]).
pub fn transfer_request(
    domain: &DomainRecord,
    gaining_reseller: &str,
    auth_code: &str,
    owner: &ContactRecord,
    admin: &ContactRecord,
    random: &RandomBytes,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    transfer_request_handing_over(
        domain,
        gaining_reseller,
        auth_code,
        owner,
        admin,
        Vec::new(),
        random,
        now,
    )
}

/// [`transfer_request`] whose completion hands the contacts over as `handover` plans
/// ([`super::plan_handover`]).
#[allow(clippy::too_many_arguments)]
pub fn transfer_request_handing_over(
    domain: &DomainRecord,
    gaining_reseller: &str,
    auth_code: &str,
    owner: &ContactRecord,
    admin: &ContactRecord,
    handover: Vec<ContactHandover>,
    random: &RandomBytes,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    let mut work = Work::new(now, [], [domain]);
    advance(&mut work);
    let current = work.first_domain()?;
    if current.reseller == gaining_reseller {
        return Err(status_prohibits(format!(
            "{} is already sponsored by you; there is nothing to transfer.",
            current.name.unicode
        )));
    }
    if !current.auth_code.matches(auth_code) {
        return Err(Problems::one(Problem::new(
            ErrorCode::AuthCodeInvalid,
            "auth",
            format!(
                "The auth code is not the one of {}. Ask the owner for the current code.",
                current.name.unicode
            ),
        )));
    }
    ensure_not_deleted(current, "a transfer")?;
    ensure_no_pending_transfer(current, "a new transfer request")?;
    ensure_no_server_status(
        current,
        ServerStatus::ServerTransferProhibited,
        "a transfer",
    )?;
    ensure_no_client_status(
        current,
        ClientStatus::ClientTransferProhibited,
        "a transfer",
    )?;
    if current.transfer_lock {
        return Err(status_prohibits(format!(
            "{} has its transfer lock on: a transfer is refused. The sponsor can lift it.",
            current.name.unicode
        )));
    }
    if current.state != DomainState::Active {
        return Err(status_prohibits(format!(
            "{} is {}: only an ACTIVE domain can be transferred.",
            current.name.unicode,
            current.state.describe()
        )));
    }
    let (token_bytes, code_bytes) = halves(random);
    let token = new_token(&token_bytes);
    let auto_approve_at = now.saturating_add(TRANSFER_AUTO_APPROVE);
    let transfer = PendingTransfer {
        gaining_reseller: gaining_reseller.to_string(),
        requested_at: now,
        auto_approve_at,
        token_hash: token_hash(&token),
        next_auth_code: AuthCode::new(new_auth_code(&code_bytes)),
        handover,
    };
    let name = current.name.clone();
    work.set_state(
        0,
        DomainState::PendingTransfer(transfer),
        now,
        Actor::Reseller(gaining_reseller.to_string()),
        "transfer requested",
    );
    let mut addresses: Vec<&ContactRecord> = vec![owner];
    if !admin.info.email.eq_ignore_ascii_case(&owner.info.email) {
        addresses.push(admin);
    }
    for contact in addresses {
        work.email(Email {
            to: contact.info.email.clone(),
            kind: EmailKind::TransferRequested {
                gaining_reseller: gaining_reseller.to_string(),
            },
            contact: contact.handle.clone(),
            domains: vec![name.clone()],
            token: Some(token.clone()),
            expires_at: Some(auto_approve_at),
            delete_at: None,
        });
    }
    Ok(work.finish())
}
