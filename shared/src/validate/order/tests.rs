use super::*;
use serde_json::json;

pub(crate) fn good_order() -> Value {
    json!({
        "domain": "müller.coop",
        "idn_language": "DE",
        "period": 2,
        "contacts": {
            "owner": {
                "first_name": "Anna", "last_name": "Müller", "organization": "Müller Wohnungsgenossenschaft eG",
                "street": ["Hauptstraße 1", ""], "city": "Berlin", "state": "", "postcode": "10115",
                "country": "DE", "phone": "+49.301234567", "fax": "", "email": "info@müller.coop"
            },
            "admin": null,
            "tech": {
                "first_name": "Tom", "last_name": "Tech", "organization": "",
                "street": ["Rue 5"], "city": "Paris", "postcode": "75001",
                "country": "FR", "phone": "+33.142000000", "email": "tech@example.fr"
            }
        },
        "nameservers": [
            {"host": "ns1.example.net", "addresses": []},
            {"host": "ns1.müller.coop", "addresses": ["192.0.2.1", "2001:db8::1"]}
        ],
        "eligibility": {"criterion": "cooperative_under_local_law", "certified": true}
    })
}

fn problems_of(value: &Value) -> Vec<(String, ErrorCode)> {
    match validate_order(value) {
        Ok(_) => Vec::new(),
        Err(problems) => problems
            .errors
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect(),
    }
}

fn set(path: &[&str], value: Value) -> Value {
    let mut order = good_order();
    let mut target = &mut order;
    for key in &path[..path.len() - 1] {
        target = &mut target[*key];
    }
    match target {
        Value::Object(map) => {
            if value == json!("__remove__") {
                map.remove(path[path.len() - 1]);
            } else {
                map.insert(path[path.len() - 1].to_string(), value);
            }
        }
        _ => panic!("not an object at {path:?}"),
    }
    order
}

#[test]
fn a_good_order_is_valid() {
    let order = validate_order(&good_order()).unwrap();
    assert_eq!(order.domain.ascii, "xn--mller-kva.coop");
    assert_eq!(
        order.domain.language,
        Some(crate::model::IdnLanguage::German)
    );
    assert_eq!(order.period, 2);
    assert_eq!(order.contacts.admin, order.contacts.owner);
    assert_eq!(order.contacts.billing, order.contacts.owner);
    assert_eq!(order.contacts.tech.first_name, "Tom");
    assert_eq!(order.contacts.tech.organization, None);
    assert_eq!(order.nameservers[1].host, "ns1.xn--mller-kva.coop");
    assert_eq!(
        order.eligibility,
        EligibilityCriterion::CooperativeUnderLocalLaw
    );
    // Round trip through JSON.
    let text = serde_json::to_string(&order).unwrap();
    assert_eq!(serde_json::from_str::<ValidOrder>(&text).unwrap(), order);
}

#[test]
fn order_rules() {
    use ErrorCode::*;
    let f = |s: &str| s.to_string();
    let r = json!("__remove__");
    let cases: Vec<(Value, Vec<(String, ErrorCode)>)> = vec![
        (set(&["domain"], r.clone()), vec![(f("domain"), Required)]),
        (set(&["domain"], json!(5)), vec![(f("domain"), WrongType)]),
        (
            set(&["domain"], json!("müller.de")),
            vec![(f("domain"), NotCoop)],
        ),
        (
            set(&["idn_language"], r.clone()),
            vec![(f("idn_language"), IdnLanguageRequired)],
        ),
        (set(&["idn_language"], json!("ES")), vec![]),
        (
            set(&["idn_language"], json!("IT")),
            vec![(f("idn_language"), IdnLanguageMismatch)],
        ),
        (
            set(&["idn_language"], json!(["DE"])),
            vec![
                (f("idn_language"), WrongType),
                (f("idn_language"), IdnLanguageRequired),
            ],
        ),
        (set(&["period"], r.clone()), vec![(f("period"), Required)]),
        (set(&["period"], json!(0)), vec![(f("period"), PeriodRange)]),
        (
            set(&["period"], json!(11)),
            vec![(f("period"), PeriodRange)],
        ),
        (
            set(&["period"], json!(-3)),
            vec![(f("period"), PeriodRange)],
        ),
        (set(&["period"], json!(1.5)), vec![(f("period"), WrongType)]),
        (set(&["period"], json!("2")), vec![(f("period"), WrongType)]),
        (
            set(&["period"], json!(u64::MAX)),
            vec![(f("period"), PeriodRange)],
        ),
        (
            set(&["contacts"], r.clone()),
            vec![(f("contacts"), Required)],
        ),
        (
            set(&["contacts", "owner"], r.clone()),
            vec![(f("contacts.owner"), Required)],
        ),
        (
            set(&["contacts", "owner", "email"], json!("nope")),
            vec![(f("contacts.owner.email"), InvalidEmail)],
        ),
        (
            set(&["contacts", "tech", "street"], json!(["a", "b", "c", "d"])),
            vec![(f("contacts.tech.street[3]"), InvalidValue)],
        ),
        (
            set(&["contacts", "admin"], json!({"first_name": "A"})),
            vec![
                (f("contacts.admin.last_name"), Required),
                (f("contacts.admin.street[0]"), Required),
                (f("contacts.admin.city"), Required),
                (f("contacts.admin.postcode"), Required),
                (f("contacts.admin.country"), Required),
                (f("contacts.admin.phone"), Required),
                (f("contacts.admin.email"), Required),
            ],
        ),
        (
            set(&["contacts", "registrant"], json!({})),
            vec![(f("contacts.registrant"), UnknownField)],
        ),
        (
            set(&["nameservers"], r.clone()),
            vec![(f("nameservers"), Required)],
        ),
        (
            set(&["nameservers"], json!([{"host": "ns1.example.net"}])),
            vec![(f("nameservers"), NameserverCount)],
        ),
        (
            set(&["eligibility"], r.clone()),
            vec![
                (f("eligibility.certified"), EligibilityRequired),
                (f("eligibility.criterion"), Required),
            ],
        ),
        (
            set(&["eligibility", "certified"], json!(false)),
            vec![(f("eligibility.certified"), EligibilityRequired)],
        ),
        (
            set(&["eligibility", "certified"], json!("yes")),
            vec![(f("eligibility.certified"), WrongType)],
        ),
        (
            set(&["eligibility", "criterion"], json!("cooperative")),
            vec![(f("eligibility.criterion"), UnknownCriterion)],
        ),
        (
            set(&["eligibility", "criterion"], json!(3)),
            vec![(f("eligibility.criterion"), WrongType)],
        ),
        (
            set(&["coupon"], json!("X")),
            vec![(f("coupon"), UnknownField)],
        ),
        (json!([1, 2]), vec![(f(""), WrongType)]),
        (json!(null), vec![(f(""), WrongType)]),
    ];
    for (value, expected) in cases {
        assert_eq!(problems_of(&value), expected, "{value}");
    }
}

#[test]
fn glue_follows_the_domain() {
    // The in-domain host is fine for müller.coop but needs no glue once the name differs.
    let order = set(&["domain"], json!("mueller.coop"));
    let order = {
        let mut o = order;
        o.as_object_mut().unwrap().remove("idn_language");
        o
    };
    assert_eq!(
        problems_of(&order),
        [(
            "nameservers[1].addresses[0]".to_string(),
            ErrorCode::GlueNotAllowed
        )]
    );
}

#[test]
fn every_problem_at_once() {
    let value = json!({
        "domain": "bad_name.coop", "period": 12,
        "contacts": {"owner": {"first_name": "A", "last_name": "B", "street": ["x"], "city": "c",
                     "postcode": "1", "country": "ZZ", "phone": "+49.301234567", "email": "a@b.de"}},
        "nameservers": [{"host": "ns1.example.net"}],
        "eligibility": {"certified": false, "criterion": "x"},
        "extra": 1
    });
    let fields: Vec<String> = problems_of(&value).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        [
            "extra",
            "domain",
            "period",
            "contacts.owner.organization",
            "contacts.owner.country",
            "nameservers",
            "eligibility.certified",
            "eligibility.criterion"
        ]
    );
}

#[test]
fn json_text() {
    let text = serde_json::to_string(&good_order()).unwrap();
    assert!(validate_order_json(&text).is_ok());
    let problems = validate_order_json("{\"domain\": ").unwrap_err();
    assert_eq!(problems.errors[0].code, ErrorCode::MalformedInput);
    assert_eq!(problems.errors[0].field, "");
    let huge = format!("{{\"domain\": \"{}\"}}", "a".repeat(MAX_ORDER_BYTES));
    assert_eq!(
        validate_order_json(&huge).unwrap_err().errors[0].code,
        ErrorCode::BodyTooLarge
    );
}

#[test]
fn the_allocation_token_is_optional_and_checked_when_given() {
    for absent in [json!("__remove__"), Value::Null, json!(""), json!("  ")] {
        let order = validate_order(&set(&["allocation_token"], absent.clone())).unwrap();
        assert_eq!(order.allocation_token, None, "{absent}");
    }
    let order = validate_order(&set(
        &["allocation_token"],
        json!(" AbCdEfGhIjKlMnOpQrStUv "),
    ))
    .unwrap();
    assert_eq!(
        order.allocation_token.as_deref(),
        Some("AbCdEfGhIjKlMnOpQrStUv")
    );
    assert_eq!(
        problems_of(&set(&["allocation_token"], json!("not a token!"))),
        vec![("allocation_token".to_string(), ErrorCode::InvalidValue)]
    );
    assert_eq!(
        problems_of(&set(&["allocation_token"], json!(42))),
        vec![("allocation_token".to_string(), ErrorCode::WrongType)]
    );
}

#[test]
fn ds_records_are_optional_and_checked() {
    let d32 = "Ab".repeat(32);
    let order = validate_order(&set(
        &["ds_records"],
        json!([format!("12345 13 2 {d32}"), {"key_tag": 7, "algorithm": "8", "digest_type": 4, "digest": "cd".repeat(48)}]),
    ))
    .unwrap();
    assert_eq!(order.ds_records.len(), 2);
    assert_eq!(order.ds_records[1].key_tag, 12345);
    assert_eq!(order.ds_records[1].digest, "ab".repeat(32));
    assert!(validate_order(&good_order()).unwrap().ds_records.is_empty());
    assert_eq!(
        problems_of(&set(
            &["ds_records"],
            json!(["1 13 1 00", {"key_tag": 70000, "algorithm": 13, "digest_type": 2, "digest": d32}])
        )),
        vec![
            ("ds_records[0]".to_string(), ErrorCode::InvalidDsRecord),
            ("ds_records[1]".to_string(), ErrorCode::InvalidDsRecord),
        ]
    );
    assert_eq!(
        problems_of(&set(&["ds_records"], json!("1 13 2 00"))),
        vec![("ds_records".to_string(), ErrorCode::WrongType)]
    );
    assert_eq!(
        problems_of(&set(&["ds_records"], json!([{"tag": 1}]))),
        vec![
            ("ds_records[0].tag".to_string(), ErrorCode::UnknownField),
            ("ds_records[0]".to_string(), ErrorCode::InvalidDsRecord)
        ]
    );
}
