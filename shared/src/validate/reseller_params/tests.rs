use super::*;
use crate::model::ContactRole;
use crate::validate::validate_contact;
use serde_json::{json, Value};

type Params = BTreeMap<String, String>;
type FieldCodes = Vec<(String, ErrorCode)>;

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn good_contact() -> BTreeMap<String, String> {
    params(&[
        ("FIRSTNAME", "Anna"),
        ("LASTNAME", "Müller"),
        ("ORGANIZATION", "Müller Wohnungsgenossenschaft eG"),
        ("STREET0", "Hauptstraße 1"),
        ("CITY", "Berlin"),
        ("ZIP", "10115"),
        ("COUNTRY", "DE"),
        ("PHONE", "+49.301234567"),
        ("EMAIL", "info@müller.coop"),
    ])
}

fn good_domain() -> BTreeMap<String, String> {
    params(&[
        ("COMMAND", "AddDomain"),
        ("DOMAIN", "müller.coop"),
        ("X-IDN-LANGUAGE", "DE"),
        ("PERIOD", "2"),
        ("OWNERCONTACT0", "P-ABC1"),
        ("TECHCONTACT0", "P-TEC2"),
        ("NAMESERVER0", "ns1.example.net"),
        ("NAMESERVER1", "ns2.example.net"),
        ("X-COOP-ELIGIBILITY", "1"),
    ])
}

fn with(
    mut map: BTreeMap<String, String>,
    key: &str,
    value: Option<&str>,
) -> BTreeMap<String, String> {
    match value {
        Some(value) => map.insert(key.to_string(), value.to_string()),
        None => map.remove(key),
    };
    map
}

fn codes(result: Result<impl std::fmt::Debug, Problems>) -> Vec<(String, ErrorCode)> {
    match result {
        Ok(_) => Vec::new(),
        Err(problems) => problems
            .errors
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect(),
    }
}

#[test]
fn contact_parameters() {
    use ErrorCode::*;
    let contact = validate_reseller_contact(&good_contact(), true).unwrap();
    assert_eq!(contact.street, ["Hauptstraße 1"]);
    let f = |s: &str| s.to_string();
    let cases: Vec<(Params, bool, FieldCodes)> = vec![
        (
            with(good_contact(), "ORGANIZATION", None),
            true,
            vec![(f("ORGANIZATION"), Required)],
        ),
        (with(good_contact(), "ORGANIZATION", None), false, vec![]),
        (
            with(
                with(good_contact(), "STREET0", None),
                "STREET",
                Some("Hof 1"),
            ),
            true,
            vec![],
        ),
        (
            with(good_contact(), "STREET0", None),
            true,
            vec![(f("STREET0"), Required)],
        ),
        (
            with(good_contact(), "STREET3", Some("x")),
            true,
            vec![(f("STREET3"), InvalidValue)],
        ),
        (
            with(good_contact(), "ZIP", Some("")),
            true,
            vec![(f("ZIP"), Required)],
        ),
        (
            with(good_contact(), "COUNTRY", Some("EU")),
            true,
            vec![(f("COUNTRY"), InvalidCountry)],
        ),
        (
            with(good_contact(), "PHONE", Some("+999 30 1234567")),
            true,
            vec![(f("PHONE"), InvalidPhone)],
        ),
        (
            with(good_contact(), "FAX", Some("12")),
            true,
            vec![(f("FAX"), InvalidPhone)],
        ),
        (
            with(good_contact(), "EMAIL", Some("a@b")),
            true,
            vec![(f("EMAIL"), InvalidEmail)],
        ),
        (
            with(
                good_contact(),
                "ORGANIZATION",
                Some("Withheld for Privacy ehf"),
            ),
            true,
            vec![(f("ORGANIZATION"), PrivacyService)],
        ),
        (
            with(
                good_contact(),
                "ORGANIZATION",
                Some("Withheld for Privacy ehf"),
            ),
            false,
            vec![],
        ),
    ];
    for (map, require_organization, expected) in cases {
        assert_eq!(
            codes(validate_reseller_contact(&map, require_organization)),
            expected,
            "{map:?}"
        );
    }
    let with_street = with(
        with(good_contact(), "STREET1", Some("Hof 2")),
        "STREET2",
        Some("3. OG"),
    );
    assert_eq!(
        validate_reseller_contact(&with_street, true)
            .unwrap()
            .street,
        ["Hauptstraße 1", "Hof 2", "3. OG"]
    );
}

#[test]
fn add_domain_parameters() {
    let request = validate_reseller_add_domain(&good_domain()).unwrap();
    assert_eq!(request.domain.ascii, "xn--mller-kva.coop");
    assert_eq!(request.period, 2);
    assert_eq!(request.owner_contact, "P-ABC1");
    assert_eq!(request.admin_contact, "P-ABC1");
    assert_eq!(request.tech_contact, "P-TEC2");
    assert_eq!(request.billing_contact, "P-ABC1");
    assert_eq!(request.nameservers.len(), 2);
    assert_eq!(request.eligibility_criterion, None);
    let defaulted = validate_reseller_add_domain(&with(good_domain(), "PERIOD", None)).unwrap();
    assert_eq!(defaulted.period, 1);

    use ErrorCode::*;
    let f = |s: &str| s.to_string();
    let cases: Vec<(Params, FieldCodes)> = vec![
        (
            with(good_domain(), "DOMAIN", None),
            vec![(f("DOMAIN"), Required)],
        ),
        (
            with(good_domain(), "DOMAIN", Some("example.com")),
            vec![(f("DOMAIN"), NotCoop)],
        ),
        (
            with(good_domain(), "X-IDN-LANGUAGE", None),
            vec![(f("X-IDN-LANGUAGE"), IdnLanguageRequired)],
        ),
        (
            with(good_domain(), "X-IDN-LANGUAGE", Some("LATN")),
            vec![(f("X-IDN-LANGUAGE"), UnknownIdnLanguage)],
        ),
        (
            with(good_domain(), "PERIOD", Some("11")),
            vec![(f("PERIOD"), PeriodRange)],
        ),
        (
            with(good_domain(), "PERIOD", Some("x")),
            vec![(f("PERIOD"), WrongType)],
        ),
        (
            with(good_domain(), "OWNERCONTACT0", None),
            vec![(f("OWNERCONTACT0"), Required)],
        ),
        (
            with(good_domain(), "ADMINCONTACT0", Some("P ABC")),
            vec![(f("ADMINCONTACT0"), InvalidHandle)],
        ),
        (
            with(good_domain(), "NAMESERVER1", None),
            vec![(f("NAMESERVER"), NameserverCount)],
        ),
        (
            with(good_domain(), "NAMESERVER1", Some("ns1.example.net")),
            vec![(f("NAMESERVER1"), DuplicateNameserver)],
        ),
        (
            with(good_domain(), "NAMESERVER1", Some("ns1.müller.coop")),
            vec![(f("NAMESERVER1"), GlueRequired)],
        ),
        (
            with(good_domain(), "NAMESERVER13", Some("ns3.example.net")),
            vec![(f("NAMESERVER13"), NameserverCount)],
        ),
        (
            with(good_domain(), "X-COOP-ELIGIBILITY", None),
            vec![(f("X-COOP-ELIGIBILITY"), EligibilityRequired)],
        ),
        (
            with(good_domain(), "X-COOP-ELIGIBILITY", Some("0")),
            vec![(f("X-COOP-ELIGIBILITY"), EligibilityRequired)],
        ),
        (
            with(
                good_domain(),
                "X-COOP-ELIGIBILITY-CRITERION",
                Some("ica_member"),
            ),
            vec![],
        ),
        (
            with(
                good_domain(),
                "X-COOP-ELIGIBILITY-CRITERION",
                Some("member"),
            ),
            vec![(f("X-COOP-ELIGIBILITY-CRITERION"), UnknownCriterion)],
        ),
    ];
    for (map, expected) in cases {
        assert_eq!(
            codes(validate_reseller_add_domain(&map)),
            expected,
            "{map:?}"
        );
    }
}

fn order_contact(field: &str, value: &str) -> Value {
    let mut contact = json!({
        "first_name": "Anna", "last_name": "Müller", "organization": "Müller Wohnungsgenossenschaft eG",
        "street": ["Hauptstraße 1"], "city": "Berlin", "postcode": "10115",
        "country": "DE", "phone": "+49.301234567", "email": "info@müller.coop"
    });
    contact[field] = json!(value);
    contact
}

/// The same bad value gives the same code and message on both paths; only the field differs.
#[test]
fn same_rules_on_both_paths() {
    let contact_cases = [
        ("email", "EMAIL", "info@@example"),
        ("phone", "PHONE", "+999 30 1234567"),
        ("fax", "FAX", "+999.1234"),
        ("country", "COUNTRY", "Germny"),
        ("city", "CITY", "Ber\tlin"),
        ("postcode", "ZIP", "12345678901234567890"),
        ("first_name", "FIRSTNAME", ""),
        ("organization", "ORGANIZATION", "Domains By Proxy, LLC"),
    ];
    for (json_name, param, bad) in contact_cases {
        let order = validate_contact(
            &order_contact(json_name, bad),
            ContactRole::Owner,
            "contacts.owner",
        )
        .unwrap_err();
        let reseller =
            validate_reseller_contact(&with(good_contact(), param, Some(bad)), true).unwrap_err();
        assert_eq!(order.errors.len(), 1, "{json_name}");
        assert_eq!(reseller.errors.len(), 1, "{param}");
        let (o, r) = (&order.errors[0], &reseller.errors[0]);
        assert_eq!(
            (o.code, &o.message, &o.suggestion),
            (r.code, &r.message, &r.suggestion),
            "{json_name}"
        );
        assert_eq!(o.field, format!("contacts.owner.{json_name}"));
        assert_eq!(r.field, param);
    }

    let domain_cases = [
        ("domain", "DOMAIN", "MÜLLER.coop"),
        ("domain", "DOMAIN", "www.example.coop"),
        ("idn_language", "X-IDN-LANGUAGE", "IT"),
    ];
    for (json_name, param, bad) in domain_cases {
        let mut order_json = crate::validate::order::tests::good_order();
        order_json[json_name] = json!(bad);
        let order = crate::validate::validate_order(&order_json).unwrap_err();
        let reseller =
            validate_reseller_add_domain(&with(good_domain(), param, Some(bad))).unwrap_err();
        let (o, r) = (&order.errors[0], &reseller.errors[0]);
        assert_eq!(
            (o.code, &o.message, &o.suggestion),
            (r.code, &r.message, &r.suggestion),
            "{bad}"
        );
        assert_eq!((o.field.as_str(), r.field.as_str()), (json_name, param));
    }

    let order_json = {
        let mut o = crate::validate::order::tests::good_order();
        o["period"] = json!(11);
        o
    };
    let order = crate::validate::validate_order(&order_json).unwrap_err();
    let reseller =
        validate_reseller_add_domain(&with(good_domain(), "PERIOD", Some("11"))).unwrap_err();
    assert_eq!(
        (order.errors[0].code, &order.errors[0].message),
        (reseller.errors[0].code, &reseller.errors[0].message)
    );
}

fn hosts(list: &[Nameserver]) -> Vec<&str> {
    list.iter().map(|ns| ns.host.as_str()).collect()
}

#[test]
fn modify_domain_nameserver_changes() {
    let domain = crate::validate::validate_domain_name("example.coop", None).expect("valid");
    let current = vec![
        Nameserver {
            host: "ns1.example.net".to_string(),
            addresses: vec![],
        },
        Nameserver {
            host: "ns.example.coop".to_string(),
            addresses: vec!["192.0.2.1".to_string()],
        },
    ];
    let change =
        |pairs: &[(&str, &str)]| reseller_nameserver_change(&params(pairs), &current, &domain);

    assert_eq!(change(&[("TRANSFERLOCK", "1")]), Ok(None));
    let added = change(&[("ADDNAMESERVER0", "ns3.example.net")])
        .expect("valid")
        .expect("changed");
    assert_eq!(
        hosts(&added),
        vec!["ns1.example.net", "ns.example.coop", "ns3.example.net"]
    );
    assert_eq!(
        added[1].addresses,
        vec!["192.0.2.1".to_string()],
        "glue kept"
    );
    let swapped = change(&[
        ("ADDNAMESERVER0", "NS3.example.net"),
        ("DELNAMESERVER0", "NS1.EXAMPLE.NET."),
    ])
    .expect("valid")
    .expect("changed");
    assert_eq!(hosts(&swapped), vec!["ns.example.coop", "ns3.example.net"]);
    let full = change(&[
        ("NAMESERVER0", "a.example.org"),
        ("NAMESERVER1", "b.example.org"),
    ])
    .expect("valid")
    .expect("changed");
    assert_eq!(hosts(&full), vec!["a.example.org", "b.example.org"]);

    let codes = |pairs: &[(&str, &str)]| -> FieldCodes {
        change(pairs)
            .expect_err("refused")
            .errors
            .into_iter()
            .map(|problem| (problem.field, problem.code))
            .collect()
    };
    assert_eq!(
        codes(&[("DELNAMESERVER0", "ns1.example.net")]),
        vec![("ADDNAMESERVER".to_string(), ErrorCode::NameserverCount)]
    );
    assert_eq!(
        codes(&[("DELNAMESERVER0", "ns9.example.net")]),
        vec![("DELNAMESERVER0".to_string(), ErrorCode::InvalidValue)]
    );
    assert_eq!(
        codes(&[("ADDNAMESERVER0", "ns1.example.net")]),
        vec![("ADDNAMESERVER0".to_string(), ErrorCode::DuplicateNameserver)]
    );
    assert_eq!(
        codes(&[("ADDNAMESERVER0", "ns2.example.coop")]),
        vec![("ADDNAMESERVER0".to_string(), ErrorCode::GlueRequired)]
    );
    assert_eq!(
        codes(&[
            ("NAMESERVER0", "bad..host"),
            ("NAMESERVER1", "b.example.org")
        ])
        .first()
        .map(|(field, _)| field.clone()),
        Some("NAMESERVER0".to_string())
    );
}

#[test]
fn add_domain_carries_an_allocation_token() {
    let request = validate_reseller_add_domain(&with(
        good_domain(),
        "X-ALLOCATION-TOKEN",
        Some("AbCdEfGhIjKlMnOpQrStUv"),
    ))
    .unwrap();
    assert_eq!(
        request.allocation_token.as_deref(),
        Some("AbCdEfGhIjKlMnOpQrStUv")
    );
    assert_eq!(
        validate_reseller_add_domain(&good_domain())
            .unwrap()
            .allocation_token,
        None
    );
    assert_eq!(
        codes(validate_reseller_add_domain(&with(
            good_domain(),
            "X-ALLOCATION-TOKEN",
            Some("x y")
        ))),
        vec![("X-ALLOCATION-TOKEN".to_string(), ErrorCode::InvalidValue)]
    );
}

#[test]
fn dnssec_attributes_give_the_ds_set() {
    let key = "257 3 13 MG/C4TEobqpCdz7jxjNyGs0MwHbOBoCrWfvtffwgXRqc+GwDmbd0l18A0DQF6SguirP9ut8dLqdkj0zdr8ICew==";
    let ds = format!("1 13 2 {}", "ab".repeat(32));
    let mut problems = Problems::default();
    let set = reseller_ds_records(
        &params(&[("DNSSECDSDATA0", ds.as_str()), ("DNSSEC0", key)]),
        "coop",
        &mut problems,
    )
    .unwrap();
    assert!(problems.is_empty());
    assert_eq!(set.len(), 2);
    // The key's DS as PowerDNS computes it for the owner name `coop.`.
    assert!(set.iter().any(|d| d.key_tag == 15418
        && d.digest == "b50dd5154954c9847cf5aac474576012a5922af5b80512cd1cb217f57effd07b"));
    assert_eq!(
        reseller_ds_records(&params(&[("NAMESERVER0", "x")]), "a.coop", &mut problems),
        None
    );
    assert_eq!(
        reseller_ds_records(&params(&[("DNSSEC0", "")]), "a.coop", &mut problems),
        Some(Vec::new())
    );
    assert!(problems.is_empty());
    let bad = reseller_ds_records(
        &params(&[("DNSSECDSDATA1", "1 13 9 00"), ("DNSSEC0", "1 3 13 AAAA")]),
        "a.coop",
        &mut problems,
    );
    assert_eq!(bad, None);
    let found: Vec<(String, ErrorCode)> = problems
        .errors
        .into_iter()
        .map(|p| (p.field, p.code))
        .collect();
    assert_eq!(
        found,
        vec![
            ("DNSSECDSDATA1".to_string(), ErrorCode::InvalidDsRecord),
            ("DNSSEC0".to_string(), ErrorCode::InvalidDnskey),
        ]
    );
    // AddDomain carries the set.
    let add = with(good_domain(), "DNSSECDSDATA0", Some(ds.as_str()));
    assert_eq!(
        validate_reseller_add_domain(&add).unwrap().ds_records.len(),
        1
    );
}
