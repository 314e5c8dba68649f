//! Phone and fax numbers in the registry's `+CC.NUMBER` form.
//!
//! Rules: `+`, a country calling code that ITU-T E.164 assigns to a geographic area (data:
//! `shared/data/calling-codes.txt`), a dot, then 4-14 digits; at most 15 digits in all.
//! A number written another way (`+49 30 1234567`, `+49-30-1234567`) is refused with the
//! `+CC.NUMBER` form suggested when it can be derived. Error: `invalid_phone`.

use crate::error::{ErrorCode, Problem};
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

fn is_calling_code(digits: &str) -> bool {
    digits
        .parse::<u16>()
        .is_ok_and(|code| !digits.starts_with('0') && calling_codes().contains(&code))
}

const FORM: &str = "write it as +CC.NUMBER: '+', the country calling code, a dot, then the number without spaces (e.g. +49.301234567)";

/// Checks a phone or fax number; returns it unchanged when valid.
pub(crate) fn check_phone(value: &str, field: &str) -> Result<String, Problem> {
    let value = value.trim();
    let invalid = |message: String| Problem::new(ErrorCode::InvalidPhone, field, message);
    if let Some((code, number)) = value
        .strip_prefix('+')
        .and_then(|rest| rest.split_once('.'))
    {
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if all_digits(code) && all_digits(number) {
            if !is_calling_code(code) {
                return Err(invalid(format!(
                    "+{code} is not a country calling code; {FORM}"
                )));
            }
            if number.len() < 4 || code.len() + number.len() > MAX_DIGITS {
                return Err(invalid(format!(
                    "the number has {} digits after the country code; a phone number has 4 to {} ({FORM})",
                    number.len(),
                    MAX_DIGITS - code.len()
                )));
            }
            return Ok(value.to_string());
        }
    }
    let problem = invalid(format!(
        "'{}' is not in the accepted form; {FORM}",
        value.chars().take(30).collect::<String>()
    ));
    Err(match suggest(value) {
        Some(suggestion) => problem.with_suggestion(suggestion),
        None => problem,
    })
}

/// Derives `+CC.NUMBER` from a number written with spaces, dashes, dots or brackets.
fn suggest(value: &str) -> Option<String> {
    let rest = value.strip_prefix('+')?;
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '/'))
    {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let code_len = (1..=3).find(|&n| digits.get(..n).is_some_and(is_calling_code))?;
    let (code, number) = digits.split_at(code_len);
    // A national trunk 0 written in brackets, as in +44 (0)20 ..., is not dialled.
    let number = if rest.contains("(0)") {
        number.strip_prefix('0').unwrap_or(number)
    } else {
        number
    };
    (number.len() >= 4 && digits.len() <= MAX_DIGITS + 1).then(|| format!("+{code}.{number}"))
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
        let cases: &[(&str, Result<&str, Option<&str>>)] = &[
            ("+49.301234567", Ok("+49.301234567")),
            ("+1.2125551234", Ok("+1.2125551234")),
            ("+7.4951234567", Ok("+7.4951234567")),
            ("+358.91234567", Ok("+358.91234567")),
            ("+423.2371234", Ok("+423.2371234")),
            ("+49 30 1234567", Err(Some("+49.301234567"))),
            ("+49-30-1234567", Err(Some("+49.301234567"))),
            ("+44 (0)20 7946 0000", Err(Some("+44.2079460000"))),
            ("+4930123456", Err(Some("+49.30123456"))),
            ("+999.1234567", Err(None)), // no such calling code
            ("+0.1234567", Err(None)),
            ("+049.301234567", Err(None)),
            ("+49.123", Err(None)),              // too short
            ("+49.1234567890123456", Err(None)), // too long
            ("0301234567", Err(None)),
            ("+49.30 1234567", Err(Some("+49.301234567"))),
            ("+49.30-CALL-ME", Err(None)),
            ("", Err(None)),
            ("+", Err(None)),
            ("+.", Err(None)),
        ];
        for (input, expected) in cases {
            let got = check_phone(input, "phone");
            match expected {
                Ok(want) => assert_eq!(got.as_deref().ok(), Some(*want), "{input}"),
                Err(suggestion) => {
                    let problem = got.expect_err(input);
                    assert_eq!(problem.code, ErrorCode::InvalidPhone, "{input}");
                    assert_eq!(problem.suggestion.as_deref(), *suggestion, "{input}");
                }
            }
        }
    }
}
