//! The periods of the lifecycle and the calendar arithmetic they need.
//!
//! Days are fixed 86,400-second days; years are calendar years (29 February plus one year is
//! 28 February), as registries count registration terms.

use crate::model::{Timestamp, DAY};
use chrono::{DateTime, Datelike, Months};

/// Add grace period: a delete within it frees the name at once.
pub const ADD_GRACE: i64 = 5 * DAY;
/// Auto-renew grace period after an automatic renewal.
pub const AUTO_RENEW_GRACE: i64 = 45 * DAY;
/// Redemption period after a delete: `RestoreDomain` brings the domain back.
pub const REDEMPTION: i64 = 30 * DAY;
/// Pending-delete period after redemption: no way back, then the name is free.
pub const PENDING_DELETE: i64 = 5 * DAY;
/// A pending transfer is approved automatically after this long.
pub const TRANSFER_AUTO_APPROVE: i64 = 5 * DAY;
/// A verification link is valid this long; then the owner's waiting domains are held.
pub const TOKEN_LIFETIME: i64 = 15 * DAY;
/// The reminder goes out this long after the link was issued.
pub const REMINDER_AFTER: i64 = 7 * DAY;
/// Domains held because staff rejected their owner are deleted this long after the rejection.
pub const REJECTED_DELETE_AFTER: i64 = 30 * DAY;
/// A web order never confirmed (held since day 15 because its link was not answered or was
/// declined) is deleted this long after it was placed, and its name is free again.
pub const UNCONFIRMED_WEB_ORDER_DELETED_AFTER: i64 = 45 * DAY;
/// The registration term: whole years, at most this many unexpired.
pub const MAX_YEARS: u32 = 10;

/// `at` plus `years` calendar years. Never fails: outside chrono's range (hundreds of
/// thousands of years away) it falls back to 365-day years, saturating.
pub fn add_years(at: Timestamp, years: u32) -> Timestamp {
    DateTime::from_timestamp(at, 0)
        .and_then(|date| date.checked_add_months(Months::new(years.saturating_mul(12))))
        .map_or_else(
            || at.saturating_add(i64::from(years).saturating_mul(365 * DAY)),
            |date| date.timestamp(),
        )
}

/// The UTC calendar year of `at` (what `EXPIRATION` of `RenewDomain` names).
pub fn year_of(at: Timestamp) -> i64 {
    DateTime::from_timestamp(at, 0).map_or(1970 + at / (365 * DAY), |date| i64::from(date.year()))
}

/// `at` as RFC 3339 UTC (`2026-01-31T12:00:00Z`), for messages.
pub fn format_time(at: Timestamp) -> String {
    DateTime::from_timestamp(at, 0).map_or_else(
        || format!("@{at}"),
        |date| date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
}

/// The latest expiry allowed at `now`: the unexpired term never exceeds [`MAX_YEARS`].
pub fn max_expiry(now: Timestamp) -> Timestamp {
    add_years(now, MAX_YEARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2024-02-29T12:00:00Z
    const LEAP_DAY: Timestamp = 1_709_208_000;

    #[test]
    fn calendar_years_clamp_the_leap_day() {
        // 2025-02-28T12:00:00Z
        assert_eq!(add_years(LEAP_DAY, 1), 1_740_744_000);
        assert_eq!(year_of(LEAP_DAY), 2024);
        assert_eq!(year_of(add_years(LEAP_DAY, 10)), 2034);
    }

    #[test]
    fn out_of_range_saturates_instead_of_panicking() {
        assert_eq!(add_years(i64::MAX - 1, 10), i64::MAX);
        assert!(year_of(i64::MAX) > 1_000_000);
    }
}
