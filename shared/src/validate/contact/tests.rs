use super::*;
use serde_json::json;

type FieldCodes = Vec<(String, ErrorCode)>;

fn owner() -> Value {
    json!({
        "first_name": "Anna", "last_name": "Müller", "organization": "Müller Wohnungsgenossenschaft eG",
        "street": ["Hauptstraße 1", ""], "city": "Berlin", "state": "", "postcode": "10115",
        "country": "DE", "phone": "+49.301234567", "fax": "", "email": "info@müller.coop"
    })
}

fn with(field: &str, value: Value) -> Value {
    let mut contact = owner();
    contact[field] = value;
    contact
}

fn problems_of(value: &Value, role: ContactRole) -> Vec<(String, ErrorCode)> {
    match validate_contact(value, role, "contacts.owner") {
        Ok(_) => Vec::new(),
        Err(problems) => problems
            .errors
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect(),
    }
}

#[test]
fn a_complete_owner_is_valid_and_empty_optionals_are_absent() {
    let contact = validate_contact(&owner(), ContactRole::Owner, "contacts.owner").unwrap();
    assert_eq!(contact.street, ["Hauptstraße 1"]);
    assert_eq!(contact.state, None);
    assert_eq!(contact.fax, None);
    assert_eq!(
        contact.organization.as_deref(),
        Some("Müller Wohnungsgenossenschaft eG")
    );
    assert_eq!(contact.country, "DE");
}

#[test]
fn field_rules() {
    use ErrorCode::*;
    let p = |f: &str| format!("contacts.owner.{f}");
    let cases: Vec<(Value, ContactRole, FieldCodes)> = vec![
        (
            with("organization", json!("")),
            ContactRole::Owner,
            vec![(p("organization"), Required)],
        ),
        (with("organization", json!("")), ContactRole::Admin, vec![]),
        (
            with("first_name", json!("  ")),
            ContactRole::Tech,
            vec![(p("first_name"), Required)],
        ),
        (
            with("last_name", Value::Null),
            ContactRole::Owner,
            vec![(p("last_name"), Required)],
        ),
        (
            with("street", json!([])),
            ContactRole::Owner,
            vec![(p("street[0]"), Required)],
        ),
        (
            with("street", json!(["", "Hof 2"])),
            ContactRole::Owner,
            vec![],
        ),
        (
            with("street", json!(["a", "b", "c", "d"])),
            ContactRole::Owner,
            vec![(p("street[3]"), InvalidValue)],
        ),
        (
            with("street", json!(["a", 5])),
            ContactRole::Owner,
            vec![(p("street[1]"), WrongType)],
        ),
        (
            with("street", json!("Hauptstraße 1")),
            ContactRole::Owner,
            vec![(p("street"), WrongType), (p("street[0]"), Required)],
        ),
        (
            with("street", json!(["Haupt\nstraße"])),
            ContactRole::Owner,
            vec![(p("street[0]"), ControlCharacter)],
        ),
        (
            with("city", json!("B".repeat(129))),
            ContactRole::Owner,
            vec![(p("city"), TooLong)],
        ),
        (
            with("city", json!("Mu\u{0308}nchen")),
            ContactRole::Owner,
            vec![(p("city"), NotNormalized)],
        ),
        (
            with("postcode", json!("12345678901234567")),
            ContactRole::Owner,
            vec![(p("postcode"), TooLong)],
        ),
        (
            with("country", json!("Germny")),
            ContactRole::Owner,
            vec![(p("country"), InvalidCountry)],
        ),
        (
            with("country", json!("Germany")),
            ContactRole::Owner,
            vec![],
        ),
        (with("country", json!("de")), ContactRole::Owner, vec![]),
        (
            with("phone", json!("030 1")),
            ContactRole::Owner,
            vec![(p("phone"), InvalidPhone)],
        ),
        (
            with("fax", json!("+999.1234")),
            ContactRole::Owner,
            vec![(p("fax"), InvalidPhone)],
        ),
        (
            with("email", json!("info@")),
            ContactRole::Owner,
            vec![(p("email"), InvalidEmail)],
        ),
        (
            with("email", json!(42)),
            ContactRole::Owner,
            vec![(p("email"), WrongType), (p("email"), Required)],
        ),
        (
            with("nickname", json!("x")),
            ContactRole::Owner,
            vec![(p("nickname"), UnknownField)],
        ),
        (
            with("organization", json!("Domains By Proxy, LLC")),
            ContactRole::Owner,
            vec![(p("organization"), PrivacyService)],
        ),
        (
            with("email", json!("x@contactprivacy.com")),
            ContactRole::Owner,
            vec![(p("organization"), PrivacyService)],
        ),
        // Only the registrant is checked for privacy services.
        (
            with("organization", json!("Domains By Proxy, LLC")),
            ContactRole::Tech,
            vec![],
        ),
    ];
    for (value, role, expected) in cases {
        assert_eq!(problems_of(&value, role), expected, "{value}");
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    let value = json!({"first_name": "", "last_name": "", "street": [], "city": "", "postcode": "",
                       "country": "XX", "phone": "x", "email": "y"});
    let problems = problems_of(&value, ContactRole::Owner);
    let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "contacts.owner.first_name",
            "contacts.owner.last_name",
            "contacts.owner.organization",
            "contacts.owner.street[0]",
            "contacts.owner.city",
            "contacts.owner.postcode",
            "contacts.owner.country",
            "contacts.owner.phone",
            "contacts.owner.email",
        ]
    );
}

#[test]
fn not_an_object_is_a_wrong_type() {
    assert_eq!(
        problems_of(&json!("Anna"), ContactRole::Owner),
        [("contacts.owner".to_string(), ErrorCode::WrongType)]
    );
}

#[test]
fn registrant_check() {
    let contact = validate_contact(&owner(), ContactRole::Owner, "o").unwrap();
    assert!(check_registrant(&contact, "OWNERCONTACT0").is_ok());
    let no_org = ContactInfo {
        organization: None,
        ..contact.clone()
    };
    assert_eq!(
        check_registrant(&no_org, "OWNERCONTACT0")
            .unwrap_err()
            .errors[0]
            .code,
        ErrorCode::Required
    );
    let proxy = ContactInfo {
        organization: Some("WhoisGuard, Inc.".into()),
        ..contact
    };
    assert_eq!(
        check_registrant(&proxy, "OWNERCONTACT0")
            .unwrap_err()
            .errors[0]
            .code,
        ErrorCode::PrivacyService
    );
}

/// A country typed by name and a phone written the usual way are stored in the registry's form;
/// a local number takes the chosen country's calling code.
#[test]
fn country_and_phone_are_normalised() {
    let cases = [
        (
            "Germany",
            "+49 89 12345678",
            "",
            "DE",
            "+49.8912345678",
            None,
        ),
        (
            "deutschland",
            "(089) 12345678",
            "089 1234 5679",
            "DE",
            "+49.8912345678",
            Some("+49.8912345679"),
        ),
        ("UK", "020 7946 0000", "", "GB", "+44.2079460000", None),
        ("us", "0049-89-12345678", "", "US", "+49.8912345678", None),
    ];
    for (country, phone, fax, want_country, want_phone, want_fax) in cases {
        let mut value = with("country", json!(country));
        value["phone"] = json!(phone);
        value["fax"] = json!(fax);
        let contact = validate_contact(&value, ContactRole::Owner, "contacts.owner").unwrap();
        assert_eq!(contact.country, want_country, "{country}");
        assert_eq!(contact.phone, want_phone, "{phone}");
        assert_eq!(contact.fax.as_deref(), want_fax, "{fax}");
    }
    // A local number with an unknown country: both fields are reported, by name.
    let mut value = with("country", json!("Atlantis"));
    value["phone"] = json!("(089) 12345678");
    assert_eq!(
        problems_of(&value, ContactRole::Owner),
        vec![
            (
                "contacts.owner.country".to_string(),
                ErrorCode::InvalidCountry
            ),
            ("contacts.owner.phone".to_string(), ErrorCode::InvalidPhone),
        ]
    );
}
