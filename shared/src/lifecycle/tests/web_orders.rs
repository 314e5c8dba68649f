//! The public web path cannot be abused (issue 11): the mailbox approves every web order of a
//! verified registrant, names are never held for free, reserved names need a staff token,
//! and the eligibility certification is kept. One test per rule, as tables where they vary.

use super::fixtures::*;
use crate::lifecycle::time::*;
use crate::lifecycle::*;
use crate::model::DAY;
use crate::validate::EligibilityCriterion;
use crate::ErrorCode;

const A: &str = "a@verified.coop";

/// A registry with the verified web registrant `WA` (address [`A`]) and the unverified web
/// registrant `WB` (address `b@new.coop`).
fn web_registry() -> Registry {
    let mut registry = Registry::new();
    registry.web_contact("WA", A, true);
    registry.web_contact("WB", "b@new.coop", false);
    registry
}

fn order(registry: &mut Registry, label: &str, owner: &str, now: i64) -> Outcome {
    registry
        .order_web(label, owner, Some("203.0.113.9"), Allocation::None, now)
        .expect("the order is accepted")
}

#[test]
fn a_web_order_of_a_verified_registrant_waits_for_its_mailbox() {
    let mut registry = web_registry();
    let outcome = order(&mut registry, "borrowed", "WA", T0);
    let domain = registry.domain("borrowed");
    assert_eq!(domain.state, DomainState::Processing, "not ACTIVE at once");
    assert_eq!(domain.epp_statuses(), vec!["pendingCreate"]);
    assert!(!domain.is_published(false));
    let approval = domain.approval.as_ref().expect("an approval under way");
    assert_eq!(approval.email, A);
    assert_eq!(approval.token_expires_at, T0 + 15 * DAY);
    let emails: Vec<_> = outcome.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::ApprovalRequest);
    assert_eq!(emails[0].to, A);
    assert_eq!(emails[0].domains, vec![name("borrowed")]);
    let token = emails[0].token.clone().unwrap();
    assert_eq!(
        domain.approval_token_hash(),
        Some(token_hash(&token).as_str())
    );
    // The registrant stays verified; no eligibility re-check.
    assert!(registry.contact("WA").is_verified());

    // The reseller path is unchanged: its verified owner's domain is ACTIVE at once.
    let reseller = registry.active("resold", T0);
    assert_eq!(reseller.state, DomainState::Active);
    assert_eq!(reseller.approval, None);
}

#[test]
fn approve_activates_once_and_decline_frees_the_name_at_once() {
    let mut registry = web_registry();
    order(&mut registry, "yes", "WA", T0);
    let yes = registry.last_token(A);
    order(&mut registry, "no", "WA", T0 + 60);
    let no = registry.last_token(A);
    assert_ne!(yes, no, "one token per order");

    // A token of one order does not answer another.
    let wrong = registry
        .on_domain("no", |d| approve(d, &yes, day(1)))
        .unwrap_err();
    assert_eq!(code(&wrong), ErrorCode::TokenInvalid);

    let approved = registry
        .on_domain("yes", |d| approve(d, &yes, day(1)))
        .unwrap();
    assert_eq!(registry.state("yes"), "ACTIVE");
    assert_eq!(registry.domain("yes").approval, None);
    assert!(registry.domain("yes").is_published(false));
    assert_eq!(approved.emails().next().unwrap().kind, EmailKind::Confirmed);
    assert_eq!(approved.events[0].actor, Actor::Registrant);
    // Single use: the hash is gone with the approval.
    let again = registry
        .on_domain("yes", |d| approve(d, &yes, day(1)))
        .unwrap_err();
    assert_eq!(code(&again), ErrorCode::TokenInvalid);

    let declined = registry
        .on_domain("no", |d| decline_approval(d, &no, day(1)))
        .unwrap();
    assert_eq!(registry.state("no"), "FREE", "the name is free at once");
    assert_eq!(declined.freed, vec!["no.coop".to_string()]);
    assert_eq!(
        declined.emails().next().unwrap().kind,
        EmailKind::ApprovalDeclined
    );
    assert!(registry.contact("WA").is_verified(), "still verified");
    // The name can be ordered again at once.
    order(&mut registry, "no", "WB", day(1));
    assert_eq!(registry.state("no"), "PROCESSING");
}

#[test]
fn an_unanswered_approval_is_reminded_held_and_deleted_at_day_45() {
    let mut registry = web_registry();
    order(&mut registry, "silent", "WA", T0);
    let first = registry.last_token(A);
    assert_eq!(registry.domain("silent").next_due(), Some(day(5)));
    registry.tick(day(6));
    let reminder = registry.tick(day(7));
    let emails: Vec<_> = reminder.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::ApprovalReminder);
    assert_eq!(emails[0].to, A);
    assert_eq!(emails[0].expires_at, Some(day(15)));
    assert_eq!(registry.state("silent"), "PROCESSING");
    assert!(registry.tick(day(14)).is_empty());

    let timeout = registry.tick(day(15));
    assert_eq!(registry.state("silent"), "HELD(timeout)");
    let emails: Vec<_> = timeout.emails().collect();
    assert_eq!(emails[0].kind, EmailKind::TimeoutHeld);
    assert_eq!(emails[0].delete_at, Some(day(45)));
    let expired = registry
        .on_domain("silent", |d| approve(d, &first, day(16)))
        .unwrap_err();
    assert_eq!(code(&expired), ErrorCode::TokenExpired);

    // Nothing more until day 45; then the name is free.
    assert!(registry.tick(day(44)).is_empty());
    let deleted = registry.tick(day(45));
    assert_eq!(registry.state("silent"), "FREE");
    assert_eq!(deleted.freed, vec!["silent.coop".to_string()]);
}

#[test]
fn a_new_approval_link_after_the_timeout_lifts_the_hold_when_approved() {
    let mut registry = web_registry();
    order(&mut registry, "late", "WA", T0);
    let old = registry.last_token(A);
    registry.tick(day(15));
    let owner = registry.contact("WA").clone();
    let owned = registry.owned("WA");
    let resent = resend_link(
        &owner,
        &owned,
        "late.coop",
        Actor::Registrant,
        &random(9),
        day(20),
    )
    .unwrap();
    registry.apply(resent.clone());
    let email = resent.emails().next().unwrap();
    assert_eq!(email.kind, EmailKind::ApprovalRequest);
    assert_eq!(email.expires_at, Some(day(35)));
    let fresh = email.token.clone().unwrap();
    assert_eq!(
        code(
            &registry
                .on_domain("late", |d| approve(d, &old, day(21)))
                .unwrap_err()
        ),
        ErrorCode::TokenInvalid
    );
    registry
        .on_domain("late", |d| approve(d, &fresh, day(21)))
        .unwrap();
    assert_eq!(registry.state("late"), "ACTIVE");
    assert!(registry.tick(day(45)).is_empty(), "approved: not deleted");
}

#[test]
fn resend_link_picks_the_approval_or_the_verification() {
    let mut registry = web_registry();
    order(&mut registry, "pending", "WB", T0);
    let owner = registry.contact("WB").clone();
    let owned = registry.owned("WB");
    let outcome = resend_link(
        &owner,
        &owned,
        "pending.coop",
        Actor::Registrant,
        &random(3),
        day(2),
    )
    .unwrap();
    assert_eq!(outcome.emails().next().unwrap().kind, EmailKind::NewLink);
    // A verified registrant's active domain has nothing to resend.
    order(&mut registry, "done", "WA", T0);
    let token = registry.last_token(A);
    registry
        .on_domain("done", |d| approve(d, &token, day(1)))
        .unwrap();
    let owner = registry.contact("WA").clone();
    let owned = registry.owned("WA");
    let refused = resend_link(
        &owner,
        &owned,
        "done.coop",
        Actor::Registrant,
        &random(3),
        day(2),
    )
    .unwrap_err();
    assert_eq!(code(&refused), ErrorCode::StatusProhibits);
}

#[test]
fn staff_approval_of_the_registrant_settles_a_waiting_approval() {
    let mut registry = web_registry();
    order(&mut registry, "staffed", "WA", T0);
    let token = registry.last_token(A);
    registry.tick(day(15));
    assert_eq!(registry.state("staffed"), "HELD(timeout)");
    registry.decide("WA", Decision::Approve, day(16)).unwrap();
    assert_eq!(registry.state("staffed"), "ACTIVE");
    assert_eq!(registry.domain("staffed").approval, None);
    assert_eq!(registry.domain("staffed").approval_token_hash(), None);
    let late = registry
        .on_domain("staffed", |d| approve(d, &token, day(17)))
        .unwrap_err();
    assert_eq!(code(&late), ErrorCode::TokenInvalid);
    assert!(registry.tick(day(45)).is_empty());
}

/// A web order whose registrant never confirms, by what happens before day 45.
#[test]
fn a_web_order_never_confirmed_is_deleted_at_day_45_unless_settled_first() {
    // (case, what happens at day 20, state at day 45)
    let cases: [(&str, &str); 5] = [
        ("nothing", "FREE"),
        ("confirmed", "ACTIVE"),
        ("staff approved", "ACTIVE"),
        ("staff released", "PROCESSING"),
        ("declined", "FREE"),
    ];
    for (case, at_day_45) in cases {
        let mut registry = web_registry();
        order(&mut registry, "quiet", "WB", T0);
        let token = registry.last_token("b@new.coop");
        if case == "declined" {
            registry.decline("WB", &token, day(2)).unwrap();
            assert_eq!(registry.state("quiet"), "HELD(declined)");
        }
        registry.tick(day(15));
        match case {
            "confirmed" => {
                registry.new_link("WB", 5, day(20)).unwrap();
                let fresh = registry.last_token("b@new.coop");
                registry.confirm("WB", &fresh, day(20)).unwrap();
            }
            "staff approved" => {
                registry.decide("WB", Decision::Approve, day(20)).unwrap();
            }
            "staff released" => {
                registry
                    .on_domain("quiet", |d| {
                        staff_release(d, Actor::Staff("bob".into()), "", day(20))
                    })
                    .unwrap();
            }
            _ => {}
        }
        registry.tick(day(44));
        assert_ne!(registry.state("quiet"), "FREE", "{case}: day 44");
        registry.tick(day(45));
        assert_eq!(registry.state("quiet"), at_day_45, "{case}");
    }
}

#[test]
fn a_resellers_domain_held_unconfirmed_is_not_renewed_at_expiry() {
    // (case, how it got held) — a reseller's domain is not deleted at day 45, but at expiry
    // it takes the deletion path instead of the free automatic renewal.
    for case in ["timeout", "declined"] {
        let mut registry = Registry::new();
        registry.register("held", "OWNER", T0).unwrap();
        if case == "declined" {
            let token = registry.last_token("owner@one.coop");
            registry.decline("OWNER", &token, day(1)).unwrap();
        }
        registry.tick(day(45));
        assert_eq!(registry.state("held"), format!("HELD({case})"), "{case}");
        let expiry = add_years(T0, 1);
        assert!(registry.tick(expiry - 1).is_empty(), "{case}");
        let outcome = registry.tick(expiry);
        assert_eq!(registry.state("held"), "REDEMPTION", "{case}");
        assert_eq!(registry.domain("held").expires, expiry, "not renewed");
        assert_eq!(registry.domain("held").auto_renew, None);
        assert!(outcome.events.iter().any(|e| e.to == "REDEMPTION"));
        registry.tick(expiry + 30 * DAY);
        assert_eq!(registry.state("held"), "PENDING_DELETE", "{case}");
        registry.tick(expiry + 35 * DAY);
        assert_eq!(registry.state("held"), "FREE", "{case}");
    }
    // A staff hold is renewed as before (registry staff decide on it).
    let mut registry = Registry::new();
    registry.active("kept", T0);
    registry
        .on_domain("kept", |d| {
            staff_hold(d, Actor::Staff("bob".into()), "", day(1))
        })
        .unwrap();
    registry.tick(add_years(T0, 1));
    assert_eq!(registry.domain("kept").expires, add_years(T0, 2));
}

#[test]
fn unconfirmed_web_orders_are_the_ones_the_quota_counts() {
    let mut registry = web_registry();
    order(&mut registry, "waiting", "WB", T0);
    order(&mut registry, "approval", "WA", T0);
    registry.active("resold", T0);
    assert!(registry.domain("waiting").is_unconfirmed_web_order());
    assert!(registry.domain("approval").is_unconfirmed_web_order());
    assert!(!registry.domain("resold").is_unconfirmed_web_order());
    registry.tick(day(15));
    assert!(
        registry.domain("waiting").is_unconfirmed_web_order(),
        "held"
    );
    let token = registry.last_token(A);
    registry.tick(day(16));
    let fresh = {
        let owner = registry.contact("WA").clone();
        let owned = registry.owned("WA");
        let outcome = resend_link(
            &owner,
            &owned,
            "approval.coop",
            Actor::Registrant,
            &random(1),
            day(16),
        )
        .unwrap();
        registry.apply(outcome);
        registry.last_token(A)
    };
    assert_ne!(token, fresh);
    registry
        .on_domain("approval", |d| approve(d, &fresh, day(17)))
        .unwrap();
    assert!(!registry.domain("approval").is_unconfirmed_web_order());
}

#[test]
fn reserved_names_need_the_token_staff_issued_for_them() {
    let mut registry = web_registry();
    // Without a token: name_reserved, on every path.
    let refused = registry
        .order_web("nic", "WB", None, Allocation::None, T0)
        .unwrap_err();
    assert_eq!(code(&refused), ErrorCode::NameReserved);
    assert_eq!(refused.errors[0].field, "domain");
    assert!(refused.errors[0].message.contains("reserved"));
    let refused = registry.register("whois", "OWNER", T0).unwrap_err();
    assert_eq!(code(&refused), ErrorCode::NameReserved);

    // Only staff issue a token, only for a reserved name.
    let staff = Actor::Staff("alice".into());
    assert_eq!(
        code(
            &issue_allocation_token(&name("nic"), &Actor::Registrant, &random(1), T0).unwrap_err()
        ),
        ErrorCode::NotYours
    );
    assert_eq!(
        code(&issue_allocation_token(&name("free-name"), &staff, &random(1), T0).unwrap_err()),
        ErrorCode::InvalidValue
    );
    let (stored, token) = issue_allocation_token(&name("nic"), &staff, &random(1), T0).unwrap();
    assert_eq!(stored.name, "nic.coop");
    assert_eq!(stored.issued_by, "alice");
    assert_eq!(stored.token_hash, token_hash(&token));
    assert!(token.len() >= 22);
    assert!(
        !format!("{stored:?}").contains(&token),
        "only the hash is kept"
    );

    // (case, the allocation given, expected)
    let used = AllocationToken {
        used_at: Some(T0),
        ..stored.clone()
    };
    let other = AllocationToken {
        name: "www.coop".into(),
        ..stored.clone()
    };
    let cases = [
        (
            "unknown token",
            Allocation::Unknown,
            Some(ErrorCode::AllocationTokenInvalid),
        ),
        (
            "another name's",
            Allocation::Token(other),
            Some(ErrorCode::AllocationTokenInvalid),
        ),
        (
            "already used",
            Allocation::Token(used),
            Some(ErrorCode::AllocationTokenInvalid),
        ),
        ("the right one", Allocation::Token(stored.clone()), None),
    ];
    for (case, allocation, expected) in cases {
        let result = registry.order_web("nic", "WB", None, allocation, day(1));
        match (expected, result) {
            (Some(expected), Err(problems)) => {
                assert_eq!(code(&problems), expected, "{case}");
                assert_eq!(problems.errors[0].field, "allocation_token", "{case}");
                assert_eq!(registry.state("nic"), "FREE", "{case}");
            }
            (None, Ok(outcome)) => {
                assert_eq!(registry.state("nic"), "PROCESSING", "{case}");
                assert_eq!(
                    outcome.allocation_token_used(),
                    Some(stored.token_hash.as_str())
                );
                assert!(outcome.events[0].reason.contains("allocation token"));
            }
            (expected, got) => panic!("{case}: expected {expected:?}, got {got:?}"),
        }
    }
    // A token given with a free name must be valid too.
    let stray = registry
        .order_web("ordinary", "WB", None, Allocation::Unknown, day(1))
        .unwrap_err();
    assert_eq!(code(&stray), ErrorCode::AllocationTokenInvalid);
}

#[test]
fn the_eligibility_certification_is_kept_with_channel_time_and_web_ip() {
    let mut registry = web_registry();
    // (case, client IP given, kept)
    let cases = [
        ("ipv4", Some("203.0.113.9"), Some("203.0.113.9")),
        (
            "ipv6 in canonical form",
            Some("2001:DB8:0:0::1"),
            Some("2001:db8::1"),
        ),
        ("not an address", Some("<script>"), None),
        ("none given", None, None),
    ];
    for (index, (case, given, kept)) in cases.into_iter().enumerate() {
        let label = format!("cert{index}");
        let outcome = registry
            .order_web(&label, "WB", given, Allocation::None, day(1))
            .unwrap();
        let certification = registry.domain(&label).certification.clone().expect("kept");
        assert_eq!(
            certification.criterion,
            Some(EligibilityCriterion::CooperativeUnderLocalLaw),
            "{case}"
        );
        assert_eq!(certification.at, day(1), "{case}");
        assert_eq!(certification.channel, Channel::Web, "{case}");
        assert_eq!(certification.client_ip.as_deref(), kept, "{case}");
        let event = &outcome.events[0];
        assert!(
            event.reason.contains("cooperative_under_local_law"),
            "{case}"
        );
        assert!(event.reason.contains("web"), "{case}");
        // The client's address is for staff (the note), never in the public reason.
        if let Some(ip) = kept {
            assert!(!event.reason.contains(ip), "{case}");
            assert!(
                event.note.as_deref().is_some_and(|note| note.contains(ip)),
                "{case}"
            );
        }
    }
    // Through a reseller: its id, no IP (the reseller's client is not the registrant).
    let mut reseller_order = super::fixtures::order("resold", "OWNER", 1);
    reseller_order.client_ip = Some("198.51.100.1".into());
    reseller_order.criterion = None;
    let outcome = register(
        &reseller_order,
        R1,
        registry.contact("OWNER"),
        &[],
        None,
        &random(2),
        day(2),
    )
    .unwrap();
    registry.apply(outcome);
    let certification = registry.domain("resold").certification.clone().unwrap();
    assert_eq!(certification.channel, Channel::Reseller(R1.into()));
    assert_eq!(certification.channel.label(), "reseller:reseller-1");
    assert_eq!(
        Channel::from_label("reseller:reseller-1"),
        Some(certification.channel.clone())
    );
    assert_eq!(certification.client_ip, None);
    assert_eq!(certification.criterion, None);
    assert!(certification.describe().contains("no criterion named"));
}
