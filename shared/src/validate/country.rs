//! Countries: ISO 3166-1 alpha-2 codes (data: `shared/data/countries.txt`).
//!
//! Rule: the code must be an assigned alpha-2 code; ASCII case is folded (`de` → `DE`).
//! `UK` is refused with `GB` suggested. Error: `invalid_country`.

use crate::error::{ErrorCode, Problem};
use std::sync::OnceLock;

const COUNTRIES_SOURCE: &str = include_str!("../../data/countries.txt");

/// Every assigned code with its short English name, in code order (for the form's list).
pub fn countries() -> &'static [(&'static str, &'static str)] {
    static LIST: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    LIST.get_or_init(|| {
        COUNTRIES_SOURCE
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter_map(|line| line.split_once(' '))
            .map(|(code, name)| (code, name.trim()))
            .collect()
    })
}

/// Whether `code` (upper case) is an assigned ISO 3166-1 alpha-2 code.
pub fn is_country(code: &str) -> bool {
    countries()
        .binary_search_by(|(known, _)| (*known).cmp(code))
        .is_ok()
}

/// Checks a country code; returns it in upper case.
pub(crate) fn check_country(value: &str, field: &str) -> Result<String, Problem> {
    let code = value.trim().to_ascii_uppercase();
    if is_country(&code) {
        return Ok(code);
    }
    let problem = Problem::new(
        ErrorCode::InvalidCountry,
        field,
        format!(
            "'{}' is not a country code: use the two-letter ISO 3166-1 code, e.g. DE, FR, US",
            value.chars().take(10).collect::<String>()
        ),
    );
    Err(if code == "UK" {
        problem.with_suggestion("GB")
    } else {
        problem
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_complete_sorted_and_unique() {
        let list = countries();
        assert_eq!(list.len(), 249);
        assert!(list.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert!(list.iter().all(|(code, name)| code.len() == 2
            && code.bytes().all(|b| b.is_ascii_uppercase())
            && !name.is_empty()));
    }

    #[test]
    fn country_rules() {
        let cases: &[(&str, Option<&str>)] = &[
            ("DE", Some("DE")),
            ("de", Some("DE")),
            ("GB", Some("GB")),
            ("AX", Some("AX")),
            ("SS", Some("SS")),
            ("UK", None),
            ("EU", None),
            ("XK", None), // Kosovo: user-assigned, not an ISO code
            ("DEU", None),
            ("", None),
            ("D", None),
            ("ДЕ", None),
        ];
        for (input, expected) in cases {
            assert_eq!(
                check_country(input, "c").ok().as_deref(),
                *expected,
                "{input}"
            );
        }
        let uk = check_country("uk", "c").unwrap_err();
        assert_eq!(uk.code, ErrorCode::InvalidCountry);
        assert_eq!(uk.suggestion.as_deref(), Some("GB"));
    }
}
