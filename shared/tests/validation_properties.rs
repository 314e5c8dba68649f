//! Property tests of the validation core: no input panics, canonical forms are fixed points,
//! A-label and U-label forms convert into each other.

use coopreg_shared::validate::{
    fitting_languages, validate_domain_name, validate_host_name, validate_order,
    validate_order_json, validate_reseller_add_domain, validate_reseller_contact,
};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Letters of the six tables, plus look-alikes and traps from outside them.
const ALPHABET: &[char] = &[
    'a', 'b', 'e', 'o', 'p', 'x', 'z', '0', '7', '-', '.', 'ä', 'ö', 'ü', 'ß', 'à', 'á', 'â', 'ã',
    'ç', 'è', 'é', 'ê', 'ë', 'ì', 'í', 'î', 'ï', 'ñ', 'ò', 'ó', 'ô', 'õ', 'ù', 'ú', 'û', 'ÿ', 'æ',
    'œ', 'а', 'е', 'о', 'р', 'я', 'ё', 'і', 'ї', 'є', 'ґ', 'ў', 'ј', 'љ', 'ѕ', 'Ü', 'A', 'ς', 'σ',
    '\u{200D}', '\u{0301}', '\u{0308}', 'ｍ', '。', 'ש', '♥', '·', ' ', '_',
];

fn name_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        // Names built from the interesting alphabet, with or without .coop.
        (
            prop::collection::vec(prop::sample::select(ALPHABET), 0..20),
            any::<bool>()
        )
            .prop_map(|(chars, suffix)| {
                let label: String = chars.into_iter().collect();
                if suffix {
                    format!("{label}.coop")
                } else {
                    label
                }
            }),
        // Anything at all.
        any::<String>(),
        // A-label-looking inputs.
        "xn--[a-z0-9-]{0,20}\\.coop",
    ]
}

fn language_strategy() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        prop::sample::select(vec![
            "CYRL", "FR", "DE", "IT", "PT", "ES", "de", "", "XX", "LATN"
        ])
        .prop_map(|s| Some(s.to_string())),
        any::<String>().prop_map(Some),
    ]
}

/// Labels from one table, which are often valid.
fn table_label_strategy() -> impl Strategy<Value = (String, &'static str)> {
    let tables: Vec<(&'static str, &'static str)> = vec![
        ("DE", "abcdemnorstuz0123456789-äöüß"),
        ("FR", "abcdelnorstuvz0123-àâæçèéêëîïôùûüÿœ"),
        ("ES", "abcdenorstu019-áéíñóúü"),
        ("IT", "abcdeilnorstu09-àèéìíîòóùú"),
        ("PT", "abcdemnorstu07-àáâãçéêíóôõúü"),
        (
            "CYRL",
            "абвгдежзийклмнопрстуфхцчшщъыьэюяёіїєґўјљњћџђѓќѕ0129-",
        ),
    ];
    prop::sample::select(tables).prop_flat_map(|(tag, alphabet)| {
        let chars: Vec<char> = alphabet.chars().collect();
        prop::collection::vec(prop::sample::select(chars), 1..30)
            .prop_map(move |label| (label.into_iter().collect::<String>(), tag))
    })
}

fn json_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        name_strategy().prop_map(Value::String),
    ];
    let keys = prop::sample::select(vec![
        "domain",
        "idn_language",
        "period",
        "contacts",
        "owner",
        "admin",
        "tech",
        "billing",
        "first_name",
        "last_name",
        "organization",
        "street",
        "city",
        "state",
        "postcode",
        "country",
        "phone",
        "fax",
        "email",
        "nameservers",
        "host",
        "addresses",
        "eligibility",
        "criterion",
        "certified",
        "other",
    ]);
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

fn good_order() -> Value {
    json!({
        "domain": "müller.coop", "idn_language": "DE", "period": 1,
        "contacts": {"owner": {
            "first_name": "Anna", "last_name": "Müller", "organization": "Müller eG",
            "street": ["Hauptstraße 1"], "city": "Berlin", "postcode": "10115",
            "country": "DE", "phone": "+49.301234567", "email": "info@müller.coop"}},
        "nameservers": [{"host": "ns1.example.net"}, {"host": "ns1.müller.coop", "addresses": ["192.0.2.1"]}],
        "eligibility": {"criterion": "ica_member", "certified": true}
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn domain_validation_never_panics_and_is_idempotent(name in name_strategy(), language in language_strategy()) {
        let result = validate_domain_name(&name, language.as_deref());
        let _ = fitting_languages(&name);
        match result {
            Ok(domain) => {
                // Both canonical forms validate to the same name.
                prop_assert_eq!(validate_domain_name(&domain.unicode, language.as_deref()), Ok(domain.clone()));
                prop_assert_eq!(validate_domain_name(&domain.ascii, language.as_deref()), Ok(domain.clone()));
                prop_assert!(domain.ascii.is_ascii());
                // The `idna` crate's strict UTS 46 agrees with both forms.
                prop_assert_eq!(idna::domain_to_ascii_strict(&domain.unicode).ok(), Some(domain.ascii.clone()));
                let (unicode, errors) = idna::domain_to_unicode(&domain.ascii);
                prop_assert!(errors.is_ok());
                prop_assert_eq!(unicode, domain.unicode.clone());
                prop_assert!(domain.ascii.ends_with(".coop") && domain.unicode.ends_with(".coop"));
            }
            Err(problems) => {
                prop_assert!(!problems.errors.is_empty());
                for problem in &problems.errors {
                    prop_assert!(!problem.message.is_empty());
                    prop_assert_eq!(problem.code.http_status(), 422);
                }
            }
        }
    }

    #[test]
    fn table_labels_round_trip((label, tag) in table_label_strategy()) {
        let name = format!("{label}.coop");
        if let Ok(domain) = validate_domain_name(&name, Some(tag)) {
            let (unicode, errors) = idna::domain_to_unicode(&domain.ascii);
            prop_assert!(errors.is_ok());
            prop_assert_eq!(&unicode, &domain.unicode);
            prop_assert_eq!(idna::domain_to_ascii_strict(&domain.unicode).ok(), Some(domain.ascii.clone()));
            prop_assert_eq!(&domain.unicode, &name);
            prop_assert!(fitting_languages(&name).iter().any(|l| l.tag() == tag));
        } else {
            // Only hyphen and length rules can refuse a label drawn from one table.
            let problems = validate_domain_name(&name, Some(tag)).unwrap_err();
            for problem in problems.errors {
                prop_assert!(
                    matches!(problem.code.as_str(), "hyphen_position" | "label_too_long"),
                    "{} refused: {:?}", name, problem
                );
            }
        }
    }

    #[test]
    fn host_validation_never_panics(host in any::<String>(), name in name_strategy()) {
        for input in [host, name] {
            if let Ok(ascii) = validate_host_name(&input, "host") {
                prop_assert_eq!(idna::domain_to_ascii_strict(&ascii).ok(), Some(ascii.clone()));
            }
        }
    }

    #[test]
    fn arbitrary_json_orders_never_panic(value in json_strategy()) {
        let _ = validate_order(&value);
        let _ = validate_order_json(&value.to_string());
    }

    #[test]
    fn mutated_orders_never_panic(
        path in prop::sample::select(vec![
            vec!["domain"], vec!["period"], vec!["idn_language"], vec!["contacts", "owner", "email"],
            vec!["contacts", "owner", "street"], vec!["contacts", "admin"], vec!["nameservers"],
            vec!["eligibility", "criterion"], vec!["eligibility", "certified"], vec!["contacts", "owner", "phone"],
        ]),
        value in json_strategy(),
    ) {
        let mut order = good_order();
        let mut target = &mut order;
        for key in &path[..path.len() - 1] {
            target = &mut target[*key];
        }
        target[path[path.len() - 1]] = value;
        if let Ok(valid) = validate_order(&order) {
            // A valid order's own canonical data validates again.
            prop_assert!(validate_domain_name(&valid.domain.unicode, valid.domain.language.map(|l| l.tag())).is_ok());
        }
    }

    #[test]
    fn text_never_panics(text in any::<String>()) {
        let _ = validate_order_json(&text);
    }

    #[test]
    fn reseller_parameters_never_panic(
        pairs in prop::collection::vec((
            prop::sample::select(vec![
                "DOMAIN", "PERIOD", "OWNERCONTACT0", "ADMINCONTACT0", "NAMESERVER0", "NAMESERVER1",
                "NAMESERVER12", "NAMESERVER13", "NAMESERVER999", "NAMESERVER99999999999999999999",
                "X-COOP-ELIGIBILITY", "X-IDN-LANGUAGE", "X-COOP-ELIGIBILITY-CRITERION", "FIRSTNAME",
                "LASTNAME", "ORGANIZATION", "STREET", "STREET0", "STREET2", "STREET999", "CITY", "ZIP",
                "COUNTRY", "PHONE", "FAX", "EMAIL",
            ]),
            name_strategy(),
        ), 0..20),
        require_organization in any::<bool>(),
    ) {
        let params: BTreeMap<String, String> = pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let _ = validate_reseller_add_domain(&params);
        let _ = validate_reseller_contact(&params, require_organization);
    }
}
