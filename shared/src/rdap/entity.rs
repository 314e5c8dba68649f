//! Entities: a domain's contacts (registrant, administrative, technical, billing) and its
//! registrar (the sponsoring reseller).
//!
//! Privacy (ICANN Registration Data Policy, Response Profile 2.7): a contact's name, street,
//! city, postal code, phone, fax and e-mail are redacted, each listed in RFC 9537's
//! `redacted` member with its method: the name and the address parts are emptied
//! (`emptyValue`), phone and fax removed (`removal`), the e-mail replaced by a `contact-uri`
//! to the registry's contact address (`replacementValue`). Organisation, state/province and
//! country are shown. Inside a domain answer the contact's handle (the "Registry … ID") is
//! removed too; looked up by its handle, the entity shows it.

use super::{event, top_level, Service};
use crate::lifecycle::{ContactRecord, WEB_RESELLER};
use crate::model::ContactRole;
use serde_json::{json, Value};

/// The registrar of a domain: a reseller by id and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registrar {
    pub id: String,
    pub name: String,
}

impl Registrar {
    /// The registrar `id`, named `name` when the store has one. The web form's registrations
    /// (`WEB_RESELLER`) are the registry's own.
    pub fn new(id: &str, name: Option<&str>) -> Registrar {
        let name = match name {
            Some(name) if !name.trim().is_empty() => name.to_string(),
            _ if id == WEB_RESELLER => ".coop registry (direct registration by web form)".into(),
            _ => id.to_string(),
        };
        Registrar {
            id: id.to_string(),
            name,
        }
    }
}

/// The RDAP role of a contact role (RFC 9083 §10.2.4).
pub fn rdap_role(role: ContactRole) -> &'static str {
    match role {
        ContactRole::Owner => "registrant",
        ContactRole::Admin => "administrative",
        ContactRole::Tech => "technical",
        ContactRole::Billing => "billing",
    }
}

/// The word of the redaction names (`Registrant Name`, `Tech Phone`, ...): the Response
/// Profile's for registrant and technical, the same pattern for the others.
fn redaction_word(role: ContactRole) -> &'static str {
    match role {
        ContactRole::Owner => "Registrant",
        ContactRole::Admin => "Admin",
        ContactRole::Tech => "Tech",
        ContactRole::Billing => "Billing",
    }
}

/// The vCard of a contact with its personal data redacted.
fn redacted_vcard(contact: &ContactRecord, service: &Service) -> Value {
    let info = &contact.info;
    let mut properties = vec![
        json!(["version", {}, "text", "4.0"]),
        json!(["fn", {}, "text", ""]),
    ];
    let kind = if info.organization.is_some() {
        "org"
    } else {
        "individual"
    };
    properties.push(json!(["kind", {}, "text", kind]));
    if let Some(organization) = &info.organization {
        properties.push(json!(["org", {}, "text", organization]));
    }
    // adr: post office box, extended, street, locality, region, postal code, country name;
    // the country as the `cc` parameter (TIG 3.1).
    properties.push(json!([
        "adr",
        { "cc": info.country },
        "text",
        ["", "", "", "", info.state.clone().unwrap_or_default(), "", ""]
    ]));
    properties.push(json!([
        "contact-uri",
        {},
        "uri",
        format!("mailto:{}", service.contact_email)
    ]));
    json!(["vcard", properties])
}

/// The RFC 9537 redactions of one contact whose entity is at `at` (a JSONPath: `$` for a
/// top-level entity, `$.entities[?(@.roles[0]=='registrant')]` inside a domain).
/// `handle_removed`: the handle was left out too.
fn redactions(
    contact: &ContactRecord,
    role: ContactRole,
    at: &str,
    handle_removed: bool,
) -> Vec<Value> {
    let word = redaction_word(role);
    let vcard = format!("{at}.vcardArray[1]");
    let reason = json!({ "description": "Server policy" });
    let emptied = |name: &str, path: String| {
        json!({
            "name": { "type": format!("{word} {name}") },
            "postPath": path,
            "pathLang": "jsonpath",
            "method": "emptyValue",
            "reason": reason,
        })
    };
    let removed = |name: &str, path: String| {
        json!({
            "name": { "type": name },
            "prePath": path,
            "pathLang": "jsonpath",
            "method": "removal",
            "reason": reason,
        })
    };
    let mut list = Vec::new();
    if handle_removed {
        let id = match role {
            ContactRole::Owner => "Registry Registrant ID",
            ContactRole::Admin => "Registry Admin ID",
            ContactRole::Tech => "Registry Tech ID",
            ContactRole::Billing => "Registry Billing ID",
        };
        list.push(removed(id, format!("{at}.handle")));
    }
    list.push(emptied("Name", format!("{vcard}[?(@[0]=='fn')][3]")));
    list.push(emptied("Street", format!("{vcard}[?(@[0]=='adr')][3][2]")));
    list.push(emptied("City", format!("{vcard}[?(@[0]=='adr')][3][3]")));
    list.push(emptied(
        "Postal Code",
        format!("{vcard}[?(@[0]=='adr')][3][5]"),
    ));
    list.push(removed(
        &format!("{word} Phone"),
        format!("{vcard}[?(@[0]=='tel')]"),
    ));
    if contact.info.fax.is_some() {
        list.push(removed(
            &format!("{word} Fax"),
            format!("{vcard}[?(@[0]=='tel' && @[1].type=='fax')]"),
        ));
    }
    list.push(json!({
        "name": { "type": format!("{word} Email") },
        "prePath": format!("{vcard}[?(@[0]=='email')]"),
        "replacementPath": format!("{vcard}[?(@[0]=='contact-uri')]"),
        "pathLang": "jsonpath",
        "method": "replacementValue",
        "reason": reason,
    }));
    list
}

/// The RDAP statuses of a contact: `active`, and `validated` once its registrant has
/// verified it (RFC 9083 §10.2.2).
fn contact_statuses(contact: &ContactRecord) -> Vec<&'static str> {
    if contact.is_verified() {
        vec!["active", "validated"]
    } else {
        vec!["active"]
    }
}

/// A contact in the `role` of a domain: redacted, without its handle; returns the entity and
/// its redactions (JSONPaths into the domain answer).
pub(crate) fn domain_contact(
    contact: &ContactRecord,
    role: ContactRole,
    service: &Service,
) -> (Value, Vec<Value>) {
    let role_name = rdap_role(role);
    let entity = json!({
        "objectClassName": "entity",
        "roles": [role_name],
        "vcardArray": redacted_vcard(contact, service),
        "status": contact_statuses(contact),
    });
    let at = format!("$.entities[?(@.roles[0]=='{role_name}')]");
    (entity, redactions(contact, role, &at, true))
}

/// The answer to `entity/<handle>` for a contact: redacted, with its handle, events and the
/// redactions (named as the registrant's: looked up alone, a contact has no role).
pub fn contact_entity(contact: &ContactRecord, service: &Service) -> Value {
    let path = format!("entity/{}", contact.handle);
    let mut entity = json!({
        "objectClassName": "entity",
        "handle": contact.handle,
        "vcardArray": redacted_vcard(contact, service),
        "status": contact_statuses(contact),
        "events": [
            event("registration", contact.created),
            event("last changed", contact.updated),
            service.database_event(),
        ],
        "links": [service.self_link(&path)],
    });
    if let Value::Object(map) = &mut entity {
        map.insert(
            "redacted".into(),
            Value::Array(redactions(contact, ContactRole::Owner, "$", false)),
        );
    }
    top_level(entity, service, &path, &[])
}

/// The registrar entity (Response Profile 2.4): handle, name, and an abuse contact.
pub(crate) fn registrar_object(registrar: &Registrar, service: &Service) -> Value {
    let path = format!("entity/{}", registrar.id);
    json!({
        "objectClassName": "entity",
        "handle": registrar.id,
        "roles": ["registrar"],
        "vcardArray": ["vcard", [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", registrar.name],
            ["kind", {}, "text", "org"],
        ]],
        "status": ["active"],
        "links": [service.self_link(&path)],
        "entities": [{
            "objectClassName": "entity",
            "roles": ["abuse"],
            "vcardArray": ["vcard", [
                ["version", {}, "text", "4.0"],
                ["fn", {}, "text", "Abuse contact"],
                ["kind", {}, "text", "group"],
                ["email", {}, "text", service.contact_email],
            ]],
        }],
    })
}

/// The answer to `entity/<id>` for a registrar.
pub fn registrar_entity(registrar: &Registrar, service: &Service) -> Value {
    let path = format!("entity/{}", registrar.id);
    let mut entity = registrar_object(registrar, service);
    if let Value::Object(map) = &mut entity {
        map.insert("events".into(), json!([service.database_event()]));
    }
    top_level(entity, service, &path, &[])
}
