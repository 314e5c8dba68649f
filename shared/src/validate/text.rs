//! Free-text fields (names, street lines, city, ...): the checks every one of them gets.
//!
//! Rules: surrounding white space is dropped; no control characters (C0/C1, line and
//! paragraph separators, bidi embedding/override/isolate controls, which can disguise text);
//! no invisible characters (general category Cf "format" — U+200B zero width space, U+2060
//! word joiner, U+FEFF, U+00AD soft hyphen, ... — and every other Default_Ignorable_Code_Point
//! such as the Hangul fillers and variation selectors), so two registrants that look the same
//! are the same; Unicode NFC (the NFC form is suggested); at most `max_chars` characters.
//! Errors: `control_character`, `invisible_character`, `not_normalized`, `too_long`.

use crate::error::{ErrorCode, Problem, Problems};
use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory};
use icu_properties::{CodePointMapData, CodePointSetData};

/// True for characters no stored text may contain.
pub(crate) fn is_forbidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200E}' | '\u{200F}')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// True for characters that show nothing (or nearly nothing): format characters (Cf) and the
/// other default ignorable code points.
pub(crate) fn is_invisible(c: char) -> bool {
    CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
}

/// Checks one free-text value; returns it trimmed, or `None` after pushing its problems.
pub(crate) fn check_text(
    value: &str,
    field: &str,
    max_chars: usize,
    problems: &mut Problems,
) -> Option<String> {
    let value = value.trim();
    if value.chars().any(is_forbidden_control) {
        problems.push(Problem::new(
            ErrorCode::ControlCharacter,
            field,
            "contains control characters (line breaks, tabs or invisible direction marks); use plain text on one line",
        ));
        return None;
    }
    let invisible: Vec<char> = value.chars().filter(|&c| is_invisible(c)).collect();
    if !invisible.is_empty() {
        problems.push(Problem::new(
            ErrorCode::InvisibleCharacter,
            field,
            format!(
                "contains invisible characters ({}), which make different values look the same; type the text again without them",
                describe_chars(&invisible)
            ),
        ));
        return None;
    }
    let count = value.chars().count();
    if count > max_chars {
        problems.push(Problem::new(
            ErrorCode::TooLong,
            field,
            format!("is {count} characters long; at most {max_chars} are accepted"),
        ));
        return None;
    }
    let nfc = ComposingNormalizerBorrowed::new_nfc();
    if !value.is_ascii() && !nfc.is_normalized(value) {
        let normalized = nfc.normalize(value).into_owned();
        problems.push(
            Problem::new(
                ErrorCode::NotNormalized,
                field,
                "is not in Unicode normal form C (an accent typed as a separate mark); use the composed form",
            )
            .with_suggestion(normalized),
        );
        return None;
    }
    Some(value.to_string())
}

/// Formats a code point for a message: `U+00DF 'ß'`, or just `U+200D` for invisible ones.
pub(crate) fn describe_char(c: char) -> String {
    let visible = !(c.is_control()
        || c == ' '
        || c == '\u{00A0}'
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{00AD}')
        || ('\u{0300}'..='\u{036F}').contains(&c));
    if visible {
        format!("U+{:04X} '{c}'", c as u32)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

/// Lists up to five code points for a message, noting how many more there are.
pub(crate) fn describe_chars(chars: &[char]) -> String {
    let mut parts: Vec<String> = chars.iter().take(5).map(|&c| describe_char(c)).collect();
    if chars.len() > 5 {
        parts.push(format!("and {} more", chars.len() - 5));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rules() {
        let cases: &[(&str, Result<&str, ErrorCode>)] = &[
            ("  Coop Bank  ", Ok("Coop Bank")),
            ("Müller", Ok("Müller")),
            ("Mu\u{0308}ller", Err(ErrorCode::NotNormalized)),
            ("a\tb", Err(ErrorCode::ControlCharacter)),
            ("a\u{202E}b", Err(ErrorCode::ControlCharacter)),
            ("a\u{2028}b", Err(ErrorCode::ControlCharacter)),
            ("abcdefghijk", Err(ErrorCode::TooLong)),
            ("Ada\u{200B}", Err(ErrorCode::InvisibleCharacter)),
            ("A\u{2060}da", Err(ErrorCode::InvisibleCharacter)),
            ("\u{FEFF}Ada", Err(ErrorCode::InvisibleCharacter)),
            ("Ad\u{00AD}a", Err(ErrorCode::InvisibleCharacter)),
            ("Ad\u{200D}a", Err(ErrorCode::InvisibleCharacter)),
            ("Ad\u{3164}a", Err(ErrorCode::InvisibleCharacter)),
            ("Ad\u{E0041}a", Err(ErrorCode::InvisibleCharacter)),
            ("Ada-Byron", Ok("Ada-Byron")),
        ];
        for (input, expected) in cases {
            let mut problems = Problems::default();
            let got = check_text(input, "f", 10, &mut problems);
            match expected {
                Ok(want) => assert_eq!(got.as_deref(), Some(*want), "{input:?}"),
                Err(code) => {
                    assert_eq!(got, None, "{input:?}");
                    assert_eq!(problems.errors[0].code, *code, "{input:?}");
                }
            }
        }
    }

    #[test]
    fn invisible_characters_are_named() {
        let mut problems = Problems::default();
        check_text("Co\u{200B}op", "f", 50, &mut problems);
        let problem = &problems.errors[0];
        assert_eq!(problem.field, "f");
        assert!(problem.message.contains("U+200B"), "{}", problem.message);
    }

    /// Every format character is refused, whichever code decides it.
    #[test]
    fn every_format_character_is_refused() {
        for c in [
            '\u{00AD}', '\u{061C}', '\u{180E}', '\u{200B}', '\u{2060}', '\u{2064}', '\u{FEFF}',
            '\u{FFF9}',
        ] {
            let mut problems = Problems::default();
            assert_eq!(
                check_text(&format!("a{c}b"), "f", 50, &mut problems),
                None,
                "{c:?}"
            );
        }
    }

    #[test]
    fn nfc_suggestion_is_composed() {
        let mut problems = Problems::default();
        check_text("Mu\u{0308}ller", "f", 50, &mut problems);
        assert_eq!(problems.errors[0].suggestion.as_deref(), Some("Müller"));
    }
}
