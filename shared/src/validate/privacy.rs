//! Privacy and proxy services, which .coop forbids as registrant (seed 001).
//!
//! A curated list (data: `shared/data/privacy-services.txt`) of the e-mail domains of known
//! services and of tell-tale phrases ("Domains By Proxy", "Redacted for Privacy", ...). The
//! organisation and the person's name are compared word by word, ignoring case, accents and
//! punctuation; the e-mail domain matches a listed domain or any of its subdomains.
//! Error: `privacy_service`.

use crate::error::{ErrorCode, Problem};
use crate::model::ContactInfo;
use crate::validate::domain::is_letter_digit_or_mark;
use crate::validate::email::email_domain;
use std::sync::OnceLock;

const SOURCE: &str = include_str!("../../data/privacy-services.txt");

struct Rules {
    email_domains: Vec<String>,
    /// Phrases as normalised words (see [`normalise`]), in order.
    phrases: Vec<Vec<String>>,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules = Rules {
            email_domains: Vec::new(),
            phrases: Vec::new(),
        };
        for line in SOURCE.lines().map(str::trim) {
            if let Some(domain) = line.strip_prefix("email-domain:") {
                rules.email_domains.push(domain.trim().to_ascii_lowercase());
            } else if let Some(phrase) = line.strip_prefix("phrase:") {
                let words: Vec<String> = normalise(phrase)
                    .split_whitespace()
                    .map(String::from)
                    .collect();
                if !words.is_empty() {
                    // Kept in order (inserted, not sorted: sort code would weigh on the wasm).
                    let at = rules.phrases.partition_point(|known| *known < words);
                    rules.phrases.insert(at, words);
                }
            }
        }
        rules
    })
}

/// Lower case, Latin accents dropped, every run of non-alphanumerics one space.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    // ASCII folding and Latin-1 accents only: the phrases are English (and full Unicode
    // case tables would weigh on the browser's wasm).
    for c in text.chars() {
        let c = match c.to_ascii_lowercase() {
            'à'..='å' | 'À'..='Å' => 'a',
            'ç' | 'Ç' => 'c',
            'è'..='ë' | 'È'..='Ë' => 'e',
            'ì'..='ï' | 'Ì'..='Ï' => 'i',
            'ñ' | 'Ñ' => 'n',
            'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' => 'o',
            'ù'..='ü' | 'Ù'..='Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            other => other,
        };
        if c.is_ascii_alphanumeric() || (!c.is_ascii() && is_letter_digit_or_mark(c)) {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

/// The listed phrase that `text` contains as whole words, if any.
fn find_phrase<'r>(text: &str, phrases: &'r [Vec<String>]) -> Option<&'r [String]> {
    let normalised = normalise(text);
    let words: Vec<&str> = normalised.split_whitespace().collect();
    (0..words.len()).find_map(|start| {
        let rest = words.get(start..).unwrap_or_default();
        let first = rest.first().copied().unwrap_or_default();
        // The phrases starting with this word form one run of the ordered list.
        let from =
            phrases.partition_point(|phrase| phrase.first().map(String::as_str) < Some(first));
        phrases
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|phrase| phrase.first().map(String::as_str) == Some(first))
            .find(|phrase| {
                rest.len() >= phrase.len() && rest.iter().zip(phrase.iter()).all(|(a, b)| *a == b)
            })
            .map(Vec::as_slice)
    })
}

/// Which rule, if any, marks this contact as a privacy or proxy service.
pub(crate) fn privacy_service_match(contact: &ContactInfo) -> Option<String> {
    let rules = rules();
    if let Some(domain) = email_domain(&contact.email) {
        for listed in &rules.email_domains {
            let matches = domain == *listed
                || domain
                    .strip_suffix(listed.as_str())
                    .is_some_and(|head| head.ends_with('.'));
            if matches {
                return Some(format!("its e-mail domain {domain}"));
            }
        }
    }
    let person = format!("{} {}", contact.first_name, contact.last_name);
    let texts = [
        contact.organization.as_deref().unwrap_or_default(),
        person.as_str(),
    ];
    let found = texts
        .into_iter()
        .find_map(|text| find_phrase(text, &rules.phrases))
        .map(|phrase| format!("'{}'", phrase.join(" ")));
    found
}

/// Refuses a registrant that is a privacy or proxy service; the problem is on `field`.
pub(crate) fn check_not_privacy_service(contact: &ContactInfo, field: &str) -> Result<(), Problem> {
    match privacy_service_match(contact) {
        None => Ok(()),
        Some(reason) => Err(Problem::new(
            ErrorCode::PrivacyService,
            field,
            format!(
                "looks like a privacy or proxy service ({reason}); .coop does not allow them: the registrant must be the co-operative itself, with its own contact data"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(organization: &str, first: &str, last: &str, email: &str) -> ContactInfo {
        ContactInfo {
            first_name: first.into(),
            last_name: last.into(),
            organization: (!organization.is_empty()).then(|| organization.into()),
            email: email.into(),
            ..ContactInfo::default()
        }
    }

    #[test]
    fn privacy_services_are_recognised() {
        let cases: &[(ContactInfo, bool)] = &[
            (
                contact(
                    "Domains By Proxy, LLC",
                    "Registration",
                    "Private",
                    "x@example.com",
                ),
                true,
            ),
            (
                contact("Withheld for Privacy ehf", "Anna", "B", "a@example.is"),
                true,
            ),
            (
                contact("REDACTED FOR PRIVACY", "A", "B", "a@example.org"),
                true,
            ),
            (contact("Coop eG", "A", "B", "abc@contactprivacy.com"), true),
            (
                contact("Coop eG", "A", "B", "abc@mail.whoisguard.com"),
                true,
            ),
            (contact("WhoisGuard, Inc.", "A", "B", "a@example.org"), true),
            (
                contact("Privacy-Protect.org", "A", "B", "a@example.org"),
                true,
            ),
            (contact("Coop eG", "Whois", "Agent", "a@example.org"), true),
            (
                contact("Identity Protection Service", "A", "B", "a@example.org"),
                true,
            ),
            // Legitimate co-operatives.
            (
                contact(
                    "Müller Wohnungsgenossenschaft eG",
                    "Anna",
                    "Müller",
                    "info@müller.coop",
                ),
                false,
            ),
            (
                contact(
                    "Proximity Farmers Cooperative",
                    "A",
                    "B",
                    "a@proximity.coop",
                ),
                false,
            ),
            (
                contact("Privacy Rights Cooperative", "A", "B", "a@example.coop"),
                false,
            ),
            (
                contact("Coop eG", "A", "B", "a@notcontactprivacy.com"),
                false,
            ),
            (
                contact("Coop eG", "A", "B", "a@contactprivacy.com.example.org"),
                false,
            ),
        ];
        for (contact, expected) in cases {
            assert_eq!(
                privacy_service_match(contact).is_some(),
                *expected,
                "{contact:?}"
            );
        }
    }

    #[test]
    fn data_file_has_rules() {
        assert!(rules().email_domains.len() >= 10);
        assert!(rules().phrases.len() >= 20);
        assert!(rules().phrases.iter().all(|p| p.join(" ").len() > 3));
    }
}
