//! What the owner's verification does to its domains: activate them, hold them, or hold
//! them for deletion. Each rule looks through a staff hold and through redemption, so that
//! releasing or restoring later lands in the state the verification decided.

use super::record::{DomainState, HoldReason};
use super::time::REJECTED_DELETE_AFTER;
use crate::model::Timestamp;

/// The state after the owner is verified: PROCESSING and holds for one of `lifted` become
/// ACTIVE. `None` when the state does not change.
pub(crate) fn activated(state: &DomainState, lifted: &[HoldReason]) -> Option<DomainState> {
    match state {
        DomainState::Processing => Some(DomainState::Active),
        DomainState::Held { reason, .. } if lifted.contains(reason) => Some(DomainState::Active),
        // A hold that stays still remembers what a release returns to: with the owner
        // verified, that is no longer PROCESSING (a release must not bring back a
        // pendingCreate domain whose owner is verified).
        DomainState::Held {
            reason,
            since,
            delete_at,
            previous,
        } => activated(previous, lifted).map(|inner| DomainState::Held {
            reason: *reason,
            since: *since,
            delete_at: *delete_at,
            previous: Box::new(inner),
        }),
        DomainState::Redemption {
            since,
            until,
            previous,
        } => activated(previous, lifted).map(|inner| DomainState::Redemption {
            since: *since,
            until: *until,
            previous: Box::new(inner),
        }),
        _ => None,
    }
}

/// The state after the owner timed out or declined: PROCESSING and ACTIVE domains go on
/// hold for `reason` (ACTIVE ones only exist during a re-verification: a material change or
/// a new owner, whose domains "stay as they are until it times out or is rejected"); a
/// pending transfer of such a domain is cancelled.
pub(crate) fn held(state: &DomainState, reason: HoldReason, at: Timestamp) -> Option<DomainState> {
    match state {
        DomainState::PendingTransfer(_) => Some(DomainState::Held {
            reason,
            since: at,
            delete_at: None,
            previous: Box::new(DomainState::Active),
        }),
        DomainState::Processing | DomainState::Active => Some(DomainState::Held {
            reason,
            since: at,
            delete_at: None,
            previous: Box::new(state.clone()),
        }),
        DomainState::Held {
            reason: HoldReason::Staff,
            since,
            delete_at,
            previous,
        } => held(previous, reason, at).map(|inner| DomainState::Held {
            reason: HoldReason::Staff,
            since: *since,
            delete_at: *delete_at,
            previous: Box::new(inner),
        }),
        DomainState::Redemption {
            since,
            until,
            previous,
        } => held(previous, reason, at).map(|inner| DomainState::Redemption {
            since: *since,
            until: *until,
            previous: Box::new(inner),
        }),
        _ => None,
    }
}

/// The state after staff reject the owner: every live domain goes to HELD(rejected), deletion
/// due 30 days later. Other holds are replaced (their base state is kept for a release); a
/// pending transfer is cancelled; domains already deleted or held as rejected are left alone.
pub(crate) fn rejected(state: &DomainState, at: Timestamp) -> Option<DomainState> {
    let base = match state {
        DomainState::Processing | DomainState::Active => state.clone(),
        DomainState::PendingTransfer(_) => DomainState::Active,
        DomainState::Held {
            reason: HoldReason::Rejected,
            ..
        }
        | DomainState::Redemption { .. }
        | DomainState::PendingDelete { .. } => return None,
        DomainState::Held { previous, .. } => base_state(previous),
    };
    Some(DomainState::Held {
        reason: HoldReason::Rejected,
        since: at,
        delete_at: Some(at.saturating_add(REJECTED_DELETE_AFTER)),
        previous: Box::new(base),
    })
}

/// The state under all holds.
fn base_state(state: &DomainState) -> DomainState {
    match state {
        DomainState::Held { previous, .. } => base_state(previous),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hold(reason: HoldReason, previous: DomainState) -> DomainState {
        DomainState::Held {
            reason,
            since: 1,
            delete_at: None,
            previous: Box::new(previous),
        }
    }

    #[test]
    fn activation_reaches_under_a_staff_hold_and_redemption() {
        let staff_over_timeout = hold(
            HoldReason::Staff,
            hold(HoldReason::Timeout, DomainState::Processing),
        );
        assert_eq!(
            activated(&staff_over_timeout, &[HoldReason::Timeout]),
            Some(hold(HoldReason::Staff, DomainState::Active))
        );
        let redeemed = DomainState::Redemption {
            since: 1,
            until: 2,
            previous: Box::new(DomainState::Processing),
        };
        assert!(matches!(
            activated(&redeemed, &[]),
            Some(DomainState::Redemption { previous, .. }) if *previous == DomainState::Active
        ));
        // A hold that is not lifted stays, but no longer returns to PROCESSING.
        assert_eq!(
            activated(
                &hold(HoldReason::Declined, DomainState::Processing),
                &[HoldReason::Timeout]
            ),
            Some(hold(HoldReason::Declined, DomainState::Active))
        );
        assert_eq!(
            activated(
                &hold(HoldReason::Rejected, DomainState::Active),
                &[HoldReason::Timeout]
            ),
            None
        );
        assert_eq!(
            activated(&DomainState::PendingDelete { until: 5 }, &[]),
            None
        );
    }

    #[test]
    fn rejection_replaces_other_holds_and_keeps_the_base_state() {
        let state = hold(
            HoldReason::Staff,
            hold(HoldReason::Timeout, DomainState::Processing),
        );
        let Some(DomainState::Held {
            reason,
            delete_at,
            previous,
            ..
        }) = rejected(&state, 100)
        else {
            panic!("not held");
        };
        assert_eq!(reason, HoldReason::Rejected);
        assert_eq!(delete_at, Some(100 + REJECTED_DELETE_AFTER));
        assert_eq!(*previous, DomainState::Processing);
        assert_eq!(
            rejected(&hold(HoldReason::Rejected, DomainState::Active), 5),
            None
        );
    }
}
