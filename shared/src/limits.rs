//! Limits on the public paths (product.md "Limits on the public paths"): what may not happen
//! too often, decided here from counts the worker reads and the limits it is configured with.
//!
//! Two kinds:
//! - **Bursts** per client IP address on the routes anyone can call (orders, new links,
//!   availability, the reseller API's login, the staff login, RDAP). The worker counts them with
//!   Cloudflare's Rate Limiting binding (per location and approximate, a speed bump); when it
//!   says no, [`burst_refused`] is the answer.
//! - **Durable quotas** per e-mail address, counted in D1 so they hold everywhere
//!   ([`check_quotas`]):
//!   - at most [`Limits::link_emails_per_address`] verification or approval e-mails (those
//!     with a link: [`EmailKind::counts_toward_link_quota`]) to one address within
//!     [`LINK_EMAIL_WINDOW`] (24 hours);
//!   - at most [`Limits::unconfirmed_web_orders_per_address`] unconfirmed web orders
//!     ([`DomainRecord::is_unconfirmed_web_order`]) whose registrant has one address.
//!
//! - **Failed logins** per client and account together ([`login`]): a client that keeps
//!   failing waits; the account stays open to everyone else.
//!
//! Over a limit the command is refused whole ([`OverLimit`]: `rate_limited`, HTTP 429 with
//! `Retry-After`, a reseller protocol error): nothing is stored and no e-mail is sent.
//! Addresses are compared as [`quota_address`] writes them, so `Ada@X.coop` and `ada@x.coop`
//! share one quota.
//!
//! [`EmailKind::counts_toward_link_quota`]: crate::lifecycle::EmailKind::counts_toward_link_quota
//! [`DomainRecord::is_unconfirmed_web_order`]: crate::lifecycle::DomainRecord::is_unconfirmed_web_order

pub mod login;

use crate::error::{ErrorCode, Problem, Problems};
use crate::lifecycle::Outcome;
use crate::model::{Timestamp, DAY};

/// The window of the link e-mail quota.
pub const LINK_EMAIL_WINDOW: i64 = DAY;

/// What the durable quotas allow (configurable; the defaults are product.md's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Verification or approval e-mails to one address per 24 hours.
    pub link_emails_per_address: u32,
    /// Unconfirmed web orders naming one address.
    pub unconfirmed_web_orders_per_address: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            link_emails_per_address: 5,
            unconfirmed_web_orders_per_address: 10,
        }
    }
}

/// What is stored for one address (as [`quota_address`] writes it) at `now`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddressUsage {
    /// Link e-mails to it within the last [`LINK_EMAIL_WINDOW`].
    pub link_emails: u32,
    /// When the oldest of those was queued.
    pub oldest_link_email_at: Option<Timestamp>,
    /// Unconfirmed web orders whose registrant has this address.
    pub unconfirmed_web_orders: u32,
}

/// A refusal for being over a limit: the problem to answer and how many seconds to wait
/// (`Retry-After`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverLimit {
    pub problems: Problems,
    pub retry_after: u32,
}

/// The form in which addresses are counted: trimmed, ASCII lower case (as SQLite's `lower`
/// writes it, so stored rows and new ones agree).
pub fn quota_address(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// Checks what `outcome` would add for `address` (the registrant's) against its `usage`.
/// New link e-mails to that address and new unconfirmed web orders (records the outcome
/// creates, revision 0) count; the first limit passed is the answer.
pub fn check_quotas(
    outcome: &Outcome,
    address: &str,
    usage: &AddressUsage,
    limits: &Limits,
    now: Timestamp,
) -> Result<(), OverLimit> {
    let address = quota_address(address);
    let new_orders = outcome
        .domains
        .iter()
        .filter(|domain| domain.revision == 0 && domain.is_unconfirmed_web_order())
        .count();
    let orders = u64::from(usage.unconfirmed_web_orders) + new_orders as u64;
    if new_orders > 0 && orders > u64::from(limits.unconfirmed_web_orders_per_address) {
        return Err(OverLimit {
            problems: Problems::one(Problem::new(
                ErrorCode::RateLimited,
                "contacts.owner.email",
                format!(
                    "There are already {} registrations naming this e-mail address that its \
                     owner has not confirmed (at most {} are allowed). Confirm them with the \
                     links we sent, or wait until they lapse, before ordering more.",
                    usage.unconfirmed_web_orders, limits.unconfirmed_web_orders_per_address
                ),
            )),
            retry_after: DAY as u32,
        });
    }
    let new_links = outcome
        .emails()
        .filter(|email| email.kind.counts_toward_link_quota())
        .filter(|email| quota_address(&email.to) == address)
        .count();
    let links = u64::from(usage.link_emails) + new_links as u64;
    if new_links > 0 && links > u64::from(limits.link_emails_per_address) {
        let free_at = usage
            .oldest_link_email_at
            .map_or(now + LINK_EMAIL_WINDOW, |oldest| {
                oldest.saturating_add(LINK_EMAIL_WINDOW)
            });
        let retry_after = free_at.saturating_sub(now).clamp(1, LINK_EMAIL_WINDOW);
        return Err(OverLimit {
            problems: Problems::one(Problem::new(
                ErrorCode::RateLimited,
                "",
                format!(
                    "We have already sent {} verification or approval e-mails to this address \
                     in the last 24 hours (at most {} are sent). Use the newest one, or try \
                     again in {}.",
                    usage.link_emails,
                    limits.link_emails_per_address,
                    wait_words(retry_after)
                ),
            )),
            retry_after: retry_after as u32,
        });
    }
    Ok(())
}

/// The routes whose bursts per client IP address are limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Burst {
    Orders,
    Resend,
    Availability,
    ResellerLogin,
    StaffLogin,
    /// RDAP lookups and searches (`/rdap/`).
    Rdap,
}

/// The answer when the rate-limit binding refused a burst on `route`; the binding counts per
/// `period` seconds.
pub fn burst_refused(route: Burst, period: u32) -> OverLimit {
    let what = match route {
        Burst::Orders => "orders",
        Burst::Resend => "requests for a new link",
        Burst::Availability => "availability checks",
        Burst::ResellerLogin => "logins to the reseller API",
        Burst::StaffLogin => "logins to the registry console",
        Burst::Rdap => "RDAP queries",
    };
    OverLimit {
        problems: Problems::one(Problem::new(
            ErrorCode::RateLimited,
            "",
            format!(
                "Too many {what} from your network in a short time. Nothing was done; please \
                 wait {} and try again.",
                wait_words(i64::from(period))
            ),
        )),
        retry_after: period,
    }
}

/// `a minute`, `3 minutes`, `2 hours` (rounded up).
fn wait_words(seconds: i64) -> String {
    let minutes = (seconds.max(1) + 59) / 60;
    match minutes {
        1 => "a minute".to_string(),
        2..=90 => format!("{minutes} minutes"),
        _ => {
            let hours = (minutes + 59) / 60;
            format!("{hours} hours")
        }
    }
}

#[cfg(test)]
mod tests;
