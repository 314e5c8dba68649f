//! The registry's side of the DNS: DNSSEC DS records ([`ds`]) and the delegation of a domain
//! as rrsets ([`delegation`]), used by the zone file, the push to the hidden primary
//! (PowerDNS) and the daily reconciliation with it. Pure: the worker does the HTTP.

pub mod delegation;
pub mod ds;

pub use delegation::{changes_for, delegation, reconcile, Change, Drift, RrSet, RrType};
pub use ds::{
    check_ds_set, ds_from_dnskey, ds_from_parts, parse_dnskey, parse_ds, Dnskey, DsError, DsRecord,
};
