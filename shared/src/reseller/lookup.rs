//! The `DOMAIN` of a command about a name that may already exist (`CheckDomain`,
//! `StatusDomain`, `RenewDomain`, …): which stored name it means.
//!
//! Rules (reseller-api.md §1.5):
//! - the name is checked as for a registration, problems reported on `DOMAIN` (a name no
//!   registration could have is refused rather than looked up);
//! - UTF-8 names are accepted and converted to their A-label, as the real API converts
//!   `DOMAIN` itself (the SDKs send it unconverted);
//! - an IDN label needs no `X-IDN-LANGUAGE` here: the A-label does not depend on the
//!   language, so the first table the letters fit is used. A language that is given must fit.
//!
//! Errors: those of [`crate::validate::validate_domain_name`] except `idn_language_required`.

use crate::error::{ErrorCode, Problems};
use crate::model::DomainName;
use crate::validate::domain::validate_domain_name_at;
use crate::validate::fitting_languages;

/// The domain a command's `DOMAIN` (with its optional `X-IDN-LANGUAGE`) names.
pub fn domain_to_look_up(value: &str, language: Option<&str>) -> Result<DomainName, Problems> {
    let first = validate_domain_name_at(value, language, "DOMAIN", "X-IDN-LANGUAGE");
    let Err(problems) = &first else {
        return first;
    };
    let only_language_missing = language.is_none()
        && problems
            .errors
            .iter()
            .all(|problem| problem.code == ErrorCode::IdnLanguageRequired);
    match fitting_languages(value).first() {
        Some(fitting) if only_language_missing => {
            validate_domain_name_at(value, Some(fitting.tag()), "DOMAIN", "X-IDN-LANGUAGE")
        }
        _ => first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_to_look_up() {
        let cases: &[(&str, Option<&str>, Result<&str, ErrorCode>)] = &[
            ("example.coop", None, Ok("example.coop")),
            ("EXAMPLE.coop", None, Ok("example.coop")),
            ("müller-1.coop", None, Ok("xn--mller-1-n2a.coop")),
            ("müller-1.coop", Some("DE"), Ok("xn--mller-1-n2a.coop")),
            ("xn--mller-1-n2a.coop", None, Ok("xn--mller-1-n2a.coop")),
            ("пример.coop", None, Ok("xn--e1afmkfd.coop")),
            (
                "müller-1.coop",
                Some("CYRL"),
                Err(ErrorCode::IdnLanguageMismatch),
            ),
            ("-bad-.coop", None, Err(ErrorCode::HyphenPosition)),
            ("example.com", None, Err(ErrorCode::NotCoop)),
            ("раypal.coop", None, Err(ErrorCode::IdnMixedTables)),
        ];
        for (value, language, expected) in cases {
            let found = domain_to_look_up(value, *language);
            match (expected, &found) {
                (Ok(ascii), Ok(name)) => assert_eq!(name.ascii, *ascii, "{value}"),
                (Err(code), Err(problems)) => assert!(
                    problems.errors.iter().any(|problem| problem.code == *code
                        && (problem.field == "DOMAIN" || problem.field == "X-IDN-LANGUAGE")),
                    "{value}: {problems:?}"
                ),
                _ => panic!("{value} {language:?}: expected {expected:?}, found {found:?}"),
            }
        }
    }
}
