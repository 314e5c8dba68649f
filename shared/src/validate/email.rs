//! E-mail addresses.
//!
//! Rules: `local@domain`, at most 254 octets; the local part is a dot-atom of at most 64
//! octets (RFC 5322 `atext`, plus letters and digits of any script for internationalised
//! addresses, RFC 6531; no quoted local parts); the domain is a valid host name, IDN allowed
//! (see [`crate::validate::domain::validate_host_name`]). Error: `invalid_email`.

use crate::error::{ErrorCode, Problem};
use crate::validate::domain::{check_host, is_letter_digit_or_mark};

const MAX_OCTETS: usize = 254;
const MAX_LOCAL_OCTETS: usize = 64;

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!#$%&'*+-/=?^_`{|}~".contains(c)
        || (!c.is_ascii() && is_letter_digit_or_mark(c))
}

/// Checks an e-mail address; returns it unchanged when valid.
pub(crate) fn check_email(value: &str, field: &str) -> Result<String, Problem> {
    let value = value.trim();
    let invalid = |message: String| Problem::new(ErrorCode::InvalidEmail, field, message);
    if value.len() > MAX_OCTETS {
        return Err(invalid(format!(
            "is {} octets long; an e-mail address has at most {MAX_OCTETS}",
            value.len()
        )));
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return Err(invalid(
            "is not an e-mail address (name@example.org)".to_string(),
        ));
    };
    if local.is_empty() || local.len() > MAX_LOCAL_OCTETS {
        return Err(invalid(format!(
            "the part before '@' must have 1 to {MAX_LOCAL_OCTETS} octets"
        )));
    }
    if !local
        .split('.')
        .all(|atom| !atom.is_empty() && atom.chars().all(is_atext))
    {
        return Err(invalid(
            "the part before '@' may use letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~, with single dots between them"
                .to_string(),
        ));
    }
    if let Err(problems) = check_host(domain) {
        let reason = problems
            .into_iter()
            .next()
            .map(|(_, message, _)| message)
            .unwrap_or_default();
        return Err(invalid(format!("the domain after '@' {reason}")));
    }
    Ok(value.to_string())
}

/// The domain of an address (after the last `@`), lower case; for the privacy-service check.
pub(crate) fn email_domain(email: &str) -> Option<String> {
    email
        .rsplit_once('@')
        .map(|(_, domain)| domain.trim_end_matches('.').to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_rules() {
        let cases: &[(&str, bool)] = &[
            ("info@example.coop", true),
            ("first.last+tag@mail.example.org", true),
            ("o'brien@example.ie", true),
            ("info@müller.coop", true),
            ("info@xn--mller-kva.coop", true),
            ("jürgen@müller.de", true),
            ("почта@пример.рф", true),
            ("Info@Example.COOP", true),
            ("info@example.coop.", true),
            ("", false),
            ("info", false),
            ("@example.coop", false),
            ("info@", false),
            ("info@localhost", false),
            ("info@192.0.2.1", false),
            ("info@[192.0.2.1]", false),
            ("in fo@example.coop", false),
            (".info@example.coop", false),
            ("info.@example.coop", false),
            ("in..fo@example.coop", false),
            ("\"quoted\"@example.coop", false),
            ("a@b@example.coop", false),
            ("info@exa_mple.coop", false),
            ("info@-example.coop", false),
            ("info@example..coop", false),
            ("info@ex♥ample.coop", false),
        ];
        for (input, valid) in cases {
            let got = check_email(input, "email");
            assert_eq!(got.is_ok(), *valid, "{input}: {got:?}");
            if let Err(problem) = got {
                assert_eq!(problem.code, ErrorCode::InvalidEmail);
                assert_eq!(problem.field, "email");
            }
        }
        let long_local = format!("{}@example.coop", "a".repeat(65));
        assert!(check_email(&long_local, "e").is_err());
        let long = format!("a@{}.coop", vec!["b".repeat(60); 5].join("."));
        assert!(check_email(&long, "e").is_err());
    }
}
