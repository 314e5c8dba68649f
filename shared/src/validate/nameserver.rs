//! Delegation name servers of a domain being registered.
//!
//! Rules: 2 to 13 servers (`nameserver_count`); each host a valid host name
//! ([`crate::validate::domain::validate_host_name`]); no host twice (`duplicate_nameserver`);
//! glue addresses (IPv4 or IPv6, not unspecified/loopback/multicast/broadcast, no address
//! twice: `invalid_ip`) exactly when the host lies inside the domain being registered:
//! `glue_required` without them, `glue_not_allowed` for a host outside it.

use crate::error::{ErrorCode, Problem, Problems};
use crate::model::{DomainName, Nameserver};
use crate::validate::domain::validate_host_name;
use crate::validate::json;
use serde_json::Value;
use std::net::IpAddr;

pub const MIN_NAMESERVERS: usize = 2;
pub const MAX_NAMESERVERS: usize = 13;

/// How an input names a name server's parts (built only for a problem).
#[derive(Clone, Copy, Debug)]
pub(crate) enum NameserverFields<'a> {
    /// `<list>[index].host`, `<list>[index].addresses[j]`.
    Json { list: &'a str, index: usize },
    /// `NAMESERVER<index>` (the reseller API has no glue parameters).
    Param { index: usize },
    /// One given parameter name for the host and its addresses (`ADDNAMESERVER0`, …).
    Named(&'a str),
}

impl NameserverFields<'_> {
    fn host(self) -> String {
        match self {
            NameserverFields::Json { list, index } => format!("{list}[{index}].host"),
            NameserverFields::Param { index } => format!("NAMESERVER{index}"),
            NameserverFields::Named(field) => field.to_string(),
        }
    }

    fn address(self, j: usize) -> String {
        match self {
            NameserverFields::Json { list, index } => format!("{list}[{index}].addresses[{j}]"),
            NameserverFields::Param { index } => format!("NAMESERVER{index}"),
            NameserverFields::Named(field) => field.to_string(),
        }
    }
}

/// One name server as given.
#[derive(Debug)]
pub(crate) struct RawNameserver<'a> {
    pub host: Option<&'a str>,
    pub fields: NameserverFields<'a>,
    /// The glue addresses with their positions in the input.
    pub addresses: Vec<(usize, &'a str)>,
}

pub(crate) fn count_problem(count: usize, field: &str) -> Problem {
    Problem::new(
        ErrorCode::NameserverCount,
        field,
        format!("a .coop domain needs {MIN_NAMESERVERS} to {MAX_NAMESERVERS} name servers; {count} given"),
    )
}

/// Checks the list; `domain` is the name being registered (`None` when it is itself invalid:
/// the glue rules are then skipped). Problems go to `problems`.
pub(crate) fn check_nameservers(
    list: &[RawNameserver<'_>],
    domain: Option<&DomainName>,
    list_field: &str,
    problems: &mut Problems,
) -> Vec<Nameserver> {
    if !(MIN_NAMESERVERS..=MAX_NAMESERVERS).contains(&list.len()) {
        problems.push(count_problem(list.len(), list_field));
    }
    let mut accepted: Vec<Nameserver> = Vec::new();
    for raw in list {
        let Some(host) = raw.host.filter(|h| !h.trim().is_empty()) else {
            problems.push(Problem::new(
                ErrorCode::Required,
                raw.fields.host(),
                "is required: the name server's host name",
            ));
            continue;
        };
        let host = match validate_host_name(host, "") {
            Ok(host) => host,
            Err(found) => {
                for mut problem in found.errors {
                    problem.field = raw.fields.host();
                    problems.push(problem);
                }
                continue;
            }
        };
        if accepted.iter().any(|ns| ns.host == host) {
            problems.push(Problem::new(
                ErrorCode::DuplicateNameserver,
                raw.fields.host(),
                format!("'{host}' is listed more than once"),
            ));
            continue;
        }
        let mut addresses: Vec<String> = Vec::new();
        for &(j, text) in &raw.addresses {
            match check_address(text) {
                Ok(address) if addresses.contains(&address) => problems.push(Problem::new(
                    ErrorCode::InvalidIp,
                    raw.fields.address(j),
                    format!("{address} is listed more than once"),
                )),
                Ok(address) => addresses.push(address),
                Err(message) => problems.push(Problem::new(
                    ErrorCode::InvalidIp,
                    raw.fields.address(j),
                    message,
                )),
            }
        }
        if let Some(domain) = domain {
            let inside = host == domain.ascii
                || host
                    .strip_suffix(domain.ascii.as_str())
                    .is_some_and(|head| head.ends_with('.'));
            if inside && raw.addresses.is_empty() {
                problems.push(Problem::new(
                    ErrorCode::GlueRequired,
                    raw.fields.host(),
                    format!(
                        "'{host}' lies inside the domain being registered, so it needs glue: at least one IPv4 or IPv6 address"
                    ),
                ));
            }
            if !inside && !raw.addresses.is_empty() {
                problems.push(Problem::new(
                    ErrorCode::GlueNotAllowed,
                    raw.fields.address(raw.addresses.first().map_or(0, |(j, _)| *j)),
                    format!(
                        "'{host}' is outside the domain being registered: its addresses are published by its own zone, so give none here"
                    ),
                ));
            }
        }
        accepted.push(Nameserver { host, addresses });
    }
    accepted
}

/// Checks one glue address; returns its canonical text, or what is wrong.
fn check_address(text: &str) -> Result<String, String> {
    let shown: String = text.chars().take(50).collect();
    let address: IpAddr = text
        .trim()
        .parse()
        .map_err(|_| format!("'{shown}' is not an IPv4 or IPv6 address"))?;
    let unusable = address.is_unspecified()
        || address.is_loopback()
        || address.is_multicast()
        || matches!(address, IpAddr::V4(v4) if v4.is_broadcast());
    if unusable {
        return Err(format!(
            "{address} cannot be a name server's address (unspecified, loopback, multicast or broadcast)"
        ));
    }
    Ok(address.to_string())
}

/// Reads the order JSON's `nameservers` list (`[{"host": .., "addresses": [..]}]`).
pub(crate) fn raw_nameservers_from_json<'a>(
    items: &'a [Value],
    path: &'a str,
    problems: &mut Problems,
) -> Vec<RawNameserver<'a>> {
    let mut list = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let fields = NameserverFields::Json { list: path, index };
        let mut raw = RawNameserver {
            host: None,
            fields,
            addresses: Vec::new(),
        };
        let Some(map) = item.as_object() else {
            problems.push(Problem::new(
                ErrorCode::WrongType,
                json::index(path, index),
                format!("must be a JSON object, not {}", json::type_name(item)),
            ));
            raw.host = Some("");
            list.push(raw);
            continue;
        };
        // One pass over the keys; field names are built only for problems.
        for (key, value) in map {
            match key.as_str() {
                "host" => {
                    raw.host = json::string_value(value, || fields.host(), problems);
                }
                "addresses" => match value {
                    Value::Null => {}
                    Value::Array(items) => {
                        for (j, address) in items.iter().enumerate() {
                            match address {
                                Value::String(text) => raw.addresses.push((j, text.as_str())),
                                other => problems.push(Problem::new(
                                    ErrorCode::WrongType,
                                    fields.address(j),
                                    format!("must be a string, not {}", json::type_name(other)),
                                )),
                            }
                        }
                    }
                    other => problems.push(Problem::new(
                        ErrorCode::WrongType,
                        json::join(&json::index(path, index), "addresses"),
                        format!("must be a list, not {}", json::type_name(other)),
                    )),
                },
                _ => problems.push(json::unknown_field(
                    &json::index(path, index),
                    key,
                    &["host", "addresses"],
                )),
            }
        }
        list.push(raw);
    }
    list
}

/// Validates a JSON list of name servers for `domain`; problems under `field`
/// (e.g. `nameservers[1].host`).
pub fn validate_nameservers(
    value: &Value,
    domain: Option<&DomainName>,
    field: &str,
) -> Result<Vec<Nameserver>, Problems> {
    let mut problems = Problems::default();
    let Some(items) = value.as_array() else {
        return Err(Problems::one(Problem::new(
            ErrorCode::WrongType,
            field,
            format!(
                "must be a list of name servers, not {}",
                json::type_name(value)
            ),
        )));
    };
    let raw = raw_nameservers_from_json(items, field, &mut problems);
    let accepted = check_nameservers(&raw, domain, field, &mut problems);
    problems.into_result(accepted)
}

#[cfg(test)]
mod tests;
