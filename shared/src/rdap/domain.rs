//! The domain object (RFC 9083 §5.3, Response Profile 2.1-2.10).
//!
//! Members: `objectClassName`, `handle` (the ROID, as the caller reads it from the record),
//! `ldhName` (A-label) and `unicodeName` (U-label, IDNs only), `status` (the EPP statuses and
//! RGP statuses of the record mapped per RFC 8056: PROCESSING is `pending create`, HELD
//! `server hold`, REDEMPTION `pending delete` + `redemption period`), `events`
//! (registration, expiration, last changed, last update of RDAP database), `nameservers`
//! (with glue addresses for in-domain hosts), `secureDNS` (`delegationSigned`, `dsData`),
//! `entities` (the four contacts, redacted, and the registrar) and a `self` link; as a
//! top-level answer also `rdapConformance`, `notices` and `redacted`.

use super::entity::{domain_contact, registrar_object, Registrar};
use super::{event, rdap_status, top_level, Service};
use crate::dns::DsRecord;
use crate::lifecycle::time::format_time;
use crate::lifecycle::{ContactRecord, DomainRecord, DomainState};
use crate::model::{ContactRole, Nameserver};
use serde_json::{json, Map, Value};

/// What a domain answer is made from.
#[derive(Clone, Copy, Debug)]
pub struct DomainView<'a> {
    pub record: &'a DomainRecord,
    /// The repository object id of the registration.
    /// The domain's contacts as stored (any order; missing ones are left out).
    pub contacts: &'a [ContactRecord],
    pub registrar: &'a Registrar,
}

/// The RDAP statuses of a domain: its EPP statuses, then its RGP statuses, each mapped per
/// RFC 8056, without repeats.
pub fn statuses(record: &DomainRecord) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for epp in record.epp_statuses().into_iter().chain(record.rgp_status()) {
        if let Some(status) = rdap_status(epp) {
            if !out.contains(&status) {
                out.push(status);
            }
        }
    }
    out
}

/// A remark that says in words what the state means, for the states a status word alone does
/// not explain; `None` for the others.
fn state_remark(record: &DomainRecord) -> Option<Value> {
    let (title, text) = match &record.state {
        DomainState::Processing => (
            "Registration pending",
            "The registration waits for its registrant's confirmation of eligibility; it is \
             not delegated in the .coop zone before."
                .to_string(),
        ),
        DomainState::Held { .. } => (
            "On hold",
            "The registry holds this domain (serverHold): it is not delegated in the .coop zone."
                .to_string(),
        ),
        DomainState::Redemption { until, .. } => (
            "Deleted, restorable",
            format!(
                "The domain was deleted; its registrar can restore it until {}, then the name \
                 is released.",
                format_time(*until)
            ),
        ),
        DomainState::PendingDelete { until } => (
            "Deleted",
            format!(
                "The domain was deleted; the name is released at {}.",
                format_time(*until)
            ),
        ),
        DomainState::Active | DomainState::PendingTransfer(_) => return None,
    };
    Some(json!({ "title": title, "description": [text] }))
}

/// The `nameservers` member entry for one delegation name server.
fn nameserver_member(nameserver: &Nameserver, service: &Service) -> Value {
    let mut object = Map::new();
    object.insert("objectClassName".into(), json!("nameserver"));
    object.insert("ldhName".into(), json!(nameserver.host));
    let (unicode, _) = idna::domain_to_unicode(&nameserver.host);
    if unicode != nameserver.host {
        object.insert("unicodeName".into(), json!(unicode));
    }
    if let Some(addresses) = ip_addresses(&nameserver.addresses) {
        object.insert("ipAddresses".into(), addresses);
    }
    object.insert(
        "links".into(),
        json!([service.self_link(&format!("nameserver/{}", nameserver.host))]),
    );
    Value::Object(object)
}

/// `{"v4": [...], "v6": [...]}` of glue addresses; `None` without any.
pub(crate) fn ip_addresses(addresses: &[String]) -> Option<Value> {
    if addresses.is_empty() {
        return None;
    }
    let (v6, v4): (Vec<&String>, Vec<&String>) = addresses.iter().partition(|a| a.contains(':'));
    let mut object = Map::new();
    if !v4.is_empty() {
        object.insert("v4".into(), json!(v4));
    }
    if !v6.is_empty() {
        object.insert("v6".into(), json!(v6));
    }
    Some(Value::Object(object))
}

/// `secureDNS` (RFC 9083 §5.3): signed when there are DS records, with them.
fn secure_dns(ds: &[DsRecord]) -> Value {
    let mut object = Map::new();
    object.insert("delegationSigned".into(), json!(!ds.is_empty()));
    if !ds.is_empty() {
        let data: Vec<Value> = ds
            .iter()
            .map(|ds| {
                json!({
                    "keyTag": ds.key_tag,
                    "algorithm": ds.algorithm,
                    "digestType": ds.digest_type,
                    "digest": ds.digest.to_ascii_uppercase(),
                })
            })
            .collect();
        object.insert("dsData".into(), Value::Array(data));
    }
    Value::Object(object)
}

/// The domain object; with `contacts` its contact entities (redacted) and their redactions.
pub(crate) fn domain_object(
    view: &DomainView<'_>,
    service: &Service,
    contacts: bool,
) -> (Value, Vec<Value>) {
    let record = view.record;
    let path = format!("domain/{}", record.name.ascii);
    let mut object = Map::new();
    object.insert("objectClassName".into(), json!("domain"));
    object.insert("handle".into(), json!(view.record.roid()));
    object.insert("ldhName".into(), json!(record.name.ascii));
    if record.name.unicode != record.name.ascii {
        object.insert("unicodeName".into(), json!(record.name.unicode));
    }
    object.insert("status".into(), json!(statuses(record)));
    if let Some(remark) = state_remark(record) {
        object.insert("remarks".into(), json!([remark]));
    }
    object.insert(
        "events".into(),
        json!([
            event("registration", record.created),
            event("expiration", record.expires),
            event("last changed", record.updated),
            service.database_event(),
        ]),
    );
    let nameservers: Vec<Value> = record
        .nameservers
        .iter()
        .map(|ns| nameserver_member(ns, service))
        .collect();
    object.insert("nameservers".into(), Value::Array(nameservers));
    object.insert("secureDNS".into(), secure_dns(&view.record.ds_records));

    let mut entities = Vec::new();
    let mut redacted = Vec::new();
    if contacts {
        let roles = [
            (ContactRole::Owner, &record.owner),
            (ContactRole::Admin, &record.admin),
            (ContactRole::Tech, &record.tech),
            (ContactRole::Billing, &record.billing),
        ];
        for (role, handle) in roles {
            if handle.is_empty() {
                continue;
            }
            if let Some(contact) = view.contacts.iter().find(|c| &c.handle == handle) {
                let (entity, redactions) = domain_contact(contact, role, service);
                entities.push(entity);
                redacted.extend(redactions);
            }
        }
    }
    entities.push(registrar_object(view.registrar, service));
    object.insert("entities".into(), Value::Array(entities));
    object.insert("links".into(), json!([service.self_link(&path)]));
    (Value::Object(object), redacted)
}

/// The answer to `domain/<name>`.
pub fn domain(view: &DomainView<'_>, service: &Service) -> Value {
    let path = format!("domain/{}", view.record.name.ascii);
    let (mut object, redacted) = domain_object(view, service, true);
    if let Value::Object(map) = &mut object {
        map.insert("redacted".into(), Value::Array(redacted));
    }
    top_level(object, service, &path, &[])
}
