//! One test per row of product.md's "State machine at a glance" table.

use super::fixtures::*;
use crate::lifecycle::time::*;
use crate::lifecycle::*;
use crate::model::DAY;

#[test]
fn create_owner_verified_is_active_with_add_grace() {
    let mut registry = Registry::new();
    let outcome = registry.register("alpha", "ADMIN", T0).unwrap();
    let domain = registry.domain("alpha");
    assert_eq!(domain.state, DomainState::Active);
    assert_eq!(domain.add_grace_until, Some(T0 + 5 * DAY));
    assert_eq!(domain.expires, add_years(T0, 1));
    assert_eq!(domain.rgp_status(), vec!["addPeriod"]);
    assert!(outcome.effects.is_empty(), "no e-mail for a verified owner");
    assert_eq!(outcome.events.len(), 1);
    assert_eq!(outcome.events[0].to, "ACTIVE");
    assert_eq!(outcome.events[0].actor, Actor::Reseller(R1.into()));
}

#[test]
fn create_owner_not_verified_is_processing_with_one_token() {
    let mut registry = Registry::new();
    let first = registry.register("alpha", "OWNER", T0).unwrap();
    assert_eq!(registry.domain("alpha").state, DomainState::Processing);
    assert_eq!(
        registry.domain("alpha").epp_statuses(),
        vec!["pendingCreate"]
    );
    assert_eq!(registry.domain("alpha").status_word(), "PROCESSING");
    let emails: Vec<_> = first.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::Verification);
    assert_eq!(emails[0].to, "owner@one.coop");
    assert_eq!(emails[0].domains, vec![fixture_name("alpha")]);
    assert_eq!(emails[0].expires_at, Some(T0 + 15 * DAY));
    let token = emails[0].token.clone().unwrap();
    assert!(token.len() >= 22);
    let hash = registry.contact("OWNER").token_hash().unwrap().to_string();
    assert_eq!(hash, token_hash(&token));

    // A second registration while the link works: no second token, no second e-mail.
    let second = registry.register("beta", "OWNER", day(3)).unwrap();
    assert_eq!(second.emails().count(), 0);
    assert_eq!(registry.contact("OWNER").token_hash(), Some(hash.as_str()));
    assert_eq!(registry.domain("beta").state, DomainState::Processing);
}

fn fixture_name(label: &str) -> crate::model::DomainName {
    name(label)
}

#[test]
fn confirm_verifies_and_activates_processing_and_timeout_held() {
    let mut registry = Registry::new();
    registry.register("alpha", "OWNER", T0).unwrap();
    registry.tick(day(15));
    assert_eq!(registry.state("alpha"), "HELD(timeout)");
    registry.new_link("OWNER", 9, day(16)).unwrap();
    registry.register("beta", "OWNER", day(17)).unwrap();
    let token = registry.last_token("owner@one.coop");
    let outcome = registry.confirm("OWNER", &token, day(18)).unwrap();
    assert!(registry.contact("OWNER").is_verified());
    assert_eq!(registry.state("alpha"), "ACTIVE");
    assert_eq!(registry.state("beta"), "ACTIVE");
    let emails: Vec<_> = outcome.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::Confirmed);
    assert_eq!(emails[0].domains, vec![name("alpha"), name("beta")]);
    // Single use.
    assert_eq!(
        code(&registry.confirm("OWNER", &token, day(18)).unwrap_err()),
        crate::ErrorCode::TokenInvalid
    );
    // Later registrations need no link.
    let later = registry.register("gamma", "OWNER", day(20)).unwrap();
    assert_eq!(later.emails().count(), 0);
    assert_eq!(registry.state("gamma"), "ACTIVE");
}

#[test]
fn decline_rejects_and_holds_processing() {
    let mut registry = Registry::new();
    registry.register("alpha", "OWNER", T0).unwrap();
    let token = registry.last_token("owner@one.coop");
    let outcome = registry.decline("OWNER", &token, day(2)).unwrap();
    assert!(matches!(
        registry.contact("OWNER").verification,
        Verification::Rejected { at, by: Actor::Registrant } if at == day(2)
    ));
    assert_eq!(registry.state("alpha"), "HELD(declined)");
    assert_eq!(registry.domain("alpha").epp_statuses(), vec!["serverHold"]);
    assert!(!registry.domain("alpha").is_published(true));
    let emails: Vec<_> = outcome.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::Declined);
    assert_eq!(emails[0].domains, vec![name("alpha")]);
}

#[test]
fn day_7_sends_one_reminder_and_changes_no_state() {
    let mut registry = Registry::new();
    registry.register("alpha", "OWNER", T0).unwrap();
    // Day 5 only ends the add grace.
    let grace = registry.tick(day(6));
    assert_eq!(grace.emails().count(), 0);
    assert_eq!(grace.domains[0].add_grace_until, None);
    let outcome = registry.tick(day(7));
    let emails: Vec<_> = outcome.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::Reminder);
    assert_eq!(emails[0].token, None);
    assert_eq!(emails[0].expires_at, Some(day(15)));
    assert_eq!(registry.state("alpha"), "PROCESSING");
    assert!(registry.tick(day(7)).is_empty());
    assert!(registry.tick(day(14)).is_empty());
}

#[test]
fn day_15_holds_processing_and_expires_the_token() {
    let mut registry = Registry::new();
    registry.register("alpha", "OWNER", T0).unwrap();
    let token = registry.last_token("owner@one.coop");
    registry.tick(day(7));
    let outcome = registry.tick(day(15));
    assert_eq!(registry.state("alpha"), "HELD(timeout)");
    let emails: Vec<_> = outcome.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::TimeoutHeld);
    assert_eq!(emails[0].domains, vec![name("alpha")]);
    assert_eq!(
        code(&registry.confirm("OWNER", &token, day(15)).unwrap_err()),
        crate::ErrorCode::TokenExpired
    );
    assert_eq!(registry.contact("OWNER").next_due(), None);
}

#[test]
fn new_link_replaces_the_old_token() {
    let mut registry = Registry::new();
    registry.register("alpha", "OWNER", T0).unwrap();
    let old = registry.last_token("owner@one.coop");
    let outcome = registry.new_link("OWNER", 42, day(3)).unwrap();
    let emails: Vec<_> = outcome.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::NewLink);
    assert_eq!(emails[0].expires_at, Some(day(18)));
    let new = emails[0].token.clone().unwrap();
    assert_ne!(old, new);
    assert_eq!(
        code(&registry.confirm("OWNER", &old, day(4)).unwrap_err()),
        crate::ErrorCode::TokenInvalid
    );
    // The new link has its own reminder and timeout.
    assert_eq!(registry.contact("OWNER").next_due(), Some(day(10)));
    registry.confirm("OWNER", &new, day(4)).unwrap();
    assert_eq!(registry.state("alpha"), "ACTIVE");
}

#[test]
fn staff_approve_activates_every_waiting_or_held_state_but_not_a_staff_hold() {
    for (setup, expected_before) in [
        ("processing", "PROCESSING"),
        ("declined", "HELD(declined)"),
        ("timeout", "HELD(timeout)"),
        ("rejected", "HELD(rejected)"),
        ("staff", "HELD(staff)"),
    ] {
        let mut registry = Registry::new();
        registry.register("alpha", "OWNER", T0).unwrap();
        let token = registry.last_token("owner@one.coop");
        match setup {
            "declined" => {
                registry.decline("OWNER", &token, day(1)).unwrap();
            }
            "timeout" => {
                registry.tick(day(15));
            }
            "rejected" => {
                registry.decide("OWNER", Decision::Reject, day(1)).unwrap();
            }
            "staff" => {
                registry
                    .on_domain("alpha", |d| {
                        staff_hold(d, Actor::Staff("bob".into()), "", day(1))
                    })
                    .unwrap();
            }
            _ => {}
        }
        assert_eq!(registry.state("alpha"), expected_before, "{setup}");
        let outcome = registry
            .decide("OWNER", Decision::Approve, day(16))
            .unwrap();
        assert!(matches!(
            &registry.contact("OWNER").verification,
            Verification::Verified { at, by: Actor::Staff(who) } if *at == day(16) && who == "alice"
        ));
        assert_eq!(
            registry.contact("OWNER").token_hash(),
            None,
            "{setup}: token void"
        );
        if setup == "staff" {
            assert_eq!(registry.state("alpha"), "HELD(staff)");
            // The release now lands on ACTIVE.
            registry
                .on_domain("alpha", |d| {
                    staff_release(d, Actor::Staff("bob".into()), "ok", day(17))
                })
                .unwrap();
        }
        assert_eq!(registry.state("alpha"), "ACTIVE", "{setup}");
        assert!(outcome
            .events
            .iter()
            .any(|e| e.actor == Actor::Staff("alice".into()) && e.object == "contact:OWNER"));
    }
}

#[test]
fn staff_reject_holds_every_domain_and_deletes_30_days_later() {
    let mut registry = Registry::new();
    registry.register("alpha", "OWNER", T0).unwrap();
    let token = registry.last_token("owner@one.coop");
    registry.confirm("OWNER", &token, day(1)).unwrap();
    registry.register("beta", "OWNER", day(2)).unwrap();
    assert_eq!(registry.state("beta"), "ACTIVE");
    let outcome = registry.decide("OWNER", Decision::Reject, day(10)).unwrap();
    for label in ["alpha", "beta"] {
        assert!(matches!(
            registry.domain(label).state,
            DomainState::Held { reason: HoldReason::Rejected, delete_at: Some(at), .. } if at == day(40)
        ));
        assert_eq!(registry.domain(label).next_due(), Some(day(40)));
    }
    let emails: Vec<_> = outcome.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::Rejected);
    assert_eq!(emails[0].delete_at, Some(day(40)));
    // Repeating the decision (a retried callback) changes nothing.
    assert!(registry
        .decide("OWNER", Decision::Reject, day(11))
        .unwrap()
        .is_empty());
    assert!(registry.tick(day(39)).is_empty());
    let outcome = registry.tick(day(40));
    assert_eq!(
        outcome.freed,
        vec!["alpha.coop".to_string(), "beta.coop".to_string()]
    );
    assert!(registry.find("alpha").is_none());
    // The name is free again.
    registry.register("alpha", "ADMIN", day(41)).unwrap();
}

#[test]
fn staff_hold_and_release_return_to_the_previous_state() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    registry.register("beta", "OWNER", T0).unwrap();
    for (label, before) in [("alpha", "ACTIVE"), ("beta", "PROCESSING")] {
        let outcome = registry
            .on_domain(label, |d| {
                staff_hold(d, Actor::Staff("bob".into()), "abuse report", day(1))
            })
            .unwrap();
        assert_eq!(registry.state(label), "HELD(staff)");
        assert_eq!(outcome.events[0].reason, "held by registry staff");
        assert_eq!(outcome.events[0].note.as_deref(), Some("abuse report"));
        assert_eq!(outcome.events[0].actor, Actor::Staff("bob".into()));
        registry
            .on_domain(label, |d| {
                staff_release(d, Actor::Staff("bob".into()), "", day(2))
            })
            .unwrap();
        assert_eq!(registry.state(label), before);
    }
}

#[test]
fn thirty_days_in_rejected_hold_frees_the_name_unless_released() {
    let mut registry = Registry::new();
    registry.register("alpha", "OWNER", T0).unwrap();
    registry.register("beta", "OWNER", T0).unwrap();
    registry.decide("OWNER", Decision::Reject, day(1)).unwrap();
    registry
        .on_domain("beta", |d| {
            staff_release(d, Actor::Staff("bob".into()), "appeal", day(20))
        })
        .unwrap();
    registry.tick(day(31));
    assert!(registry.find("alpha").is_none());
    assert_eq!(registry.state("beta"), "PROCESSING");
}

#[test]
fn material_change_of_a_verified_owner_starts_re_verification() {
    let mut registry = Registry::new();
    registry.register("alpha", "OWNER", T0).unwrap();
    let token = registry.last_token("owner@one.coop");
    registry.confirm("OWNER", &token, day(1)).unwrap();

    // Not material: the phone.
    let mut info = registry.contact("OWNER").info.clone();
    info.phone = "+44.1610000000".into();
    let contact = registry.contact("OWNER").clone();
    let outcome = modify_contact(
        &contact,
        &registry.owned("OWNER"),
        R1,
        &info,
        &random(1),
        day(2),
    )
    .unwrap();
    registry.apply(outcome.clone());
    assert_eq!(outcome.emails().count(), 0);
    assert!(registry.contact("OWNER").is_verified());

    // Material: the e-mail address.
    info.email = "new@one.coop".into();
    let contact = registry.contact("OWNER").clone();
    let outcome = modify_contact(
        &contact,
        &registry.owned("OWNER"),
        R1,
        &info,
        &random(2),
        day(3),
    )
    .unwrap();
    registry.apply(outcome.clone());
    let emails: Vec<_> = outcome.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::Verification);
    assert_eq!(emails[0].to, "new@one.coop");
    assert_eq!(emails[0].domains, vec![name("alpha")]);
    assert_eq!(registry.contact("OWNER").verification.word(), "pending");
    assert_eq!(
        registry.state("alpha"),
        "ACTIVE",
        "domains unchanged meanwhile"
    );

    // Unanswered: the domain is held at day 15 of the link.
    registry.tick(day(17));
    assert_eq!(registry.state("alpha"), "ACTIVE");
    registry.tick(day(18));
    assert_eq!(registry.state("alpha"), "HELD(timeout)");
    // Confirming later lifts the hold.
    registry.new_link("OWNER", 3, day(19)).unwrap();
    let token = registry.last_token("new@one.coop");
    registry.confirm("OWNER", &token, day(19)).unwrap();
    assert_eq!(registry.state("alpha"), "ACTIVE");
}

#[test]
fn change_of_owner_to_an_unverified_contact_starts_verification() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let new_owner = registry.contact("OWNER").clone();
    let outcome = registry
        .on_domain("alpha", |d| {
            change_owner(d, R1, &new_owner, &[], &random(5), day(1))
        })
        .unwrap();
    assert_eq!(registry.domain("alpha").owner, "OWNER");
    assert_eq!(registry.state("alpha"), "ACTIVE");
    let emails: Vec<_> = outcome.emails().collect();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, EmailKind::Verification);
    let token = registry.last_token("owner@one.coop");
    registry.decline("OWNER", &token, day(2)).unwrap();
    assert_eq!(registry.state("alpha"), "HELD(declined)");
}

#[test]
fn delete_within_add_grace_frees_at_once() {
    for owner in ["ADMIN", "OWNER"] {
        let mut registry = Registry::new();
        registry.register("alpha", owner, T0).unwrap();
        let outcome = registry
            .on_domain("alpha", |d| delete(d, R1, day(4)))
            .unwrap();
        assert_eq!(outcome.freed, vec!["alpha.coop".to_string()]);
        assert!(outcome.domains.is_empty());
        assert!(registry.find("alpha").is_none());
    }
}

#[test]
fn delete_after_add_grace_goes_through_redemption_and_pending_delete() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    registry.register("beta", "OWNER", T0).unwrap();
    registry.tick(day(15));
    for label in ["alpha", "beta"] {
        registry
            .on_domain(label, |d| delete(d, R1, day(20)))
            .unwrap();
        assert_eq!(registry.state(label), "REDEMPTION");
        assert_eq!(registry.domain(label).epp_statuses(), vec!["pendingDelete"]);
        assert_eq!(
            registry.domain(label).rgp_status(),
            vec!["redemptionPeriod"]
        );
        assert!(!registry.domain(label).is_published(true));
    }
    registry.tick(day(49));
    assert_eq!(registry.state("alpha"), "REDEMPTION");
    registry.tick(day(50));
    assert_eq!(registry.state("alpha"), "PENDING_DELETE");
    assert_eq!(registry.domain("alpha").rgp_status(), vec!["pendingDelete"]);
    registry.tick(day(54));
    assert_eq!(registry.state("alpha"), "PENDING_DELETE");
    let outcome = registry.tick(day(55));
    assert_eq!(outcome.freed.len(), 2);
}

#[test]
fn restore_returns_to_the_previous_state() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    registry.register("beta", "OWNER", T0).unwrap();
    registry.tick(day(15));
    for (label, before) in [("alpha", "ACTIVE"), ("beta", "HELD(timeout)")] {
        registry
            .on_domain(label, |d| delete(d, R1, day(20)))
            .unwrap();
        registry
            .on_domain(label, |d| restore(d, R1, day(30)))
            .unwrap();
        assert_eq!(registry.state(label), before);
    }
}

#[test]
fn renew_adds_the_period_when_expiration_is_the_current_year() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let year = time::year_of(registry.domain("alpha").expires);
    assert_eq!(year, 2027);
    registry
        .on_domain("alpha", |d| renew(d, R1, 3, 2027, day(10)))
        .unwrap();
    assert_eq!(registry.domain("alpha").expires, add_years(T0, 4));
    // A retry with the same EXPIRATION cannot renew twice.
    let retry = registry
        .on_domain("alpha", |d| renew(d, R1, 3, 2027, day(10)))
        .unwrap_err();
    assert_eq!(code(&retry), crate::ErrorCode::ExpirationMismatch);
    assert!(retry.errors[0].message.contains("2030"));
    // Held domains may be renewed too.
    registry.register("beta", "OWNER", T0).unwrap();
    registry.tick(day(15));
    registry
        .on_domain("beta", |d| renew(d, R1, 1, 2027, day(16)))
        .unwrap();
    assert_eq!(registry.domain("beta").expires, add_years(T0, 2));
}

#[test]
fn reaching_expiry_renews_one_year_with_auto_renew_grace() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    registry.active("beta", T0);
    registry
        .on_domain("beta", |d| {
            staff_hold(d, Actor::Staff("bob".into()), "", day(15))
        })
        .unwrap();
    registry.tick(day(15));
    let expiry = add_years(T0, 1);
    assert!(registry.tick(expiry - 1).is_empty());
    registry.tick(expiry);
    for label in ["alpha", "beta"] {
        let domain = registry.domain(label);
        assert_eq!(domain.expires, add_years(T0, 2));
        assert_eq!(
            domain.auto_renew,
            Some(AutoRenew {
                grace_until: expiry + 45 * DAY,
                previous_expiry: expiry
            })
        );
        assert_eq!(domain.rgp_status(), vec!["autoRenewPeriod"]);
    }
    assert_eq!(registry.state("beta"), "HELD(staff)");
    // Within the grace, EXPIRATION names the year before the automatic renewal, and the
    // renewal replaces it.
    let wrong = registry
        .on_domain("alpha", |d| renew(d, R1, 1, 2028, expiry + DAY))
        .unwrap_err();
    assert_eq!(code(&wrong), crate::ErrorCode::ExpirationMismatch);
    registry
        .on_domain("alpha", |d| renew(d, R1, 2, 2027, expiry + DAY))
        .unwrap();
    assert_eq!(registry.domain("alpha").expires, add_years(T0, 3));
    assert_eq!(registry.domain("alpha").auto_renew, None);
    // A delete within the grace goes to redemption, not free.
    registry
        .on_domain("beta", |d| delete(d, R1, expiry + 2 * DAY))
        .unwrap();
    assert_eq!(registry.state("beta"), "REDEMPTION");
    // After the grace the rgp status clears.
    registry.active("gamma", T0);
    registry.tick(expiry + 45 * DAY);
    assert_eq!(registry.domain("gamma").rgp_status(), Vec::<&str>::new());
}

fn request(registry: &mut Registry, label: &str, now: crate::model::Timestamp) -> Outcome {
    let code = registry.domain(label).auth_code.as_str().to_string();
    let owner = registry
        .contact(&registry.domain(label).owner.clone())
        .clone();
    let admin = registry.contact("ADMIN").clone();
    registry
        .on_domain(label, |d| {
            transfer_request(d, R2, &code, &owner, &admin, &random(77), now)
        })
        .unwrap()
}

#[test]
fn transfer_request_sets_pending_and_mails_owner_and_admin() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let outcome = request(&mut registry, "alpha", day(70));
    let domain = registry.domain("alpha");
    assert_eq!(domain.status_word(), "PENDING_TRANSFER");
    assert_eq!(domain.epp_statuses(), vec!["pendingTransfer"]);
    assert!(domain.is_published(false));
    assert_eq!(domain.next_due(), Some(day(75)));
    let emails: Vec<_> = outcome.emails().collect();
    let to: Vec<_> = emails.iter().map(|e| e.to.as_str()).collect();
    assert_eq!(to, vec!["ok@two.coop", "admin@one.coop"]);
    for email in &emails {
        assert_eq!(
            email.kind,
            EmailKind::TransferRequested {
                gaining_reseller: R2.into()
            }
        );
        assert_eq!(email.expires_at, Some(day(75)));
        assert_eq!(
            email.token.as_deref().map(token_hash).as_deref(),
            domain.transfer_token_hash()
        );
    }
}

#[test]
fn transfer_approve_or_five_days_completes_at_the_gaining_reseller() {
    for how in ["reseller", "token", "clock"] {
        let mut registry = Registry::new();
        registry.active("alpha", T0);
        let old_code = registry.domain("alpha").auth_code.clone();
        let outcome = request(&mut registry, "alpha", day(70));
        let token = outcome.emails().next().unwrap().token.clone().unwrap();
        let done_at = match how {
            "reseller" => {
                registry
                    .on_domain("alpha", |d| {
                        transfer_approve(d, &LosingSide::Reseller(R1.into()), day(71))
                    })
                    .unwrap();
                day(71)
            }
            "token" => {
                registry
                    .on_domain("alpha", |d| {
                        transfer_approve(d, &LosingSide::Token(token.clone()), day(72))
                    })
                    .unwrap();
                day(72)
            }
            _ => {
                assert!(registry.tick(day(75) - 1).is_empty());
                registry.tick(day(80));
                day(75)
            }
        };
        let domain = registry.domain("alpha");
        assert_eq!(domain.state, DomainState::Active, "{how}");
        assert_eq!(domain.reseller, R2, "{how}");
        assert_eq!(domain.expires, add_years(T0, 2), "{how}");
        assert_ne!(domain.auth_code, old_code, "{how}: new auth code");
        assert_eq!(domain.updated, done_at, "{how}");
        assert!(registry
            .events
            .iter()
            .any(|e| e.to == "ACTIVE" && e.at == done_at));
    }
}

#[test]
fn transfer_completion_caps_the_term_at_ten_years() {
    let mut registry = Registry::new();
    registry.register_for("alpha", "ADMIN", R1, 10, T0).unwrap();
    request(&mut registry, "alpha", day(100));
    registry
        .on_domain("alpha", |d| {
            transfer_approve(d, &LosingSide::Reseller(R1.into()), day(101))
        })
        .unwrap();
    assert_eq!(registry.domain("alpha").expires, add_years(day(101), 10));
}

#[test]
fn transfer_deny_and_cancel_return_to_active() {
    for how in ["deny", "cancel"] {
        let mut registry = Registry::new();
        registry.active("alpha", T0);
        let before = registry.domain("alpha").clone();
        request(&mut registry, "alpha", day(70));
        match how {
            "deny" => registry
                .on_domain("alpha", |d| {
                    transfer_deny(d, &LosingSide::Reseller(R1.into()), day(71))
                })
                .unwrap(),
            _ => registry
                .on_domain("alpha", |d| transfer_cancel(d, R2, day(71)))
                .unwrap(),
        };
        let domain = registry.domain("alpha");
        assert_eq!(domain.state, DomainState::Active);
        assert_eq!(domain.reseller, R1);
        assert_eq!(domain.expires, before.expires);
        assert_eq!(domain.auth_code, before.auth_code);
    }
}

#[test]
fn staff_delete_acts_for_the_registry_only_and_names_the_staff_member() {
    let staff = || Actor::Staff("alice".into());
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    registry.active("beta", T0);
    // The sponsor's delete lock does not bind the registry.
    let mut locked = registry.domain("beta").clone();
    locked
        .client_statuses
        .insert(ClientStatus::ClientDeleteProhibited);
    registry.domains.insert(locked.name.ascii.clone(), locked);
    for (actor, expected) in [
        (Actor::Reseller(R1.into()), Some(crate::ErrorCode::NotYours)),
        (Actor::Registrant, Some(crate::ErrorCode::NotYours)),
        (staff(), None),
    ] {
        let result = registry.on_domain("alpha", |d| staff_delete(d, actor, "fraud", day(20)));
        assert_eq!(result.as_ref().err().map(code), expected);
    }
    assert_eq!(registry.state("alpha"), "REDEMPTION");
    let event = registry.events.last().unwrap();
    assert_eq!(event.actor, staff());
    assert_eq!(event.reason, "deleted by registry staff");
    assert_eq!(
        event.note.as_deref(),
        Some("fraud"),
        "the note is kept for staff only"
    );
    registry
        .on_domain("beta", |d| staff_delete(d, staff(), "", day(20)))
        .unwrap();
    assert_eq!(registry.state("beta"), "REDEMPTION");
    let again = registry.on_domain("alpha", |d| staff_delete(d, staff(), "", day(21)));
    assert_eq!(
        again.err().map(|p| code(&p)),
        Some(crate::ErrorCode::StatusProhibits)
    );
}

#[test]
fn staff_delete_within_add_grace_frees_the_name() {
    let mut registry = Registry::new();
    registry.register("alpha", "ADMIN", T0).unwrap();
    let outcome = registry
        .on_domain("alpha", |d| {
            staff_delete(d, Actor::Staff("alice".into()), "", day(1))
        })
        .unwrap();
    assert_eq!(outcome.freed, vec!["alpha.coop".to_string()]);
    assert!(registry.find("alpha").is_none());
}

#[test]
fn a_verified_new_owner_finalises_a_waiting_or_timed_out_domain() {
    let mut registry = Registry::new();
    registry.register("alpha", "OWNER", T0).unwrap();
    registry.register("beta", "OWNER", T0).unwrap();
    registry.tick(day(15));
    let admin = registry.contact("ADMIN").clone();
    for label in ["alpha", "beta"] {
        let outcome = registry
            .on_domain(label, |d| {
                change_owner(d, R1, &admin, &[], &random(4), day(16))
            })
            .unwrap();
        assert_eq!(outcome.emails().count(), 0);
        assert_eq!(registry.state(label), "ACTIVE");
        assert_eq!(registry.domain(label).owner, "ADMIN");
    }
}

#[test]
fn re_verification_timeout_holds_an_active_domain_and_cancels_its_transfer() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let mut info = registry.contact("OK").info.clone();
    info.country = "FR".into();
    let contact = registry.contact("OK").clone();
    let outcome = modify_contact(
        &contact,
        &registry.owned("OK"),
        R1,
        &info,
        &random(2),
        day(60),
    )
    .unwrap();
    registry.apply(outcome);
    request(&mut registry, "alpha", day(72));
    assert_eq!(registry.state("alpha"), "PENDING_TRANSFER");
    registry.tick(day(75));
    assert!(matches!(
        &registry.domain("alpha").state,
        DomainState::Held { reason: HoldReason::Timeout, previous, .. } if **previous == DomainState::Active
    ));
    assert_eq!(
        registry.domain("alpha").reseller,
        R1,
        "the transfer did not complete"
    );
}

/// Found by the property test: rejected owner → hold; the sponsor moves the domain to a
/// verified owner; a staff release must then give ACTIVE, never PROCESSING with a verified
/// owner.
#[test]
fn release_after_moving_a_rejected_owners_domain_to_a_verified_owner_is_active() {
    let mut registry = Registry::new();
    registry.register("alpha", "OWNER", T0).unwrap();
    registry.decide("OWNER", Decision::Reject, day(1)).unwrap();
    assert_eq!(registry.state("alpha"), "HELD(rejected)");
    let admin = registry.contact("ADMIN").clone();
    assert!(admin.is_verified());
    registry
        .on_domain("alpha", |d| {
            change_owner(d, R1, &admin, &[], &random(4), day(2))
        })
        .unwrap();
    assert_eq!(
        registry.state("alpha"),
        "HELD(rejected)",
        "the registry's hold stays"
    );
    registry
        .on_domain("alpha", |d| {
            staff_release(d, Actor::Staff("bob".into()), "new owner", day(3))
        })
        .unwrap();
    assert_eq!(registry.state("alpha"), "ACTIVE");
}
