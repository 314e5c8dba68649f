//! `ModifyDomain`: the sponsor changes a domain (reseller-api.md §5.4).
//!
//! Rules (the translation; the core's
//! [`modify_domain`](coopreg_shared::lifecycle::modify_domain) holds the domain rules):
//! - name servers: `NAMESERVER#` replaces the list, `ADDNAMESERVER#` / `DELNAMESERVER#` change
//!   it ([`reseller_nameserver_change`](coopreg_shared::validate::reseller_nameserver_change));
//! - contacts: `OWNERCONTACT0` changes the owner (the core's owner change: verification of a
//!   new owner), `ADMINCONTACT0`, `TECHCONTACT0`, `BILLINGCONTACT0` replace the role; each must
//!   be the caller's contact, a new owner with an organisation and no privacy service;
//! - DNSSEC: `DNSSECDSDATA#` (DS records) and `DNSSEC#` (keys; their SHA-256 DS is computed)
//!   replace the DS set when either is given; all empty removes it
//!   ([`reseller_ds_records`](coopreg_shared::validate::reseller_ds_records));
//! - statuses: `STATUS#` is the full set of client statuses, `ADDSTATUS#` / `DELSTATUS#`
//!   change it; `TRANSFERLOCK`, `AUTH` (a new auth code, unique per domain: looked up by
//!   its keyed index, `store::auth_code_in_use`) as given; `X-WHOISPRIVACY=0` changes
//!   nothing;
//! - only the sponsor (checked before the contacts are looked at).
//!
//! Errors: `545` unknown domain or contact, `531` another reseller's domain or contact,
//! `552` deleted, `clientUpdateProhibited` or `serverUpdateProhibited` (registry lock), `553`
//! owner change during a transfer, `541` an `AUTH` another domain has,
//! `504`/`505`/`541` from the field rules.

use coopreg_shared::lifecycle::{self, ClientStatus, DomainChanges};
use coopreg_shared::reseller::Response;
use coopreg_shared::validate::{check_registrant, reseller_ds_records, reseller_nameserver_change};
use coopreg_shared::Problems;
use worker::Result;

use super::{attempt, Call};
use crate::store;

pub async fn modify_domain(call: &Call<'_>) -> Result<Response> {
    let request = call.request;
    let name = attempt!(call.domain_name());
    let found = attempt!(call.own_domain(&name).await?);
    let nameservers = attempt!(reseller_nameserver_change(
        &request.params,
        &found.current.nameservers,
        &found.current.name
    ));
    let mut ds_problems = Problems::default();
    let ds_records =
        reseller_ds_records(&request.params, &found.current.name.ascii, &mut ds_problems);
    if !ds_problems.is_empty() {
        attempt!(Err::<(), _>(ds_problems));
    }

    let owner = match request.list("OWNERCONTACT").first() {
        Some(handle) => {
            let contact = attempt!(call.own_contact(handle, "OWNERCONTACT0").await?);
            attempt!(check_registrant(&contact.info, "OWNERCONTACT0"));
            let domains = store::domains_owned_by(&call.db, &contact.handle).await?;
            Some((contact, domains))
        }
        None => None,
    };
    let mut roles: [Option<String>; 3] = [None, None, None];
    for (slot, (list, field)) in roles.iter_mut().zip([
        ("ADMINCONTACT", "ADMINCONTACT0"),
        ("TECHCONTACT", "TECHCONTACT0"),
        ("BILLINGCONTACT", "BILLINGCONTACT0"),
    ]) {
        if let Some(handle) = request.list(list).first() {
            let contact = attempt!(call.own_contact(handle, field).await?);
            *slot = Some(contact.handle);
        }
    }
    let [admin, tech, billing] = roles;

    let (add_statuses, remove_statuses) = status_changes(call);
    // Auth codes are unique per domain: look the new one up by its keyed index.
    let auth_code_in_use = match request.param("AUTH") {
        Some(code) => {
            let index = crate::seal::auth_index(code)?;
            store::auth_code_in_use(&call.db, &index, &found.current.name.ascii).await?
        }
        None => false,
    };
    let changes = DomainChanges {
        owner: owner
            .as_ref()
            .map(|(contact, domains)| (contact, domains.as_slice())),
        admin,
        tech,
        billing,
        nameservers,
        ds_records,
        add_statuses,
        remove_statuses,
        transfer_lock: request.param("TRANSFERLOCK").map(|lock| lock == "1"),
        auth_code: request.param("AUTH").map(str::to_string),
        auth_code_in_use,
    };
    let outcome = attempt!(lifecycle::modify_domain(
        &found.stored,
        &call.reseller,
        &changes,
        &call.random()?,
        call.now
    ));
    call.store(&outcome).await?;
    Ok(Response::success())
}

/// The client statuses to add and to remove: `STATUS#` as the full set, else `ADDSTATUS#` and
/// `DELSTATUS#` (the values were checked by the command table).
fn status_changes(call: &Call<'_>) -> (Vec<ClientStatus>, Vec<ClientStatus>) {
    let parse = |list: &str| -> Vec<ClientStatus> {
        call.request
            .list(list)
            .into_iter()
            .filter_map(ClientStatus::from_epp)
            .collect()
    };
    let full = parse("STATUS");
    if full.is_empty() {
        (parse("ADDSTATUS"), parse("DELSTATUS"))
    } else {
        let removed = ClientStatus::ALL
            .into_iter()
            .filter(|status| !full.contains(status))
            .collect();
        (full, removed)
    }
}
