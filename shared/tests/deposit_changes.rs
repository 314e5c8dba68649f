//! Change detection between two deposits: each case makes one kind of change to the fixture
//! registry, writes both deposits, and expects exactly that change in the report, both from
//! the parsed deposits ([`diff_deposits`]) and from the texts streamed line by line
//! ([`diff_deposit_lines`], as the daily job does).

mod common;

use common::*;
use coopreg_shared::changes::{
    diff_deposit_lines, diff_deposits, ChangeReport, MaterialChange, NewRegistrant, OwnerChange,
};
use coopreg_shared::escrow::{parse_deposit, write_deposit, Deposit, EscrowContact, EscrowDomain};
use coopreg_shared::model::MaterialField;

struct Registry {
    contacts: Vec<EscrowContact>,
    domains: Vec<EscrowDomain>,
}

fn fixture() -> Registry {
    Registry {
        contacts: contacts(),
        domains: domains(),
    }
}

fn deposit(registry: &Registry, id: &str) -> Deposit {
    parse_deposit(&deposit_text(registry, id)).expect("own output parses")
}

fn deposit_text(registry: &Registry, id: &str) -> String {
    let mut contacts = registry.contacts.clone();
    contacts.sort_by(|a, b| a.handle.cmp(&b.handle));
    let mut domains = registry.domains.clone();
    domains.sort_by(|a, b| a.name.ascii.cmp(&b.name.ascii));
    write_deposit(&header(id), &resellers(), &contacts, &domains).expect("valid")
}

fn contact_mut<'a>(registry: &'a mut Registry, handle: &str) -> &'a mut EscrowContact {
    registry
        .contacts
        .iter_mut()
        .find(|c| c.handle == handle)
        .expect("fixture contact")
}

fn domain_mut<'a>(registry: &'a mut Registry, name: &str) -> &'a mut EscrowDomain {
    registry
        .domains
        .iter_mut()
        .find(|d| d.name.ascii == name)
        .expect("fixture domain")
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

fn new_registrant(handle: &str, domains: &[&str]) -> NewRegistrant {
    NewRegistrant {
        handle: handle.to_string(),
        domains: strings(domains),
    }
}

fn material(handle: &str, fields: &[MaterialField], domains: &[&str]) -> MaterialChange {
    MaterialChange {
        handle: handle.to_string(),
        fields: fields.to_vec(),
        domains: strings(domains),
    }
}

const OWNER_DOMAINS: [&str; 3] = ["glued.coop", "owner-two.coop", "xn--caf-dma.coop"];

type Change = fn(&mut Registry);

#[test]
fn the_report_lists_exactly_the_changes_made() {
    let cases: Vec<(&str, Change, ChangeReport)> = vec![
        ("nothing changed", |_| {}, ChangeReport::default()),
        (
            "a non-material change (phone, street, city)",
            |r| {
                let owner = contact_mut(r, "C-OWNER");
                owner.info.phone = "+49.301234567".into();
                owner.info.street = vec!["Neue Straße 5".into()];
                owner.info.city = "Berlin".into();
            },
            ChangeReport::default(),
        ),
        (
            "e-mail changed in case only is not material",
            |r| contact_mut(r, "C-OWNER").info.email = "Olga@Example.DE".into(),
            ChangeReport::default(),
        ),
        (
            "organisation changed",
            |r| contact_mut(r, "C-OWNER").info.organization = Some("Owner Co-op eG".into()),
            ChangeReport {
                material_changes: vec![material(
                    "C-OWNER",
                    &[MaterialField::Organization],
                    &OWNER_DOMAINS,
                )],
                ..ChangeReport::default()
            },
        ),
        (
            "country and e-mail changed",
            |r| {
                let owner = contact_mut(r, "C-OWNER");
                owner.info.country = "AT".into();
                owner.info.email = "olga@example.at".into();
            },
            ChangeReport {
                material_changes: vec![material(
                    "C-OWNER",
                    &[MaterialField::Country, MaterialField::Email],
                    &OWNER_DOMAINS,
                )],
                ..ChangeReport::default()
            },
        ),
        (
            "names changed, in Cyrillic",
            |r| {
                let owner = contact_mut(r, "C-CYRL");
                owner.info.first_name = "Пётр".into();
                owner.info.last_name = "Иванов".into();
            },
            ChangeReport {
                material_changes: vec![material(
                    "C-CYRL",
                    &[MaterialField::FirstName, MaterialField::LastName],
                    &["xn--80aehnhyaikv.coop"],
                )],
                ..ChangeReport::default()
            },
        ),
        (
            "a material change of a contact that owns nothing is not reported",
            |r| contact_mut(r, "C-TECH").info.organization = Some("Tech Ltd".into()),
            ChangeReport::default(),
        ),
        (
            "a new registrant with a new domain",
            |r| {
                r.contacts.push(contact(
                    "C-NEW",
                    info("Nia", "New", Some("New Co-op"), "KE", "nia@example.ke"),
                    "R-2",
                    "unverified",
                ));
                r.domains
                    .push(domain("new-coop.coop", "new-coop.coop", None, "C-NEW"));
            },
            ChangeReport {
                new_registrants: vec![new_registrant("C-NEW", &["new-coop.coop"])],
                new_domains: strings(&["new-coop.coop"]),
                ..ChangeReport::default()
            },
        ),
        (
            "a new domain of an existing registrant is not a new registrant",
            |r| {
                r.domains
                    .push(domain("more.coop", "more.coop", None, "C-OWNER"))
            },
            ChangeReport {
                new_domains: strings(&["more.coop"]),
                ..ChangeReport::default()
            },
        ),
        (
            "a contact that was only admin becomes an owner",
            |r| {
                r.domains
                    .push(domain("admins.coop", "admins.coop", None, "C-ADMIN"))
            },
            ChangeReport {
                new_registrants: vec![new_registrant("C-ADMIN", &["admins.coop"])],
                new_domains: strings(&["admins.coop"]),
                ..ChangeReport::default()
            },
        ),
        (
            "owner switch to a contact that owned nothing",
            |r| domain_mut(r, "owner-two.coop").registrant = "C-TECH".into(),
            ChangeReport {
                new_registrants: vec![new_registrant("C-TECH", &["owner-two.coop"])],
                owner_changes: vec![OwnerChange {
                    domain: "owner-two.coop".into(),
                    previous_owner: "C-OWNER".into(),
                    current_owner: "C-TECH".into(),
                }],
                ..ChangeReport::default()
            },
        ),
        (
            "owner switch to an existing registrant is reviewed too; its other changes fold in",
            |r| {
                domain_mut(r, "awkward.coop").registrant = "C-OWNER".into();
                contact_mut(r, "C-OWNER").info.country = "AT".into();
            },
            ChangeReport {
                new_registrants: vec![new_registrant("C-OWNER", &["awkward.coop"])],
                owner_changes: vec![OwnerChange {
                    domain: "awkward.coop".into(),
                    previous_owner: "C-AWKWARD".into(),
                    current_owner: "C-OWNER".into(),
                }],
                ..ChangeReport::default()
            },
        ),
        (
            "a deleted domain",
            |r| r.domains.retain(|d| d.name.ascii != "no-ns.coop"),
            ChangeReport {
                deleted_domains: strings(&["no-ns.coop"]),
                ..ChangeReport::default()
            },
        ),
        (
            "other domain changes (status, nameservers, expiry) are not reported",
            |r| {
                let domain = domain_mut(r, "glued.coop");
                domain.statuses = vec!["ok".into()];
                domain.nameservers.pop();
                domain.expires += 365 * 86_400;
            },
            ChangeReport::default(),
        ),
        (
            "several changes at once, each listed in order",
            |r| {
                r.domains
                    .retain(|d| d.name.ascii != "awkward.coop" && d.name.ascii != "no-ns.coop");
                contact_mut(r, "C-OWNER").info.last_name = "Owner-Neu".into();
                contact_mut(r, "C-CYRL").info.email = "new@example.ru".into();
                r.contacts.push(contact(
                    "C-BETA",
                    info("Bo", "Beta", Some("Beta Co-op"), "SE", "bo@example.se"),
                    "R-1",
                    "unverified",
                ));
                r.domains
                    .push(domain("beta.coop", "beta.coop", None, "C-BETA"));
                r.domains
                    .push(domain("zeta.coop", "zeta.coop", None, "C-BETA"));
                r.domains
                    .push(domain("alpha.coop", "alpha.coop", None, "C-TECH"));
            },
            ChangeReport {
                new_registrants: vec![
                    new_registrant("C-BETA", &["beta.coop", "zeta.coop"]),
                    new_registrant("C-TECH", &["alpha.coop"]),
                ],
                material_changes: vec![
                    material(
                        "C-CYRL",
                        &[MaterialField::Email],
                        &["xn--80aehnhyaikv.coop"],
                    ),
                    material("C-OWNER", &[MaterialField::LastName], &OWNER_DOMAINS),
                ],
                owner_changes: vec![],
                new_domains: strings(&["alpha.coop", "beta.coop", "zeta.coop"]),
                deleted_domains: strings(&["awkward.coop", "no-ns.coop"]),
            },
        ),
    ];
    let previous_text = deposit_text(&fixture(), "day-1");
    let previous = parse_deposit(&previous_text).expect("own output parses");
    for (title, change, expected) in cases {
        let mut registry = fixture();
        change(&mut registry);
        let current_text = deposit_text(&registry, "day-2");
        let current = parse_deposit(&current_text).expect("own output parses");
        let report = diff_deposits(&previous, &current);
        assert_eq!(report, expected, "{title}");
        let streamed = diff_deposit_lines(
            previous_text.split_inclusive('\n'),
            current_text.split_inclusive('\n'),
        )
        .expect("own output streams");
        assert_eq!(streamed, expected, "{title} (streamed)");
        assert_eq!(
            report.is_empty(),
            expected == ChangeReport::default(),
            "{title}"
        );
    }
}

#[test]
fn the_first_deposit_makes_every_registrant_new() {
    let empty = deposit(
        &Registry {
            contacts: vec![],
            domains: vec![],
        },
        "day-0",
    );
    let report = diff_deposits(&empty, &deposit(&fixture(), "day-1"));
    let streamed = diff_deposit_lines(
        deposit_text(
            &Registry {
                contacts: vec![],
                domains: vec![],
            },
            "day-0",
        )
        .split_inclusive('\n'),
        deposit_text(&fixture(), "day-1").split_inclusive('\n'),
    )
    .expect("own output streams");
    assert_eq!(streamed, report);
    let handles: Vec<&str> = report
        .new_registrants
        .iter()
        .map(|r| r.handle.as_str())
        .collect();
    assert_eq!(handles, ["C-AWKWARD", "C-CYRL", "C-OWNER"]);
    assert_eq!(report.new_domains.len(), 6);
    assert!(report.material_changes.is_empty() && report.deleted_domains.is_empty());
}
