use super::*;
use crate::validate::validate_domain_name;
use serde_json::json;

fn domain() -> DomainName {
    validate_domain_name("müller.coop", Some("DE")).unwrap()
}

fn problems_of(value: Value) -> Vec<(String, ErrorCode)> {
    match validate_nameservers(&value, Some(&domain()), "nameservers") {
        Ok(_) => Vec::new(),
        Err(problems) => problems
            .errors
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect(),
    }
}

#[test]
fn valid_lists_are_canonicalised() {
    let list = validate_nameservers(
        &json!([
            {"host": "NS1.Example.NET."},
            {"host": "ns1.müller.coop", "addresses": ["192.0.2.1", "2001:DB8:0:0::1"]},
            {"host": "xn--mller-kva.coop", "addresses": ["198.51.100.7"]}
        ]),
        Some(&domain()),
        "nameservers",
    )
    .unwrap();
    assert_eq!(
        list[0],
        Nameserver {
            host: "ns1.example.net".into(),
            addresses: vec![]
        }
    );
    assert_eq!(list[1].host, "ns1.xn--mller-kva.coop");
    assert_eq!(list[1].addresses, ["192.0.2.1", "2001:db8::1"]);
    assert_eq!(list[2].host, "xn--mller-kva.coop");
}

#[test]
fn list_rules() {
    use ErrorCode::*;
    let ns = |i: usize| json!({"host": format!("ns{i}.example.net")});
    let many: Vec<Value> = (0..14).map(ns).collect();
    let thirteen: Vec<Value> = (0..13).map(ns).collect();
    let f = |s: &str| s.to_string();
    let cases: Vec<(Value, Vec<(String, ErrorCode)>)> = vec![
        (json!([ns(1)]), vec![(f("nameservers"), NameserverCount)]),
        (json!([]), vec![(f("nameservers"), NameserverCount)]),
        (json!(many), vec![(f("nameservers"), NameserverCount)]),
        (json!(thirteen), vec![]),
        (
            json!([ns(1), ns(1)]),
            vec![(f("nameservers[1].host"), DuplicateNameserver)],
        ),
        (
            json!([ns(1), {"host": "NS1.example.net."}]),
            vec![(f("nameservers[1].host"), DuplicateNameserver)],
        ),
        (
            json!([ns(1), {"host": "ns_2.example.net"}]),
            vec![(f("nameservers[1].host"), InvalidCharacter)],
        ),
        (
            json!([ns(1), {"host": ""}]),
            vec![(f("nameservers[1].host"), Required)],
        ),
        (
            json!([ns(1), {"host": "192.0.2.1"}]),
            vec![(f("nameservers[1].host"), InvalidHostName)],
        ),
        (
            json!([ns(1), {"host": "ns2.müller.coop"}]),
            vec![(f("nameservers[1].host"), GlueRequired)],
        ),
        (
            json!([ns(1), {"host": "ns2.müller.coop", "addresses": []}]),
            vec![(f("nameservers[1].host"), GlueRequired)],
        ),
        (
            json!([ns(1), {"host": "ns2.example.net", "addresses": ["192.0.2.1"]}]),
            vec![(f("nameservers[1].addresses[0]"), GlueNotAllowed)],
        ),
        // A host in another .coop name that merely ends the same way is outside.
        (
            json!([ns(1), {"host": "ns.othermüller.coop", "addresses": ["192.0.2.1"]}]),
            vec![(f("nameservers[1].addresses[0]"), GlueNotAllowed)],
        ),
        (
            json!([ns(1), {"host": "ns2.müller.coop", "addresses": ["192.0.2.300"]}]),
            vec![(f("nameservers[1].addresses[0]"), InvalidIp)],
        ),
        (
            json!([ns(1), {"host": "ns2.müller.coop", "addresses": ["127.0.0.1", "::", "224.0.0.1", "255.255.255.255"]}]),
            vec![
                (f("nameservers[1].addresses[0]"), InvalidIp),
                (f("nameservers[1].addresses[1]"), InvalidIp),
                (f("nameservers[1].addresses[2]"), InvalidIp),
                (f("nameservers[1].addresses[3]"), InvalidIp),
            ],
        ),
        (
            json!([ns(1), {"host": "ns2.müller.coop", "addresses": ["192.0.2.1", "192.0.2.01"]}]),
            vec![(f("nameservers[1].addresses[1]"), InvalidIp)],
        ),
        (
            json!([ns(1), {"host": "ns2.müller.coop", "addresses": ["192.0.2.1", "192.0.2.1"]}]),
            vec![(f("nameservers[1].addresses[1]"), InvalidIp)],
        ),
        (
            json!([ns(1), {"host": "ns2.müller.coop", "addresses": "192.0.2.1"}]),
            vec![
                (f("nameservers[1].addresses"), WrongType),
                (f("nameservers[1].host"), GlueRequired),
            ],
        ),
        (
            json!([ns(1), {"host": "ns2.example.net", "addresses": [5, "192.0.2.1"]}]),
            vec![
                (f("nameservers[1].addresses[0]"), WrongType),
                (f("nameservers[1].addresses[1]"), GlueNotAllowed),
            ],
        ),
        (
            json!([ns(1), {"host": "ns2.example.net", "ttl": 5}]),
            vec![(f("nameservers[1].ttl"), UnknownField)],
        ),
        (
            json!([ns(1), "ns2.example.net"]),
            vec![
                (f("nameservers[1]"), WrongType),
                (f("nameservers[1].host"), Required),
            ],
        ),
        (json!({"host": "x"}), vec![(f("nameservers"), WrongType)]),
    ];
    for (value, expected) in cases {
        assert_eq!(problems_of(value.clone()), expected, "{value}");
    }
}

#[test]
fn without_a_valid_domain_glue_is_not_judged() {
    let value = json!([{"host": "ns1.example.net", "addresses": ["192.0.2.1"]}, {"host": "ns2.example.net"}]);
    assert!(validate_nameservers(&value, None, "nameservers").is_ok());
}
