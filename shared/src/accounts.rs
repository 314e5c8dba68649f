//! Reseller and staff account ids: which ids may be given to an account.
//!
//! Rules: 2–32 characters `a-z 0-9 . _ -`, starting with a letter or digit; not one of the
//! ids the registry uses itself (`shared/data/reserved-account-ids.txt`: the web channel's
//! sponsor `web`, the history's actors, ...), which `scripts/admin.mjs` refuses from the same
//! file.
//!
//! Errors: `invalid_value` (field `id`).

use crate::error::{ErrorCode, Problem};

/// The reserved ids, one per line (`#` comments).
pub const RESERVED_ACCOUNT_IDS: &str = include_str!("../data/reserved-account-ids.txt");

/// The reserved ids.
pub fn reserved_account_ids() -> impl Iterator<Item = &'static str> {
    RESERVED_ACCOUNT_IDS
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|id| !id.is_empty())
}

/// Whether `id` is kept by the registry.
pub fn is_reserved_account_id(id: &str) -> bool {
    reserved_account_ids().any(|reserved| reserved.eq_ignore_ascii_case(id))
}

/// Checks an id for a new account.
pub fn check_account_id(id: &str) -> Result<(), Problem> {
    let well_formed = (2..=32).contains(&id.len())
        && id.bytes().enumerate().all(|(i, byte)| {
            byte.is_ascii_lowercase()
                || byte.is_ascii_digit()
                || (i > 0 && matches!(byte, b'.' | b'_' | b'-'))
        });
    if !well_formed {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            "id",
            "An account id is 2 to 32 characters a-z 0-9 . _ -, starting with a letter or digit.",
        ));
    }
    if is_reserved_account_id(id) {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            "id",
            format!("The id {id} is reserved for the registry's own use (e.g. `web` sponsors the web channel); choose another."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::WEB_RESELLER;

    #[test]
    fn the_web_channel_and_actor_names_are_reserved() {
        assert!(is_reserved_account_id(WEB_RESELLER));
        for id in ["web", "WEB", "registry", "system", "verification-service"] {
            assert!(check_account_id(&id.to_ascii_lowercase()).is_err(), "{id}");
            assert!(is_reserved_account_id(id), "{id}");
        }
        assert!(check_account_id("acme").is_ok());
        assert!(check_account_id("web2").is_ok());
        assert!(check_account_id("-acme").is_err());
        assert!(check_account_id("a").is_err());
    }
}
