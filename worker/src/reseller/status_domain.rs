//! `StatusDomain`: everything about one of the caller's domains (reseller-api.md §5.3).
//!
//! Rules: the domain is shown as it is now ([`project_domain`](coopreg_shared::lifecycle::project_domain):
//! a late cron never shows a stale state); only to its sponsoring reseller, which alone sees
//! the auth code. Properties use the live API's names ([`prop`]): `status` (the .coop state
//! word first — `PROCESSING`, `ACTIVE`, `HELD`, … — then the EPP statuses), `x-coop-verification`
//! (1 when the owner is verified), dates, name servers, contacts, `auth`, `transfer lock`,
//! `rgp status`, `domain idn` and `x-idn-language`.
//!
//! Errors: `545` unknown domain, `531` another reseller's domain.

use coopreg_shared::lifecycle::{DomainRecord, DomainState};
use coopreg_shared::reseller::response::{format_datetime, prop};
use coopreg_shared::reseller::Response;
use worker::Result;

use super::{attempt, flag, Call};

pub async fn status_domain(call: &Call<'_>) -> Result<Response> {
    let name = attempt!(call.domain_name());
    let found = attempt!(call.own_domain(&name).await?);
    let verified = found
        .owner
        .as_ref()
        .is_some_and(|owner| owner.is_verified());
    Ok(properties(&found.current, verified))
}

/// The properties of `domain`; `owner_verified` gives `x-coop-verification`.
fn properties(domain: &DomainRecord, owner_verified: bool) -> Response {
    let mut response = Response::success()
        .property(prop::DOMAIN, &domain.name.ascii)
        .property(prop::DOMAIN_IDN, &domain.name.unicode)
        .property(prop::ZONE, "coop")
        .property(prop::STATUS, domain.status_word())
        .property(prop::X_COOP_VERIFICATION, flag(owner_verified))
        .property(prop::CREATED_DATE, format_datetime(domain.created))
        .property(prop::CREATED_BY, &domain.reseller)
        .property(prop::UPDATED_DATE, format_datetime(domain.updated))
        .property(prop::UPDATED_BY, &domain.reseller)
        .property(prop::REGISTRAR, &domain.reseller)
        .property(
            prop::REGISTRATION_EXPIRATION_DATE,
            format_datetime(domain.expires),
        )
        .property(prop::PAIDUNTIL_DATE, format_datetime(domain.expires))
        .property(prop::RENEWAL_DATE, format_datetime(domain.expires))
        .property(prop::OWNER_CONTACT, &domain.owner)
        .property(prop::ADMIN_CONTACT, &domain.admin)
        .property(prop::TECH_CONTACT, &domain.tech)
        .property(prop::BILLING_CONTACT, &domain.billing)
        .property(prop::AUTH, domain.auth_code.as_str())
        .property(prop::TRANSFER_LOCK, flag(domain.transfer_lock));
    for status in domain.epp_statuses() {
        response.push(prop::STATUS, status);
    }
    for nameserver in &domain.nameservers {
        response.push(prop::NAMESERVER, &nameserver.host);
    }
    for ds in &domain.ds_records {
        response.push(prop::DNSSEC_DS_DATA, ds.to_text());
    }
    for status in domain.rgp_status() {
        response.push(prop::RGP_STATUS, status);
    }
    if let Some(language) = domain.name.language {
        response.push(prop::X_IDN_LANGUAGE, language.tag());
    }
    if let DomainState::PendingDelete { until } = domain.state {
        response.push(prop::DELETION_DATE, format_datetime(until));
    }
    response
}
