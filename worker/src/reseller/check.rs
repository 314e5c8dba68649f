//! `CheckDomain` and `CheckDomains`: is a name free to register? (reseller-api.md §5.9)
//!
//! Rules: a name is taken while a record holds it, whatever its state (PROCESSING, HELD,
//! in redemption, pending delete), until its deletion completes; UTF-8 names are looked up by
//! their A-label ([`domain_to_look_up`](coopreg_shared::reseller::domain_to_look_up)). A free
//! name the registry reserves is not available (`211 …; reserved`) unless `CheckDomain`
//! carries `X-ALLOCATION-TOKEN` with an unused token issued for that name.
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
use coopreg_shared::validate::reserved::is_reserved;
use worker::Result;

use super::{attempt, Call};
use crate::store;

/// Why a name is not available, written after the description.
const RESERVED: &str = "reserved";

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

/// Whether `token` (the plain `X-ALLOCATION-TOKEN`) is an unused token issued for `name`.
async fn allocated(call: &Call<'_>, name: &DomainName, token: Option<&str>) -> Result<bool> {
    let Some(token) = token.map(str::trim).filter(|token| !token.is_empty()) else {
        return Ok(false);
    };
    let stored = store::allocation_token(&call.db, &lifecycle::token_hash(token)).await?;
    Ok(stored.is_some_and(|stored| stored.name == name.ascii && stored.used_at.is_none()))
}

pub async fn check_domain(call: &Call<'_>) -> Result<Response> {
    let name = attempt!(call.domain_name());
    if is_taken(call, &name).await? {
        return Ok(Response::new(NOT_AVAILABLE));
    }
    let token = call.request.param("X-ALLOCATION-TOKEN");
    if is_reserved(&name) && !allocated(call, &name, token).await? {
        return Ok(Response::new(NOT_AVAILABLE).detail(RESERVED));
    }
    Ok(Response::new(AVAILABLE))
}

pub async fn check_domains(call: &Call<'_>) -> Result<Response> {
    let language = call.request.param("X-IDN-LANGUAGE");
    let mut response = Response::success()
        .property(prop::COLUMN, prop::DOMAIN_CHECK)
        .property(prop::COLUMN, prop::DOMAIN_CHECK_TIME);
    for item in call.request.list("DOMAIN") {
        let started = js_sys::Date::now();
        let (code, reserved) = match domain_to_look_up(item, language) {
            Ok(name) => {
                let taken = is_taken(call, &name).await?;
                let reserved = !taken && is_reserved(&name);
                (availability(taken || reserved), reserved)
            }
            Err(_) => (INVALID_ITEM, false),
        };
        let description = standard_description(code).unwrap_or_default();
        let line = if reserved {
            format!("{code} {description}; {RESERVED}")
        } else {
            format!("{code} {description}")
        };
        response.push(prop::DOMAIN_CHECK, line);
        let seconds = (js_sys::Date::now() - started) / 1000.0;
        response.push(prop::DOMAIN_CHECK_TIME, format!("{seconds:.3}"));
    }
    Ok(response)
}
