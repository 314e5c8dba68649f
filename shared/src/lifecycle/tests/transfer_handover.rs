//! On transfer completion the domain's contacts move to the gaining reseller
//! (`plan_handover`, applied by `transfer_approve` and the 5-day auto-approval).

use super::fixtures::*;
use crate::lifecycle::*;
use crate::model::Timestamp;
use crate::ErrorCode;

fn fresh() -> Vec<String> {
    (1..=4).map(|n| format!("P-NEW{n}")).collect()
}

/// Requests the transfer of `label` to R2 with the hand-over planned against `candidates`.
fn request(registry: &mut Registry, label: &str, candidates: &[ContactRecord], now: Timestamp) {
    let domain = registry.domain(label).clone();
    let contacts: Vec<ContactRecord> =
        [&domain.owner, &domain.admin, &domain.tech, &domain.billing]
            .iter()
            .map(|handle| registry.contact(handle).clone())
            .collect();
    let plan = plan_handover(&domain, &contacts, R2, [None; 4], candidates, &fresh(), now).unwrap();
    let code = domain.auth_code.as_str().to_string();
    let owner = registry.contact(&domain.owner).clone();
    let admin = registry.contact(&domain.admin).clone();
    registry
        .on_domain(label, |d| {
            transfer_request_handing_over(d, R2, &code, &owner, &admin, plan, &random(9), now)
        })
        .unwrap();
}

fn approve(registry: &mut Registry, label: &str, now: Timestamp) {
    registry
        .on_domain(label, |d| {
            transfer_approve(d, &LosingSide::Reseller(R1.into()), now)
        })
        .unwrap();
}

fn roles(domain: &DomainRecord) -> [String; 4] {
    [
        domain.owner.clone(),
        domain.admin.clone(),
        domain.tech.clone(),
        domain.billing.clone(),
    ]
}

#[test]
fn copies_under_new_handles_owned_by_the_gaining_reseller() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let before = registry.domain("alpha").clone();
    let old_owner = registry.contact(&before.owner).clone();
    assert!(old_owner.is_verified());
    request(&mut registry, "alpha", &[], day(10));
    // Nothing moves before completion.
    assert_eq!(roles(registry.domain("alpha")), roles(&before));
    approve(&mut registry, "alpha", day(11));

    let after = registry.domain("alpha").clone();
    assert_eq!(after.reseller, R2);
    for (old, new) in roles(&before).iter().zip(roles(&after).iter()) {
        assert_ne!(old, new, "each role names a new handle");
        assert!(new.starts_with("P-NEW"));
        let copy = registry.contact(new);
        assert_eq!(copy.reseller, R2);
        assert_eq!(copy.info, registry.contact(old).info, "the data is copied");
        assert_eq!(copy.created, day(11));
        // The old contact stays with the losing reseller, unchanged.
        assert_eq!(registry.contact(old).reseller, R1);
    }
    // A handle used in several roles is copied once.
    let distinct_before: std::collections::BTreeSet<_> = roles(&before).into_iter().collect();
    let distinct_after: std::collections::BTreeSet<_> = roles(&after).into_iter().collect();
    assert_eq!(distinct_before.len(), distinct_after.len());
    // The verified owner stays verified; the copy has the same verification.
    let new_owner = registry.contact(&after.owner);
    assert!(new_owner.is_verified());
    assert_eq!(new_owner.verification, old_owner.verification);
    assert!(registry.owned(&old_owner.handle).is_empty());
}

#[test]
fn an_identical_contact_of_the_gaining_reseller_is_used_unless_less_verified() {
    // (gaining reseller's identical contact verified?, reused as owner?)
    for (verified, reused) in [(true, true), (false, false)] {
        let mut registry = Registry::new();
        registry.active("alpha", T0);
        let old_owner = registry.contact(&registry.domain("alpha").owner).clone();
        let mut mine = ContactRecord::new("P-MINE", R2, old_owner.info.clone(), T0);
        if verified {
            mine.verification = old_owner.verification.clone();
        }
        registry.add_contact(mine.clone());
        request(&mut registry, "alpha", &[mine], day(10));
        approve(&mut registry, "alpha", day(11));
        let owner = &registry.domain("alpha").owner;
        assert_eq!(owner == "P-MINE", reused, "verified={verified}");
        assert!(registry.contact(owner).is_verified());
        assert_eq!(registry.contact(owner).reseller, R2);
    }
}

#[test]
fn the_auto_approval_hands_over_too() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let old_owner = registry.domain("alpha").owner.clone();
    request(&mut registry, "alpha", &[], day(10));
    registry.tick(day(15));
    let owner = registry.domain("alpha").owner.clone();
    assert_ne!(owner, old_owner);
    assert_eq!(registry.contact(&owner).reseller, R2);
}

#[test]
fn the_losing_reseller_no_longer_reaches_the_domain() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let old_owner = registry.contact(&registry.domain("alpha").owner).clone();
    request(&mut registry, "alpha", &[], day(10));
    approve(&mut registry, "alpha", day(11));
    let new_owner = registry.contact(&registry.domain("alpha").owner).clone();

    // The losing reseller cannot change the new owner.
    let mut changed = new_owner.info.clone();
    changed.email = "thief@example.org".into();
    let refused = modify_contact(&new_owner, &[], R1, &changed, &random(1), day(12));
    assert_eq!(code(&refused.unwrap_err()), ErrorCode::NotYours);

    // A material change of its old contact starts a re-verification that holds nothing.
    let owned = registry.owned(&old_owner.handle);
    assert!(owned.is_empty());
    let outcome = modify_contact(&old_owner, &owned, R1, &changed, &random(2), day(12)).unwrap();
    let outcome = registry.apply(outcome);
    assert!(outcome.domains.is_empty());
    registry.tick(day(40)); // the old contact's link times out
    assert_eq!(registry.domain("alpha").state, DomainState::Active);
    assert_eq!(registry.domain("alpha").reseller, R2);
}

#[test]
fn a_contact_not_given_is_refused() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let domain = registry.domain("alpha").clone();
    let refused = plan_handover(&domain, &[], R2, [None; 4], &[], &fresh(), day(10));
    assert_eq!(code(&refused.unwrap_err()), ErrorCode::NotFound);
}

#[test]
fn contacts_named_in_the_request_are_used_per_role() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    let domain = registry.domain("alpha").clone();
    let contacts: Vec<ContactRecord> =
        [&domain.owner, &domain.admin, &domain.tech, &domain.billing]
            .iter()
            .map(|handle| registry.contact(handle).clone())
            .collect();
    let old_owner = registry.contact(&domain.owner).clone();
    let mut same = ContactRecord::new("P-SAME", R2, old_owner.info.clone(), T0);
    same.verification = old_owner.verification.clone();
    let unverified_same = ContactRecord::new("P-UNVER", R2, old_owner.info.clone(), T0);
    let other = ContactRecord::new("P-OTHER", R2, info("Elsewhere", "x@else.coop"), T0);
    let foreign = ContactRecord::new("P-FOREIGN", R1, info("Elsewhere", "x@else.coop"), T0);
    // (named owner, named admin, expected error)
    let rows: [(
        Option<&ContactRecord>,
        Option<&ContactRecord>,
        Option<ErrorCode>,
    ); 5] = [
        (Some(&same), Some(&other), None),
        (None, Some(&other), None),
        (Some(&other), None, Some(ErrorCode::InvalidValue)),
        (Some(&unverified_same), None, Some(ErrorCode::InvalidValue)),
        (None, Some(&foreign), Some(ErrorCode::NotYours)),
    ];
    for (owner, admin, error) in rows {
        let planned = plan_handover(
            &domain,
            &contacts,
            R2,
            [owner, admin, None, None],
            &[],
            &fresh(),
            day(10),
        );
        match error {
            Some(expected) => assert_eq!(code(&planned.unwrap_err()), expected),
            None => {
                let plan = planned.unwrap();
                let to = |role: ContactRole| {
                    plan.iter()
                        .find(|step| step.role == role)
                        .map(|step| step.to.clone())
                };
                assert_eq!(to(ContactRole::Admin).as_deref(), Some("P-OTHER"));
                match owner {
                    Some(named) => assert_eq!(to(ContactRole::Owner), Some(named.handle.clone())),
                    None => assert!(to(ContactRole::Owner).unwrap().starts_with("P-NEW")),
                }
                // The tech and billing roles are copied (once per old handle).
                assert!(to(ContactRole::Tech).unwrap().starts_with("P-NEW"));
                let copies = plan.iter().filter(|step| step.copy.is_some()).count();
                let distinct: std::collections::BTreeSet<_> = plan
                    .iter()
                    .filter(|step| step.to.starts_with("P-NEW"))
                    .map(|step| step.to.clone())
                    .collect();
                assert_eq!(copies, distinct.len());
            }
        }
    }
}
