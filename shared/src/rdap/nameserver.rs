//! The nameserver object (RFC 9083 §5.2). The registry keeps name servers as attributes of
//! the domains that delegate to them (no host objects), so a host is known here while at
//! least one .coop domain lists it; its addresses are the glue those domains carry (only an
//! in-domain host has any).

use super::domain::ip_addresses;
use super::{top_level, Service};
use crate::lifecycle::DomainRecord;
use serde_json::{json, Map, Value};

/// The answer to `nameserver/<host>` (`host`: lower case A-label form), from the domains that
/// list it; `None` when none does.
pub fn nameserver(host: &str, domains: &[DomainRecord], service: &Service) -> Option<Value> {
    let mut listed = false;
    let mut addresses: Vec<String> = Vec::new();
    for nameserver in domains
        .iter()
        .flat_map(|domain| domain.nameservers.iter())
        .filter(|nameserver| nameserver.host == host)
    {
        listed = true;
        for address in &nameserver.addresses {
            if !addresses.contains(address) {
                addresses.push(address.clone());
            }
        }
    }
    if !listed {
        return None;
    }
    let path = format!("nameserver/{host}");
    let mut object = Map::new();
    object.insert("objectClassName".into(), json!("nameserver"));
    object.insert("ldhName".into(), json!(host));
    let (unicode, _) = idna::domain_to_unicode(host);
    if unicode != host {
        object.insert("unicodeName".into(), json!(unicode));
    }
    if let Some(addresses) = ip_addresses(&addresses) {
        object.insert("ipAddresses".into(), addresses);
    }
    object.insert("status".into(), json!(["active"]));
    object.insert("events".into(), json!([service.database_event()]));
    object.insert("links".into(), json!([service.self_link(&path)]));
    Some(top_level(Value::Object(object), service, &path, &[]))
}
