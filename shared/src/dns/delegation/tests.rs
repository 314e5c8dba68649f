use super::*;
use crate::dns::parse_ds;
use crate::model::{DomainName, Nameserver};

fn ns(host: &str, addresses: &[&str]) -> Nameserver {
    Nameserver {
        host: host.to_string(),
        addresses: addresses.iter().map(|a| a.to_string()).collect(),
    }
}

fn domain(ascii: &str, nameservers: Vec<Nameserver>, ds: &[&str], published: bool) -> ZoneDomain {
    ZoneDomain {
        name: DomainName {
            ascii: ascii.to_string(),
            unicode: ascii.to_string(),
            language: None,
        },
        nameservers,
        ds: ds.iter().map(|text| parse_ds(text).unwrap()).collect(),
        published,
    }
}

fn ds_text(tag: u16) -> String {
    format!("{tag} 13 2 {}", "ab".repeat(32))
}

#[test]
fn a_published_domain_has_ns_ds_and_in_domain_glue() {
    let ds = ds_text(7);
    let d = domain(
        "example.coop",
        vec![
            ns(
                "ns2.example.coop",
                &["2001:db8::2", "192.0.2.2", "192.0.2.2"],
            ),
            ns("ns.other.net", &[]),
            ns("example.coop", &["192.0.2.1"]),
        ],
        &[&ds],
        true,
    );
    let sets = delegation(&d, &ZoneConfig::default()).unwrap();
    let summary: Vec<(String, String, Vec<String>)> = sets
        .iter()
        .map(|s| (s.name.clone(), s.rtype.clone(), s.records.clone()))
        .collect();
    let owned = |n: &str, t: &str, r: &[&str]| {
        (
            n.to_string(),
            t.to_string(),
            r.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        summary,
        vec![
            owned(
                "example.coop",
                "NS",
                &["example.coop.", "ns.other.net.", "ns2.example.coop."]
            ),
            owned("example.coop", "DS", &[&ds]),
            owned("example.coop", "A", &["192.0.2.1"]),
            owned("ns2.example.coop", "A", &["192.0.2.2"]),
            owned("ns2.example.coop", "AAAA", &["2001:db8::2"]),
        ]
    );
    assert!(sets.iter().all(|s| s.ttl == 3600));
}

#[test]
fn unpublished_means_nothing_and_bad_data_is_refused() {
    let d = domain("held.coop", vec![ns("ns1.held.coop", &[])], &[], false);
    assert_eq!(delegation(&d, &ZoneConfig::default()).unwrap(), vec![]);
    let d = domain("bad.coop", vec![ns("ns1.bad.coop", &[])], &[], true);
    let problem = delegation(&d, &ZoneConfig::default()).unwrap_err();
    assert_eq!(problem.field, "domain.nameservers[0]");
    let d = domain("bad.coop", vec![], &[], true);
    assert!(delegation(&d, &ZoneConfig::default()).is_err());
}

#[test]
fn changes_replace_what_is_wanted_and_delete_the_rest() {
    let d = domain(
        "example.coop",
        vec![ns("ns1.example.coop", &["192.0.2.1"]), ns("ns.x.net", &[])],
        &[],
        true,
    );
    let wanted = delegation(&d, &ZoneConfig::default()).unwrap();
    let present = vec![
        ("example.coop".to_string(), "NS".to_string()),
        ("old.example.coop".to_string(), "A".to_string()),
        ("ns1.example.coop".to_string(), "AAAA".to_string()),
        ("other.coop".to_string(), "NS".to_string()),
        ("xexample.coop".to_string(), "NS".to_string()),
    ];
    let changes = changes_for("example.coop", &wanted, &present);
    let deletes: Vec<(String, String)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Delete { name, rtype } => Some((name.clone(), rtype.clone())),
            Change::Replace(_) => None,
        })
        .collect();
    assert_eq!(
        deletes,
        vec![
            ("ns1.example.coop".to_string(), "AAAA".to_string()),
            ("old.example.coop".to_string(), "A".to_string()),
        ]
    );
    assert_eq!(changes.len() - deletes.len(), wanted.len());
    // Unpublished: only deletions.
    let gone = changes_for("example.coop", &[], &present);
    assert!(gone.iter().all(|c| matches!(c, Change::Delete { .. })));
    assert_eq!(gone.len(), 3); // NS and the two glue sets present
    assert_eq!(changes_for("example.coop", &[], &[]), vec![]);
}

#[test]
fn reconcile_counts_and_repairs_drift() {
    let config = ZoneConfig::default();
    let a = delegation(
        &domain(
            "a.coop",
            vec![ns("ns.x.net", &[]), ns("ns.y.net", &[])],
            &[],
            true,
        ),
        &config,
    )
    .unwrap();
    let b = delegation(
        &domain(
            "b.coop",
            vec![ns("ns1.b.coop", &["192.0.2.1"])],
            &[&ds_text(1)],
            true,
        ),
        &config,
    )
    .unwrap();
    let expected: Vec<RrSet> = a.iter().chain(b.iter()).cloned().collect();
    // The server: a.coop fine (other case, trailing dots); b.coop's DS missing and its glue
    // different; a stray record; the apex.
    let mut server: Vec<RrSet> = a
        .iter()
        .map(|s| RrSet {
            name: format!("{}.", s.name.to_uppercase()),
            records: s.records.iter().rev().map(|r| r.to_uppercase()).collect(),
            ..s.clone()
        })
        .collect();
    server.push(b[0].clone());
    server.push(RrSet {
        records: vec!["192.0.2.9".into()],
        ..b[2].clone()
    });
    server.push(RrSet {
        name: "gone.coop.".into(),
        rtype: "NS".into(),
        ttl: 3600,
        records: vec!["ns.z.net.".into()],
    });
    server.push(RrSet {
        name: "coop.".into(),
        rtype: "NS".into(),
        ttl: 3600,
        records: vec!["a.nic.coop.".into()],
    });
    let (drift, changes) = reconcile(expected, server, |name| name == "coop");
    assert_eq!(
        drift,
        Drift {
            missing: 1,
            differing: 1,
            extra: 1,
            matching: 2,
        }
    );
    assert_eq!(drift.total(), 3);
    assert!(changes.contains(&Change::Delete {
        name: "gone.coop".into(),
        rtype: "NS".into()
    }));
    assert!(changes.contains(&Change::Replace(b[1].clone())));
    assert!(changes.contains(&Change::Replace(b[2].clone())));
    assert_eq!(changes.len(), 3);
}
