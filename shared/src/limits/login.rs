//! Failed logins (reseller API, staff console, staff API): throttled per client and account
//! together, so nobody can lock another person out.
//!
//! Rules:
//! - a failed login is counted under the key (kind, account, client) ([`throttle_key`]), the
//!   client being its IP address — an IPv6 address by its /64 network, which one host usually
//!   holds whole; a request without a client address counts under `unknown`;
//! - after [`MAX_FAILURES`] failures within [`FAILURE_WINDOW`] that client is refused for that
//!   account until the oldest of them ages out ([`check_login_throttle`]); the same account from
//!   any other client, and other accounts from this client, are not affected;
//! - refused, no password is checked (429 `rate_limited` with `Retry-After`).
//!
//! The bursts per IP address (`Burst::ResellerLogin`, `Burst::StaffLogin`) still apply on top.

use std::net::IpAddr;

use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

use super::OverLimit;

/// Failed logins of one client for one account within [`FAILURE_WINDOW`] before it waits.
pub const MAX_FAILURES: u32 = 5;
/// The window of [`MAX_FAILURES`], in seconds.
pub const FAILURE_WINDOW: i64 = 15 * 60;

/// The client part of a throttle key: an IPv4 address, an IPv6 /64 network, or `unknown`.
pub fn client_network(client_ip: Option<&str>) -> String {
    match client_ip.and_then(|ip| ip.trim().parse::<IpAddr>().ok()) {
        Some(IpAddr::V4(ip)) => ip.to_string(),
        Some(IpAddr::V6(ip)) => match ip.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let segments = ip.segments();
                format!(
                    "{:x}:{:x}:{:x}:{:x}::/64",
                    segments[0], segments[1], segments[2], segments[3]
                )
            }
        },
        None => "unknown".to_string(),
    }
}

/// The key failed logins are counted under: `<kind>:<account>|<client network>`.
pub fn throttle_key(kind: &str, account: &str, client_ip: Option<&str>) -> String {
    format!("{kind}:{account}|{}", client_network(client_ip))
}

/// Refuses a login when the key has [`MAX_FAILURES`] failures within the window. `failures`
/// is their count and `oldest_at` the time of the oldest, as the worker read them.
pub fn check_login_throttle(
    failures: u32,
    oldest_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<(), OverLimit> {
    if failures < MAX_FAILURES {
        return Ok(());
    }
    let retry_after = oldest_at
        .map_or(FAILURE_WINDOW, |at| at + FAILURE_WINDOW - now)
        .clamp(1, FAILURE_WINDOW);
    Err(OverLimit {
        problems: Problems::one(Problem::new(
            ErrorCode::RateLimited,
            "",
            format!(
                "Too many failed logins for this account from your network; try again in {} minutes. Other networks are not affected.",
                (retry_after + 59) / 60
            ),
        )),
        retry_after: u32::try_from(retry_after).unwrap_or(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_by_its_64_network() {
        assert_eq!(
            client_network(Some("2001:db8:1:2:aaaa::1")),
            client_network(Some("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(
            client_network(Some("2001:db8:1:2::1")),
            client_network(Some("2001:db8:1:3::1"))
        );
        assert_eq!(client_network(Some("198.51.100.7")), "198.51.100.7");
        assert_eq!(client_network(Some("::ffff:198.51.100.7")), "198.51.100.7");
        assert_eq!(client_network(None), "unknown");
        assert_eq!(client_network(Some("not an ip")), "unknown");
        assert_eq!(
            throttle_key("staff", "jane", Some("2001:db8::5")),
            "staff:jane|2001:db8:0:0::/64"
        );
    }

    #[test]
    fn the_sixth_attempt_waits_for_the_oldest_to_age_out() {
        assert!(check_login_throttle(MAX_FAILURES - 1, Some(100), 200).is_ok());
        let over = check_login_throttle(MAX_FAILURES, Some(100), 200).unwrap_err();
        assert_eq!(over.retry_after, (100 + FAILURE_WINDOW - 200) as u32);
        assert_eq!(over.problems.errors[0].code, ErrorCode::RateLimited);
    }
}
