//! The .coop IDN language tables: which code points a label may use under each
//! `X-IDN-LANGUAGE` tag (`CYRL`, `FR`, `DE`, `IT`, `PT`, `ES`).
//!
//! The lists live in ONE data file, `shared/data/idn-tables.txt`, read at compile time. A label
//! must fit one table as a whole: every table allows `0-9` and `-`, the Latin ones also `a-z`,
//! plus the letters the file lists. [`fitting_languages`] tells which tables a label fits (the
//! form suggests a tag from it).

use crate::model::IdnLanguage;
use std::sync::OnceLock;

const TABLES_SOURCE: &str = include_str!("../../data/idn-tables.txt");

/// One language table.
#[derive(Debug)]
pub(crate) struct IdnTable {
    pub language: IdnLanguage,
    /// Whether the table allows `a-z`.
    pub latin: bool,
    /// The other code points.
    extra: Vec<char>,
}

impl IdnTable {
    #[cfg(test)]
    pub fn allows(&self, c: char) -> bool {
        c.is_ascii_digit()
            || c == '-'
            || (self.latin && c.is_ascii_lowercase())
            || self.extra.contains(&c)
    }
}

/// Parses the data file format (see the file's header).
pub(crate) fn parse_tables(source: &str) -> Result<Vec<IdnTable>, String> {
    let mut tables = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let [tag, script, extra] = parts.as_slice() else {
            return Err(format!(
                "line {}: expected TAG | SCRIPT | code points",
                number + 1
            ));
        };
        let language = IdnLanguage::from_tag(tag)
            .ok_or_else(|| format!("line {}: unknown tag {tag}", number + 1))?;
        let latin = match *script {
            "latin" => true,
            "cyrillic" => false,
            other => return Err(format!("line {}: unknown script {other}", number + 1)),
        };
        let mut chars = Vec::new();
        for item in extra.split_whitespace() {
            chars.extend(parse_item(item).map_err(|e| format!("line {}: {e}", number + 1))?);
        }
        // (No sorting here or below: sort code would weigh on the browser's wasm.)
        chars.dedup();
        tables.push(IdnTable {
            language,
            latin,
            extra: chars,
        });
    }
    Ok(tables)
}

fn parse_item(item: &str) -> Result<Vec<char>, String> {
    fn code_point(text: &str) -> Result<char, String> {
        let hex = text
            .strip_prefix("U+")
            .ok_or_else(|| format!("bad code point {text}"))?;
        u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| format!("bad code point {text}"))
    }
    if let Some((from, to)) = item.split_once("..") {
        let (from, to) = (code_point(from)?, code_point(to)?);
        if from > to {
            return Err(format!("empty range {item}"));
        }
        return Ok((from..=to).collect());
    }
    if item.starts_with("U+") {
        return Ok(vec![code_point(item)?]);
    }
    let mut chars = item.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(vec![c]),
        _ => Err(format!("expected one character, got {item}")),
    }
}

/// The tables, parsed once. A broken data file yields no tables (every IDN label is then
/// refused, never wrongly accepted); the unit tests keep the file parseable.
pub(crate) fn tables() -> &'static [IdnTable] {
    static TABLES: OnceLock<Vec<IdnTable>> = OnceLock::new();
    TABLES.get_or_init(|| parse_tables(TABLES_SOURCE).unwrap_or_default())
}

/// A set of languages, as a bit mask over [`IdnLanguage::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LanguageSet(u8);

impl LanguageSet {
    pub const EMPTY: LanguageSet = LanguageSet(0);
    pub const ALL: LanguageSet = LanguageSet(0b11_1111);

    fn bit(language: IdnLanguage) -> u8 {
        let index = IdnLanguage::ALL
            .iter()
            .position(|&l| l == language)
            .unwrap_or(0);
        1 << index
    }

    pub fn contains(self, language: IdnLanguage) -> bool {
        self.0 & Self::bit(language) != 0
    }

    pub fn with(self, language: IdnLanguage) -> LanguageSet {
        LanguageSet(self.0 | Self::bit(language))
    }

    pub fn and(self, other: LanguageSet) -> LanguageSet {
        LanguageSet(self.0 & other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn languages(self) -> Vec<IdnLanguage> {
        IdnLanguage::ALL
            .into_iter()
            .filter(|&l| self.contains(l))
            .collect()
    }

    /// `DE, ES, FR` for messages.
    pub fn tags(self) -> String {
        let tags: Vec<&str> = self.languages().into_iter().map(IdnLanguage::tag).collect();
        tags.join(", ")
    }

    /// The one language of the set, if it has exactly one.
    pub fn single(self) -> Option<IdnLanguage> {
        match self.languages().as_slice() {
            [only] => Some(*only),
            _ => None,
        }
    }
}

/// For each code point any table allows, which tables allow it (built once from the tables).
struct CharIndex {
    /// The tables that allow `a-z`.
    latin: LanguageSet,
    /// The tables that allow `0-9` and `-`.
    common: LanguageSet,
    /// Every other allowed code point, sorted.
    others: Vec<(char, LanguageSet)>,
}

fn char_index() -> &'static CharIndex {
    static INDEX: OnceLock<CharIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = CharIndex {
            latin: LanguageSet::EMPTY,
            common: LanguageSet::EMPTY,
            others: Vec::new(),
        };
        for table in tables() {
            index.common = index.common.with(table.language);
            if table.latin {
                index.latin = index.latin.with(table.language);
            }
            for &c in &table.extra {
                match index.others.binary_search_by_key(&c, |(known, _)| *known) {
                    Ok(found) => {
                        if let Some((_, set)) = index.others.get_mut(found) {
                            *set = set.with(table.language);
                        }
                    }
                    Err(at) => index
                        .others
                        .insert(at, (c, LanguageSet::EMPTY.with(table.language))),
                }
            }
        }
        index
    })
}

/// The tables that allow `c`.
pub(crate) fn languages_allowing(c: char) -> LanguageSet {
    let index = char_index();
    if c.is_ascii_digit() || c == '-' {
        index.common
    } else if c.is_ascii_lowercase() {
        index.latin
    } else {
        index
            .others
            .binary_search_by_key(&c, |(known, _)| *known)
            .map_or(LanguageSet::EMPTY, |found| {
                index
                    .others
                    .get(found)
                    .map_or(LanguageSet::EMPTY, |(_, set)| *set)
            })
    }
}

/// The tables that allow every character of `label` (lower-case U-label).
pub(crate) fn fitting_set(label: &str) -> LanguageSet {
    label
        .chars()
        .fold(char_index().common, |set, c| set.and(languages_allowing(c)))
}

/// Whether `language`'s table is known (the data file has a line for it).
pub(crate) fn table_exists(language: IdnLanguage) -> bool {
    tables().iter().any(|table| table.language == language)
}

/// The language tables a label fits, for the form's suggestion. Takes a label or a whole
/// name (`müller`, `müller.coop`, `xn--mller-kva.coop`); ASCII case is ignored. An LDH label
/// fits every Latin table (and CYRL too when it has only digits and hyphens); a label that
/// is not valid Punycode or fits nothing gives an empty list.
pub fn fitting_languages(label_or_name: &str) -> Vec<IdnLanguage> {
    let name = label_or_name.trim().to_ascii_lowercase();
    let name = name.strip_suffix('.').unwrap_or(&name);
    let name = name.strip_suffix(".coop").unwrap_or(name);
    let label = name.split('.').next().unwrap_or_default();
    if label.is_empty() {
        return Vec::new();
    }
    let decoded;
    let label = match label.strip_prefix("xn--") {
        Some(encoded) => match idna::punycode::decode_to_string(encoded) {
            Some(unicode) => {
                decoded = unicode;
                decoded.as_str()
            }
            None => return Vec::new(),
        },
        None => label,
    };
    fitting_set(label).languages()
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdnLanguage::*;

    #[test]
    fn data_file_parses_with_all_six_tables() {
        let tables = parse_tables(TABLES_SOURCE).expect("idn-tables.txt parses");
        let mut languages: Vec<IdnLanguage> = tables.iter().map(|t| t.language).collect();
        languages.sort();
        assert_eq!(languages, IdnLanguage::ALL.to_vec());
        let cyrillic = tables.iter().find(|t| t.language == Cyrillic).unwrap();
        assert!(!cyrillic.latin);
        // а–я (32) plus the 15 letters listed one by one.
        assert_eq!(cyrillic.extra.len(), 32 + 15);
    }

    #[test]
    fn parser_reports_bad_lines() {
        for bad in [
            "XX | latin | á",
            "DE | greek | á",
            "DE | latin | ab",
            "DE | latin | U+ZZZZ",
            "DE | latin | U+0450..U+0430",
            "DE latin á",
        ] {
            assert!(parse_tables(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fitting_languages_table() {
        let cases: &[(&str, &[IdnLanguage])] = &[
            ("müller", &[French, German, Portuguese, Spanish]),
            ("müller.coop", &[French, German, Portuguese, Spanish]),
            ("xn--mller-kva.coop", &[French, German, Portuguese, Spanish]),
            ("MÜLLER", &[]), // upper-case non-ASCII is not in any table
            ("straße", &[German]),
            ("niño", &[Spanish]),
            ("cœur", &[French]),
            ("città", &[French, Italian, Portuguese]),
            ("ìsola", &[Italian]),
            ("coração", &[Portuguese]),
            ("пример", &[Cyrillic]),
            ("пример1-2", &[Cyrillic]),
            ("example", &[French, German, Italian, Portuguese, Spanish]),
            ("123", &IdnLanguage::ALL),
            ("раypal", &[]), // Cyrillic р and а with Latin letters
            ("ñß", &[]),
            ("", &[]),
            ("xn--zz-!!", &[]),
        ];
        for (input, expected) in cases {
            assert_eq!(fitting_languages(input), expected.to_vec(), "{input}");
        }
    }

    #[test]
    fn index_agrees_with_the_tables() {
        for c in ('\u{0}'..='\u{0500}').chain(['œ', 'ё', 'ѕ', 'ґ']) {
            let direct = tables()
                .iter()
                .filter(|table| table.allows(c))
                .fold(LanguageSet::EMPTY, |set, table| set.with(table.language));
            assert_eq!(languages_allowing(c), direct, "{c:?}");
        }
    }

    #[test]
    fn language_set_operations() {
        let set = LanguageSet::EMPTY.with(German).with(Spanish);
        assert!(set.contains(German) && !set.contains(French));
        assert_eq!(set.tags(), "DE, ES");
        assert_eq!(set.single(), None);
        assert_eq!(LanguageSet::EMPTY.with(German).single(), Some(German));
        assert!(set.and(LanguageSet::EMPTY.with(French)).is_empty());
    }
}
