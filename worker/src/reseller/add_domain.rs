//! `AddDomain`: register a .coop name (reseller-api.md §5.1).
//!
//! Rules:
//! - the parameters are checked by the core's
//!   [`validate_reseller_add_domain`](coopreg_shared::validate::validate_reseller_add_domain)
//!   (name with `X-IDN-LANGUAGE`, period, handles, 2–13 name servers, `X-COOP-ELIGIBILITY=1`);
//! - the four contacts exist and belong to the calling reseller; the owner has an
//!   organisation and is no privacy/proxy service
//!   ([`check_registrant`](coopreg_shared::validate::check_registrant));
//! - the core's [`register`](coopreg_shared::lifecycle::register) decides the state: ACTIVE for
//!   a verified owner, else PROCESSING with a verification link e-mailed to the owner; a
//!   reserved name needs `X-ALLOCATION-TOKEN`, the token registry staff issued for it; the
//!   eligibility certification (criterion, time, this reseller) is kept;
//! - at most 5 verification e-mails to one address per 24 hours
//!   ([`check_quotas`](coopreg_shared::limits::check_quotas), counted in D1 and read with the
//!   records): over it, a protocol error and nothing stored;
//! - the name is taken atomically: the new row is inserted (not replaced) in the same batch,
//!   so of two concurrent registrations one fails on the UNIQUE name and answers 549.
//!
//! Answer: `status`, `created date`, `registration expiration date`, `renewal date`,
//! `x-coop-verification`.
//!
//! Errors: `504`/`505`/`541`/`556` from validation, `545` unknown contact, `531` another
//! reseller's contact or an allocation token that is not valid for the name, `549` name
//! taken or reserved, `552` owner rejected by the registry, `421` over the e-mail quota.

use coopreg_shared::lifecycle::{self, NewDomain};
use coopreg_shared::reseller::response::{format_datetime, prop};
use coopreg_shared::reseller::Response;
use coopreg_shared::validate::{check_registrant, validate_reseller_add_domain};
use coopreg_shared::{ErrorCode, Problem, Problems};
use worker::Result;

use super::{attempt, flag, Call};
use crate::{apply, limits, store};
use coopreg_shared::limits::check_quotas;

/// The contact lists, which clients also send without index (`OWNERCONTACT`).
const ROLES: [&str; 4] = [
    "OWNERCONTACT",
    "ADMINCONTACT",
    "TECHCONTACT",
    "BILLINGCONTACT",
];

pub async fn add_domain(call: &Call<'_>) -> Result<Response> {
    let mut params = call.request.params.clone();
    for role in ROLES {
        if let Some(handle) = call.request.list(role).first() {
            params.insert(format!("{role}0"), handle.to_string());
        }
    }
    let order = attempt!(validate_reseller_add_domain(&params));
    let store::RegistrationContext {
        owner,
        owner_domains,
        existing,
        usage,
        allocation,
    } = store::registration_context(
        &call.db,
        &order.owner_contact,
        &order.domain.ascii,
        store::UsageOf::Contact(&order.owner_contact),
        order.allocation_token.as_deref(),
        call.now,
    )
    .await?;
    let owner = attempt!(call.owned(owner, &order.owner_contact, "OWNERCONTACT0"));
    for (handle, field) in [
        (&order.admin_contact, "ADMINCONTACT0"),
        (&order.tech_contact, "TECHCONTACT0"),
        (&order.billing_contact, "BILLINGCONTACT0"),
    ] {
        if *handle != owner.handle {
            attempt!(call.own_contact(handle, field).await?);
        }
    }
    attempt!(check_registrant(&owner.info, "OWNERCONTACT0"));
    let new_domain = NewDomain {
        name: order.domain.clone(),
        period: u32::from(order.period),
        owner: order.owner_contact.clone(),
        admin: order.admin_contact.clone(),
        tech: order.tech_contact.clone(),
        billing: order.billing_contact.clone(),
        nameservers: order.nameservers.clone(),
        ds_records: order.ds_records.clone(),
        transfer_lock: call.request.param("TRANSFERLOCK") == Some("1"),
        criterion: order.eligibility_criterion,
        client_ip: None,
        allocation,
        roid: lifecycle::new_roid(&crate::crypto::random_bytes::<10>()?),
    };
    let outcome = attempt!(lifecycle::register(
        &new_domain,
        &call.reseller,
        &owner,
        &owner_domains,
        existing.as_ref(),
        &call.random()?,
        call.now
    ));
    if let Err(over) = check_quotas(
        &outcome,
        &owner.info.email,
        &usage,
        &limits::configured(call.env),
        call.now,
    ) {
        return Ok(Response::from_problems(&over.problems));
    }
    let ascii = order.domain.ascii.as_str();
    let Some(domain) = outcome.domain(ascii).cloned() else {
        return Err(worker::Error::RustError(
            "register returned no domain record".to_string(),
        ));
    };
    let mut statements = Vec::new();
    if let Some(previous) = &existing {
        // Its deletion completed by now: remove the old row only if it is still the one we
        // saw, so a concurrent registration makes the insert fail.
        statements.push(store::delete_domain_in_state(
            &call.db,
            ascii,
            previous.status_word(),
        )?);
    }
    let mut writes = apply::statements(call.env, &call.db, &outcome, Some(ascii), call.now)?;
    statements.append(&mut writes.statements);
    writes.statements = statements;
    if let Err(error) = apply::commit(call.env, call.ctx, &call.db, writes, call.now).await {
        if store::is_allocation_token_reuse(&error) {
            return Ok(Response::from_problems(&Problems::one(Problem::new(
                ErrorCode::AllocationTokenInvalid,
                "X-ALLOCATION-TOKEN",
                "this allocation token was used a moment ago; each token registers its name once",
            ))));
        }
        if store::is_unique_violation(&error, "domains.name") {
            return Ok(Response::from_problems(&Problems::one(Problem::new(
                ErrorCode::NameTaken,
                "DOMAIN",
                format!("{} was registered a moment ago", order.domain.unicode),
            ))));
        }
        return Err(error);
    }
    Ok(Response::success()
        .property(prop::STATUS, domain.status_word())
        .property(prop::CREATED_DATE, format_datetime(domain.created))
        .property(
            prop::REGISTRATION_EXPIRATION_DATE,
            format_datetime(domain.expires),
        )
        .property(prop::RENEWAL_DATE, format_datetime(domain.expires))
        .property(
            prop::X_COOP_VERIFICATION,
            flag(owner_is_verified(&outcome, &owner)),
        ))
}

/// Whether the owner is verified after the registration.
fn owner_is_verified(outcome: &lifecycle::Outcome, owner: &lifecycle::ContactRecord) -> bool {
    outcome
        .contact(&owner.handle)
        .unwrap_or(owner)
        .is_verified()
}
