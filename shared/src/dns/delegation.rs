//! The delegation of one domain as resource record sets, the one view of "what the `coop.`
//! zone says about a domain" shared by the zone file ([`crate::zone::ZoneWriter`]), the push
//! to the hidden primary and the reconciliation with it.
//!
//! Rules:
//! - An unpublished domain has no rrsets.
//! - A published one has its NS set (hosts sorted, de-duplicated), its DS set when it has DS
//!   records, and glue A/AAAA sets for its in-domain name servers (the host is the domain or
//!   a name under it), hosts sorted, addresses parsed, sorted and de-duplicated. Out-of-domain
//!   hosts get no glue.
//! - [`changes_for`] turns a domain's wanted rrsets and the names/types the server holds at
//!   or under it into the PATCH changes: replace each wanted set, delete everything else
//!   there (old glue, a DS set removed, the whole delegation of an unpublished domain).
//! - [`reconcile`] compares the registry's whole view with the server's and returns the
//!   changes that repair the drift, with counts; names the registry does not manage (the
//!   apex and the apex name servers' own records) are left alone.
//!
//! Errors ([`ErrorCode::InvalidValue`], as the zone writer has always reported them): a host
//! not in lower-case LDH form, an in-domain host without glue, an unparsable address, a
//! published domain without name servers.

use core::net::IpAddr;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, Problem};
use crate::zone::{check_host, is_within, ZoneConfig, ZoneDomain};

/// A record type the registry writes in the parent zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RrType {
    #[serde(rename = "NS")]
    Ns,
    #[serde(rename = "DS")]
    Ds,
    #[serde(rename = "A")]
    A,
    #[serde(rename = "AAAA")]
    Aaaa,
}

impl RrType {
    pub fn as_str(self) -> &'static str {
        match self {
            RrType::Ns => "NS",
            RrType::Ds => "DS",
            RrType::A => "A",
            RrType::Aaaa => "AAAA",
        }
    }
}

/// One rrset: owner name (lower case, no trailing dot), type, TTL and record data in
/// presentation form (`ns1.example.coop.`, `192.0.2.1`, `12345 13 2 <hex>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RrSet {
    pub name: String,
    pub rtype: String,
    pub ttl: u32,
    pub records: Vec<String>,
}

impl RrSet {
    fn new(name: &str, rtype: RrType, ttl: u32, records: Vec<String>) -> RrSet {
        RrSet {
            name: name.to_string(),
            rtype: rtype.as_str().to_string(),
            ttl,
            records,
        }
    }

    /// The key `(name, type)`.
    pub fn key(&self) -> (String, String) {
        (self.name.clone(), self.rtype.clone())
    }
}

/// One change of a PATCH: replace an rrset, or delete the rrset `(name, type)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Replace(RrSet),
    Delete { name: String, rtype: String },
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem::new(ErrorCode::InvalidValue, field, message)
}

/// The rrsets of `domain` in the zone of `config` (empty when unpublished).
pub fn delegation(domain: &ZoneDomain, config: &ZoneConfig) -> Result<Vec<RrSet>, Problem> {
    if !domain.published {
        return Ok(Vec::new());
    }
    let name = domain.name.ascii.as_str();
    if domain.nameservers.is_empty() {
        return Err(invalid(
            "domain.nameservers",
            format!("`{name}` has no name servers and cannot be delegated"),
        ));
    }
    let mut hosts: Vec<(usize, &crate::model::Nameserver)> =
        domain.nameservers.iter().enumerate().collect();
    for (index, ns) in &hosts {
        check_host(&format!("domain.nameservers[{index}]"), &ns.host)?;
    }
    hosts.sort_by(|a, b| a.1.host.cmp(&b.1.host));
    hosts.dedup_by(|a, b| a.1.host == b.1.host);
    let mut sets = vec![RrSet::new(
        name,
        RrType::Ns,
        config.delegation_ttl,
        hosts
            .iter()
            .map(|(_, ns)| format!("{}.", ns.host))
            .collect(),
    )];
    if !domain.ds.is_empty() {
        let mut ds: Vec<String> = domain.ds.iter().map(|ds| ds.to_text()).collect();
        ds.sort();
        ds.dedup();
        sets.push(RrSet::new(name, RrType::Ds, config.delegation_ttl, ds));
    }
    for (index, ns) in &hosts {
        if !is_within(&ns.host, name) {
            continue;
        }
        let field = format!("domain.nameservers[{index}]");
        if ns.addresses.is_empty() {
            return Err(invalid(
                field,
                format!(
                    "`{}` lies inside `{name}` and needs at least one glue address",
                    ns.host
                ),
            ));
        }
        sets.extend(glue(&field, &ns.host, &ns.addresses, config.glue_ttl)?);
    }
    Ok(sets)
}

/// The A and AAAA rrsets of one host (those that have addresses).
pub(crate) fn glue(
    field: &str,
    host: &str,
    addresses: &[String],
    ttl: u32,
) -> Result<Vec<RrSet>, Problem> {
    let mut parsed = Vec::with_capacity(addresses.len());
    for (index, address) in addresses.iter().enumerate() {
        let ip: IpAddr = address.parse().map_err(|_| {
            invalid(
                format!("{field}.addresses[{index}]"),
                format!("`{address}` is not an IPv4 (dotted) or IPv6 address"),
            )
        })?;
        parsed.push(ip);
    }
    parsed.sort();
    parsed.dedup();
    let v4: Vec<String> = parsed
        .iter()
        .filter(|ip| ip.is_ipv4())
        .map(IpAddr::to_string)
        .collect();
    let v6: Vec<String> = parsed
        .iter()
        .filter(|ip| ip.is_ipv6())
        .map(IpAddr::to_string)
        .collect();
    let mut sets = Vec::new();
    if !v4.is_empty() {
        sets.push(RrSet::new(host, RrType::A, ttl, v4));
    }
    if !v6.is_empty() {
        sets.push(RrSet::new(host, RrType::Aaaa, ttl, v6));
    }
    Ok(sets)
}

/// The changes that make the server's records at and under `domain` (the `(name, type)`
/// pairs in `present`, read just before) equal `wanted`. Nothing wanted and nothing present
/// gives no change at all (no request is needed).
pub fn changes_for(domain: &str, wanted: &[RrSet], present: &[(String, String)]) -> Vec<Change> {
    let wanted_keys: BTreeSet<(String, String)> = wanted.iter().map(RrSet::key).collect();
    let mut changes: Vec<Change> = wanted.iter().cloned().map(Change::Replace).collect();
    let stale: BTreeSet<(String, String)> = present
        .iter()
        .filter(|(name, _)| is_within(name, domain))
        .cloned()
        .collect();
    for (name, rtype) in stale {
        if !wanted_keys.contains(&(name.clone(), rtype.clone())) {
            changes.push(Change::Delete { name, rtype });
        }
    }
    changes
}

/// What [`reconcile`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drift {
    /// Rrsets the registry has and the server lacks.
    pub missing: u64,
    /// Rrsets both have with different records or TTL.
    pub differing: u64,
    /// Rrsets the server has that the registry does not (at names it manages).
    pub extra: u64,
    /// Rrsets that agree.
    pub matching: u64,
}

impl Drift {
    pub fn total(&self) -> u64 {
        self.missing + self.differing + self.extra
    }
}

/// Record data compared without case, order or repeats (PowerDNS may write DS digests or
/// names in another case).
fn normal(records: &[String]) -> BTreeSet<String> {
    records
        .iter()
        .map(|r| r.trim().to_ascii_lowercase())
        .collect()
}

/// Compares the registry's view (`expected`: every published domain's [`delegation`]) with
/// the server's rrsets and returns the drift and the changes that repair it. Server rrsets
/// at names for which `unmanaged` is true (the apex, the apex name servers) are ignored.
pub fn reconcile(
    expected: impl IntoIterator<Item = RrSet>,
    server: impl IntoIterator<Item = RrSet>,
    unmanaged: impl Fn(&str) -> bool,
) -> (Drift, Vec<Change>) {
    let mut wanted: BTreeMap<(String, String), RrSet> =
        expected.into_iter().map(|set| (set.key(), set)).collect();
    let mut drift = Drift::default();
    let mut changes = Vec::new();
    for set in server {
        let name = set.name.trim_end_matches('.').to_ascii_lowercase();
        if unmanaged(&name) {
            continue;
        }
        let key = (name.clone(), set.rtype.to_ascii_uppercase());
        match wanted.remove(&key) {
            Some(want) => {
                if want.ttl == set.ttl && normal(&want.records) == normal(&set.records) {
                    drift.matching += 1;
                } else {
                    drift.differing += 1;
                    changes.push(Change::Replace(want));
                }
            }
            None => {
                drift.extra += 1;
                changes.push(Change::Delete {
                    name: key.0,
                    rtype: key.1,
                });
            }
        }
    }
    for (_, want) in wanted {
        drift.missing += 1;
        changes.push(Change::Replace(want));
    }
    (drift, changes)
}

#[cfg(test)]
mod tests;
