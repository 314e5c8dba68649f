//! RDAP, the public lookup of .coop registration data (RFC 7480 HTTP usage, RFC 9082 queries,
//! RFC 9083 JSON responses), shaped by ICANN's gTLD RDAP Technical Implementation Guide and
//! RDAP Response Profile (2024), with personal data redacted per the Registration Data Policy
//! and listed in RFC 9537's `redacted` member.
//!
//! Pure functions from the stored records to `serde_json` values; the worker routes the
//! request, reads the records and sends what comes back (`worker/src/routes/rdap.rs`).
//! - [`query`]: the path and query string of a request, normalised (U-label or A-label, any
//!   case) or refused ([`RdapError`]: 400 malformed, 404 not ours, with an RDAP error body).
//! - [`domain`]: a domain object ([`domain::domain`]) with its name servers, `secureDNS`,
//!   statuses (EPP to RDAP per RFC 8056), events, entities (registrant, administrative,
//!   technical, billing, registrar) and the redactions.
//! - [`entity`]: contact entities (personal data redacted: name, street, city, postal code,
//!   phone, fax, e-mail; organisation, state/province and country shown; the registry's
//!   contact address in place of the e-mail) and the registrar entity of a reseller.
//! - [`nameserver`]: a name server object from the domains that delegate to it.
//! - [`search`]: `domains?name=` results, paged (RFC 8977 `paging_metadata`).
//!
//! Every response carries `rdapConformance`, the notices the profile requires (terms of use,
//! status codes, inaccuracy complaint form) and a `self` link.

pub mod domain;
pub mod entity;
pub mod nameserver;
pub mod query;
pub mod search;

#[cfg(test)]
mod tests;

use crate::lifecycle::time::format_time;
use crate::model::Timestamp;
use serde_json::{json, Value};

pub use domain::{domain, DomainView};
pub use entity::{contact_entity, registrar_entity, Registrar};
pub use nameserver::nameserver;
pub use query::{parse_domain_name, parse_entity_handle, parse_host_name, DomainQuery, RdapError};
pub use search::{domain_search, parse_search, Column, Cursor, SearchQuery, PAGE_SIZE};

/// The media type of every RDAP answer (RFC 7480 §4.2).
pub const CONTENT_TYPE: &str = "application/rdap+json";

/// The extensions every answer conforms to: RDAP level 0, ICANN's response profile and
/// technical implementation guide (2024 editions), and RFC 9537 redaction.
pub const CONFORMANCE: [&str; 4] = [
    "rdap_level_0",
    "icann_rdap_response_profile_1",
    "icann_rdap_technical_implementation_guide_1",
    "redacted",
];

/// RFC 8977's identifier, added to search answers.
pub const PAGING: &str = "paging";

/// What the answers need besides the records: where the service is and what time it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    /// The base URL, ending in `/` (`https://registry.example/rdap/`).
    pub base_url: String,
    /// The time of the answer: the "last update of RDAP database" event (the data is read
    /// live).
    pub now: Timestamp,
    /// Where a member of the public reaches a contact or reports abuse, shown in place of
    /// every redacted e-mail address and as the registrars' abuse contact.
    pub contact_email: String,
}

impl Service {
    /// `base_url` with a trailing `/` added when missing.
    pub fn new(base_url: &str, now: Timestamp, contact_email: &str) -> Service {
        let mut base_url = base_url.to_string();
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        Service {
            base_url,
            now,
            contact_email: contact_email.to_string(),
        }
    }

    /// The absolute URL of `path` under the base (`domain/example.coop`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// A link with `rel` to `path` under the base; `value` is the URL of the answer it is in.
    pub(crate) fn link(&self, rel: &str, value: &str, path: &str) -> Value {
        json!({
            "value": self.url(value),
            "rel": rel,
            "href": self.url(path),
            "type": CONTENT_TYPE,
        })
    }

    /// The `self` link of the object at `path`.
    pub(crate) fn self_link(&self, path: &str) -> Value {
        self.link("self", path, path)
    }

    /// The notices of every top-level answer (Response Profile 2.6.3, 2.11; TIG 1.x): terms
    /// of use, the meaning of status codes, and ICANN's inaccuracy complaint form.
    pub(crate) fn notices(&self, path: &str) -> Value {
        json!([
            {
                "title": "Terms of Use",
                "description": [
                    "This service answers lookups of .coop registration data for lawful \
                     purposes only. Personal data of contacts is redacted under ICANN's \
                     Registration Data Policy; contact a registrant through the address given \
                     in place of its e-mail.",
                    "Automated bulk queries are limited per network."
                ],
                "links": [self.link("terms-of-service", path, "help")],
            },
            {
                "title": "Status Codes",
                "description": [
                    "For more information on domain status codes, please visit https://icann.org/epp"
                ],
                "links": [{
                    "value": self.url(path),
                    "rel": "glossary",
                    "href": "https://icann.org/epp",
                    "type": "text/html",
                }],
            },
            {
                "title": "RDDS Inaccuracy Complaint Form",
                "description": [
                    "URL of the ICANN RDDS Inaccuracy Complaint Form: https://icann.org/wicf"
                ],
                "links": [{
                    "value": self.url(path),
                    "rel": "help",
                    "href": "https://icann.org/wicf",
                    "type": "text/html",
                }],
            },
        ])
    }

    /// The "last update of RDAP database" event: now, since every answer is read live.
    pub(crate) fn database_event(&self) -> Value {
        event("last update of RDAP database", self.now)
    }
}

/// An event with its date in RFC 3339 UTC.
pub(crate) fn event(action: &str, at: Timestamp) -> Value {
    json!({ "eventAction": action, "eventDate": format_time(at) })
}

/// Makes `object` a top-level answer: `rdapConformance` first, then the notices.
pub(crate) fn top_level(mut object: Value, service: &Service, path: &str, extra: &[&str]) -> Value {
    if let Value::Object(map) = &mut object {
        let mut conformance: Vec<&str> = CONFORMANCE.to_vec();
        conformance.extend_from_slice(extra);
        map.insert("rdapConformance".into(), json!(conformance));
        map.insert("notices".into(), service.notices(path));
    }
    object
}

/// The `help` answer (RFC 9082 §3.1.6): conformance and notices, with what is served.
pub fn help(service: &Service) -> Value {
    let mut answer = top_level(json!({}), service, "help", &[PAGING]);
    if let Some(Value::Array(notices)) = answer.get_mut("notices") {
        notices.insert(
            0,
            json!({
                "title": "About this service",
                "description": [
                    "RDAP for the .coop top-level domain.",
                    format!("Base URL: {}", service.base_url),
                    "Lookups: domain/<name> (U-label or A-label), nameserver/<host name>, \
                     entity/<handle> (contacts, and each registrar by its id), help.",
                    "Search: domains?name=<label>* (a trailing * matches any ending; at least \
                     two characters before it), paged with the cursor of paging_metadata; \
                     add count=true for the total."
                ],
                "links": [service.self_link("help")],
            }),
        );
    }
    answer
}

/// RFC 8056: the RDAP status value of an EPP domain status (or an RFC 3915 RGP status);
/// `None` for a value it does not map.
pub fn rdap_status(epp: &str) -> Option<&'static str> {
    Some(match epp {
        "ok" => "active",
        "inactive" => "inactive",
        "pendingCreate" => "pending create",
        "pendingDelete" => "pending delete",
        "pendingRenew" => "pending renew",
        "pendingTransfer" => "pending transfer",
        "pendingUpdate" => "pending update",
        "serverHold" => "server hold",
        "serverDeleteProhibited" => "server delete prohibited",
        "serverRenewProhibited" => "server renew prohibited",
        "serverTransferProhibited" => "server transfer prohibited",
        "serverUpdateProhibited" => "server update prohibited",
        "clientHold" => "client hold",
        "clientDeleteProhibited" => "client delete prohibited",
        "clientRenewProhibited" => "client renew prohibited",
        "clientTransferProhibited" => "client transfer prohibited",
        "clientUpdateProhibited" => "client update prohibited",
        "addPeriod" => "add period",
        "autoRenewPeriod" => "auto renew period",
        "renewPeriod" => "renew period",
        "transferPeriod" => "transfer period",
        "redemptionPeriod" => "redemption period",
        "pendingRestore" => "pending restore",
        _ => return None,
    })
}
