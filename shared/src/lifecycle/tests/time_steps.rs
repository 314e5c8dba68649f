//! Time: idempotence of tick, projection equal to tick, late crons, due times.

use super::fixtures::*;
use crate::lifecycle::*;
use crate::model::DAY;

/// A registry with one domain in each kind of time-driven situation.
fn busy_registry() -> Registry {
    let mut registry = Registry::new();
    registry.active("active", T0);
    registry.register("waiting", "OWNER", T0).unwrap();
    registry.active("deleted", T0);
    registry
        .on_domain("deleted", |d| delete(d, R1, day(6)))
        .unwrap();
    registry.active("moving", T0);
    let code = registry.domain("moving").auth_code.as_str().to_string();
    let owner = registry.contact("OK").clone();
    let admin = registry.contact("ADMIN").clone();
    registry
        .on_domain("moving", |d| {
            transfer_request(d, R2, &code, &owner, &admin, &random(3), day(6))
        })
        .unwrap();
    let mut rejected = ContactRecord::new("BAD", R1, info("Not A Co-op", "bad@x.example"), T0);
    rejected.verification = Verification::Unverified;
    registry.add_contact(rejected);
    registry.register("doomed", "BAD", T0).unwrap();
    registry.decide("BAD", Decision::Reject, day(6)).unwrap();
    // Web orders: one waiting for its verified registrant's mailbox, one whose new
    // registrant never answers (deleted at day 45).
    registry.web_contact("WA", "wa@web.coop", true);
    registry.web_contact("WB", "wb@web.coop", false);
    registry
        .order_web("approving", "WA", None, Allocation::None, T0)
        .unwrap();
    registry
        .order_web("unanswered", "WB", None, Allocation::None, day(1))
        .unwrap();
    registry
}

const CHECKPOINTS: [i64; 15] = [0, 5, 7, 10, 11, 14, 15, 36, 41, 45, 46, 366, 400, 800, 1200];

#[test]
fn tick_twice_at_the_same_time_changes_nothing_the_second_time() {
    for checkpoint in CHECKPOINTS {
        let mut registry = busy_registry();
        registry.tick(day(checkpoint));
        let again = registry.tick(day(checkpoint));
        assert!(again.is_empty(), "day {checkpoint}: {again:?}");
    }
}

#[test]
fn projection_equals_what_tick_stores() {
    for checkpoint in CHECKPOINTS {
        let registry = busy_registry();
        let contacts: Vec<_> = registry.contacts.values().cloned().collect();
        let domains: Vec<_> = registry.domains.values().cloned().collect();
        let projected = project(&contacts, &domains, day(checkpoint));
        let mut ticked = busy_registry();
        let outcome = ticked.tick(day(checkpoint));
        assert_eq!(
            projected.contacts,
            ticked.contacts.values().cloned().collect::<Vec<_>>()
        );
        assert_eq!(
            projected.domains,
            ticked.domains.values().cloned().collect::<Vec<_>>()
        );
        assert_eq!(projected.freed, outcome.freed, "day {checkpoint}");
        // The single-domain projection agrees for every domain.
        for domain in &domains {
            let owner = registry.contacts.get(&domain.owner);
            let one = project_domain(domain, owner, day(checkpoint));
            assert_eq!(
                one.as_ref(),
                ticked.domains.get(&domain.name.ascii),
                "day {checkpoint}"
            );
        }
    }
}

#[test]
fn a_late_cron_reaches_the_same_records_as_a_daily_one() {
    let mut daily = busy_registry();
    for n in 0..=800 {
        daily.tick(day(n));
    }
    let mut late = busy_registry();
    let outcome = late.tick(day(800));
    assert_eq!(daily.contacts, late.contacts);
    assert_eq!(daily.domains, late.domains);
    let mut freed_daily = daily.freed.clone();
    freed_daily.sort();
    let mut freed_late = outcome.freed.clone();
    freed_late.sort();
    assert_eq!(freed_daily, freed_late);
    // The late run skips the stale reminders: only the timeout e-mails go out (the two
    // pending registrants', and the waiting approval's).
    assert_eq!(late.emails_of_kind(&EmailKind::Reminder).len(), 0);
    assert_eq!(daily.emails_of_kind(&EmailKind::Reminder).len(), 2);
    assert_eq!(late.emails_of_kind(&EmailKind::ApprovalReminder).len(), 0);
    assert_eq!(daily.emails_of_kind(&EmailKind::ApprovalReminder).len(), 1);
    assert_eq!(late.emails_of_kind(&EmailKind::TimeoutHeld).len(), 3);
    assert_eq!(daily.emails_of_kind(&EmailKind::TimeoutHeld).len(), 3);
    // Names are never held for free: by day 800 every unconfirmed domain is gone.
    for label in ["waiting", "approving", "unanswered"] {
        assert_eq!(late.state(label), "FREE", "{label}");
    }
}

#[test]
fn next_due_names_the_earliest_step_and_nothing_before_it_changes() {
    let registry = busy_registry();
    for domain in registry.domains.values() {
        let due = domain.next_due().expect("each has a step");
        let before = tick(&[], core::slice::from_ref(domain), due - 1);
        assert!(before.is_empty(), "{}: early step", domain.name.ascii);
        let at = tick(&[], core::slice::from_ref(domain), due);
        assert!(
            !at.is_empty() || at.freed.len() == 1,
            "{}: nothing at due",
            domain.name.ascii
        );
    }
    let owner = registry.contact("OWNER");
    assert_eq!(owner.next_due(), Some(day(7)));
    assert_eq!(registry.domain("deleted").next_due(), Some(day(36)));
    assert_eq!(registry.domain("moving").next_due(), Some(day(11)));
    assert_eq!(registry.domain("doomed").next_due(), Some(day(36)));
    assert_eq!(registry.domain("active").next_due(), Some(day(5)));
}

#[test]
fn commands_see_the_projected_state() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    registry
        .on_domain("alpha", |d| delete(d, R1, day(10)))
        .unwrap();
    // The cron never ran: the name's deletion completed at day 45 all the same.
    let stale = registry.domain("alpha").clone();
    let err = restore(&stale, R1, day(46)).unwrap_err();
    assert_eq!(code(&err), crate::ErrorCode::NotFound);
    // And registering it again replaces the old record in the same outcome.
    let outcome = registry.register("alpha", "ADMIN", day(46)).unwrap();
    assert!(outcome.freed.is_empty());
    assert!(outcome
        .events
        .iter()
        .any(|e| e.to == "FREE" && e.object == "domain:alpha.coop"));
    assert_eq!(registry.state("alpha"), "ACTIVE");
    assert_eq!(registry.domain("alpha").created, day(46));
}

#[test]
fn is_published_follows_the_zone_rule() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    registry.register("beta", "OWNER", T0).unwrap();
    assert!(registry.domain("alpha").is_published(false));
    assert!(!registry.domain("beta").is_published(false));
    assert!(registry.domain("beta").is_published(true));
    let changes = DomainChanges {
        add_statuses: vec![ClientStatus::ClientHold],
        ..DomainChanges::default()
    };
    registry
        .on_domain("alpha", |d| {
            modify_domain(d, R1, &changes, &random(1), day(1))
        })
        .unwrap();
    assert!(!registry.domain("alpha").is_published(true));
    assert_eq!(registry.domain("alpha").epp_statuses(), vec!["clientHold"]);
    let _ = DAY;
}
