//! Command behaviour beyond the table rows: domain updates, contact updates, no-op commands.

use super::fixtures::*;
use crate::lifecycle::*;
use crate::model::Nameserver;

#[test]
fn modify_domain_changes_what_it_names_and_records_it() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let before = registry.domain("alpha").clone();
    let nameservers = vec![
        Nameserver {
            host: "ns1.alpha.coop".into(),
            addresses: vec!["192.0.2.1".into()],
        },
        Nameserver {
            host: "ns.example.org".into(),
            addresses: vec![],
        },
    ];
    let changes = DomainChanges {
        tech: Some("ADMIN".into()),
        nameservers: Some(nameservers.clone()),
        add_statuses: vec![ClientStatus::ClientTransferProhibited],
        transfer_lock: Some(true),
        auth_code: Some("My-own_code.2026".into()),
        ..DomainChanges::default()
    };
    let outcome = registry
        .on_domain("alpha", |d| {
            modify_domain(d, R1, &changes, &random(1), day(1))
        })
        .unwrap();
    let domain = registry.domain("alpha");
    assert_eq!(domain.tech, "ADMIN");
    assert_eq!(domain.admin, before.admin);
    assert_eq!(domain.nameservers, nameservers);
    assert_eq!(domain.epp_statuses(), vec!["clientTransferProhibited"]);
    assert!(domain.transfer_lock);
    assert_eq!(domain.auth_code.as_str(), "My-own_code.2026");
    assert_eq!(domain.state, DomainState::Active);
    assert_eq!(outcome.events.len(), 1);
    assert_eq!(
        outcome.events[0].reason,
        "changed: tech, nameservers, statuses, transfer lock, auth code"
    );
    // The same change again changes nothing and records nothing.
    let again = registry
        .on_domain("alpha", |d| {
            modify_domain(d, R1, &changes, &random(1), day(2))
        })
        .unwrap();
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn modify_domain_can_change_the_owner_too() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let new_owner = registry.contact("OWNER").clone();
    let changes = DomainChanges {
        owner: Some((&new_owner, &[])),
        tech: Some("OWNER".into()),
        ..DomainChanges::default()
    };
    let outcome = registry
        .on_domain("alpha", |d| {
            modify_domain(d, R1, &changes, &random(2), day(1))
        })
        .unwrap();
    assert_eq!(registry.domain("alpha").owner, "OWNER");
    assert_eq!(registry.domain("alpha").tech, "OWNER");
    assert_eq!(registry.contact("OWNER").verification.word(), "pending");
    let emails: Vec<_> = outcome.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::Verification);
    assert_eq!(emails[0].domains, vec![name("alpha")]);
}

#[test]
fn client_status_names_parse_with_the_reseller_aliases() {
    assert_eq!(
        ClientStatus::from_epp("clientHold"),
        Some(ClientStatus::ClientHold)
    );
    assert_eq!(
        ClientStatus::from_epp("CLIENTRENEWPROHIBITED"),
        Some(ClientStatus::ClientRenewProhibited)
    );
    assert_eq!(
        ClientStatus::from_epp("registrar-lock"),
        Some(ClientStatus::ClientTransferProhibited)
    );
    assert_eq!(
        ClientStatus::from_epp("registrar-hold"),
        Some(ClientStatus::ClientHold)
    );
    assert_eq!(ClientStatus::from_epp("serverHold"), None);
    for status in ClientStatus::ALL {
        assert_eq!(
            serde_json::to_value(status).unwrap(),
            serde_json::Value::String(status.as_str().to_string())
        );
    }
}

#[test]
fn records_round_trip_through_json() {
    let mut registry = Registry::new();
    registry.register("alpha", "OWNER", T0).unwrap();
    registry.decide("OWNER", Decision::Reject, day(1)).unwrap();
    registry
        .on_domain("alpha", |d| {
            staff_hold(d, Actor::Staff("s".into()), "", day(2))
        })
        .unwrap_err();
    let domain = registry.domain("alpha").clone();
    let json = serde_json::to_string(&domain).unwrap();
    assert!(json.contains(r#""state":"held""#) && json.contains(r#""reason":"rejected""#));
    assert_eq!(serde_json::from_str::<DomainRecord>(&json).unwrap(), domain);
    let contact = registry.contact("OWNER").clone();
    let json = serde_json::to_string(&contact).unwrap();
    assert_eq!(
        serde_json::from_str::<ContactRecord>(&json).unwrap(),
        contact
    );
}
