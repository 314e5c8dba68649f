//! Register (create) a domain: the browser form's order or the reseller's `AddDomain`.
//!
//! Rules:
//! - the period is 1–10 whole years;
//! - the owner contact belongs to the registering reseller and has not been rejected;
//! - a reserved name needs the allocation token staff issued for it; a token given must be
//!   valid for this name and unused, and is used up ([`super::allocation`]);
//! - the name is not registered (a record whose deletion has completed by `now` no longer
//!   counts: it is freed in the same outcome);
//! - owner verified, through a reseller: the domain is ACTIVE at once (the reseller is
//!   accountable for the contact handle it names);
//! - owner verified, through the web: the domain is PROCESSING and the owner's address gets
//!   an approval link for this registration (no eligibility re-check): nobody gets a domain in
//!   a registrant's name without that registrant's mailbox ([`super::approve`]);
//! - otherwise it is PROCESSING (EPP `pendingCreate`) and the owner pending: an unverified
//!   owner, or a pending one whose link has expired, gets a fresh link by e-mail; a pending
//!   owner with a working link gets no second one (one outstanding token per contact);
//! - the eligibility certification is kept: criterion, time, channel (web or the reseller)
//!   and, for a web order, the client's IP address (canonical form; a value that is no IP
//!   address is not kept); the history's registration event names it;
//! - the 5-day add grace period starts; expiry is now + period; a random auth code is set.
//!
//! Random bytes: the first half makes the link token (verification or approval), the second
//! the auth code.
//!
//! Errors: `invalid_value` (period 0, owner record not the order's owner), `period_exceeded`,
//! `not_yours` (owner of another reseller), `status_prohibits` (owner rejected),
//! `name_reserved`, `allocation_token_invalid`, `name_taken`.

use super::allocation::{check_allocation, Allocation};
use super::effect::{Actor, Email, EmailKind, Event, Outcome};
use super::guard::check_period;
use super::link::issue_link;
use super::record::{
    Approval, AuthCode, Certification, Channel, ContactRecord, DomainRecord, DomainState,
    Verification,
};
use super::secret::{halves, new_auth_code, new_token, token_hash, RandomBytes};
use super::tick::advance;
use super::time::{add_years, ADD_GRACE};
use super::work::Work;
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::{DomainName, Nameserver, Timestamp};
use crate::validate::EligibilityCriterion;
use std::collections::BTreeSet;

/// A validated registration, as the order form or `AddDomain` carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDomain {
    pub name: DomainName,
    /// Years, 1–10.
    pub period: u32,
    pub owner: String,
    pub admin: String,
    pub tech: String,
    pub billing: String,
    pub nameservers: Vec<Nameserver>,
    /// DNSSEC DS records, checked ([`crate::dns::check_ds_set`]).
    pub ds_records: Vec<crate::dns::DsRecord>,
    pub transfer_lock: bool,
    /// The eligibility criterion certified (the reseller may leave it out).
    pub criterion: Option<EligibilityCriterion>,
    /// The web client's IP address as the edge reports it (`CF-Connecting-IP`).
    pub client_ip: Option<String>,
    /// The allocation token the order carried, looked up.
    pub allocation: Allocation,
    /// This registration's repository object id ([`super::new_roid`] of fresh random bytes).
    pub roid: String,
}

/// Registers `order` for `reseller`. `owner` is the owner contact with `owner_domains`, the
/// domains it already owns; `existing` is the stored record of the same name, if any.
pub fn register(
    order: &NewDomain,
    reseller: &str,
    owner: &ContactRecord,
    owner_domains: &[DomainRecord],
    existing: Option<&DomainRecord>,
    random: &RandomBytes,
    now: Timestamp,
) -> Result<Outcome, Problems> {
    check_period(order.period)?;
    if owner.handle != order.owner {
        return Err(Problems::one(Problem::new(
            ErrorCode::InvalidValue,
            "contacts.owner",
            format!(
                "The owner record given is {}, but the order names {} as owner.",
                owner.handle, order.owner
            ),
        )));
    }
    if owner.reseller != reseller {
        return Err(Problems::one(Problem::new(
            ErrorCode::NotYours,
            "contacts.owner",
            format!("Contact {} belongs to another reseller.", owner.handle),
        )));
    }
    let allocation_used = check_allocation(&order.name, &order.allocation)?;
    let mut work = Work::new(now, [owner], owner_domains.iter().chain(existing));
    advance(&mut work);
    if work.find_domain(&order.name.ascii).is_some() {
        return Err(Problems::one(Problem::new(
            ErrorCode::NameTaken,
            "domain",
            format!(
                "{} is already registered or being registered.",
                order.name.unicode
            ),
        )));
    }
    let owner = work.first_contact()?.clone();
    if let Verification::Rejected { .. } = owner.verification {
        return Err(Problems::one(Problem::new(
            ErrorCode::StatusProhibits,
            "contacts.owner",
            format!(
                "Contact {} was found not eligible for .coop; registry staff must approve it \
                 before it can own a domain.",
                owner.handle
            ),
        )));
    }
    let (token_bytes, auth_bytes) = halves(random);
    let channel = Channel::of(reseller);
    let needs_approval = owner.is_verified() && channel == Channel::Web;
    let state = if owner.is_verified() && !needs_approval {
        DomainState::Active
    } else {
        DomainState::Processing
    };
    let approval_token = needs_approval.then(|| new_token(&token_bytes));
    let certification = Certification {
        criterion: order.criterion,
        at: now,
        client_ip: match channel {
            Channel::Web => order.client_ip.as_deref().and_then(canonical_ip),
            Channel::Reseller(_) => None,
        },
        channel,
    };
    let actor = Actor::Reseller(reseller.to_string());
    let domain = DomainRecord {
        name: order.name.clone(),
        roid: order.roid.clone(),
        reseller: reseller.to_string(),
        owner: order.owner.clone(),
        admin: order.admin.clone(),
        tech: order.tech.clone(),
        billing: order.billing.clone(),
        nameservers: order.nameservers.clone(),
        ds_records: order.ds_records.clone(),
        period: order.period,
        created: now,
        updated: now,
        expires: add_years(now, order.period),
        state,
        client_statuses: BTreeSet::new(),
        server_statuses: Default::default(),
        transfer_lock: order.transfer_lock,
        auth_code: AuthCode::new(new_auth_code(&auth_bytes)),
        add_grace_until: Some(now.saturating_add(ADD_GRACE)),
        auto_renew: None,
        approval: approval_token
            .as_deref()
            .map(|token| Approval::issued(token_hash(token), owner.info.email.clone(), now)),
        certification: Some(certification.clone()),
        revision: 0,
    };
    let allocated = match &allocation_used {
        Some(_) => "; with an allocation token for the reserved name",
        None => "",
    };
    work.event(Event {
        at: now,
        actor: actor.clone(),
        object: domain.object(),
        from: "FREE".to_string(),
        to: domain.state.describe(),
        reason: format!(
            "registered for {} year(s); eligibility certified: {}{allocated}",
            order.period,
            certification.describe_public()
        ),
        // The web client's address is for registry staff, not for the order page.
        note: certification
            .client_ip
            .as_ref()
            .map(|ip| format!("certified from {ip}")),
    });
    let expires_at = domain
        .approval
        .as_ref()
        .map(|approval| approval.token_expires_at);
    let name = domain.name.clone();
    let object = domain.object();
    work.add_domain(domain);
    if let Some(effect) = allocation_used {
        work.effect(effect);
    }
    if let Some(token) = approval_token {
        work.email(Email {
            to: owner.info.email.clone(),
            kind: EmailKind::ApprovalRequest,
            contact: owner.handle.clone(),
            domains: vec![name],
            token: Some(token),
            expires_at,
            delete_at: None,
        });
        work.event(Event {
            at: now,
            actor,
            object,
            from: "PROCESSING".to_string(),
            to: "PROCESSING".to_string(),
            reason: "approval link sent to the registrant's address".to_string(),
            note: None,
        });
    } else if !owner.is_verified() && !owner.has_outstanding_token(now) {
        issue_link(
            &mut work,
            0,
            &token_bytes,
            EmailKind::Verification,
            actor,
            "verification link sent for a new registration",
        );
    }
    Ok(work.finish())
}

/// An IP address in canonical form; `None` for anything that is not one.
fn canonical_ip(text: &str) -> Option<String> {
    text.trim()
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| ip.to_string())
}
