//! `CheckDomain` and `CheckDomains`: is a name free to register? (reseller-api.md §5.9)
//!
//! Rules: a name is taken while a record holds it, whatever its state (PROCESSING, HELD,
//! in redemption, pending delete), until its deletion completes; UTF-8 names are looked up by
//! their A-label ([`domain_to_look_up`](coopreg_shared::reseller::domain_to_look_up)).
//! `CheckDomain` answers in the top-level code; `CheckDomains` answers `200` with one
//! `domaincheck` line per name, `<code> <description>`, in the order given.
//!
//! Errors: `CheckDomain` with an invalid name answers its problem (`505`/`541`); in
//! `CheckDomains` an invalid name is `541 Invalid attribute value` for that item only, as the
//! real API writes it.

use coopreg_shared::lifecycle;
use coopreg_shared::model::DomainName;
use coopreg_shared::reseller::response::{prop, standard_description};
use coopreg_shared::reseller::{domain_to_look_up, Response};
use worker::Result;

use super::{attempt, Call};

const AVAILABLE: u16 = 210;
const NOT_AVAILABLE: u16 = 211;
/// The per-item code of an invalid name in `CheckDomains`.
const INVALID_ITEM: u16 = 541;

/// Whether a record holds `name` now (a deletion completed by now no longer counts).
async fn is_taken(call: &Call<'_>, name: &DomainName) -> Result<bool> {
    Ok(match call.stored_domain(name).await? {
        Some((stored, _)) => lifecycle::project_domain(&stored, None, call.now).is_some(),
        None => false,
    })
}

fn availability(taken: bool) -> u16 {
    if taken {
        NOT_AVAILABLE
    } else {
        AVAILABLE
    }
}

pub async fn check_domain(call: &Call<'_>) -> Result<Response> {
    let name = attempt!(call.domain_name());
    Ok(Response::new(availability(is_taken(call, &name).await?)))
}

pub async fn check_domains(call: &Call<'_>) -> Result<Response> {
    let language = call.request.param("X-IDN-LANGUAGE");
    let mut response = Response::success()
        .property(prop::COLUMN, prop::DOMAIN_CHECK)
        .property(prop::COLUMN, prop::DOMAIN_CHECK_TIME);
    for item in call.request.list("DOMAIN") {
        let started = js_sys::Date::now();
        let code = match domain_to_look_up(item, language) {
            Ok(name) => availability(is_taken(call, &name).await?),
            Err(_) => INVALID_ITEM,
        };
        let description = standard_description(code).unwrap_or_default();
        response.push(prop::DOMAIN_CHECK, format!("{code} {description}"));
        let seconds = (js_sys::Date::now() - started) / 1000.0;
        response.push(prop::DOMAIN_CHECK_TIME, format!("{seconds:.3}"));
    }
    Ok(response)
}
