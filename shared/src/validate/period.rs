//! Registration periods: whole years from 1 to 10.
//! Errors: `wrong_type` (not a whole number), `period_range` (outside 1-10).

use crate::error::{ErrorCode, Problem};

pub const MIN_YEARS: u8 = 1;
pub const MAX_YEARS: u8 = 10;

pub(crate) const WHOLE_YEARS: &str = "must be a whole number of years, from 1 to 10";

/// Checks a period given as a number of years.
pub fn validate_period(years: i64, field: &str) -> Result<u8, Problem> {
    match u8::try_from(years) {
        Ok(years) if (MIN_YEARS..=MAX_YEARS).contains(&years) => Ok(years),
        _ => Err(Problem::new(
            ErrorCode::PeriodRange,
            field,
            format!("is {years} years; a registration lasts 1 to 10 whole years"),
        )),
    }
}

/// Checks a period written as text (the reseller API's `PERIOD`): digits only, an optional
/// `Y` unit as some clients send (`2Y`).
pub(crate) fn validate_period_text(text: &str, field: &str) -> Result<u8, Problem> {
    let digits = text.trim();
    let digits = digits.strip_suffix(['Y', 'y']).unwrap_or(digits);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::new(ErrorCode::WrongType, field, WHOLE_YEARS));
    }
    let years = digits.parse::<i64>().unwrap_or(i64::MAX);
    validate_period(years, field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_rules() {
        for (years, ok) in [
            (0, false),
            (1, true),
            (5, true),
            (10, true),
            (11, false),
            (-1, false),
            (256, false),
            (i64::MAX, false),
        ] {
            assert_eq!(validate_period(years, "period").is_ok(), ok, "{years}");
        }
        assert_eq!(
            validate_period(11, "p").unwrap_err().code,
            ErrorCode::PeriodRange
        );
    }

    #[test]
    fn period_text_rules() {
        let cases: &[(&str, Result<u8, ErrorCode>)] = &[
            ("1", Ok(1)),
            ("10", Ok(10)),
            ("02", Ok(2)),
            ("2Y", Ok(2)),
            (" 3 ", Ok(3)),
            ("0", Err(ErrorCode::PeriodRange)),
            ("11", Err(ErrorCode::PeriodRange)),
            ("99999999999999999999999", Err(ErrorCode::PeriodRange)),
            ("", Err(ErrorCode::WrongType)),
            ("one", Err(ErrorCode::WrongType)),
            ("1.5", Err(ErrorCode::WrongType)),
            ("-1", Err(ErrorCode::WrongType)),
            ("12M", Err(ErrorCode::WrongType)),
        ];
        for (input, expected) in cases {
            assert_eq!(
                validate_period_text(input, "PERIOD").map_err(|p| p.code),
                *expected,
                "{input}"
            );
        }
    }
}
