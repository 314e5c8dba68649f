//! `AddContact` without `NEW=1` (reseller-api.md §5.2): a reseller that adds a contact it
//! already has gets the existing handle instead of a new contact.
//!
//! Rules:
//! - identical means every field of the validated contact data is equal
//!   ([`ContactInfo::is_identical`]): the validators' normalisation (surrounding spaces,
//!   country case, empty optional fields, `STREET` for `STREET0`) makes no difference, any
//!   other difference makes another contact;
//! - only the calling reseller's own contacts count: another reseller's identical contact is
//!   never answered (isolation);
//! - the verification state does not matter: a verified contact is answered as such, and a
//!   contact the registry rejected stays rejected (identical data does not start afresh);
//! - of several identical contacts (made with `NEW=1`, or by two simultaneous `AddContact`s)
//!   the oldest is answered (created first, then the lowest handle), so the answer is stable.
//!
//! No errors: `None` means the caller creates a new contact.

use super::record::ContactRecord;
use crate::model::ContactInfo;

/// The contact of `reseller` among `candidates` whose data is identical to `info`, if any.
/// The worker passes the reseller's contacts that may match (e.g. those with the same
/// e-mail address); any others among the candidates are ignored.
pub fn identical_contact<'a>(
    candidates: &'a [ContactRecord],
    reseller: &str,
    info: &ContactInfo,
) -> Option<&'a ContactRecord> {
    candidates
        .iter()
        .filter(|contact| contact.reseller == reseller && contact.info.is_identical(info))
        .min_by(|a, b| (a.created, &a.handle).cmp(&(b.created, &b.handle)))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::validate::validate_reseller_contact;

    const RESELLER: &str = "reseller-one";

    fn info() -> ContactInfo {
        ContactInfo {
            first_name: "Anna".into(),
            last_name: "Berg".into(),
            organization: Some("Example eG".into()),
            street: vec!["Weg 1".into(), "Haus 2".into()],
            city: "Berlin".into(),
            state: Some("Berlin".into()),
            postcode: "10115".into(),
            country: "DE".into(),
            phone: "+49.301234567".into(),
            fax: Some("+49.301234568".into()),
            email: "anna@example.org".into(),
        }
    }

    fn contact(handle: &str, reseller: &str, info: ContactInfo, created: i64) -> ContactRecord {
        ContactRecord::new(handle, reseller, info, created)
    }

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn identical_data_finds_the_existing_contact() {
        let stored = [contact("P-1", RESELLER, info(), 100)];
        let found = identical_contact(&stored, RESELLER, &info()).map(|c| c.handle.as_str());
        assert_eq!(found, Some("P-1"));
        assert!(info().is_identical(&info()));
    }

    #[test]
    fn a_difference_in_any_one_field_is_another_contact() {
        type Change = (&'static str, fn(&mut ContactInfo));
        let changes: [Change; 16] = [
            ("first name", |c| c.first_name = "Anne".into()),
            ("last name", |c| c.last_name = "Berger".into()),
            ("organization", |c| c.organization = Some("Other eG".into())),
            ("no organization", |c| c.organization = None),
            ("street line", |c| c.street[1] = "Haus 3".into()),
            ("one street line less", |c| {
                c.street.pop();
            }),
            ("street lines swapped", |c| c.street.reverse()),
            ("city", |c| c.city = "Potsdam".into()),
            ("state", |c| c.state = Some("Brandenburg".into())),
            ("no state", |c| c.state = None),
            ("postcode", |c| c.postcode = "10117".into()),
            ("country", |c| c.country = "AT".into()),
            ("phone", |c| c.phone = "+49.301234569".into()),
            ("fax", |c| c.fax = Some("+49.301234560".into())),
            ("no fax", |c| c.fax = None),
            ("e-mail, even only its case", |c| {
                c.email = "Anna@example.org".into()
            }),
        ];
        let stored = [contact("P-1", RESELLER, info(), 100)];
        for (what, change) in changes {
            let mut other = info();
            change(&mut other);
            assert!(!info().is_identical(&other), "{what}");
            assert!(
                identical_contact(&stored, RESELLER, &other).is_none(),
                "{what} differs, yet the contact was found"
            );
        }
    }

    #[test]
    fn what_validation_normalises_away_makes_no_difference() {
        let plain = validate_reseller_contact(
            &params(&[
                ("FIRSTNAME", "Anna"),
                ("LASTNAME", "Berg"),
                ("STREET0", "Weg 1"),
                ("CITY", "Berlin"),
                ("ZIP", "10115"),
                ("COUNTRY", "DE"),
                ("PHONE", "+49.301234567"),
                ("EMAIL", "anna@example.org"),
            ]),
            false,
        )
        .expect("valid");
        let untidy = validate_reseller_contact(
            &params(&[
                ("FIRSTNAME", "  Anna "),
                ("LASTNAME", "Berg\t"),
                ("STREET", " Weg 1"),
                ("CITY", "Berlin "),
                ("ZIP", " 10115"),
                ("COUNTRY", "de"),
                ("PHONE", " +49.301234567 "),
                ("EMAIL", " anna@example.org "),
                ("STATE", "   "),
                ("FAX", ""),
                ("ORGANIZATION", ""),
            ]),
            false,
        )
        .expect("valid");
        assert!(plain.is_identical(&untidy), "{plain:?} vs {untidy:?}");
        let stored = [contact("P-1", RESELLER, plain, 100)];
        let found = identical_contact(&stored, RESELLER, &untidy).map(|c| c.handle.as_str());
        assert_eq!(found, Some("P-1"));
    }

    #[test]
    fn another_resellers_identical_contact_is_never_answered() {
        let foreign = [contact("P-OTHER", "reseller-two", info(), 50)];
        assert!(identical_contact(&foreign, RESELLER, &info()).is_none());
        let both = [
            contact("P-OTHER", "reseller-two", info(), 50),
            contact("P-OWN", RESELLER, info(), 100),
        ];
        let found = identical_contact(&both, RESELLER, &info()).map(|c| c.handle.as_str());
        assert_eq!(found, Some("P-OWN"));
    }

    #[test]
    fn of_several_identical_contacts_the_oldest_is_answered() {
        let stored = [
            contact("P-C", RESELLER, info(), 300),
            contact("P-B", RESELLER, info(), 200),
            contact("P-A2", RESELLER, info(), 200),
            contact("P-OLD", RESELLER, ContactInfo::default(), 10),
        ];
        let found = identical_contact(&stored, RESELLER, &info()).map(|c| c.handle.as_str());
        assert_eq!(found, Some("P-A2"));
    }
}
