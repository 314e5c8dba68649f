//! The zone file, checked by BIND's `named-checkzone`.
//!
//! The check runs with `-i local` (integrity checks of in-zone data only: no getaddrinfo
//! look-ups of the test's made-up out-of-zone hosts on the network) and `-k fail -n fail`
//! (bad owner and host names are fatal), and the test demands BIND's output hold no
//! diagnostic at all: `named-checkzone` exits 0 and prints OK even for missing glue, so the
//! exit code alone would prove little. A control zone with missing glue shows the check
//! does catch it. Skipped, with a notice, only when the binary is absent (CI installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

use coopreg_shared::model::{DomainName, IdnLanguage, Nameserver};
use coopreg_shared::zone::{render_zone, PreviousExport, ZoneConfig, ZoneDomain};

fn checkzone() -> Option<PathBuf> {
    let candidates = ["/usr/bin/named-checkzone", "/usr/sbin/named-checkzone"];
    let found = candidates
        .iter()
        .map(PathBuf::from)
        .find(|path| path.exists());
    if found.is_none() {
        eprintln!("NOTICE: named-checkzone not found ({candidates:?}); zone check skipped");
    }
    found
}

fn ns(host: &str, addresses: &[&str]) -> Nameserver {
    Nameserver {
        host: host.to_string(),
        addresses: addresses.iter().map(|a| a.to_string()).collect(),
    }
}

fn idn(unicode_label: &str, language: IdnLanguage) -> DomainName {
    let unicode = format!("{unicode_label}.coop");
    let ascii = idna::domain_to_ascii(&unicode).expect("test label is valid IDNA");
    assert!(ascii.starts_with("xn--"), "{ascii}");
    DomainName {
        ascii,
        unicode,
        language: Some(language),
    }
}

fn ascii(label: &str) -> DomainName {
    let name = format!("{label}.coop");
    DomainName {
        ascii: name.clone(),
        unicode: name,
        language: None,
    }
}

/// About fifty domains: ASCII and IDN names, in-domain glue over IPv4 and IPv6, out-of-domain
/// and sibling name servers, a few held names; plus `nic.coop`, home of the apex servers.
fn fixture() -> Vec<ZoneDomain> {
    let mut domains = vec![ZoneDomain {
        ds: Vec::new(),
        name: ascii("nic"),
        nameservers: ["a", "b", "c", "d"]
            .iter()
            .enumerate()
            .map(|(i, letter)| {
                ns(
                    &format!("{letter}.nic.coop"),
                    &[
                        &format!("192.0.2.{}", i + 1),
                        &format!("2001:db8:53::{}", i + 1),
                    ],
                )
            })
            .collect(),
        published: true,
    }];
    for i in 0..40 {
        let name = ascii(&format!("coop-{i:02}"));
        let own = |host: &str| format!("{host}.{}", name.ascii);
        let nameservers = match i % 5 {
            0 => vec![
                ns(&own("ns1"), &[&format!("198.51.100.{i}")]),
                ns(
                    &own("ns2"),
                    &[&format!("2001:db8:{i:x}::2"), &format!("203.0.113.{i}")],
                ),
            ],
            1 => vec![ns("ns1.example.net", &[]), ns("ns2.example.org", &[])],
            2 => vec![
                ns(&own("dns"), &[&format!("2001:db8:{i:x}::53")]),
                ns("ns.example.net", &[]),
            ],
            // Sibling: the servers of coop-00, glued there.
            3 => vec![ns("ns1.coop-00.coop", &[]), ns("ns2.coop-00.coop", &[])],
            _ => vec![
                ns(&name.ascii, &[&format!("192.0.2.{}", 100 + i)]),
                ns("ns.example.net", &[]),
            ],
        };
        domains.push(ZoneDomain {
            name,
            nameservers,
            // Every fifth is signed: one SHA-256 and one SHA-384 DS record.
            ds: if i % 5 == 0 {
                vec![
                    coopreg_shared::dns::parse_ds(&format!("{i} 13 2 {}", "a1".repeat(32)))
                        .unwrap(),
                    coopreg_shared::dns::parse_ds(&format!("{i} 8 4 {}", "b2".repeat(48))).unwrap(),
                ]
            } else {
                Vec::new()
            },
            // Every seventh is on hold: absent from the zone.
            published: i % 7 != 6,
        });
    }
    let idns = [
        ("müller", IdnLanguage::German),
        ("straße-coop", IdnLanguage::German),
        ("café", IdnLanguage::French),
        ("coopérative", IdnLanguage::French),
        ("año", IdnLanguage::Spanish),
        ("città", IdnLanguage::Italian),
        ("ação", IdnLanguage::Portuguese),
        ("кооператив", IdnLanguage::Cyrillic),
        ("пример", IdnLanguage::Cyrillic),
    ];
    for (index, (label, language)) in idns.into_iter().enumerate() {
        let name = idn(label, language);
        let glue_host = format!("ns1.{}", name.ascii);
        domains.push(ZoneDomain {
            ds: Vec::new(),
            nameservers: vec![
                ns(
                    &glue_host,
                    &[&format!("192.0.2.{}", 200 + index), "2001:db8:ff::1"],
                ),
                ns("ns.example.net", &[]),
            ],
            name,
            published: index != 3,
        });
    }
    domains.sort_by(|a, b| a.name.ascii.cmp(&b.name.ascii));
    domains
}

fn run_checkzone(binary: &Path, text: &str, file_name: &str) -> (bool, String) {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(file_name);
    std::fs::write(&path, text).expect("write the zone file");
    let output = Command::new(binary)
        .args(["-i", "local", "-k", "fail", "-n", "fail", "coop"])
        .arg(&path)
        .output()
        .expect("run named-checkzone");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), printed)
}

#[test]
fn named_checkzone_accepts_the_zone_without_any_diagnostic() {
    let domains = fixture();
    assert!(domains.len() >= 50, "{}", domains.len());
    let zone = render_zone(
        ZoneConfig::default(),
        &domains,
        &PreviousExport::default(),
        20261126,
    )
    .expect("the fixture is valid");
    let Some(binary) = checkzone() else {
        return;
    };
    let (success, printed) = run_checkzone(&binary, &zone.text, "coop.zone");
    assert!(success, "named-checkzone failed:\n{printed}\n{}", zone.text);
    assert_eq!(
        printed, "zone coop/IN: loaded serial 2026112600\nOK\n",
        "named-checkzone printed diagnostics for:\n{}",
        zone.text
    );
}

#[test]
fn named_checkzone_control_catches_missing_glue() {
    let Some(binary) = checkzone() else {
        return;
    };
    let header = ZoneConfig::default().header(1).expect("default config");
    let nic = "nic.coop.\t3600\tIN\tNS\ta.nic.coop.\na.nic.coop.\t3600\tIN\tA\t192.0.2.1\n";
    let broken = format!("{header}{nic}broken.coop.\t3600\tIN\tNS\tns1.broken.coop.\n");
    let (_, printed) = run_checkzone(&binary, &broken, "broken.zone");
    assert!(
        printed.contains("'ns1.broken.coop' has no REQUIRED GLUE"),
        "{printed}"
    );
}

#[test]
fn zone_content_matches_the_fixture() {
    let domains = fixture();
    let zone = render_zone(
        ZoneConfig::default(),
        &domains,
        &PreviousExport::default(),
        20261126,
    )
    .expect("the fixture is valid");
    let lines: Vec<&str> = zone.text.lines().collect();
    // Glue expected per host: the addresses given where the host lies inside its own,
    // published domain; nothing for any other host, whatever addresses came with it.
    let mut expected_glue: std::collections::BTreeMap<&str, usize> = Default::default();
    for domain in &domains {
        let owner = format!("{}.\t", domain.name.ascii);
        let delegated = lines
            .iter()
            .any(|line| line.starts_with(&owner) && line.contains("\tNS\t"));
        assert_eq!(delegated, domain.published, "{}", domain.name.ascii);
        for nameserver in &domain.nameservers {
            let inside = nameserver.host == domain.name.ascii
                || nameserver
                    .host
                    .ends_with(&format!(".{}", domain.name.ascii));
            let count = expected_glue.entry(nameserver.host.as_str()).or_default();
            if inside && domain.published {
                *count += nameserver.addresses.len();
            }
        }
    }
    assert!(expected_glue.values().filter(|n| **n == 0).count() > 3);
    assert!(expected_glue.values().filter(|n| **n > 0).count() > 10);
    for (host, expected) in &expected_glue {
        let glue_owner = format!("{host}.\t");
        let glue_lines = lines
            .iter()
            .filter(|line| {
                line.starts_with(&glue_owner)
                    && (line.contains("\tA\t") || line.contains("\tAAAA\t"))
            })
            .count();
        assert_eq!(glue_lines, *expected, "glue of {host}");
    }
    // Two exports of the same state are byte-identical.
    let again = render_zone(
        ZoneConfig::default(),
        &fixture(),
        &PreviousExport::default(),
        20261126,
    )
    .expect("the fixture is valid");
    assert_eq!(again.text, zone.text);
}
