//! Countries: ISO 3166-1 alpha-2 codes, typed as a code, a name or a common alias (data:
//! `shared/data/countries.txt`, which also gives each country's phone calling code).
//!
//! Rules: a value is resolved to its code when it is an assigned alpha-2 code in any case
//! (`de` → `DE`) or, ignoring case, accents, spaces and punctuation, a country's English short
//! name or one of its aliases (`Germany`, `Deutschland` → `DE`; `UK`, `Great Britain` → `GB`;
//! `USA`, `United States` → `US`). Anything else is refused with the close names suggested.
//! Error: `invalid_country`.

use crate::error::{ErrorCode, Problem};
use std::sync::OnceLock;

const COUNTRIES_SOURCE: &str = include_str!("../../data/countries.txt");

/// One country of the list.
#[derive(Debug)]
pub struct Country {
    pub code: &'static str,
    /// The calling code for a local phone number written in this country (`49` for DE).
    pub calling_code: &'static str,
    pub name: &'static str,
    pub aliases: Vec<&'static str>,
}

fn list() -> &'static [Country] {
    static LIST: OnceLock<Vec<Country>> = OnceLock::new();
    LIST.get_or_init(|| {
        COUNTRIES_SOURCE
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter_map(|line| {
                let mut names = line.split('|').map(str::trim);
                let mut head = names.next()?.splitn(3, ' ');
                let code = head.next()?;
                let calling_code = head.next()?;
                let name = head.next()?.trim();
                Some(Country {
                    code,
                    calling_code,
                    name,
                    aliases: names.filter(|alias| !alias.is_empty()).collect(),
                })
            })
            .collect()
    })
}

/// Every assigned code with its short English name, in code order (for the form's list).
pub fn countries() -> Vec<(&'static str, &'static str)> {
    list().iter().map(|c| (c.code, c.name)).collect()
}

fn find(code: &str) -> Option<&'static Country> {
    let list = list();
    list.binary_search_by(|known| known.code.cmp(code))
        .ok()
        .and_then(|index| list.get(index))
}

/// Whether `code` (upper case) is an assigned ISO 3166-1 alpha-2 code.
pub fn is_country(code: &str) -> bool {
    find(code).is_some()
}

/// The calling code for a local phone number in the country `code` (upper case).
pub fn calling_code(code: &str) -> Option<&'static str> {
    find(code).map(|c| c.calling_code)
}

/// Latin letters with accents, by the ASCII letter they are matched as.
const ACCENTED: [(&str, char); 15] = [
    ("ÀÁÂÃÄÅàáâãäåĀāĂăĄą", 'a'),
    ("ÇçĆćČč", 'c'),
    ("ĎďĐđ", 'd'),
    ("ÈÉÊËèéêëĒēĖėĘęĚě", 'e'),
    ("Ğğ", 'g'),
    ("ÌÍÎÏìíîïĪīĮįİı", 'i'),
    ("Łł", 'l'),
    ("ÑñŃńŇň", 'n'),
    ("ÒÓÔÕÖØòóôõöøŌōŐő", 'o'),
    ("ŔŕŘř", 'r'),
    ("ŚśŠšŞş", 's'),
    ("ŢţŤť", 't'),
    ("ÙÚÛÜùúûüŪūŮůŰűŲų", 'u'),
    ("Ýýÿ", 'y'),
    ("ŹźŻżŽž", 'z'),
];

/// A name folded for matching: ASCII lower case, accents dropped (precomposed Latin letters
/// mapped, combining marks left out), only ASCII letters and digits kept. Every name and alias
/// in the list is written in Latin letters; a small table keeps the browser core free of
/// Unicode normalisation and letter tables.
fn fold(value: &str) -> String {
    value
        .chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() {
                Some(c.to_ascii_lowercase())
            } else {
                ACCENTED
                    .iter()
                    .find(|(letters, _)| letters.contains(c))
                    .map(|(_, base)| *base)
            }
        })
        .collect()
}

/// Levenshtein distance in characters, for suggesting close names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let value = (diagonal + usize::from(ca != *cb))
                .min(left + 1)
                .min(up.saturating_add(1));
            diagonal = up;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = value;
            }
            left = value;
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or(0)
}

/// Resolves a typed country (code, name or alias) to its code.
pub fn resolve_country(value: &str) -> Option<&'static str> {
    let value = value.trim();
    if value.len() == 2 {
        if let Some(country) = find(&value.to_ascii_uppercase()) {
            return Some(country.code);
        }
    }
    let folded = fold(value);
    if folded.is_empty() {
        return None;
    }
    list()
        .iter()
        .find(|c| {
            std::iter::once(c.name)
                .chain(c.aliases.iter().copied())
                .any(|n| fold(n) == folded)
        })
        .map(|c| c.code)
}

/// Up to three countries whose name or alias is close to `value`, closest first.
fn close_names(value: &str) -> Vec<&'static Country> {
    let folded = fold(value);
    if folded.chars().count() < 3 {
        return Vec::new();
    }
    let allowed = 1 + folded.chars().count() / 4;
    let mut scored: Vec<(usize, &'static Country)> = list()
        .iter()
        .filter_map(|c| {
            std::iter::once(c.name)
                .chain(c.aliases.iter().copied())
                .map(|n| {
                    let n = fold(n);
                    if n.starts_with(&folded) {
                        0
                    } else {
                        distance(&folded, &n)
                    }
                })
                .min()
                .filter(|d| *d <= allowed)
                .map(|d| (d, c))
        })
        .collect();
    scored.sort_by_key(|(d, c)| (*d, c.name));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// Checks a country given as a code, name or alias; returns its code.
pub(crate) fn check_country(value: &str, field: &str) -> Result<String, Problem> {
    if let Some(code) = resolve_country(value) {
        return Ok(code.to_string());
    }
    let shown: String = value.trim().chars().take(40).collect();
    let close = close_names(value);
    let hint = match close.as_slice() {
        [] => String::new(),
        [one] => format!(" Did you mean {}?", one.name),
        more => format!(
            " Did you mean one of: {}?",
            more.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
        ),
    };
    let problem = Problem::new(
        ErrorCode::InvalidCountry,
        field,
        format!(
            "we do not know the country '{shown}': choose it from the list, or write its English name or two-letter code (for example Germany or DE).{hint}"
        ),
    );
    Err(match close.first() {
        Some(country) => problem.with_suggestion(country.code),
        None => problem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_complete_sorted_and_unique() {
        let list = list();
        assert_eq!(list.len(), 249);
        assert!(list.windows(2).all(|pair| pair[0].code < pair[1].code));
        assert!(list.iter().all(|c| c.code.len() == 2
            && c.code.bytes().all(|b| b.is_ascii_uppercase())
            && !c.name.is_empty()
            && crate::validate::phone::is_calling_code(c.calling_code)));
        // No name or alias of one country is another's, and none is a code.
        let mut seen = std::collections::HashMap::new();
        for c in list {
            for n in std::iter::once(c.name).chain(c.aliases.iter().copied()) {
                let folded = fold(n);
                assert!(
                    folded.len() > 2 || !is_country(&n.to_ascii_uppercase()),
                    "{n}"
                );
                if let Some(other) = seen.insert(folded, c.code) {
                    assert_eq!(other, c.code, "{n}");
                }
            }
        }
    }

    #[test]
    fn country_rules() {
        let cases: &[(&str, Option<&str>)] = &[
            ("DE", Some("DE")),
            ("de", Some("DE")),
            (" De ", Some("DE")),
            ("Germany", Some("DE")),
            ("germany", Some("DE")),
            ("GERMANY", Some("DE")),
            ("Deutschland", Some("DE")),
            ("GB", Some("GB")),
            ("UK", Some("GB")),
            ("uk", Some("GB")),
            ("United Kingdom", Some("GB")),
            ("Great Britain", Some("GB")),
            ("USA", Some("US")),
            ("U.S.A.", Some("US")),
            ("United States", Some("US")),
            ("united states of america", Some("US")),
            ("Österreich", Some("AT")),
            ("osterreich", Some("AT")),
            ("Aland Islands", Some("AX")),
            ("Åland Islands", Some("AX")),
            ("Côte d'Ivoire", Some("CI")),
            ("cote divoire", Some("CI")),
            ("O\u{308}sterreich", Some("AT")),
            ("CURAÇAO", Some("CW")),
            ("Türkiye", Some("TR")),
            ("Georgia", Some("GE")),
            ("AX", Some("AX")),
            ("SS", Some("SS")),
            ("EU", None),
            ("XK", None), // Kosovo: user-assigned, not an ISO code
            ("DEU", None),
            ("Germny", None),
            ("Atlantis", None),
            ("", None),
            ("D", None),
            ("ДЕ", None),
            ("...", None),
        ];
        for (input, expected) in cases {
            assert_eq!(
                check_country(input, "c").ok().as_deref(),
                *expected,
                "{input}"
            );
        }
    }

    #[test]
    fn unknown_names_get_close_suggestions() {
        let cases: &[(&str, Option<&str>, &[&str])] = &[
            ("Germny", Some("DE"), &["Germany"]),
            ("Grmany", Some("DE"), &["Germany"]),
            ("Deutschlnd", Some("DE"), &["Germany"]),
            ("Untied Kingdom", Some("GB"), &["United Kingdom"]),
            ("Atlantis", None, &[]),
            ("EU", None, &[]),
        ];
        for (input, suggestion, names) in cases {
            let problem = check_country(input, "contacts.owner.country").unwrap_err();
            assert_eq!(problem.code, ErrorCode::InvalidCountry, "{input}");
            assert_eq!(problem.field, "contacts.owner.country");
            assert_eq!(problem.suggestion.as_deref(), *suggestion, "{input}");
            assert!(problem.message.contains(&format!("'{input}'")), "{input}");
            for name in *names {
                assert!(
                    problem.message.contains(name),
                    "{input}: {}",
                    problem.message
                );
            }
            if names.is_empty() {
                assert!(!problem.message.contains("Did you mean"), "{input}");
            }
        }
    }

    #[test]
    fn calling_codes_of_countries() {
        for (code, want) in [
            ("DE", "49"),
            ("GB", "44"),
            ("US", "1"),
            ("AX", "358"),
            ("VA", "39"),
        ] {
            assert_eq!(calling_code(code), Some(want), "{code}");
        }
        assert_eq!(calling_code("XK"), None);
    }
}
