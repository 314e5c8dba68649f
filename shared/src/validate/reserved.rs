//! Reserved names: second-level labels the registry keeps (`shared/data/reserved-names.txt`,
//! read at compile time), and the form of the allocation token that lets one of them be
//! registered.
//!
//! Rules:
//! - a name is reserved when its second-level label (A-label form, as the registry keys names)
//!   is in the data file; the registration rule itself ([`crate::lifecycle::register`]) refuses
//!   it with `name_reserved` unless the order carries a token issued for that name;
//! - an allocation token is what [`crate::lifecycle::issue_allocation_token`] makes: 16 to 64
//!   URL-safe base64 characters (`A-Z a-z 0-9 - _`); anything else is `invalid_value` on the
//!   field that carried it (`allocation_token`, `X-ALLOCATION-TOKEN`).

use crate::error::{ErrorCode, Problem};
use crate::model::DomainName;

const SOURCE: &str = include_str!("../../data/reserved-names.txt");

/// The reserved labels, in file order.
pub fn reserved_labels() -> impl Iterator<Item = &'static str> {
    SOURCE
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|label| !label.is_empty())
}

/// True when `name`'s second-level label is reserved by the registry.
pub fn is_reserved(name: &DomainName) -> bool {
    let label = name.ascii.split('.').next().unwrap_or("");
    reserved_labels().any(|reserved| reserved.eq_ignore_ascii_case(label))
}

/// What a reserved name answers when it is asked for without a token: for people and for the
/// availability answers alike.
pub fn reserved_message(name: &DomainName) -> String {
    format!(
        "{} is reserved by the .coop registry. It can be registered only with an allocation \
         token that registry staff issued for this name.",
        name.unicode
    )
}

/// Checks the form of an allocation token given in `field` (surrounding spaces are ignored).
pub fn check_allocation_token(token: &str, field: &str) -> Result<String, Problem> {
    let token = token.trim();
    let well_formed = (16..=64).contains(&token.len())
        && token
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    if well_formed {
        Ok(token.to_string())
    } else {
        Err(Problem::new(
            ErrorCode::InvalidValue,
            field,
            "is not an allocation token: it is the 22-character code (letters, digits, - and _) \
             that registry staff gave you for a reserved name",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(ascii: &str) -> DomainName {
        DomainName {
            ascii: ascii.to_string(),
            unicode: ascii.to_string(),
            language: None,
        }
    }

    #[test]
    fn the_required_labels_are_reserved_and_others_are_not() {
        for label in [
            "nic",
            "whois",
            "rdap",
            "www",
            "registry",
            "example",
            "test",
            "localhost",
            "invalid",
        ] {
            assert!(is_reserved(&name(&format!("{label}.coop"))), "{label}");
        }
        for free in ["nice.coop", "mynic.coop", "co-op.coop", "xn--caf-dma.coop"] {
            assert!(!is_reserved(&name(free)), "{free}");
        }
        assert!(
            reserved_labels().all(|label| label == label.to_ascii_lowercase()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        );
    }

    /// The registry's own host names, as `wrangler.toml` lists them, are reserved: a name
    /// server `a.nic.coop` lives under `nic.coop`, which nobody else may hold.
    #[test]
    fn the_apex_name_servers_of_wrangler_toml_are_under_reserved_names() {
        let config = include_str!("../../../wrangler.toml");
        let line = config
            .lines()
            .find(|line| line.trim_start().starts_with("ZONE_APEX_NAMESERVERS"))
            .expect("wrangler.toml sets ZONE_APEX_NAMESERVERS");
        let value = line.split('"').nth(1).expect("a quoted value");
        let mut hosts = 0;
        for entry in value.split_whitespace() {
            let host = entry.split('=').next().unwrap_or("");
            let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
            if labels.last() != Some(&"coop") || labels.len() < 2 {
                continue;
            }
            let registered = format!("{}.coop", labels[labels.len() - 2]);
            assert!(is_reserved(&name(&registered)), "{host}: {registered}");
            hosts += 1;
        }
        assert!(hosts >= 2, "the apex name servers are inside .coop");
    }

    #[test]
    fn allocation_tokens_have_one_form() {
        assert_eq!(
            check_allocation_token(" AbCdEfGhIjKlMnOpQrStUv ", "t").unwrap(),
            "AbCdEfGhIjKlMnOpQrStUv"
        );
        for bad in ["", "short", "has space in the middle!!", &"x".repeat(65)] {
            let problem = check_allocation_token(bad, "allocation_token").unwrap_err();
            assert_eq!(problem.code, ErrorCode::InvalidValue);
            assert_eq!(problem.field, "allocation_token");
        }
    }
}
