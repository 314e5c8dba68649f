//! `TransferDomain` and `StatusDomainTransfer` (reseller-api.md §5.7).
//!
//! Rules (the core's `transfer_*` commands hold the domain rules):
//! - `ACTION=REQUEST` (the default) by the gaining reseller with the domain's `AUTH` code:
//!   only an ACTIVE domain without `clientTransferProhibited` or transfer lock; the owner and
//!   admin get an e-mail whose link (`/transfer/<token>`, [`crate::routes`]) approves or
//!   denies; without an answer it completes after 5 days (cron). `PERIOD`, if given, must be 1:
//!   a transfer adds one year;
//! - `APPROVE` / `DENY` by the losing (sponsoring) reseller, `CANCEL` by the gaining one;
//! - completion: the gaining reseller sponsors the domain, expiry + 1 year, a new auth code;
//!   the domain's contacts move to it (`lifecycle::plan_handover`, planned at the request
//!   with the contacts as they are then: the request's `OWNERCONTACT0`/`ADMINCONTACT0`/
//!   `TECHCONTACT0`/`BILLINGCONTACT0` (the gaining reseller's own; the owner with the
//!   registrant's data), else its own contact with identical data, else copies under new
//!   `P-` handles);
//! - `StatusDomainTransfer` shows a pending transfer to both resellers: `transfer status`
//!   `pending`, `registrar`, `requesting registrar`, `request date`, `execute date`.
//!
//! Errors: `545` unknown domain, `531` wrong auth code or not a party to the transfer, `552`
//! status forbids, `553` a transfer is already pending, `534` no transfer pending, `541`
//! `PERIOD` other than 1.

use coopreg_shared::lifecycle::{self, ContactRecord, ContactRole, DomainState, LosingSide};
use coopreg_shared::reseller::commands::TransferAction;
use coopreg_shared::reseller::response::{format_datetime, prop};
use coopreg_shared::reseller::Response;
use coopreg_shared::{ErrorCode, Problem, Problems};
use worker::Result;

use super::{attempt, Call};
use crate::{crypto, store};

pub async fn transfer_domain(call: &Call<'_>) -> Result<Response> {
    let name = attempt!(call.domain_name());
    if call
        .request
        .param("PERIOD")
        .is_some_and(|period| period != "1")
    {
        return Ok(Response::from_problems(&Problems::one(Problem::new(
            ErrorCode::InvalidValue,
            "PERIOD",
            "a transfer adds one year: send PERIOD=1 or leave it out",
        ))));
    }
    let found = attempt!(call.domain(&name).await?);
    let domain = &found.stored;
    let now = call.now;
    let outcome = match TransferAction::of(call.request) {
        Some(TransferAction::Request) => {
            let auth = call.request.param("AUTH").unwrap_or_default();
            let (Some(owner), Some(admin)) = (
                found.owner.as_ref(),
                store::contact(&call.db, &found.current.admin).await?,
            ) else {
                return Err(worker::Error::RustError(format!(
                    "a contact of {} is missing",
                    name.ascii
                )));
            };
            let mut contacts = vec![owner.clone(), admin.clone()];
            for handle in [&found.current.tech, &found.current.billing] {
                if !contacts.iter().any(|c| c.handle == *handle) {
                    if let Some(contact) = store::contact(&call.db, handle).await? {
                        contacts.push(contact);
                    }
                }
            }
            let mut candidates = Vec::new();
            let mut emails: Vec<&str> = contacts.iter().map(|c| c.info.email.as_str()).collect();
            emails.sort_unstable();
            emails.dedup();
            for email in emails {
                candidates.extend(
                    store::reseller_contacts_with_email(&call.db, &call.reseller, email).await?,
                );
            }
            let mut fresh = Vec::new();
            for _ in 0..4 {
                fresh.push(format!(
                    "P-{}",
                    hex::encode_upper(crypto::random_bytes::<8>()?)
                ));
            }
            let mut named: [Option<ContactRecord>; 4] = [None, None, None, None];
            for (slot, role) in named.iter_mut().zip(ContactRole::ALL) {
                let list = role.field().trim_end_matches('0');
                if let Some(handle) = call.request.list(list).first() {
                    *slot = Some(attempt!(call.own_contact(handle, role.field()).await?));
                }
            }
            let handover = attempt!(lifecycle::plan_handover(
                &found.current,
                &contacts,
                &call.reseller,
                [0, 1, 2, 3].map(|i| named.get(i).and_then(Option::as_ref)),
                &candidates,
                &fresh,
                now,
            ));
            lifecycle::transfer_request_handing_over(
                domain,
                &call.reseller,
                auth,
                owner,
                &admin,
                handover,
                &call.random()?,
                now,
            )
        }
        Some(TransferAction::Approve) => {
            lifecycle::transfer_approve(domain, &LosingSide::Reseller(call.reseller.clone()), now)
        }
        Some(TransferAction::Deny) => {
            lifecycle::transfer_deny(domain, &LosingSide::Reseller(call.reseller.clone()), now)
        }
        Some(TransferAction::Cancel) => lifecycle::transfer_cancel(domain, &call.reseller, now),
        // The command table refuses any other ACTION.
        None => Err(Problems::one(Problem::new(
            ErrorCode::InvalidValue,
            "ACTION",
            "",
        ))),
    };
    let outcome = attempt!(outcome);
    call.store(&outcome).await?;
    let status = match outcome.domain(&name.ascii).map(|domain| &domain.state) {
        Some(DomainState::PendingTransfer(_)) => "pending",
        _ => "completed",
    };
    Ok(Response::success().property(prop::TRANSFER_STATUS, status))
}

pub async fn status_domain_transfer(call: &Call<'_>) -> Result<Response> {
    let name = attempt!(call.domain_name());
    let found = attempt!(call.domain(&name).await?);
    let domain = &found.current;
    let DomainState::PendingTransfer(transfer) = &domain.state else {
        attempt!(lifecycle::ensure_sponsor(domain, &call.reseller));
        return Ok(Response::from_problem(&Problem::new(
            ErrorCode::NoTransferPending,
            "DOMAIN",
            format!("{} has no pending transfer", domain.name.unicode),
        )));
    };
    if call.reseller != domain.reseller && call.reseller != transfer.gaining_reseller {
        attempt!(lifecycle::ensure_sponsor(domain, &call.reseller));
    }
    Ok(Response::success()
        .property(prop::DOMAIN, &domain.name.ascii)
        .property(prop::TRANSFER_STATUS, "pending")
        .property(prop::REGISTRAR, &domain.reseller)
        .property(prop::REQUESTING_REGISTRAR, &transfer.gaining_reseller)
        .property(prop::REQUEST_DATE, format_datetime(transfer.requested_at))
        .property(
            prop::EXECUTE_DATE,
            format_datetime(transfer.auto_approve_at),
        )
        .property(
            prop::REGISTRATION_EXPIRATION_DATE,
            format_datetime(domain.expires),
        ))
}
