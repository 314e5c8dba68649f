//! Validation of everything a registration carries (issue 3): one set of rules for the
//! browser form, the JSON API and the reseller command API, natively and in wasm.
//!
//! - [`domain`]: .coop names (LDH and IDN, IDNA2008 on top of UTS 46) and host names.
//! - [`idn`]: the IDN language tables (`shared/data/idn-tables.txt`).
//! - [`contact`]: contact data (with [`country`], [`phone`], [`email`], [`privacy`]).
//! - [`nameserver`], [`period`], [`eligibility`]: the rest of a registration.
//! - [`reserved`]: the names the registry keeps, and the form of an allocation token.
//! - [`order`]: the browser form's order JSON; [`reseller_params`]: AddContact/AddDomain
//!   parameter sets. Both call the same field validators, so the same bad value gives the
//!   same code and message; only the field path differs.
//!
//! Every validator reports all problems it finds, each with a field path, and never panics.

pub mod contact;
pub mod country;
pub mod domain;
pub mod eligibility;
pub mod email;
pub mod idn;
mod json;
pub mod nameserver;
pub mod order;
pub mod period;
pub mod phone;
pub mod privacy;
pub mod reseller_params;
pub mod reserved;
mod text;

pub use contact::{check_registrant, validate_contact};
pub use domain::{validate_domain_name, validate_host_name};
pub use eligibility::{validate_eligibility, EligibilityCriterion};
pub use idn::fitting_languages;
pub use nameserver::validate_nameservers;
pub use order::{validate_order, validate_order_json, OrderContacts, ValidOrder};
pub use period::validate_period;
pub use reseller_params::{
    reseller_ds_records, reseller_nameserver_change, validate_reseller_add_domain,
    validate_reseller_contact, AddDomainRequest,
};
