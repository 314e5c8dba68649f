//! The quota decisions, as tables: usage stored, what the outcome adds, the answer.

use super::*;
use crate::lifecycle::{register, Allocation, ContactRecord, NewDomain, WEB_RESELLER};
use crate::lifecycle::{Effect, Email, EmailKind, Outcome};
use crate::model::{ContactInfo, DomainName, Nameserver};

const NOW: Timestamp = 1_767_225_600;

fn link(to: &str, kind: EmailKind) -> Effect {
    Effect::Email(Email {
        to: to.to_string(),
        kind,
        contact: "W-1".to_string(),
        domains: vec![],
        token: Some("t".to_string()),
        expires_at: None,
        delete_at: None,
    })
}

/// An outcome as a web order's registration makes it: a new PROCESSING web domain (when
/// `order`) and the e-mails given.
fn outcome(order: bool, effects: Vec<Effect>) -> Outcome {
    let mut outcome = Outcome {
        effects,
        ..Outcome::default()
    };
    if order {
        outcome.domains.push(new_web_domain());
    }
    outcome
}

/// The record a web order of a new registrant creates (PROCESSING, revision 0).
fn new_web_domain() -> crate::lifecycle::DomainRecord {
    let info = ContactInfo {
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        organization: Some("Co-op".into()),
        street: vec!["1 Street".into()],
        city: "Manchester".into(),
        state: None,
        postcode: "M1".into(),
        country: "GB".into(),
        phone: "+44.1611234567".into(),
        fax: None,
        email: "ada@x.coop".into(),
    };
    let owner = ContactRecord::new("W-1", WEB_RESELLER, info, NOW);
    let ns = |host: &str| Nameserver {
        host: host.into(),
        addresses: vec![],
    };
    let order = NewDomain {
        ds_records: Vec::new(),
        name: DomainName {
            ascii: "fresh.coop".into(),
            unicode: "fresh.coop".into(),
            language: None,
        },
        period: 1,
        owner: "W-1".into(),
        admin: "W-1".into(),
        tech: "W-1".into(),
        billing: "W-1".into(),
        nameservers: vec![ns("ns1.example.net"), ns("ns2.example.net")],
        transfer_lock: false,
        criterion: None,
        client_ip: None,
        allocation: Allocation::None,
        roid: crate::lifecycle::new_roid(&[1; 10]),
    };
    let outcome =
        register(&order, WEB_RESELLER, &owner, &[], None, &[7; 32], NOW).expect("registers");
    outcome
        .domain("fresh.coop")
        .expect("the new domain")
        .clone()
}

fn usage(link_emails: u32, oldest: Option<Timestamp>, orders: u32) -> AddressUsage {
    AddressUsage {
        link_emails,
        oldest_link_email_at: oldest,
        unconfirmed_web_orders: orders,
    }
}

#[test]
fn quota_table() {
    let limits = Limits::default();
    assert_eq!(limits.link_emails_per_address, 5);
    assert_eq!(limits.unconfirmed_web_orders_per_address, 10);
    let verification = || link("Ada@X.coop ", EmailKind::Verification);
    // (name, stored usage, outcome, refused?, retry-after)
    let cases: Vec<(&str, AddressUsage, Outcome, Option<u32>)> = vec![
        (
            "first order",
            usage(0, None, 0),
            outcome(true, vec![verification()]),
            None,
        ),
        (
            "fifth link",
            usage(4, Some(NOW - 100), 4),
            outcome(true, vec![verification()]),
            None,
        ),
        (
            "sixth link within 24 h",
            usage(5, Some(NOW - 3600), 5),
            outcome(true, vec![verification()]),
            Some((DAY - 3600) as u32),
        ),
        (
            "sixth new link on request",
            usage(5, Some(NOW - 60), 0),
            outcome(false, vec![link("ada@x.coop", EmailKind::NewLink)]),
            Some((DAY - 60) as u32),
        ),
        (
            "an approval request counts too",
            usage(5, Some(NOW - 60), 0),
            outcome(true, vec![link("ada@x.coop", EmailKind::ApprovalRequest)]),
            Some((DAY - 60) as u32),
        ),
        (
            "a reminder carries no link and does not count",
            usage(5, Some(NOW - 60), 0),
            outcome(false, vec![link("ada@x.coop", EmailKind::Reminder)]),
            None,
        ),
        (
            "mail to another address is not this one's",
            usage(5, Some(NOW - 60), 0),
            outcome(false, vec![link("bob@x.coop", EmailKind::NewLink)]),
            None,
        ),
        (
            "tenth unconfirmed order, no new e-mail",
            usage(1, Some(NOW), 9),
            outcome(true, vec![]),
            None,
        ),
        (
            "eleventh unconfirmed order",
            usage(1, Some(NOW), 10),
            outcome(true, vec![]),
            Some(DAY as u32),
        ),
        (
            "no new order, many stored: a confirmation is never refused",
            usage(9, Some(NOW), 40),
            outcome(false, vec![link("ada@x.coop", EmailKind::Confirmed)]),
            None,
        ),
    ];
    for (name, usage, outcome, refused) in cases {
        let result = check_quotas(&outcome, "ada@x.coop", &usage, &limits, NOW);
        match (refused, result) {
            (None, Ok(())) => {}
            (Some(retry_after), Err(over)) => {
                assert_eq!(over.retry_after, retry_after, "{name}");
                let problem = &over.problems.errors[0];
                assert_eq!(problem.code, ErrorCode::RateLimited, "{name}");
                assert_eq!(over.problems.http_status(), 429, "{name}");
                assert!(
                    problem.message.len() > 40,
                    "{name}: a message that explains"
                );
            }
            (expected, got) => panic!("{name}: expected {expected:?}, got {got:?}"),
        }
    }
}

#[test]
fn configured_limits_apply_and_addresses_fold_case() {
    let limits = Limits {
        link_emails_per_address: 1,
        unconfirmed_web_orders_per_address: 1,
    };
    let second = outcome(false, vec![link("ADA@x.COOP", EmailKind::NewLink)]);
    assert!(check_quotas(&second, "ada@x.coop", &usage(0, None, 0), &limits, NOW).is_ok());
    assert!(check_quotas(&second, "ada@x.coop", &usage(1, None, 0), &limits, NOW).is_err());
    assert!(check_quotas(
        &outcome(true, vec![]),
        "a@b.c",
        &usage(0, None, 1),
        &limits,
        NOW
    )
    .is_err());
    assert_eq!(quota_address("  Ada@Example.COOP "), "ada@example.coop");
}

#[test]
fn bursts_say_what_and_how_long() {
    for (route, word) in [
        (Burst::Orders, "orders"),
        (Burst::Resend, "new link"),
        (Burst::Availability, "availability"),
        (Burst::ResellerLogin, "reseller API"),
        (Burst::StaffLogin, "registry console"),
        (Burst::Rdap, "RDAP"),
    ] {
        let over = burst_refused(route, 60);
        assert_eq!(over.retry_after, 60);
        assert_eq!(over.problems.errors[0].code, ErrorCode::RateLimited);
        assert!(over.problems.errors[0].message.contains(word), "{route:?}");
        assert!(over.problems.errors[0].message.contains("a minute"));
    }
    assert_eq!(wait_words(3600 * 5), "5 hours");
    assert_eq!(wait_words(600), "10 minutes");
}
