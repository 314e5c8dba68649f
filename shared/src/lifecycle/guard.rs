//! Checks shared by several commands, each with its one error.

use super::record::{ClientStatus, DomainRecord, DomainState, ServerStatus};
use super::time::MAX_YEARS;
use crate::error::{ErrorCode, Problem, Problems};

/// Reseller isolation: only the sponsoring reseller may act on a domain.
///
/// Errors: `not_yours`.
pub fn ensure_sponsor(domain: &DomainRecord, reseller: &str) -> Result<(), Problems> {
    if domain.reseller == reseller {
        Ok(())
    } else {
        Err(Problems::one(Problem::new(
            ErrorCode::NotYours,
            "domain",
            format!(
                "{} is sponsored by another reseller; only its sponsor may change it.",
                domain.name.unicode
            ),
        )))
    }
}

/// A registration or renewal period: whole years from 1 to 10.
///
/// Errors: `invalid_value` (0), `period_exceeded` (more than 10).
pub(crate) fn check_period(period: u32) -> Result<(), Problems> {
    if period == 0 {
        Err(Problems::one(Problem::new(
            ErrorCode::InvalidValue,
            "period",
            "The period must be a whole number of years from 1 to 10.",
        )))
    } else if period > MAX_YEARS {
        Err(period_exceeded(format!(
            "The period may be at most {MAX_YEARS} years; {period} was asked."
        )))
    } else {
        Ok(())
    }
}

pub(crate) fn period_exceeded(message: String) -> Problems {
    Problems::one(Problem::new(ErrorCode::PeriodExceeded, "period", message))
}

/// `status_prohibits` on the domain, with the reason.
pub(crate) fn status_prohibits(message: impl Into<String>) -> Problems {
    Problems::one(Problem::new(ErrorCode::StatusProhibits, "domain", message))
}

/// Refuses when the sponsor set `status` on the domain.
pub(crate) fn ensure_no_client_status(
    domain: &DomainRecord,
    status: ClientStatus,
    command: &str,
) -> Result<(), Problems> {
    if domain.has_status(status) {
        Err(status_prohibits(format!(
            "{} has {}: {command} is refused. Remove the status first.",
            domain.name.unicode,
            status.as_str()
        )))
    } else {
        Ok(())
    }
}

/// Refuses when registry staff set `status` on the domain (registry lock).
pub(crate) fn ensure_no_server_status(
    domain: &DomainRecord,
    status: ServerStatus,
    command: &str,
) -> Result<(), Problems> {
    if domain.has_server_status(status) {
        Err(status_prohibits(format!(
            "{} has {} (registry lock): {command} is refused. Only the registry can lift it.",
            domain.name.unicode,
            status.as_str()
        )))
    } else {
        Ok(())
    }
}

/// `transfer_pending`: the command waits for the pending transfer to be decided.
pub(crate) fn ensure_no_pending_transfer(
    domain: &DomainRecord,
    command: &str,
) -> Result<(), Problems> {
    if let DomainState::PendingTransfer(transfer) = &domain.state {
        Err(Problems::one(Problem::new(
            ErrorCode::TransferPending,
            "domain",
            format!(
                "{} has a pending transfer (approved automatically at {}): {command} is refused \
                 until it is approved, denied or cancelled.",
                domain.name.unicode,
                super::time::format_time(transfer.auto_approve_at)
            ),
        )))
    } else {
        Ok(())
    }
}

/// Refuses for a domain that has been deleted (redemption or pending delete).
pub(crate) fn ensure_not_deleted(domain: &DomainRecord, command: &str) -> Result<(), Problems> {
    match domain.state {
        DomainState::Redemption { until, .. } => Err(status_prohibits(format!(
            "{} is deleted and in redemption until {}: {command} is refused. Restore it first.",
            domain.name.unicode,
            super::time::format_time(until)
        ))),
        DomainState::PendingDelete { until } => Err(status_prohibits(format!(
            "{} is pending deletion; the name is free at {}: {command} is refused.",
            domain.name.unicode,
            super::time::format_time(until)
        ))),
        _ => Ok(()),
    }
}
