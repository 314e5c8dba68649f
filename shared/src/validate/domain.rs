//! .coop domain names and DNS host names.
//!
//! [`validate_domain_name`] rules, in order:
//! - at most 1000 bytes of input (`too_long`); not empty (`required`); no control characters
//!   (`control_character`);
//! - second level under `.coop` only (`not_coop`, `not_second_level`), no empty label
//!   (`empty_label`);
//! - ASCII upper case is folded; every other mapping (surrounding spaces, a trailing dot,
//!   ideographic or full-width dots, full-width letters, upper-case non-ASCII letters,
//!   decomposed accents, ignorable characters) is refused with the canonical form suggested
//!   (`needs_mapping`);
//! - an LDH label has only `a-z 0-9 -` (`invalid_character`);
//! - an A-label (`xn--`) must be valid Punycode, decode to a non-ASCII U-label that passes every
//!   rule below, and be that U-label's canonical encoding (`invalid_a_label`);
//! - a U-label's code points must be in the .coop tables; outside them, the IDNA2008 reason is
//!   named: CONTEXTJ joiners (`contextj`), CONTEXTO characters (`contexto`), right-to-left
//!   characters (`bidi_rule`), a leading combining mark (`leading_combining_mark`), anything
//!   else (`idn_disallowed_code_point`);
//! - no hyphen first or last, no `--` in positions 3-4 (`hyphen_position`; `??--` labels are
//!   reserved, `xn--` only as an A-label);
//! - the letters must fit one language table (`idn_mixed_tables`);
//! - at most 63 octets per label and 253 per name in A-label form (`label_too_long`,
//!   `name_too_long`);
//! - an IDN label needs its language (`idn_language_required`), which must be a table
//!   (`unknown_idn_language`) that the label fits (`idn_language_mismatch`);
//! - underneath, the `idna` crate's UTS 46 ToASCII (STD3 rules, hyphen checks, bidi, CONTEXTJ,
//!   NFC) produces every A-label (`invalid_value` if it refuses one the rules above let pass;
//!   the property tests check it never does).
//!
//! [`validate_host_name`] checks name-server and e-mail host names: any TLD, at least two
//! labels, LDH or IDNA (no table rules), the same mapping policy, a trailing dot allowed.

use crate::error::{ErrorCode, Problem, Problems};
use crate::model::{DomainName, IdnLanguage};
use crate::validate::idn::{self, fitting_set, languages_allowing, LanguageSet};
use crate::validate::text::describe_chars;
use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

/// Longest input looked at; anything longer cannot be a name.
const MAX_INPUT_BYTES: usize = 1000;
const MAX_LABEL_OCTETS: usize = 63;
const MAX_NAME_OCTETS: usize = 253;
const TLD: &str = "coop";

/// Validates a name to register under .coop; `language` is the IDN table tag, if given.
/// Problems are reported on the fields `domain` and `idn_language`.
pub fn validate_domain_name(input: &str, language: Option<&str>) -> Result<DomainName, Problems> {
    validate_domain_name_at(input, language, "domain", "idn_language")
}

/// [`validate_domain_name`] with the caller's field names (the reseller API uses `DOMAIN`
/// and `X-IDN-LANGUAGE`).
pub(crate) fn validate_domain_name_at(
    input: &str,
    language: Option<&str>,
    domain_field: &str,
    language_field: &str,
) -> Result<DomainName, Problems> {
    let mut problems = Problems::default();
    let language = parse_language(language, language_field, &mut problems);
    let name = match check_name(input) {
        Ok(name) => Some(name),
        Err(found) => {
            for (code, message, suggestion) in found {
                let problem = Problem::new(code, domain_field, message);
                problems.push(match suggestion {
                    Some(s) => problem.with_suggestion(s),
                    None => problem,
                });
            }
            None
        }
    };
    let (Some(name), Ok(language)) = (name, language) else {
        return Err(problems);
    };
    let label = &name.label;
    let given_language = language;
    if let Some(language) = given_language {
        if !label.fits.contains(language) {
            let outside: Vec<char> = label
                .unicode
                .chars()
                .filter(|&c| !languages_allowing(c).contains(language))
                .collect();
            let fits = if label.fits.is_empty() {
                "no table".to_string()
            } else {
                label.fits.tags()
            };
            let mut problem = Problem::new(
                ErrorCode::IdnLanguageMismatch,
                language_field,
                format!(
                    "'{}' does not fit the {} table ({} not in it); it fits: {fits}",
                    label.unicode,
                    language.tag(),
                    describe_chars(&outside)
                ),
            );
            if let Some(single) = label.fits.single() {
                problem = problem.with_suggestion(single.tag());
            }
            problems.push(problem);
        }
    } else if label.is_idn {
        let mut problem = Problem::new(
            ErrorCode::IdnLanguageRequired,
            language_field,
            format!(
                "'{}' is an internationalised name: give the language table it is written in (it fits: {})",
                label.unicode,
                label.fits.tags()
            ),
        );
        if let Some(single) = label.fits.single() {
            problem = problem.with_suggestion(single.tag());
        }
        problems.push(problem);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // (The property tests check that `idna::domain_to_ascii_strict` agrees with both forms.)
    Ok(DomainName {
        ascii: format!("{}.{TLD}", label.ascii),
        unicode: format!("{}.{TLD}", label.unicode),
        language: if label.is_idn { given_language } else { None },
    })
}

/// `Ok(None)` when absent or empty, `Err` after pushing `unknown_idn_language`.
fn parse_language(
    language: Option<&str>,
    field: &str,
    problems: &mut Problems,
) -> Result<Option<IdnLanguage>, ()> {
    let Some(tag) = language.map(str::trim).filter(|tag| !tag.is_empty()) else {
        return Ok(None);
    };
    match IdnLanguage::from_tag(tag).filter(|&l| idn::table_exists(l)) {
        Some(language) => Ok(Some(language)),
        None => {
            let known: Vec<&str> = IdnLanguage::ALL.iter().map(|l| l.tag()).collect();
            problems.push(Problem::new(
                ErrorCode::UnknownIdnLanguage,
                field,
                format!(
                    "'{}' is not a .coop IDN language; use one of {}",
                    truncate(tag, 20),
                    known.join(", ")
                ),
            ));
            Err(())
        }
    }
}

/// One problem, before a field is attached: code, message, suggestion.
type Found = (ErrorCode, String, Option<String>);

fn found(code: ErrorCode, message: impl Into<String>) -> Found {
    (code, message.into(), None)
}

/// A valid second-level label in both forms.
#[derive(Debug)]
struct ValidLabel {
    ascii: String,
    unicode: String,
    fits: LanguageSet,
    is_idn: bool,
}

struct CheckedName {
    label: ValidLabel,
}

/// Name-level rules; returns the valid label, or everything found.
fn check_name(input: &str) -> Result<CheckedName, Vec<Found>> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(vec![found(
            ErrorCode::TooLong,
            format!(
                "is {} bytes long; a .coop name has at most {MAX_NAME_OCTETS}",
                input.len()
            ),
        )]);
    }
    // Mappings the input needs; each is refused, with the canonical form suggested.
    let mut mappings: Vec<String> = Vec::new();
    let trimmed = input.trim();
    if trimmed.len() != input.len() {
        mappings.push("spaces around the name".to_string());
    }
    if trimmed.is_empty() {
        return Err(vec![found(
            ErrorCode::Required,
            "is required: the .coop name to register, e.g. example.coop",
        )]);
    }
    if trimmed.chars().any(char::is_control) {
        return Err(vec![found(
            ErrorCode::ControlCharacter,
            "contains control characters",
        )]);
    }
    let dotted: String;
    let mut name = trimmed;
    if name.contains(['\u{3002}', '\u{FF0E}', '\u{FF61}']) {
        mappings.push("dots other than '.'".to_string());
        dotted = name.replace(['\u{3002}', '\u{FF0E}', '\u{FF61}'], ".");
        name = &dotted;
    }
    if name.len() > 1 {
        if let Some(stripped) = name.strip_suffix('.') {
            mappings.push("a trailing dot".to_string());
            name = stripped;
        }
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.iter().any(|label| label.is_empty()) {
        return Err(vec![found(
            ErrorCode::EmptyLabel,
            "has an empty label (a leading dot or two dots in a row)",
        )]);
    }
    let (first, rest) = match labels.as_slice() {
        [only] => {
            let mut problem = found(
                ErrorCode::NotCoop,
                format!(
                    "'{}' has no .coop ending: write the full name, e.g. example.coop",
                    truncate(only, 70)
                ),
            );
            if let Ok(Checked::Valid(label) | Checked::NeedsMapping(label, _)) = check_label(only) {
                problem.2 = Some(format!("{}.{TLD}", label.unicode));
            }
            return Err(vec![problem]);
        }
        [first, rest @ ..] => (*first, rest),
        [] => return Err(vec![found(ErrorCode::Required, "is required")]),
    };
    let tld = rest.last().copied().unwrap_or_default();
    let tld_folded = tld.to_ascii_lowercase();
    if tld_folded != TLD {
        let mapped = map_label(&tld_folded);
        if mapped != TLD {
            return Err(vec![found(
                ErrorCode::NotCoop,
                format!(
                    "only names under .coop can be registered here, not under .{}",
                    truncate(tld, 63)
                ),
            )]);
        }
        mappings.push("a full-width or otherwise mapped .coop".to_string());
    }
    if rest.len() > 1 {
        return Err(vec![found(
            ErrorCode::NotSecondLevel,
            format!(
                "'{}' is below the second level: register the name directly under .coop, e.g. example.coop",
                truncate(name, 80)
            ),
        )]);
    }
    let label = match check_label(first)? {
        Checked::Valid(label) => label,
        Checked::NeedsMapping(label, reason) => {
            mappings.push(reason);
            label
        }
    };
    if label.ascii.len() + 1 + TLD.len() > MAX_NAME_OCTETS {
        return Err(vec![found(
            ErrorCode::NameTooLong,
            format!("is longer than {MAX_NAME_OCTETS} octets in its A-label form"),
        )]);
    }
    if !mappings.is_empty() {
        let written_as_a_label = first.to_ascii_lowercase().starts_with("xn--");
        let canonical = if written_as_a_label {
            &label.ascii
        } else {
            &label.unicode
        };
        let canonical = format!("{canonical}.{TLD}");
        return Err(vec![(
            ErrorCode::NeedsMapping,
            format!(
                "is not in canonical form ({}); write it as '{canonical}'",
                mappings.join(", ")
            ),
            Some(canonical),
        )]);
    }
    Ok(CheckedName { label })
}

enum Checked {
    Valid(ValidLabel),
    /// Valid only after a mapping other than ASCII case folding: the mapped label, and what
    /// was mapped (for the message).
    NeedsMapping(ValidLabel, String),
}

/// Letters, digits and marks of any script, told apart from symbols and punctuation by their
/// bidi class (L, R, AL, EN, AN, NSM); the bidi data is linked for UTS 46 anyway, where
/// `char::is_alphanumeric` would add Unicode tables to the browser's wasm.
pub(crate) fn is_letter_digit_or_mark(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let adapter = idna_adapter::Adapter::new();
    let class = adapter.bidi_class(c);
    class.is_ltr()
        || class.is_european_number()
        || class.is_arabic_number()
        || class.is_nonspacing_mark()
        || adapter.is_mark(c)
        || is_right_to_left(&adapter, c)
}

/// Whether UTS 46 mapping and NFC leave `label` as it is (no allocation).
fn is_mapped_form(label: &str) -> bool {
    idna_adapter::Adapter::new()
        .map_normalize(label.chars())
        .eq(label.chars())
}

/// Which characters of `label` UTS 46 maps, for a message: `'Ü' → 'ü', 'ｘ' → 'x'`.
fn describe_mapping(label: &str) -> String {
    let adapter = idna_adapter::Adapter::new();
    let mut parts: Vec<String> = Vec::new();
    for c in label.chars() {
        let mapped: String = adapter.map_normalize(core::iter::once(c)).collect();
        if mapped.chars().ne(core::iter::once(c)) {
            parts.push(if mapped.is_empty() {
                format!("{} (remove it)", describe_chars(&[c]))
            } else {
                format!("'{c}' → '{mapped}'")
            });
        }
        if parts.len() == 5 {
            parts.push("…".to_string());
            break;
        }
    }
    if parts.is_empty() {
        "accents typed as separate marks".to_string()
    } else {
        parts.join(", ")
    }
}

/// UTS 46 mapping and NFC of one label (disallowed code points become U+FFFD).
fn map_label(label: &str) -> String {
    idna_adapter::Adapter::new()
        .map_normalize(label.chars())
        .collect()
}

/// Label rules (ASCII case already ignored here).
fn check_label(label: &str) -> Result<Checked, Vec<Found>> {
    let folded = label.to_ascii_lowercase();
    if folded.is_ascii() {
        return if folded.starts_with("xn--") {
            check_a_label(&folded).map(Checked::Valid)
        } else {
            check_ldh_label(&folded).map(Checked::Valid)
        };
    }
    if !is_mapped_form(&folded) {
        let mapped = map_label(&folded);
        if !mapped.contains('\u{FFFD}') {
            // A pure mapping: refuse it, but only suggest the result when that is valid itself.
            if let Ok(valid) = check_u_label(&mapped) {
                return Ok(Checked::NeedsMapping(valid, describe_mapping(&folded)));
            }
        }
    }
    check_u_label(&folded).map(Checked::Valid)
}

/// An LDH label (lower case ASCII, not `xn--`).
fn check_ldh_label(label: &str) -> Result<ValidLabel, Vec<Found>> {
    let mut problems = ldh_syntax(label);
    if problems.is_empty() && label.get(2..4) == Some("--") {
        problems.push(found(
            ErrorCode::HyphenPosition,
            format!("'{label}' has '--' in positions 3-4: such labels are reserved (only xn-- is used, for IDN A-labels)"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ValidLabel {
        ascii: label.to_string(),
        unicode: label.to_string(),
        fits: fitting_set(label),
        is_idn: false,
    })
}

/// Characters, length and first/last hyphen of an ASCII label.
fn ldh_syntax(label: &str) -> Vec<Found> {
    let mut problems = Vec::new();
    let bad: Vec<char> = label
        .chars()
        .filter(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        .collect();
    if !bad.is_empty() {
        problems.push(found(
            ErrorCode::InvalidCharacter,
            format!(
                "contains {}: a label may use only letters a-z, digits 0-9 and the hyphen",
                describe_chars(&bad)
            ),
        ));
    }
    if label.len() > MAX_LABEL_OCTETS {
        problems.push(found(
            ErrorCode::LabelTooLong,
            format!(
                "the label is {} octets long; at most {MAX_LABEL_OCTETS} are allowed",
                label.len()
            ),
        ));
    }
    if label.starts_with('-') || label.ends_with('-') {
        problems.push(found(
            ErrorCode::HyphenPosition,
            "a label cannot start or end with a hyphen",
        ));
    }
    problems
}

/// An `xn--` label: Punycode that decodes to a valid U-label and is its canonical encoding.
fn check_a_label(label: &str) -> Result<ValidLabel, Vec<Found>> {
    // Hyphens are judged on the decoded U-label (an encoding of ASCII alone ends in '-').
    let problems: Vec<Found> = ldh_syntax(label)
        .into_iter()
        .filter(|(code, _, _)| *code != ErrorCode::HyphenPosition)
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let encoded = label.get(4..).unwrap_or_default();
    let invalid = |message: String| vec![found(ErrorCode::InvalidALabel, message)];
    if encoded.is_empty() {
        return Err(invalid(
            "'xn--' must be followed by the Punycode of a name".to_string(),
        ));
    }
    let Some(decoded) = idna::punycode::decode_to_string(encoded) else {
        return Err(invalid(format!("'{label}' is not valid Punycode")));
    };
    if decoded.is_ascii() {
        return Err(invalid(format!(
            "'{label}' decodes to plain ASCII ('{}'); an A-label must encode non-ASCII letters",
            decoded.escape_debug()
        )));
    }
    let valid = match check_u_label(&decoded) {
        Ok(valid) => valid,
        Err(inner) => {
            let reasons: Vec<String> = inner.into_iter().map(|(_, message, _)| message).collect();
            return Err(invalid(format!(
                "'{label}' decodes to '{}', which is not a valid .coop label: {}",
                decoded.escape_debug(),
                reasons.join("; ")
            )));
        }
    };
    if valid.ascii != label {
        return Err(vec![(
            ErrorCode::InvalidALabel,
            format!(
                "'{label}' is not the standard encoding of '{decoded}', which is '{}'",
                valid.ascii
            ),
            Some(format!("{}.{TLD}", valid.ascii)),
        )]);
    }
    Ok(valid)
}

/// CONTEXTO code points of RFC 5892 (none is in a .coop table).
fn is_contexto(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}' | '\u{0375}' | '\u{05F3}' | '\u{05F4}' | '\u{30FB}'
    ) || ('\u{0660}'..='\u{0669}').contains(&c)
        || ('\u{06F0}'..='\u{06F9}').contains(&c)
}

/// Whether `c` is a right-to-left character (bidi class R, AL or AN).
fn is_right_to_left(adapter: &idna_adapter::Adapter, c: char) -> bool {
    let class = adapter.bidi_class(c);
    let mask = class.to_mask();
    class.is_arabic_number()
        || mask.intersects(adapter.bidi_class('\u{05D0}').to_mask()) // R (Hebrew alef)
        || mask.intersects(adapter.bidi_class('\u{0627}').to_mask()) // AL (Arabic alef)
}

/// A U-label (contains non-ASCII; ASCII already lower case).
fn check_u_label(label: &str) -> Result<ValidLabel, Vec<Found>> {
    let adapter = idna_adapter::Adapter::new();
    let mut ascii_bad = Vec::new();
    let mut joiners = Vec::new();
    let mut contexto = Vec::new();
    let mut rtl = Vec::new();
    let mut mapped: Vec<(char, String)> = Vec::new();
    let mut disallowed = Vec::new();
    let mut leading_mark = None;
    let mut fits = LanguageSet::ALL;
    for (index, c) in label.chars().enumerate() {
        let allowing = languages_allowing(c);
        fits = fits.and(allowing);
        if c.is_ascii() {
            if !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                ascii_bad.push(c);
            }
            continue;
        }
        if !allowing.is_empty() {
            continue;
        }
        if matches!(c, '\u{200C}' | '\u{200D}') {
            joiners.push(c);
        } else if is_contexto(c) {
            contexto.push(c);
        } else if is_right_to_left(&adapter, c) {
            rtl.push(c);
        } else if index == 0 && adapter.is_mark(c) {
            leading_mark = Some(c);
        } else {
            let single: String = adapter.map_normalize(core::iter::once(c)).collect();
            if single != c.to_string() && !single.contains('\u{FFFD}') {
                mapped.push((c, single));
            } else {
                disallowed.push(c);
            }
        }
    }
    let mut problems = Vec::new();
    if !ascii_bad.is_empty() {
        problems.push(found(
            ErrorCode::InvalidCharacter,
            format!(
                "contains {}: a label may use only letters, digits 0-9 and the hyphen",
                describe_chars(&ascii_bad)
            ),
        ));
    }
    if !joiners.is_empty() {
        problems.push(found(
            ErrorCode::Contextj,
            format!(
                "contains the invisible joiner {} (IDNA2008 CONTEXTJ), which no .coop language table allows",
                describe_chars(&joiners)
            ),
        ));
    }
    if !contexto.is_empty() {
        problems.push(found(
            ErrorCode::Contexto,
            format!(
                "contains {} (IDNA2008 CONTEXTO), which no .coop language table allows",
                describe_chars(&contexto)
            ),
        ));
    }
    if !rtl.is_empty() {
        problems.push(found(
            ErrorCode::BidiRule,
            format!(
                "contains right-to-left characters ({}); .coop offers no right-to-left table",
                describe_chars(&rtl)
            ),
        ));
    }
    if let Some(mark) = leading_mark {
        problems.push(found(
            ErrorCode::LeadingCombiningMark,
            format!(
                "starts with the combining mark {}; a label cannot start with a combining mark",
                describe_chars(&[mark])
            ),
        ));
    }
    if !mapped.is_empty() {
        let described: Vec<String> = mapped
            .iter()
            .take(5)
            .map(|(from, to)| {
                if to.is_empty() {
                    format!("{} (remove it)", describe_chars(&[*from]))
                } else {
                    format!("{} (write '{to}')", describe_chars(&[*from]))
                }
            })
            .collect();
        problems.push(found(
            ErrorCode::NeedsMapping,
            format!(
                "contains characters that must be written in their canonical form: {}",
                described.join(", ")
            ),
        ));
    }
    if !disallowed.is_empty() {
        problems.push(found(
            ErrorCode::IdnDisallowedCodePoint,
            format!(
                "contains {}, which no .coop language table allows (CYRL, FR, DE, IT, PT, ES letters, a-z, 0-9 and '-')",
                describe_chars(&disallowed)
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if label.starts_with('-') || label.ends_with('-') {
        problems.push(found(
            ErrorCode::HyphenPosition,
            "a label cannot start or end with a hyphen",
        ));
    }
    let mut positions = label.chars().skip(2);
    if positions.next() == Some('-') && positions.next() == Some('-') {
        problems.push(found(
            ErrorCode::HyphenPosition,
            "a label cannot have '--' in positions 3-4",
        ));
    }
    if fits.is_empty() {
        problems.push(found(
            ErrorCode::IdnMixedTables,
            mixed_tables_message(label),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // The rules above are IDNA2008's and the tables'; UTS 46 ToASCII (STD3, hyphen checks,
    // NFC, CONTEXTJ, bidi) runs underneath and yields the A-label.
    let ascii = match Uts46::new().to_ascii(
        label.as_bytes(),
        AsciiDenyList::STD3,
        Hyphens::Check,
        DnsLength::Ignore,
    ) {
        Ok(ascii) => ascii.into_owned(),
        Err(_) => {
            problems.push(found(
                ErrorCode::InvalidValue,
                "is refused by IDNA processing (UTS 46)",
            ));
            return Err(problems);
        }
    };
    if ascii.len() > MAX_LABEL_OCTETS {
        problems.push(found(
            ErrorCode::LabelTooLong,
            format!(
                "the label is {} octets long in its A-label form ({}…); at most {MAX_LABEL_OCTETS} are allowed",
                ascii.len(),
                truncate(&ascii, 20)
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ValidLabel {
        ascii,
        unicode: label.to_string(),
        fits,
        is_idn: true,
    })
}

/// Explains which letter breaks the single-table rule.
fn mixed_tables_message(label: &str) -> String {
    let mut running = LanguageSet::ALL;
    for c in label.chars() {
        let allowing = languages_allowing(c);
        let next = running.and(allowing);
        if next.is_empty() {
            let cyrillic_and_latin = allowing == LanguageSet::EMPTY.with(IdnLanguage::Cyrillic)
                || running == LanguageSet::EMPTY.with(IdnLanguage::Cyrillic);
            if cyrillic_and_latin {
                return "mixes Cyrillic and Latin letters (look-alike letters are a spoofing trick); a label must use one language table".to_string();
            }
            return format!(
                "mixes letters of different language tables: {} is only in {}, the letters before it only in {}; a label must use one table",
                describe_chars(&[c]),
                allowing.tags(),
                running.tags()
            );
        }
        running = next;
    }
    "uses letters of different language tables; a label must use one table".to_string()
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(max_chars).collect();
        short.push('…');
        short
    }
}

/// Validates a DNS host name (a name server, an e-mail domain): at least two labels, LDH or
/// IDNA2008/UTS 46 labels (no IDN table rules: the host may be in any TLD), a TLD that is not
/// all digits, at most 63/253 octets; one trailing dot is dropped. Returns the A-label form,
/// lower case. Errors are on `field`.
pub fn validate_host_name(input: &str, field: &str) -> Result<String, Problems> {
    check_host(input).map_err(|found| {
        let mut problems = Problems::default();
        for (code, message, suggestion) in found {
            let problem = Problem::new(code, field, message);
            problems.push(match suggestion {
                Some(s) => problem.with_suggestion(s),
                None => problem,
            });
        }
        problems
    })
}

/// Host rules, before a field is attached (e-mail reuses them with its own wording).
pub(crate) fn check_host(input: &str) -> Result<String, Vec<Found>> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(vec![found(
            ErrorCode::TooLong,
            format!("is longer than {MAX_NAME_OCTETS} octets"),
        )]);
    }
    if input.is_empty() {
        return Err(vec![found(ErrorCode::Required, "is required")]);
    }
    if input.chars().any(char::is_control) {
        return Err(vec![found(
            ErrorCode::ControlCharacter,
            "contains control characters",
        )]);
    }
    let name = match input.strip_suffix('.') {
        Some(stripped) if !stripped.is_empty() => stripped,
        _ => input,
    };
    let labels: Vec<&str> = name.split('.').collect();
    if labels.iter().any(|label| label.is_empty()) {
        return Err(vec![found(
            ErrorCode::EmptyLabel,
            "has an empty label (a leading dot or two dots in a row)",
        )]);
    }
    if labels.len() < 2 {
        return Err(vec![found(
            ErrorCode::InvalidHostName,
            format!(
                "'{}' is not a full host name (e.g. ns1.example.net)",
                truncate(name, 70)
            ),
        )]);
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(vec![found(
            ErrorCode::InvalidHostName,
            format!(
                "'{}' is not a host name (an IP address?); give a name such as ns1.example.net",
                truncate(name, 70)
            ),
        )]);
    }
    let folded = name.to_ascii_lowercase();
    let mut problems = Vec::new();
    let mut needs_mapping = false;
    for label in folded.split('.') {
        if label.is_ascii() {
            let mut found_here = ldh_syntax(label);
            if found_here.is_empty() && label.get(2..4) == Some("--") && !label.starts_with("xn--")
            {
                found_here.push(found(
                    ErrorCode::HyphenPosition,
                    format!("'{label}' has '--' in positions 3-4: such labels are reserved"),
                ));
            }
            problems.extend(found_here);
        } else if !is_mapped_form(label) {
            needs_mapping = true;
        } else {
            // UTS 46 still allows IDNA2003 symbols (♥); IDNA2008 allows letters, digits and
            // marks (and joiners in context, which UTS 46 checks below).
            let symbols: Vec<char> = label
                .chars()
                .filter(|&c| {
                    !(is_letter_digit_or_mark(c) || matches!(c, '-' | '\u{200C}' | '\u{200D}'))
                })
                .collect();
            if !symbols.is_empty() {
                problems.push(found(
                    ErrorCode::IdnDisallowedCodePoint,
                    format!(
                        "contains {}, which IDNA2008 does not allow in host names",
                        describe_chars(&symbols)
                    ),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // An all-LDH name without A-labels has passed every rule UTS 46 would apply but length.
    let plain_ldh = folded.is_ascii() && !folded.split('.').any(|l| l.starts_with("xn--"));
    if plain_ldh && folded.len() <= MAX_NAME_OCTETS {
        return Ok(folded);
    }
    let uts46 = Uts46::new();
    let ascii = uts46
        .to_ascii(
            folded.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Check,
            DnsLength::Verify,
        )
        .map(|ascii| ascii.into_owned());
    match ascii {
        Ok(ascii) if needs_mapping => {
            let (unicode, _) =
                uts46.to_unicode(ascii.as_bytes(), AsciiDenyList::STD3, Hyphens::Check);
            Err(vec![(
                ErrorCode::NeedsMapping,
                format!("is not in canonical form; write it as '{unicode}'"),
                Some(unicode.into_owned()),
            )])
        }
        Ok(ascii) => Ok(ascii),
        Err(_) => Err(vec![host_failure(&uts46, &folded, name)]),
    }
}

/// Names the reason UTS 46 refused a host: a length (A-label form), or anything else.
fn host_failure(uts46: &Uts46, folded: &str, name: &str) -> Found {
    let unlimited = uts46.to_ascii(
        folded.as_bytes(),
        AsciiDenyList::STD3,
        Hyphens::Check,
        DnsLength::Ignore,
    );
    match unlimited {
        Ok(ascii) if ascii.split('.').any(|label| label.len() > MAX_LABEL_OCTETS) => found(
            ErrorCode::LabelTooLong,
            format!("has a label longer than {MAX_LABEL_OCTETS} octets in its A-label form"),
        ),
        Ok(_) => found(
            ErrorCode::NameTooLong,
            format!("is longer than {MAX_NAME_OCTETS} octets in its A-label form"),
        ),
        Err(_) => found(
            ErrorCode::InvalidHostName,
            format!(
                "'{}' is not a valid internationalised host name (IDNA)",
                truncate(name, 70)
            ),
        ),
    }
}

#[cfg(test)]
mod tests;
