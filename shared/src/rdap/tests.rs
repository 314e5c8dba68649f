//! The RDAP mapping: every member the response profile requires, the redactions, the
//! statuses per RFC 8056, IDN in the six languages, searches and garbage input.

use super::domain::statuses;
use super::*;
use crate::dns::DsRecord;
use crate::lifecycle::{
    Actor, AutoRenew, ClientStatus, ContactRecord, DomainRecord, DomainState, HoldReason,
    Verification,
};
use crate::model::{ContactInfo, Nameserver, DAY};
use crate::validate::validate_domain_name;
use proptest::prelude::*;
use serde_json::Value;

const NOW: i64 = 1_800_000_000;

fn service() -> Service {
    Service::new(
        "https://registry.example/rdap",
        NOW,
        "rdap-contact@registry.example",
    )
}

fn info(fax: bool) -> ContactInfo {
    ContactInfo {
        first_name: "Grace".into(),
        last_name: "Hopperton".into(),
        organization: Some("Rochdale Pioneers Co-operative".into()),
        street: vec!["31 Toad Lane".into(), "Unit 7".into()],
        city: "Rochdale".into(),
        state: Some("Lancashire".into()),
        postcode: "OL12 0NU".into(),
        country: "GB".into(),
        phone: "+44.1706123456".into(),
        fax: fax.then(|| "+44.1706999888".to_string()),
        email: "grace.hopperton@pioneers.example".into(),
    }
}

fn contact(handle: &str, fax: bool) -> ContactRecord {
    let mut record = ContactRecord::new(handle, "acme", info(fax), NOW - 40 * DAY);
    record.verification = Verification::Verified {
        at: NOW - 39 * DAY,
        by: Actor::Registrant,
    };
    record.updated = NOW - 10 * DAY;
    record
}

fn domain_record(unicode: &str, language: Option<&str>, state: DomainState) -> DomainRecord {
    let name = validate_domain_name(unicode, language).expect("a valid test name");
    let host = format!("ns1.{}", name.ascii);
    DomainRecord {
        name,
        reseller: "acme".into(),
        owner: "OWN-1".into(),
        admin: "ADM-1".into(),
        tech: "TEC-1".into(),
        billing: "BIL-1".into(),
        nameservers: vec![
            Nameserver {
                host,
                addresses: vec!["192.0.2.53".into(), "2001:db8::53".into()],
            },
            Nameserver {
                host: "ns.example.net".into(),
                addresses: vec![],
            },
        ],
        period: 1,
        created: NOW - 30 * DAY,
        updated: NOW - 2 * DAY,
        expires: NOW + 335 * DAY,
        state,
        client_statuses: Default::default(),
        server_statuses: Default::default(),
        transfer_lock: false,
        auth_code: crate::lifecycle::AuthCode::new("secret-auth-code"),
        roid: "D0123456789ABCDEF0123-COOP".into(),
        ds_records: vec![],
        add_grace_until: None,
        auto_renew: None,
        approval: None,
        certification: None,
        revision: 3,
    }
}

fn contacts() -> Vec<ContactRecord> {
    vec![
        contact("OWN-1", true),
        contact("ADM-1", false),
        contact("TEC-1", false),
        contact("BIL-1", false),
    ]
}

fn registrar() -> Registrar {
    Registrar::new("acme", Some("Acme Domains"))
}

fn answer(record: &DomainRecord, ds: &[DsRecord]) -> Value {
    let record = &DomainRecord {
        ds_records: ds.to_vec(),
        ..record.clone()
    };
    let contacts = contacts();
    let registrar = registrar();
    domain(
        &DomainView {
            record,
            contacts: &contacts,
            registrar: &registrar,
        },
        &service(),
    )
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn entity_with_role<'a>(answer: &'a Value, role: &str) -> &'a Value {
    answer["entities"]
        .as_array()
        .and_then(|entities| {
            entities
                .iter()
                .find(|entity| strings(&entity["roles"]).contains(&role.to_string()))
        })
        .unwrap_or_else(|| panic!("no entity with role {role} in {answer}"))
}

fn vcard_property<'a>(entity: &'a Value, name: &str) -> Option<&'a Value> {
    entity["vcardArray"][1]
        .as_array()?
        .iter()
        .find(|property| property[0] == name)
}

fn active() -> DomainRecord {
    domain_record("pioneers.coop", None, DomainState::Active)
}

#[test]
fn domain_has_every_member_the_profile_requires() {
    let answer = answer(&active(), &[]);
    assert_eq!(answer["objectClassName"], "domain");
    assert_eq!(answer["handle"], "D0123456789ABCDEF0123-COOP");
    assert_eq!(answer["ldhName"], "pioneers.coop");
    assert!(
        answer.get("unicodeName").is_none(),
        "an LDH name has no unicodeName"
    );
    assert_eq!(strings(&answer["status"]), vec!["active"]);
    let conformance = strings(&answer["rdapConformance"]);
    for id in CONFORMANCE {
        assert!(conformance.contains(&id.to_string()), "{id} missing");
    }
    let events: Vec<(String, String)> = answer["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            (
                e["eventAction"].as_str().unwrap_or_default().to_string(),
                e["eventDate"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let date = |at: i64| crate::lifecycle::time::format_time(at);
    assert_eq!(
        events,
        vec![
            ("registration".to_string(), date(NOW - 30 * DAY)),
            ("expiration".to_string(), date(NOW + 335 * DAY)),
            ("last changed".to_string(), date(NOW - 2 * DAY)),
            ("last update of RDAP database".to_string(), date(NOW)),
        ]
    );
    let notices: Vec<String> = answer["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .map(|n| n["title"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        notices,
        vec![
            "Terms of Use",
            "Status Codes",
            "RDDS Inaccuracy Complaint Form"
        ]
    );
    assert_eq!(
        answer["notices"][1]["links"][0]["href"],
        "https://icann.org/epp"
    );
    assert_eq!(
        answer["notices"][2]["links"][0]["href"],
        "https://icann.org/wicf"
    );
    assert_eq!(
        answer["notices"][0]["links"][0]["href"],
        "https://registry.example/rdap/help"
    );
    let link = &answer["links"][0];
    assert_eq!(link["rel"], "self");
    assert_eq!(
        link["href"],
        "https://registry.example/rdap/domain/pioneers.coop"
    );
    assert_eq!(link["value"], link["href"]);
    assert_eq!(link["type"], "application/rdap+json");

    // Name servers, with glue only for the in-domain host.
    let nameservers = answer["nameservers"].as_array().expect("nameservers");
    assert_eq!(nameservers.len(), 2);
    assert_eq!(nameservers[0]["objectClassName"], "nameserver");
    assert_eq!(nameservers[0]["ldhName"], "ns1.pioneers.coop");
    assert_eq!(nameservers[0]["ipAddresses"]["v4"][0], "192.0.2.53");
    assert_eq!(nameservers[0]["ipAddresses"]["v6"][0], "2001:db8::53");
    assert_eq!(nameservers[1]["ldhName"], "ns.example.net");
    assert!(nameservers[1].get("ipAddresses").is_none());

    // Unsigned without DS records.
    assert_eq!(answer["secureDNS"]["delegationSigned"], false);
    assert!(answer["secureDNS"].get("dsData").is_none());

    // The four contacts and the registrar, with its abuse contact.
    for role in ["registrant", "administrative", "technical", "billing"] {
        let entity = entity_with_role(&answer, role);
        assert_eq!(entity["objectClassName"], "entity");
        assert!(
            entity.get("handle").is_none(),
            "{role}'s handle is redacted"
        );
    }
    let registrar = entity_with_role(&answer, "registrar");
    assert_eq!(registrar["handle"], "acme");
    assert_eq!(
        vcard_property(registrar, "fn").expect("fn")[3],
        "Acme Domains"
    );
    let abuse = &registrar["entities"][0];
    assert_eq!(strings(&abuse["roles"]), vec!["abuse"]);
    assert_eq!(
        vcard_property(abuse, "email").expect("abuse e-mail")[3],
        "rdap-contact@registry.example"
    );
    assert_eq!(
        registrar["links"][0]["href"],
        "https://registry.example/rdap/entity/acme"
    );
    // The auth code never shows.
    assert!(!answer.to_string().contains("secret-auth-code"));
}

#[test]
fn ds_records_make_the_delegation_signed() {
    let ds = [
        DsRecord {
            key_tag: 12345,
            algorithm: 13,
            digest_type: 2,
            digest: "49fd46e6c4b45c55d4ac49fd46e6c4b45c55d4ac49fd46e6c4b45c55d4ac1234".into(),
        },
        DsRecord {
            key_tag: 54321,
            algorithm: 8,
            digest_type: 2,
            digest: "AB".repeat(32),
        },
    ];
    let answer = answer(&active(), &ds);
    let secure = &answer["secureDNS"];
    assert_eq!(secure["delegationSigned"], true);
    let data = secure["dsData"].as_array().expect("dsData");
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["keyTag"], 12345);
    assert_eq!(data[0]["algorithm"], 13);
    assert_eq!(data[0]["digestType"], 2);
    assert_eq!(
        data[0]["digest"],
        "49FD46E6C4B45C55D4AC49FD46E6C4B45C55D4AC49FD46E6C4B45C55D4AC1234"
    );
    assert_eq!(data[1]["keyTag"], 54321);
}

#[test]
fn personal_data_is_redacted_and_listed() {
    let answer = answer(&active(), &[]);
    let text = answer.to_string();
    for personal in [
        "Grace",
        "Hopperton",
        "Toad Lane",
        "Unit 7",
        "Rochdale\"",
        "OL12",
        "1706123456",
        "1706999888",
        "grace.hopperton",
    ] {
        assert!(!text.contains(personal), "{personal} shows in {text}");
    }
    let registrant = entity_with_role(&answer, "registrant");
    assert_eq!(
        vcard_property(registrant, "org").expect("org")[3],
        "Rochdale Pioneers Co-operative"
    );
    let adr = vcard_property(registrant, "adr").expect("adr");
    assert_eq!(adr[1]["cc"], "GB");
    assert_eq!(adr[3][4], "Lancashire");
    for (index, what) in [(2, "street"), (3, "city"), (5, "postal code")] {
        assert_eq!(adr[3][index], "", "{what} is emptied");
    }
    assert_eq!(vcard_property(registrant, "fn").expect("fn")[3], "");
    assert!(vcard_property(registrant, "tel").is_none());
    assert!(vcard_property(registrant, "email").is_none());
    assert_eq!(
        vcard_property(registrant, "contact-uri").expect("contact-uri")[3],
        "mailto:rdap-contact@registry.example"
    );

    let redacted = answer["redacted"].as_array().expect("redacted");
    let names: Vec<String> = redacted
        .iter()
        .map(|r| r["name"]["type"].as_str().unwrap_or_default().to_string())
        .collect();
    for expected in [
        "Registry Registrant ID",
        "Registrant Name",
        "Registrant Street",
        "Registrant City",
        "Registrant Postal Code",
        "Registrant Phone",
        "Registrant Fax",
        "Registrant Email",
        "Registry Tech ID",
        "Tech Name",
        "Tech Phone",
        "Tech Email",
        "Admin Name",
        "Billing Email",
    ] {
        assert!(
            names.contains(&expected.to_string()),
            "{expected} not in {names:?}"
        );
    }
    // Only the registrant has a fax: nobody else's is listed.
    assert!(!names.contains(&"Tech Fax".to_string()));
    for redaction in redacted {
        assert_eq!(redaction["pathLang"], "jsonpath");
        let method = redaction["method"].as_str().unwrap_or_default();
        match method {
            "emptyValue" => assert!(redaction["postPath"].is_string()),
            "removal" => assert!(redaction["prePath"].is_string()),
            "replacementValue" => {
                assert!(redaction["prePath"].is_string());
                assert!(redaction["replacementPath"].is_string());
            }
            other => panic!("unexpected method {other}"),
        }
        let path = redaction["postPath"]
            .as_str()
            .or(redaction["prePath"].as_str())
            .unwrap_or_default();
        assert!(path.starts_with("$.entities[?(@.roles[0]=='"), "{path}");
    }
}

#[test]
fn statuses_follow_rfc_8056() {
    let with = |state: DomainState| statuses(&domain_record("pioneers.coop", None, state));
    assert_eq!(with(DomainState::Active), vec!["active"]);
    assert_eq!(with(DomainState::Processing), vec!["pending create"]);
    assert_eq!(
        with(DomainState::Held {
            reason: HoldReason::Timeout,
            since: NOW - DAY,
            delete_at: None,
            previous: Box::new(DomainState::Active),
        }),
        vec!["server hold"]
    );
    assert_eq!(
        with(DomainState::Redemption {
            since: NOW - DAY,
            until: NOW + 29 * DAY,
            previous: Box::new(DomainState::Active),
        }),
        vec!["pending delete", "redemption period"]
    );
    assert_eq!(
        with(DomainState::PendingDelete { until: NOW + DAY }),
        vec!["pending delete"]
    );

    let mut record = active();
    record.nameservers.clear();
    record
        .client_statuses
        .insert(ClientStatus::ClientTransferProhibited);
    record.client_statuses.insert(ClientStatus::ClientHold);
    record.add_grace_until = Some(NOW + DAY);
    record.auto_renew = Some(AutoRenew {
        grace_until: NOW + DAY,
        previous_expiry: NOW - DAY,
    });
    assert_eq!(
        statuses(&record),
        vec![
            "inactive",
            "client hold",
            "client transfer prohibited",
            "add period",
            "auto renew period"
        ]
    );
    for epp in ClientStatus::ALL {
        assert!(rdap_status(epp.as_str()).is_some(), "{epp:?} unmapped");
    }
    assert_eq!(rdap_status("noSuchStatus"), None);

    let processing = answer(
        &domain_record("pioneers.coop", None, DomainState::Processing),
        &[],
    );
    assert_eq!(strings(&processing["status"]), vec!["pending create"]);
    assert_eq!(processing["remarks"][0]["title"], "Registration pending");
    let redemption = answer(
        &domain_record(
            "pioneers.coop",
            None,
            DomainState::Redemption {
                since: NOW - DAY,
                until: NOW + 29 * DAY,
                previous: Box::new(DomainState::Active),
            },
        ),
        &[],
    );
    assert!(redemption["remarks"][0]["description"][0]
        .as_str()
        .unwrap_or_default()
        .contains(&crate::lifecycle::time::format_time(NOW + 29 * DAY)));
    assert!(answer(&active(), &[]).get("remarks").is_none());
}

/// One name per .coop IDN table, by its U-label.
const IDN_NAMES: [(&str, &str); 6] = [
    ("CYRL", "кооператив.coop"),
    ("FR", "coopérative.coop"),
    ("DE", "genossenschaft-müller.coop"),
    ("IT", "caffè.coop"),
    ("PT", "cooperação.coop"),
    ("ES", "españa.coop"),
];

#[test]
fn idn_names_in_six_languages_by_u_label_and_a_label() {
    for (language, unicode) in IDN_NAMES {
        let record = domain_record(unicode, Some(language), DomainState::Active);
        let ascii = record.name.ascii.clone();
        assert!(ascii.starts_with("xn--"), "{unicode} → {ascii}");
        for query in [
            unicode.to_string(),
            unicode.to_uppercase(),
            ascii.clone(),
            ascii.to_uppercase(),
            format!("{unicode}."),
            percent_encoding::utf8_percent_encode(unicode, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
        ] {
            let parsed = parse_domain_name(&query).unwrap_or_else(|e| panic!("{query}: {e:?}"));
            assert_eq!(parsed.ascii, ascii, "{query}");
            assert_eq!(parsed.unicode, unicode, "{query}");
        }
        let answer = answer(&record, &[]);
        assert_eq!(answer["ldhName"], ascii.as_str());
        assert_eq!(answer["unicodeName"], unicode);
        assert_eq!(
            answer["links"][0]["href"],
            format!("https://registry.example/rdap/domain/{ascii}")
        );

        // A search by a U-label prefix compares U-labels; by an ASCII prefix, A-labels.
        let prefix: String = unicode.chars().take(4).collect();
        let search = parse_search(&format!(
            "name={}*",
            percent_encoding::utf8_percent_encode(
                &prefix.to_uppercase(),
                percent_encoding::NON_ALPHANUMERIC
            )
        ))
        .expect("prefix search");
        let column = if prefix.is_ascii() {
            Column::Both
        } else {
            Column::Unicode
        };
        assert_eq!(search.column, column, "{prefix}");
        // Both compare the U-label too: the name is in the range.
        assert!(
            search.from.as_str() <= unicode && unicode < search.to.as_str(),
            "{prefix}"
        );
    }
}

#[test]
fn domain_queries_are_normalised_or_refused() {
    let ok = |q: &str| parse_domain_name(q).map(|d| d.ascii);
    assert_eq!(ok("Pioneers.COOP"), Ok("pioneers.coop".into()));
    assert_eq!(ok("pioneers.coop."), Ok("pioneers.coop".into()));
    assert_eq!(ok("m%C3%BCller.coop"), Ok("xn--mller-kva.coop".into()));
    let status = |q: &str| parse_domain_name(q).map_err(|e| e.status).err();
    // Well-formed but not ours: 404.
    assert_eq!(status("example.com"), Some(404));
    assert_eq!(status("a.b.coop"), Some(404));
    assert_eq!(status("coop.coop.example"), Some(404));
    // Malformed: 400.
    for garbage in [
        "",
        "coop",
        ".coop",
        "a..coop",
        "exa mple.coop",
        "exa%00mple.coop",
        "exa%0Ample.coop",
        "%FF%FE.coop",
        "under_score.coop",
        "<script>.coop",
        "xn--zz.coop",
        "%",
        "ex*ample.coop",
    ] {
        assert_eq!(status(garbage), Some(400), "{garbage:?}");
    }
    // Over-long: a 64-octet label, a 254-octet name, a huge segment.
    assert_eq!(status(&format!("{}.coop", "a".repeat(64))), Some(400));
    assert_eq!(
        ok(&format!("{}.coop", "a".repeat(63))).map(|s| s.len()),
        Ok(68)
    );
    let long = format!("{}.coop", vec!["a".repeat(60); 5].join("."));
    assert_eq!(status(&long), Some(400));
    assert_eq!(status(&"a".repeat(100_000)), Some(400));
    // An IDN whose A-label is over 63 octets.
    assert_eq!(status(&format!("{}.coop", "aäbücö".repeat(10))), Some(400));
    let error = parse_domain_name("exa mple.coop").unwrap_err();
    let body = error.body();
    assert_eq!(body["errorCode"], 400);
    assert_eq!(body["title"], "Bad request");
    assert!(body["description"][0]
        .as_str()
        .unwrap_or_default()
        .contains("spaces"));
    assert!(strings(&body["rdapConformance"]).contains(&"rdap_level_0".to_string()));
}

#[test]
fn host_names_and_handles() {
    assert_eq!(
        parse_host_name("NS1.Example.NET.").map(|h| h.ascii),
        Ok("ns1.example.net".into())
    );
    assert_eq!(
        parse_host_name("ns.müller.coop").map(|h| h.ascii),
        Ok("ns.xn--mller-kva.coop".into())
    );
    assert_eq!(parse_host_name("localhost").map_err(|e| e.status), Err(400));
    assert_eq!(parse_entity_handle("W-0123ABCD"), Ok("W-0123ABCD".into()));
    assert_eq!(parse_entity_handle("acme"), Ok("acme".into()));
    for garbage in ["", "a b", "a/b", "%00", "ü", &"x".repeat(256)] {
        assert_eq!(
            parse_entity_handle(garbage).map_err(|e| e.status),
            Err(400),
            "{garbage:?}"
        );
    }
}

#[test]
fn contact_entity_redacts_but_keeps_its_handle() {
    let contact = contact("OWN-1", true);
    let answer = contact_entity(&contact, &service());
    assert_eq!(answer["objectClassName"], "entity");
    assert_eq!(answer["handle"], "OWN-1");
    assert_eq!(strings(&answer["status"]), vec!["active", "validated"]);
    let text = answer.to_string();
    for personal in [
        "Grace",
        "Hopperton",
        "Toad Lane",
        "1706123456",
        "grace.hopperton",
    ] {
        assert!(!text.contains(personal), "{personal}");
    }
    let redacted = answer["redacted"].as_array().expect("redacted");
    assert!(redacted.iter().all(|r| r["postPath"]
        .as_str()
        .or(r["prePath"].as_str())
        .unwrap_or_default()
        .starts_with("$.vcardArray")));
    assert!(redacted
        .iter()
        .any(|r| r["name"]["type"] == "Registrant Fax"));
    assert_eq!(
        answer["links"][0]["href"],
        "https://registry.example/rdap/entity/OWN-1"
    );
    assert!(strings(&answer["rdapConformance"]).contains(&"redacted".to_string()));
    let mut unverified = contact.clone();
    unverified.verification = Verification::Unverified;
    assert_eq!(
        strings(&contact_entity(&unverified, &service())["status"]),
        vec!["active"]
    );
}

#[test]
fn registrar_entity_and_the_web_registrar() {
    let answer = registrar_entity(&registrar(), &service());
    assert_eq!(answer["handle"], "acme");
    assert_eq!(strings(&answer["roles"]), vec!["registrar"]);
    assert_eq!(answer["entities"][0]["roles"][0], "abuse");
    let web = Registrar::new(crate::lifecycle::WEB_RESELLER, None);
    assert!(web.name.contains("registry"));
    assert_eq!(Registrar::new("zeta", None).name, "zeta");
}

#[test]
fn nameserver_from_the_domains_that_list_it() {
    let record = active();
    let other = domain_record("other.coop", None, DomainState::Active);
    let answer = nameserver(
        "ns1.pioneers.coop",
        &[record.clone(), other.clone()],
        &service(),
    )
    .expect("listed");
    assert_eq!(answer["objectClassName"], "nameserver");
    assert_eq!(answer["ldhName"], "ns1.pioneers.coop");
    assert_eq!(answer["ipAddresses"]["v4"][0], "192.0.2.53");
    assert_eq!(
        answer["links"][0]["href"],
        "https://registry.example/rdap/nameserver/ns1.pioneers.coop"
    );
    let shared =
        nameserver("ns.example.net", &[record.clone(), other], &service()).expect("listed");
    assert!(shared.get("ipAddresses").is_none());
    assert!(nameserver("ns9.example.net", &[record], &service()).is_none());
    let idn = domain_record("müller.coop", Some("DE"), DomainState::Active);
    let answer = nameserver("ns1.xn--mller-kva.coop", &[idn], &service()).expect("listed");
    assert_eq!(answer["unicodeName"], "ns1.müller.coop");
}

#[test]
fn search_patterns() {
    let parsed = parse_search("name=Pio*").expect("prefix");
    assert_eq!(parsed.column, Column::Both);
    assert_eq!(parsed.from, "pio");
    assert!("pioneers.coop" > parsed.from.as_str() && "pioneers.coop" < parsed.to.as_str());
    assert!("pip.coop" > parsed.to.as_str());
    assert_eq!(parse_search("name=pio*.coop").expect("prefix").from, "pio");
    let exact = parse_search("name=pioneers.coop").expect("exact");
    assert_eq!(exact.from, "pioneers.coop");
    assert!("pioneers.coop" < exact.to.as_str() && "pioneers.coopx" > exact.to.as_str());
    let unicode = parse_search("name=M%C3%BCl*").expect("unicode");
    assert_eq!(unicode.column, Column::Unicode);
    assert_eq!(unicode.from, "mül");
    assert_eq!(
        parse_search("name=xn--mll*")
            .expect("a-label prefix")
            .column,
        Column::Both
    );
    for garbage in [
        "",
        "name=",
        "name=*",
        "name=p*",
        "name=*pio",
        "name=p*o*",
        "name=pio*.com",
        "name=pio*.a.coop",
        "name=pi%20o*",
        "name=pi_o*",
        "name=%FF*",
        "name=pio*&cursor=garbage!",
        "cursor=MjpwaW8uY29vcA",
    ] {
        assert_eq!(
            parse_search(garbage).map_err(|e| e.status),
            Err(400),
            "{garbage:?}"
        );
    }
    let long = format!("name={}*", "a".repeat(64));
    assert_eq!(parse_search(&long).map_err(|e| e.status), Err(400));
    assert_eq!(
        parse_search("name=pioneers.com").map_err(|e| e.status),
        Err(404)
    );
}

#[test]
fn search_pages_with_a_cursor() {
    let records: Vec<DomainRecord> = ["pioa.coop", "piob.coop", "pioc.coop"]
        .into_iter()
        .map(|name| domain_record(name, None, DomainState::Active))
        .collect();
    let contacts = contacts();
    let registrar = registrar();
    let views: Vec<DomainView> = records
        .iter()
        .map(|record| DomainView {
            record,
            contacts: &contacts,
            registrar: &registrar,
        })
        .collect();
    let query = parse_search("name=pio*&count=true").expect("query");
    let answer = domain_search(&query, &views[..2], true, Some(3), &service());
    assert!(strings(&answer["rdapConformance"]).contains(&"paging".to_string()));
    let results = answer["domainSearchResults"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ldhName"], "pioa.coop");
    // Contacts are left out of search results (no personal data to redact), the registrar stays.
    assert_eq!(results[0]["entities"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        results[0]["remarks"][0]["type"],
        "object truncated due to server policy"
    );
    assert!(answer.get("redacted").is_none());
    let paging = &answer["paging_metadata"];
    assert_eq!(paging["totalCount"], 3);
    assert_eq!(paging["pageSize"], 2);
    assert_eq!(paging["pageNumber"], 1);
    let next = paging["links"][0]["href"].as_str().expect("next link");
    assert_eq!(paging["links"][0]["rel"], "next");
    let query_string = next.split_once('?').map(|(_, q)| q).expect("query");
    let second = parse_search(query_string).expect("next page parses");
    assert_eq!(second.page(), 2);
    assert_eq!(second.after(), "piob.coop");
    assert!(second.count);
    let last = domain_search(&second, &views[2..], false, Some(3), &service());
    assert_eq!(last["paging_metadata"]["pageNumber"], 2);
    assert!(last["paging_metadata"].get("links").is_none());
    assert_eq!(
        Cursor::decode(
            &Cursor {
                page: 7,
                after: "x.coop".into()
            }
            .encode()
        )
        .map(|c| c.page),
        Ok(7)
    );
}

#[test]
fn help_and_errors() {
    let answer = help(&service());
    assert!(
        strings(&answer["rdapConformance"]).contains(&"icann_rdap_response_profile_1".to_string())
    );
    assert!(answer["notices"][0]["description"][1]
        .as_str()
        .unwrap_or_default()
        .contains("https://registry.example/rdap/"));
    for error in [
        RdapError::not_found("x"),
        RdapError::method_not_allowed(),
        RdapError::rate_limited(60),
        RdapError::internal(),
    ] {
        let body = error.body();
        assert_eq!(body["errorCode"], error.status);
        assert!(body["description"][0].is_string());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// No input panics; every refusal is a 400 or 404 with a description.
    #[test]
    fn garbage_never_panics(input in ".{0,300}", bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
        let encoded: String = bytes.iter().map(|b| format!("%{b:02X}")).collect();
        for candidate in [input.clone(), encoded.clone(), format!("{input}.coop"), format!("{encoded}*")] {
            for result in [
                parse_domain_name(&candidate).map(|_| ()),
                parse_host_name(&candidate).map(|_| ()),
                parse_entity_handle(&candidate).map(|_| ()),
                parse_search(&format!("name={candidate}")).map(|_| ()),
                parse_search(&candidate).map(|_| ()),
                Cursor::decode(&candidate).map(|_| ()),
            ] {
                if let Err(error) = result {
                    prop_assert!(error.status == 400 || error.status == 404);
                    prop_assert!(!error.description.is_empty());
                }
            }
        }
    }
}
