//! The registry lock (`registry_lock`: staff set and clear `server*Prohibited`), what each
//! status refuses, the uniqueness of a reseller-set auth code, and a transfer completed in
//! the auto-renew grace period.

use super::fixtures::*;
use crate::lifecycle::time::*;
use crate::lifecycle::*;
use crate::model::DAY;
use crate::ErrorCode;

fn staff() -> Actor {
    Actor::Staff("alice".into())
}

fn lock(registry: &mut Registry, label: &str, set: &[ServerStatus], clear: &[ServerStatus]) {
    registry
        .on_domain(label, |d| {
            registry_lock(d, staff(), set, clear, "court order", day(20))
        })
        .unwrap();
}

fn transfer(
    registry: &mut Registry,
    label: &str,
    now: crate::model::Timestamp,
) -> Result<Outcome, crate::Problems> {
    let code = registry.domain(label).auth_code.as_str().to_string();
    let owner = registry.contact("OK").clone();
    let admin = registry.contact("ADMIN").clone();
    registry.on_domain(label, |d| {
        transfer_request(d, R2, &code, &owner, &admin, &random(7), now)
    })
}

#[test]
fn staff_set_and_clear_server_statuses_with_history() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let outcome = registry
        .on_domain("alpha", |d| {
            registry_lock(d, staff(), &ServerStatus::ALL, &[], "court order", day(20))
        })
        .unwrap();
    let domain = registry.domain("alpha");
    assert_eq!(domain.state, DomainState::Active, "the state stays");
    assert_eq!(
        domain.epp_statuses(),
        vec![
            "serverTransferProhibited",
            "serverDeleteProhibited",
            "serverUpdateProhibited"
        ]
    );
    assert_eq!(domain.updated, day(20));
    assert_eq!(outcome.events.len(), 1);
    let event = &outcome.events[0];
    assert_eq!(event.actor, staff());
    assert_eq!(
        event.reason,
        "registry lock: set serverTransferProhibited, serverDeleteProhibited, serverUpdateProhibited"
    );
    assert_eq!(event.note.as_deref(), Some("court order"));

    // Setting again changes nothing and records nothing.
    let again = registry
        .on_domain("alpha", |d| {
            registry_lock(
                d,
                staff(),
                &[ServerStatus::ServerDeleteProhibited],
                &[],
                "",
                day(21),
            )
        })
        .unwrap();
    assert!(again.is_empty());

    let cleared = registry
        .on_domain("alpha", |d| {
            registry_lock(
                d,
                staff(),
                &[],
                &[
                    ServerStatus::ServerTransferProhibited,
                    ServerStatus::ServerUpdateProhibited,
                ],
                "",
                day(22),
            )
        })
        .unwrap();
    assert_eq!(
        cleared.events[0].reason,
        "registry lock: cleared serverTransferProhibited, serverUpdateProhibited"
    );
    assert_eq!(
        registry.domain("alpha").epp_statuses(),
        vec!["serverDeleteProhibited"]
    );
}

#[test]
fn only_staff_and_no_status_both_set_and_cleared() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let domain = registry.domain("alpha").clone();
    let by_reseller = registry_lock(
        &domain,
        Actor::Reseller(R1.into()),
        &[ServerStatus::ServerDeleteProhibited],
        &[],
        "",
        day(20),
    )
    .unwrap_err();
    assert_eq!(code(&by_reseller), ErrorCode::NotYours);
    let both = registry_lock(
        &domain,
        staff(),
        &[ServerStatus::ServerDeleteProhibited],
        &[ServerStatus::ServerDeleteProhibited],
        "",
        day(20),
    )
    .unwrap_err();
    assert_eq!(code(&both), ErrorCode::InvalidValue);
}

/// One row per (status, command): refused with `status_prohibits` while set, accepted once
/// staff clear it.
#[test]
fn each_server_status_refuses_its_commands_until_cleared() {
    type Command = fn(&mut Registry) -> Result<Outcome, crate::Problems>;
    let rows: [(ServerStatus, &str, Command); 6] = [
        (
            ServerStatus::ServerTransferProhibited,
            "transfer request",
            |r| transfer(r, "alpha", day(30)),
        ),
        (ServerStatus::ServerDeleteProhibited, "delete", |r| {
            r.on_domain("alpha", |d| delete(d, R1, day(30)))
        }),
        (ServerStatus::ServerDeleteProhibited, "staff delete", |r| {
            r.on_domain("alpha", |d| staff_delete(d, staff(), "", day(30)))
        }),
        (ServerStatus::ServerUpdateProhibited, "modify", |r| {
            let changes = DomainChanges {
                transfer_lock: Some(true),
                ..DomainChanges::default()
            };
            r.on_domain("alpha", |d| {
                modify_domain(d, R1, &changes, &random(3), day(30))
            })
        }),
        (
            ServerStatus::ServerUpdateProhibited,
            "removing clientUpdateProhibited",
            |r| {
                let changes = DomainChanges {
                    remove_statuses: vec![ClientStatus::ClientUpdateProhibited],
                    ..DomainChanges::default()
                };
                r.on_domain("alpha", |d| {
                    modify_domain(d, R1, &changes, &random(3), day(30))
                })
            },
        ),
        (ServerStatus::ServerUpdateProhibited, "owner change", |r| {
            let owner = r.contact("ADMIN").clone();
            let owned = r.owned("ADMIN");
            let changes = DomainChanges {
                owner: Some((&owner, &owned)),
                ..DomainChanges::default()
            };
            r.on_domain("alpha", |d| {
                modify_domain(d, R1, &changes, &random(3), day(30))
            })
        }),
    ];
    for (status, what, command) in rows {
        let mut registry = Registry::new();
        registry.active("alpha", T0);
        if what == "removing clientUpdateProhibited" {
            let changes = DomainChanges {
                add_statuses: vec![ClientStatus::ClientUpdateProhibited],
                ..DomainChanges::default()
            };
            registry
                .on_domain("alpha", |d| {
                    modify_domain(d, R1, &changes, &random(3), day(10))
                })
                .unwrap();
        }
        // Another status does not refuse it.
        let others: Vec<ServerStatus> = ServerStatus::ALL
            .into_iter()
            .filter(|other| *other != status)
            .collect();
        lock(&mut registry, "alpha", &[status], &[]);
        let before = registry.domain("alpha").clone();
        let refused = command(&mut registry).unwrap_err();
        assert_eq!(code(&refused), ErrorCode::StatusProhibits, "{what}");
        assert!(
            format!("{refused:?}").contains(status.as_str()),
            "{what}: the refusal names {}: {refused:?}",
            status.as_str()
        );
        assert_eq!(registry.domain("alpha"), &before, "{what}: nothing changed");
        lock(&mut registry, "alpha", &others, &[status]);
        command(&mut registry).unwrap_or_else(|e| panic!("{what} after unlock: {e:?}"));
    }
}

#[test]
fn server_update_prohibited_refuses_a_restore() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    registry
        .on_domain("alpha", |d| delete(d, R1, day(10)))
        .unwrap();
    lock(
        &mut registry,
        "alpha",
        &[ServerStatus::ServerUpdateProhibited],
        &[],
    );
    let refused = registry
        .on_domain("alpha", |d| restore(d, R1, day(25)))
        .unwrap_err();
    assert_eq!(code(&refused), ErrorCode::StatusProhibits);
    assert_eq!(registry.state("alpha"), "REDEMPTION");
    lock(
        &mut registry,
        "alpha",
        &[],
        &[ServerStatus::ServerUpdateProhibited],
    );
    registry
        .on_domain("alpha", |d| restore(d, R1, day(25)))
        .unwrap();
    assert_eq!(registry.state("alpha"), "ACTIVE");
}

#[test]
fn a_reseller_set_auth_code_in_use_elsewhere_is_refused() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let set = |in_use: bool| DomainChanges {
        auth_code: Some("Shared-Code-1".into()),
        auth_code_in_use: in_use,
        ..DomainChanges::default()
    };
    let refused = registry
        .on_domain("alpha", |d| {
            modify_domain(d, R1, &set(true), &random(3), day(10))
        })
        .unwrap_err();
    assert_eq!(code(&refused), ErrorCode::AuthCodeInUse);
    assert!(
        !format!("{refused:?}").contains(".coop"),
        "names no domain: {refused:?}"
    );
    assert_ne!(registry.domain("alpha").auth_code.as_str(), "Shared-Code-1");
    registry
        .on_domain("alpha", |d| {
            modify_domain(d, R1, &set(false), &random(3), day(10))
        })
        .unwrap();
    assert_eq!(registry.domain("alpha").auth_code.as_str(), "Shared-Code-1");
    // Setting its own current code again is no change, never a refusal.
    let same = registry
        .on_domain("alpha", |d| {
            modify_domain(d, R1, &set(true), &random(3), day(11))
        })
        .unwrap();
    assert!(same.events.is_empty());
}

#[test]
fn transfer_in_the_auto_renew_grace_adds_one_year_in_total() {
    let expiry = add_years(T0, 1);
    // (when the transfer completes after the expiry, expected expiry)
    let rows = [
        // In the grace: the automatic year is reversed, the transfer's added: +1 in total.
        (10 * DAY, add_years(T0, 2)),
        // After the grace: the automatic year stays, the transfer adds one.
        (50 * DAY, add_years(T0, 3)),
    ];
    for (after, expected) in rows {
        let mut registry = Registry::new();
        registry.active("alpha", T0);
        registry.tick(expiry);
        assert!(registry.domain("alpha").auto_renew.is_some());
        let requested = expiry + after - DAY;
        transfer(&mut registry, "alpha", requested).unwrap();
        registry
            .on_domain("alpha", |d| {
                transfer_approve(d, &LosingSide::Reseller(R1.into()), expiry + after)
            })
            .unwrap();
        let domain = registry.domain("alpha");
        assert_eq!(domain.expires, expected, "completed {after} s after expiry");
        assert_eq!(domain.auto_renew, None);
        assert_eq!(domain.reseller, R2);
    }
}

#[test]
fn transfer_in_the_grace_after_a_ten_year_term_adds_one_year_within_the_cap() {
    // A 10-year registration auto-renews at its expiry (11 years ahead); the transfer in the
    // grace reverses that year and adds one.
    let mut long = Registry::new();
    long.register_for("beta", "ADMIN", R1, 10, T0).unwrap();
    let ten = add_years(T0, 10);
    long.tick(ten);
    let grace = long.domain("beta").auto_renew.expect("auto-renewed");
    assert_eq!(grace.previous_expiry, ten);
    let code = long.domain("beta").auth_code.as_str().to_string();
    let owner = long.contact("ADMIN").clone();
    let admin = owner.clone();
    long.on_domain("beta", |d| {
        transfer_request(d, R2, &code, &owner, &admin, &random(7), ten + DAY)
    })
    .unwrap();
    long.on_domain("beta", |d| {
        transfer_approve(d, &LosingSide::Reseller(R1.into()), ten + 2 * DAY)
    })
    .unwrap();
    // previous expiry + 1 = 11 years after T0 (not 12), within the 10-year cap (in the grace
    // the previous expiry is past, so the cap cannot bind: +1 is always within it).
    assert_eq!(long.domain("beta").expires, add_years(ten, 1));
    assert!(long.domain("beta").expires <= max_expiry(ten + 2 * DAY));
}

#[test]
fn server_transfer_prohibited_stops_a_pending_transfer_from_completing() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    transfer(&mut registry, "alpha", day(10)).unwrap();
    // The registry locks the name while the transfer is pending.
    registry
        .on_domain("alpha", |d| {
            registry_lock(
                d,
                staff(),
                &[ServerStatus::ServerTransferProhibited],
                &[],
                "dispute",
                day(11),
            )
        })
        .unwrap();
    // Approval by the losing reseller is refused.
    let refused = registry.on_domain("alpha", |d| {
        transfer_approve(d, &LosingSide::Reseller(R1.into()), day(12))
    });
    assert_eq!(code(&refused.unwrap_err()), ErrorCode::StatusProhibits);
    // The 5-day auto-approval does not happen while the lock is set.
    registry.tick(day(30));
    let domain = registry.domain("alpha");
    assert!(matches!(domain.state, DomainState::PendingTransfer(_)));
    assert_eq!(domain.reseller, R1);
    // Lifted after the 5 days: the auto-approval happens at the lift, not back-dated.
    registry
        .on_domain("alpha", |d| {
            registry_lock(
                d,
                staff(),
                &[],
                &[ServerStatus::ServerTransferProhibited],
                "",
                day(31),
            )
        })
        .unwrap();
    assert_eq!(registry.domain("alpha").next_due(), Some(day(31)));
    registry.tick(day(31));
    let domain = registry.domain("alpha");
    assert_eq!(domain.state, DomainState::Active);
    assert_eq!(domain.reseller, R2);
    assert_eq!(domain.updated, day(31));
}

#[test]
fn without_the_lock_the_pending_transfer_is_approved_after_5_days() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    transfer(&mut registry, "alpha", day(10)).unwrap();
    registry.tick(day(15));
    assert_eq!(registry.domain("alpha").reseller, R2);
}
