//! The sponsoring reseller restores a deleted domain (`RestoreDomain`).
//!
//! Rules:
//! - only the sponsor; only in REDEMPTION (not in PENDING DELETE); not under the registry
//!   lock's `serverUpdateProhibited` (a restore is an update, RFC 3915);
//! - the domain returns to the state it had when deleted (a hold stays a hold). If it
//!   expired meanwhile, the next step renews it automatically.
//!
//! Errors: `not_yours`, `status_prohibits`, `not_found` (freed by now).

use super::effect::{Actor, Outcome};
use super::guard::{ensure_no_server_status, ensure_sponsor, status_prohibits};
use super::record::{DomainRecord, DomainState, ServerStatus};
use super::tick::advance;
use super::work::Work;
use crate::error::Problems;
use crate::model::Timestamp;

/// Restores `domain` for `reseller`.
pub fn restore(domain: &DomainRecord, reseller: &str, now: Timestamp) -> Result<Outcome, Problems> {
    let mut work = Work::new(now, [], [domain]);
    advance(&mut work);
    let current = work.first_domain()?;
    ensure_sponsor(current, reseller)?;
    ensure_no_server_status(current, ServerStatus::ServerUpdateProhibited, "a restore")?;
    let DomainState::Redemption { previous, .. } = &current.state else {
        return Err(status_prohibits(format!(
            "{} is {}: only a domain in redemption can be restored.",
            current.name.unicode,
            current.state.describe()
        )));
    };
    let previous = previous.as_ref().clone();
    work.set_state(
        0,
        previous,
        now,
        Actor::Reseller(reseller.to_string()),
        "restored",
    );
    // A domain that expired while deleted is renewed at once, as any expired one.
    advance(&mut work);
    Ok(work.finish())
}
