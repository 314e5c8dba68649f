//! `RenewDomain`, `DeleteDomain`, `RestoreDomain`: the term of a domain (reseller-api.md
//! §5.5, §5.6, §5.8). The core's [`renew`](coopreg_shared::lifecycle::renew),
//! [`delete`](coopreg_shared::lifecycle::delete) and
//! [`restore`](coopreg_shared::lifecycle::restore) hold the rules:
//! - renew: only the sponsor, ACTIVE or HELD; `EXPIRATION` must be the current expiration year
//!   (a retried renew cannot renew twice); at most 10 years ahead;
//! - delete: within the 5-day add grace the name is free at once, else 30 days of redemption
//!   and 5 of pending delete;
//! - restore: only in redemption, back to the state before the deletion.
//!
//! Answers: RenewDomain `registration expiration date`; DeleteDomain and RestoreDomain
//! `status`.
//!
//! Errors: `545` unknown domain, `531` another reseller's, `552` status forbids, `553` transfer
//! pending, `541` wrong `EXPIRATION`, `556` beyond 10 years.

use coopreg_shared::lifecycle;
use coopreg_shared::reseller::response::{format_datetime, prop};
use coopreg_shared::reseller::Response;
use worker::Result;

use super::{attempt, Call};

/// A whole number the command table has already checked (at most 9 digits).
fn number(call: &Call<'_>, name: &str) -> u32 {
    call.request
        .param(name)
        .and_then(|value| value.parse().ok())
        .unwrap_or(0)
}

pub async fn renew(call: &Call<'_>) -> Result<Response> {
    let name = attempt!(call.domain_name());
    let found = attempt!(call.domain(&name).await?);
    let outcome = attempt!(lifecycle::renew(
        &found.stored,
        &call.reseller,
        number(call, "PERIOD"),
        i64::from(number(call, "EXPIRATION")),
        call.now
    ));
    call.store(&outcome).await?;
    let expires = outcome
        .domain(&name.ascii)
        .map_or(found.current.expires, |domain| domain.expires);
    Ok(Response::success().property(prop::REGISTRATION_EXPIRATION_DATE, format_datetime(expires)))
}

pub async fn delete(call: &Call<'_>) -> Result<Response> {
    let name = attempt!(call.domain_name());
    let found = attempt!(call.domain(&name).await?);
    let outcome = attempt!(lifecycle::delete(&found.stored, &call.reseller, call.now));
    call.store(&outcome).await?;
    Ok(status_after(&outcome, &name.ascii))
}

pub async fn restore(call: &Call<'_>) -> Result<Response> {
    let name = attempt!(call.domain_name());
    let found = attempt!(call.domain(&name).await?);
    let outcome = attempt!(lifecycle::restore(&found.stored, &call.reseller, call.now));
    call.store(&outcome).await?;
    Ok(status_after(&outcome, &name.ascii))
}

/// `200` with the domain's new state word (`FREE` once the name is free again).
fn status_after(outcome: &lifecycle::Outcome, ascii: &str) -> Response {
    let word = match outcome.domain(ascii) {
        Some(domain) => Some(domain.status_word()),
        None if outcome.freed.iter().any(|name| name == ascii) => Some("FREE"),
        None => None,
    };
    match word {
        Some(word) => Response::success().property(prop::STATUS, word),
        None => Response::success(),
    }
}
