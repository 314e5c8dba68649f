//! Phone and fax numbers, stored in the registry's `+CC.NUMBER` (EPP) form.
//!
//! Rules: the stored form is `+`, a country calling code that ITU-T E.164 assigns to a
//! geographic area (data: `shared/data/calling-codes.txt`), a dot, then 4-14 digits; at most
//! 15 digits in all. The usual ways of writing a number are accepted and normalised:
//! spaces, dashes, dots, slashes and brackets between the digits (`+49 89 12345678`,
//! `+49-89-1234 5678`), `00` for `+` (`0049 89 …`), a bracketed trunk zero (`+44 (0)20 …`),
//! and a local number (`(089) 12345678`) with the chosen country's calling code (data:
//! `shared/data/countries.txt`), its trunk `0` dropped (kept for Italy, San Marino and the
//! Vatican, whose numbers include it; a leading `1` dropped in the +1 area).
//! Error: `invalid_phone`.

use crate::error::{ErrorCode, Problem};
use crate::validate::country::calling_code;
use std::sync::OnceLock;

const CALLING_CODES_SOURCE: &str = include_str!("../../data/calling-codes.txt");
const MAX_DIGITS: usize = 15;

/// The assigned calling codes.
pub fn calling_codes() -> &'static [u16] {
    static CODES: OnceLock<Vec<u16>> = OnceLock::new();
    CODES.get_or_init(|| {
        let codes: Vec<u16> = CALLING_CODES_SOURCE
            .lines()
            .map(|line| line.split('#').next().unwrap_or_default())
            .flat_map(str::split_whitespace)
            .filter_map(|code| code.parse().ok())
            .collect();
        codes
    })
}

pub(crate) fn is_calling_code(digits: &str) -> bool {
    digits
        .parse::<u16>()
        .is_ok_and(|code| !digits.starts_with('0') && calling_codes().contains(&code))
}

const HINT: &str =
    "write it with the country code (e.g. +49 89 12345678), or choose the country first";

/// Checks a phone or fax number written in any usual way; returns it as `+CC.NUMBER`.
/// `country` is the contact's country code (upper case), used for a local number.
pub(crate) fn check_phone(
    value: &str,
    field: &str,
    country: Option<&str>,
) -> Result<String, Problem> {
    let value = value.trim();
    let invalid = |message: String| Problem::new(ErrorCode::InvalidPhone, field, message);
    let shown: String = value.chars().take(30).collect();
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '+')))
    {
        return Err(invalid(format!(
            "'{shown}' contains '{bad}', which is not part of a phone number; {HINT}"
        )));
    }
    let plus = value.starts_with('+');
    if value.chars().skip(1).any(|c| c == '+') {
        return Err(invalid(format!(
            "'{shown}' is not a phone number: '+' may only come first; {HINT}"
        )));
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err(invalid(format!("'{shown}' has no digits; {HINT}")));
    }
    // Already in the stored form: the code is where the writer put it.
    if let Some((code, number)) = value.strip_prefix('+').and_then(|r| r.split_once('.')) {
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if all_digits(code) && all_digits(number) {
            return finish(code, number, &shown, invalid);
        }
    }
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    if let Some(rest) = international {
        let Some(code_len) = (1..=3).find(|&n| rest.get(..n).is_some_and(is_calling_code)) else {
            return Err(invalid(format!(
                "'{shown}' does not start with a country calling code; {HINT}"
            )));
        };
        let (code, number) = rest.split_at(code_len);
        // A national trunk 0 written in brackets, as in +44 (0)20 ..., is not dialled.
        let number = if value.contains("(0)") {
            number.strip_prefix('0').unwrap_or(number)
        } else {
            number
        };
        return finish(code, number, &shown, invalid);
    }
    let Some(code) = country.and_then(calling_code) else {
        return Err(invalid(format!(
            "'{shown}' has no country code and no country is chosen; {HINT}"
        )));
    };
    let keeps_trunk_zero = matches!(country, Some("IT" | "SM" | "VA"));
    let number = match code {
        "1" if digits.len() == 11 => digits.strip_prefix('1').unwrap_or(&digits),
        _ if !keeps_trunk_zero => digits.strip_prefix('0').unwrap_or(&digits),
        _ => &digits,
    };
    finish(code, number, &shown, invalid)
}

/// Checks the lengths and builds `+CC.NUMBER`.
fn finish(
    code: &str,
    number: &str,
    shown: &str,
    invalid: impl Fn(String) -> Problem,
) -> Result<String, Problem> {
    if !is_calling_code(code) {
        return Err(invalid(format!(
            "+{code} is not a country calling code; {HINT}"
        )));
    }
    if number.len() < 4 || code.len() + number.len() > MAX_DIGITS {
        return Err(invalid(format!(
            "'{shown}' has {} digits after the country code +{code}; a phone number has 4 to {}",
            number.len(),
            MAX_DIGITS - code.len()
        )));
    }
    Ok(format!("+{code}.{number}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calling_codes_are_prefix_free() {
        let codes: Vec<String> = calling_codes().iter().map(u16::to_string).collect();
        assert!(codes.len() > 200);
        for a in &codes {
            for b in &codes {
                assert!(
                    a == b || !b.starts_with(a.as_str()),
                    "{a} is a prefix of {b}"
                );
            }
        }
    }

    #[test]
    fn phone_rules() {
        // (input, country, stored form or None for refused)
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            ("+49.301234567", None, Some("+49.301234567")),
            ("+1.2125551234", None, Some("+1.2125551234")),
            ("+7.4951234567", None, Some("+7.4951234567")),
            ("+358.91234567", None, Some("+358.91234567")),
            ("+423.2371234", None, Some("+423.2371234")),
            ("+49 89 12345678", None, Some("+49.8912345678")),
            ("+49 89 12345678", Some("FR"), Some("+49.8912345678")),
            ("+49-89-1234 5678", Some("DE"), Some("+49.8912345678")),
            ("(089) 12345678", Some("DE"), Some("+49.8912345678")),
            ("089 / 1234 5678", Some("DE"), Some("+49.8912345678")),
            ("0049 89 12345678", None, Some("+49.8912345678")),
            ("0049-89-12345678", Some("GB"), Some("+49.8912345678")),
            ("+49 (0)89 12345678", None, Some("+49.8912345678")),
            ("+44 (0)20 7946 0000", None, Some("+44.2079460000")),
            ("020 7946 0000", Some("GB"), Some("+44.2079460000")),
            ("(212) 555-1234", Some("US"), Some("+1.2125551234")),
            ("1 212 555 1234", Some("US"), Some("+1.2125551234")),
            ("06 1234 5678", Some("IT"), Some("+39.0612345678")),
            ("+4930123456", None, Some("+49.30123456")),
            ("+49.30 1234567", None, Some("+49.301234567")),
            ("0301234567", None, None), // local, no country chosen
            ("0301234567", Some("XK"), None),
            ("+999.1234567", None, None), // no such calling code
            ("+999 1234567", None, None),
            ("+0.1234567", None, None),
            ("+049.301234567", None, None),
            ("+49.123", None, None),              // too short
            ("+49.1234567890123456", None, None), // too long
            ("+49.30-CALL-ME", None, None),
            ("+49 89 +1234", None, None),
            ("12", Some("DE"), None),
            ("", Some("DE"), None),
            ("+", None, None),
            ("+.", None, None),
            ("٠٣٠١٢٣٤٥٦٧", Some("DE"), None),
        ];
        for (input, country, expected) in cases {
            let got = check_phone(input, "phone", *country);
            match expected {
                Some(want) => assert_eq!(got.as_deref().ok(), Some(*want), "{input}"),
                None => {
                    let problem = got.expect_err(input);
                    assert_eq!(problem.code, ErrorCode::InvalidPhone, "{input}");
                    assert_eq!(problem.field, "phone");
                    assert!(problem.message.chars().count() < 160, "{}", problem.message);
                }
            }
        }
    }
}
