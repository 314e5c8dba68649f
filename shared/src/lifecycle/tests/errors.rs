//! Every error of every command, table-driven: (case, command, expected code). A failing
//! command returns no outcome, so nothing can change.

use super::fixtures::*;
use crate::lifecycle::*;
use crate::ErrorCode::{self, *};
use crate::Problems;

/// Domains in each state the errors need, all at day 10.
fn setup() -> Registry {
    let mut registry = Registry::new();
    registry.active("active", T0);
    registry.register("processing", "OWNER", day(9)).unwrap();
    registry.active("redeem", T0);
    registry
        .on_domain("redeem", |d| delete(d, R1, day(8)))
        .unwrap();
    registry.active("moving", T0);
    let code = registry.domain("moving").auth_code.as_str().to_string();
    let (owner, admin) = (
        registry.contact("OK").clone(),
        registry.contact("ADMIN").clone(),
    );
    registry
        .on_domain("moving", |d| {
            transfer_request(d, R2, &code, &owner, &admin, &random(4), day(9))
        })
        .unwrap();
    registry.active("locked", T0);
    let changes = DomainChanges {
        add_statuses: ClientStatus::ALL.to_vec(),
        transfer_lock: Some(true),
        ..DomainChanges::default()
    };
    registry
        .on_domain("locked", |d| {
            modify_domain(d, R1, &changes, &random(5), day(9))
        })
        .unwrap();
    registry.active("barred", T0);
    let changes = DomainChanges {
        transfer_lock: Some(true),
        ..DomainChanges::default()
    };
    registry
        .on_domain("barred", |d| {
            modify_domain(d, R1, &changes, &random(5), day(9))
        })
        .unwrap();
    registry.active("staffheld", T0);
    registry
        .on_domain("staffheld", |d| {
            staff_hold(d, Actor::Staff("bob".into()), "", day(9))
        })
        .unwrap();
    let mut rejected = ContactRecord::new("NO", R1, info("Not", "no@x.example"), T0);
    rejected.verification = Verification::Rejected {
        at: T0,
        by: Actor::Callback,
    };
    registry.add_contact(rejected);
    registry.add_contact(ContactRecord::new(
        "THEIRS",
        R2,
        info("Other", "o@x.example"),
        T0,
    ));
    registry
}

type Case = (
    &'static str,
    Box<dyn Fn(&Registry) -> Result<Outcome, Problems>>,
    ErrorCode,
);

fn d(registry: &Registry, label: &str) -> DomainRecord {
    registry.domain(label).clone()
}

fn now() -> crate::model::Timestamp {
    day(10)
}

fn cases() -> Vec<Case> {
    let staff = || Actor::Staff("bob".into());
    vec![
        // register
        (
            "register period 0",
            Box::new(|r| {
                register(
                    &order("new", "OK", 0),
                    R1,
                    r.contact("OK"),
                    &[],
                    None,
                    &random(1),
                    now(),
                )
            }),
            InvalidValue,
        ),
        (
            "register period 11",
            Box::new(|r| {
                register(
                    &order("new", "OK", 11),
                    R1,
                    r.contact("OK"),
                    &[],
                    None,
                    &random(1),
                    now(),
                )
            }),
            PeriodExceeded,
        ),
        (
            "register wrong owner record",
            Box::new(|r| {
                register(
                    &order("new", "OK", 1),
                    R1,
                    r.contact("ADMIN"),
                    &[],
                    None,
                    &random(1),
                    now(),
                )
            }),
            InvalidValue,
        ),
        (
            "register foreign owner",
            Box::new(|r| {
                register(
                    &order("new", "THEIRS", 1),
                    R1,
                    r.contact("THEIRS"),
                    &[],
                    None,
                    &random(1),
                    now(),
                )
            }),
            NotYours,
        ),
        (
            "register rejected owner",
            Box::new(|r| {
                register(
                    &order("new", "NO", 1),
                    R1,
                    r.contact("NO"),
                    &[],
                    None,
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        (
            "register taken name",
            Box::new(|r| {
                register(
                    &order("active", "OK", 1),
                    R1,
                    r.contact("OK"),
                    &[],
                    Some(r.domain("active")),
                    &random(1),
                    now(),
                )
            }),
            NameTaken,
        ),
        (
            "register a name in redemption",
            Box::new(|r| {
                register(
                    &order("redeem", "OK", 1),
                    R1,
                    r.contact("OK"),
                    &[],
                    Some(r.domain("redeem")),
                    &random(1),
                    now(),
                )
            }),
            NameTaken,
        ),
        (
            "register a reserved name without a token",
            Box::new(|r| {
                register(
                    &order("nic", "OK", 1),
                    R1,
                    r.contact("OK"),
                    &[],
                    None,
                    &random(1),
                    now(),
                )
            }),
            NameReserved,
        ),
        (
            "register with an unknown allocation token",
            Box::new(|r| {
                let mut unknown = order("example", "OK", 1);
                unknown.allocation = Allocation::Unknown;
                register(&unknown, R1, r.contact("OK"), &[], None, &random(1), now())
            }),
            AllocationTokenInvalid,
        ),
        // approve / decline_approval / request_new_approval (the web order "active" has no
        // approval under way)
        (
            "approve without an approval",
            Box::new(|r| approve(&d(r, "active"), "nope", now())),
            TokenInvalid,
        ),
        (
            "decline an approval without one",
            Box::new(|r| decline_approval(&d(r, "active"), "nope", now())),
            TokenInvalid,
        ),
        (
            "new approval link without an approval",
            Box::new(|r| {
                request_new_approval(&d(r, "active"), Actor::Registrant, &random(1), now())
            }),
            StatusProhibits,
        ),
        (
            "new approval link for a freed name",
            Box::new(|r| {
                let mut gone = d(r, "redeem");
                gone.state = DomainState::PendingDelete { until: day(9) };
                request_new_approval(&gone, Actor::Registrant, &random(1), now())
            }),
            NotFound,
        ),
        // confirm / decline
        (
            "confirm unknown token",
            Box::new(|r| confirm(r.contact("OWNER"), &r.owned("OWNER"), "nope", now())),
            TokenInvalid,
        ),
        (
            "confirm verified contact",
            Box::new(|r| confirm(r.contact("OK"), &r.owned("OK"), "nope", now())),
            TokenInvalid,
        ),
        (
            "confirm expired token",
            Box::new(|r| {
                let t = r.last_token("owner@one.coop");
                confirm(r.contact("OWNER"), &r.owned("OWNER"), &t, day(24))
            }),
            TokenExpired,
        ),
        (
            "decline unknown token",
            Box::new(|r| decline(r.contact("OWNER"), &r.owned("OWNER"), "nope", now())),
            TokenInvalid,
        ),
        (
            "decline expired token",
            Box::new(|r| {
                let t = r.last_token("owner@one.coop");
                decline(r.contact("OWNER"), &r.owned("OWNER"), &t, day(30))
            }),
            TokenExpired,
        ),
        // request_new_link
        (
            "new link for verified",
            Box::new(|r| {
                request_new_link(r.contact("OK"), &[], Actor::Registrant, &random(1), now())
            }),
            StatusProhibits,
        ),
        (
            "new link for rejected",
            Box::new(|r| {
                request_new_link(r.contact("NO"), &[], Actor::Registrant, &random(1), now())
            }),
            StatusProhibits,
        ),
        (
            "new link for unverified",
            Box::new(|r| {
                request_new_link(
                    r.contact("THEIRS"),
                    &[],
                    Actor::Registrant,
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        // staff
        (
            "decision by a reseller",
            Box::new(|r| {
                staff_decision(
                    r.contact("OWNER"),
                    &[],
                    Decision::Approve,
                    Actor::Reseller(R1.into()),
                    now(),
                )
            }),
            NotYours,
        ),
        (
            "decision by the registrant",
            Box::new(|r| {
                staff_decision(
                    r.contact("OWNER"),
                    &[],
                    Decision::Reject,
                    Actor::Registrant,
                    now(),
                )
            }),
            NotYours,
        ),
        (
            "hold by a reseller",
            Box::new(|r| staff_hold(r.domain("active"), Actor::Reseller(R1.into()), "", now())),
            NotYours,
        ),
        (
            "hold twice",
            Box::new(move |r| staff_hold(r.domain("staffheld"), staff(), "", now())),
            StatusProhibits,
        ),
        (
            "hold in redemption",
            Box::new(move |r| staff_hold(r.domain("redeem"), staff(), "", now())),
            StatusProhibits,
        ),
        (
            "release not held",
            Box::new(move |r| staff_release(r.domain("active"), staff(), "", now())),
            StatusProhibits,
        ),
        (
            "release by system",
            Box::new(|r| staff_release(r.domain("staffheld"), Actor::System, "", now())),
            NotYours,
        ),
        // modify_contact
        (
            "modify foreign contact",
            Box::new(|r| {
                modify_contact(
                    r.contact("THEIRS"),
                    &[],
                    R1,
                    &info("x", "x@x.example"),
                    &random(1),
                    now(),
                )
            }),
            NotYours,
        ),
        // change_owner
        (
            "owner change by non-sponsor",
            Box::new(|r| {
                change_owner(
                    r.domain("active"),
                    R2,
                    r.contact("THEIRS"),
                    &[],
                    &random(1),
                    now(),
                )
            }),
            NotYours,
        ),
        (
            "owner change to foreign contact",
            Box::new(|r| {
                change_owner(
                    r.domain("active"),
                    R1,
                    r.contact("THEIRS"),
                    &[],
                    &random(1),
                    now(),
                )
            }),
            NotYours,
        ),
        (
            "owner change to rejected contact",
            Box::new(|r| {
                change_owner(
                    r.domain("active"),
                    R1,
                    r.contact("NO"),
                    &[],
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        (
            "owner change during transfer",
            Box::new(|r| {
                change_owner(
                    r.domain("moving"),
                    R1,
                    r.contact("ADMIN"),
                    &[],
                    &random(1),
                    now(),
                )
            }),
            TransferPending,
        ),
        (
            "owner change when update prohibited",
            Box::new(|r| {
                change_owner(
                    r.domain("locked"),
                    R1,
                    r.contact("ADMIN"),
                    &[],
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        (
            "owner change in redemption",
            Box::new(|r| {
                change_owner(
                    r.domain("redeem"),
                    R1,
                    r.contact("ADMIN"),
                    &[],
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        // modify_domain
        (
            "modify by non-sponsor",
            Box::new(|r| {
                modify_domain(
                    r.domain("active"),
                    R2,
                    &DomainChanges::default(),
                    &random(1),
                    now(),
                )
            }),
            NotYours,
        ),
        (
            "modify when update prohibited",
            Box::new(|r| {
                modify_domain(
                    r.domain("locked"),
                    R1,
                    &DomainChanges {
                        transfer_lock: Some(false),
                        ..DomainChanges::default()
                    },
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        (
            "modify in redemption",
            Box::new(|r| {
                modify_domain(
                    r.domain("redeem"),
                    R1,
                    &DomainChanges::default(),
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        (
            "modify with a short auth code",
            Box::new(|r| {
                modify_domain(
                    r.domain("active"),
                    R1,
                    &DomainChanges {
                        auth_code: Some("abc".into()),
                        ..DomainChanges::default()
                    },
                    &random(1),
                    now(),
                )
            }),
            InvalidValue,
        ),
        (
            "modify with a spaced auth code",
            Box::new(|r| {
                modify_domain(
                    r.domain("active"),
                    R1,
                    &DomainChanges {
                        auth_code: Some("abc defgh".into()),
                        ..DomainChanges::default()
                    },
                    &random(1),
                    now(),
                )
            }),
            InvalidValue,
        ),
        // renew
        (
            "renew by non-sponsor",
            Box::new(|r| renew(r.domain("active"), R2, 1, 2027, now())),
            NotYours,
        ),
        (
            "renew processing",
            Box::new(|r| renew(r.domain("processing"), R1, 1, 2027, now())),
            StatusProhibits,
        ),
        (
            "renew in redemption",
            Box::new(|r| renew(r.domain("redeem"), R1, 1, 2027, now())),
            StatusProhibits,
        ),
        (
            "renew during transfer",
            Box::new(|r| renew(r.domain("moving"), R1, 1, 2027, now())),
            TransferPending,
        ),
        (
            "renew renew-prohibited",
            Box::new(|r| renew(r.domain("locked"), R1, 1, 2027, now())),
            StatusProhibits,
        ),
        (
            "renew wrong year",
            Box::new(|r| renew(r.domain("active"), R1, 1, 2026, now())),
            ExpirationMismatch,
        ),
        (
            "renew period 0",
            Box::new(|r| renew(r.domain("active"), R1, 0, 2027, now())),
            InvalidValue,
        ),
        (
            "renew past 10 years",
            Box::new(|r| renew(r.domain("active"), R1, 10, 2027, now())),
            PeriodExceeded,
        ),
        (
            "renew period 11",
            Box::new(|r| renew(r.domain("active"), R1, 11, 2027, now())),
            PeriodExceeded,
        ),
        // delete / restore
        (
            "delete by non-sponsor",
            Box::new(|r| delete(r.domain("active"), R2, now())),
            NotYours,
        ),
        (
            "delete delete-prohibited",
            Box::new(|r| delete(r.domain("locked"), R1, now())),
            StatusProhibits,
        ),
        (
            "delete during transfer",
            Box::new(|r| delete(r.domain("moving"), R1, now())),
            TransferPending,
        ),
        (
            "delete twice",
            Box::new(|r| delete(r.domain("redeem"), R1, now())),
            StatusProhibits,
        ),
        (
            "restore active",
            Box::new(|r| restore(r.domain("active"), R1, now())),
            StatusProhibits,
        ),
        (
            "restore by non-sponsor",
            Box::new(|r| restore(r.domain("redeem"), R2, now())),
            NotYours,
        ),
        (
            "restore in pending delete",
            Box::new(|r| restore(r.domain("redeem"), R1, day(39))),
            StatusProhibits,
        ),
        (
            "restore after free",
            Box::new(|r| restore(r.domain("redeem"), R1, day(43))),
            NotFound,
        ),
        (
            "renew after free",
            Box::new(|r| renew(r.domain("redeem"), R1, 1, 2027, day(43))),
            NotFound,
        ),
        // transfer_request
        (
            "transfer to the sponsor",
            Box::new(|r| {
                let c = r.domain("active").auth_code.as_str().to_string();
                transfer_request(
                    r.domain("active"),
                    R1,
                    &c,
                    r.contact("OK"),
                    r.contact("ADMIN"),
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        (
            "transfer wrong auth code",
            Box::new(|r| {
                transfer_request(
                    r.domain("active"),
                    R2,
                    "coop-wrong",
                    r.contact("OK"),
                    r.contact("ADMIN"),
                    &random(1),
                    now(),
                )
            }),
            AuthCodeInvalid,
        ),
        (
            "transfer prohibited",
            Box::new(|r| {
                let c = r.domain("locked").auth_code.as_str().to_string();
                transfer_request(
                    r.domain("locked"),
                    R2,
                    &c,
                    r.contact("OK"),
                    r.contact("ADMIN"),
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        (
            "transfer locked",
            Box::new(|r| {
                let c = r.domain("barred").auth_code.as_str().to_string();
                transfer_request(
                    r.domain("barred"),
                    R2,
                    &c,
                    r.contact("OK"),
                    r.contact("ADMIN"),
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        (
            "transfer processing",
            Box::new(|r| {
                let c = r.domain("processing").auth_code.as_str().to_string();
                transfer_request(
                    r.domain("processing"),
                    R2,
                    &c,
                    r.contact("OWNER"),
                    r.contact("ADMIN"),
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        (
            "transfer held",
            Box::new(|r| {
                let c = r.domain("staffheld").auth_code.as_str().to_string();
                transfer_request(
                    r.domain("staffheld"),
                    R2,
                    &c,
                    r.contact("OK"),
                    r.contact("ADMIN"),
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        (
            "transfer in redemption",
            Box::new(|r| {
                let c = r.domain("redeem").auth_code.as_str().to_string();
                transfer_request(
                    r.domain("redeem"),
                    R2,
                    &c,
                    r.contact("OK"),
                    r.contact("ADMIN"),
                    &random(1),
                    now(),
                )
            }),
            StatusProhibits,
        ),
        (
            "transfer twice",
            Box::new(|r| {
                let c = r.domain("moving").auth_code.as_str().to_string();
                transfer_request(
                    r.domain("moving"),
                    "reseller-3",
                    &c,
                    r.contact("OK"),
                    r.contact("ADMIN"),
                    &random(1),
                    now(),
                )
            }),
            TransferPending,
        ),
        // transfer answers
        (
            "approve without transfer",
            Box::new(|r| {
                transfer_approve(r.domain("active"), &LosingSide::Reseller(R1.into()), now())
            }),
            NoTransferPending,
        ),
        (
            "approve by another reseller",
            Box::new(|r| {
                transfer_approve(r.domain("moving"), &LosingSide::Reseller(R2.into()), now())
            }),
            NotYours,
        ),
        (
            "approve with a wrong token",
            Box::new(|r| {
                transfer_approve(r.domain("moving"), &LosingSide::Token("nope".into()), now())
            }),
            TokenInvalid,
        ),
        (
            "approve after auto-approval",
            Box::new(|r| {
                transfer_approve(
                    r.domain("moving"),
                    &LosingSide::Reseller(R1.into()),
                    day(14),
                )
            }),
            NoTransferPending,
        ),
        (
            "deny without transfer",
            Box::new(|r| {
                transfer_deny(r.domain("active"), &LosingSide::Reseller(R1.into()), now())
            }),
            NoTransferPending,
        ),
        (
            "deny by the gaining reseller",
            Box::new(|r| {
                transfer_deny(r.domain("moving"), &LosingSide::Reseller(R2.into()), now())
            }),
            NotYours,
        ),
        (
            "deny with a wrong token",
            Box::new(|r| {
                transfer_deny(r.domain("moving"), &LosingSide::Token("nope".into()), now())
            }),
            TokenInvalid,
        ),
        (
            "cancel by the losing reseller",
            Box::new(|r| transfer_cancel(r.domain("moving"), R1, now())),
            NotYours,
        ),
        (
            "cancel without transfer",
            Box::new(|r| transfer_cancel(r.domain("active"), R2, now())),
            NoTransferPending,
        ),
    ]
}

#[test]
fn every_error_has_its_code_field_and_message() {
    let registry = setup();
    let _ = d(&registry, "active");
    for (case, command, expected) in cases() {
        let problems = command(&registry).expect_err(case);
        assert_eq!(code(&problems), expected, "{case}: {problems:?}");
        assert_eq!(problems.errors.len(), 1, "{case}");
        assert!(!problems.errors[0].message.is_empty(), "{case}");
        assert!(!problems.errors[0].field.is_empty(), "{case}");
    }
}

#[test]
fn the_unlocking_update_is_accepted_with_client_update_prohibited() {
    let mut registry = setup();
    let changes = DomainChanges {
        remove_statuses: vec![ClientStatus::ClientUpdateProhibited],
        transfer_lock: Some(false),
        ..DomainChanges::default()
    };
    registry
        .on_domain("locked", |d| {
            modify_domain(d, R1, &changes, &random(1), now())
        })
        .unwrap();
    let domain = registry.domain("locked");
    assert!(!domain.has_status(ClientStatus::ClientUpdateProhibited));
    assert!(domain.has_status(ClientStatus::ClientDeleteProhibited));
    assert!(!domain.transfer_lock);
}

#[test]
fn the_worker_answers_unknown_tokens_with_token_invalid() {
    assert_eq!(code(&token_invalid()), TokenInvalid);
    assert_eq!(TokenInvalid.http_status(), 410);
    assert_eq!(ExpirationMismatch.reseller_result().0, 541);
    assert_eq!(TransferPending.reseller_result().0, 553);
    assert_eq!(NoTransferPending.reseller_result().0, 534);
    assert_eq!(AuthCodeInvalid.http_status(), 403);
}
