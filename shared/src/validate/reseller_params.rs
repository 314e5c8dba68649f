//! The reseller command API's parameter sets (CentralNic Reseller names; keys upper case as
//! the caller normalises them, values as strings), validated by the same field rules as the
//! order JSON: the same bad value gives the same code and message, on the parameter's name.
//!
//! AddContact / ModifyContact ([`validate_reseller_contact`]): `FIRSTNAME`, `LASTNAME`,
//! `ORGANIZATION`, `STREET0`..`STREET2` (`STREET` for `STREET0`), `CITY`, `STATE`, `ZIP`,
//! `COUNTRY`, `PHONE`, `FAX`, `EMAIL`. Other parameters are the command's business.
//!
//! ModifyDomain name servers ([`reseller_nameserver_change`]): `NAMESERVER#` replaces the
//! list, `ADDNAMESERVER#` / `DELNAMESERVER#` change it.
//!
//! AddDomain ([`validate_reseller_add_domain`]): `DOMAIN`; `PERIOD` (default 1);
//! `OWNERCONTACT0` (required), `ADMINCONTACT0`, `TECHCONTACT0`, `BILLINGCONTACT0` (default:
//! the owner) as handles (`invalid_handle`); `NAMESERVER0`..`NAMESERVER12` (2 to 13; a higher
//! index is `nameserver_count`); `X-COOP-ELIGIBILITY` must be `1` (`eligibility_required`);
//! `X-IDN-LANGUAGE`; optional `X-COOP-ELIGIBILITY-CRITERION`; optional `X-ALLOCATION-TOKEN`
//! (the token staff issued for a reserved name, [`crate::validate::reserved`]).
//! Glue: AddDomain carries no addresses (in EPP, hosts inside a domain are created after
//! it), so a name server inside the domain being registered is refused with
//! `glue_required`, as the order path refuses one given without addresses.

use crate::error::{ErrorCode, Problem, Problems};
use crate::model::{ContactInfo, DomainName, Nameserver};
use crate::validate::contact::{
    validate_raw_contact, ContactField, ContactFieldNames, ContactRules, RawContact,
};
use crate::validate::domain::validate_domain_name_at;
use crate::validate::eligibility::{certification_required, check_criterion, EligibilityCriterion};
use crate::validate::nameserver::{
    check_nameservers, count_problem, NameserverFields, RawNameserver, MAX_NAMESERVERS,
};
use crate::validate::period::validate_period_text;
use crate::validate::reserved::check_allocation_token;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A validated AddDomain command.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddDomainRequest {
    pub domain: DomainName,
    pub period: u8,
    pub owner_contact: String,
    pub admin_contact: String,
    pub tech_contact: String,
    pub billing_contact: String,
    pub nameservers: Vec<Nameserver>,
    /// The criterion, when the reseller names one (`X-COOP-ELIGIBILITY-CRITERION`).
    pub eligibility_criterion: Option<EligibilityCriterion>,
    /// The allocation token for a reserved name (`X-ALLOCATION-TOKEN`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_token: Option<String>,
    /// DNSSEC: `DNSSECDSDATA#` as given and the DS of each `DNSSEC#` key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ds_records: Vec<crate::dns::DsRecord>,
}

struct ResellerNames;

impl ContactFieldNames for ResellerNames {
    fn field(&self, field: ContactField) -> String {
        match field {
            ContactField::FirstName => "FIRSTNAME",
            ContactField::LastName => "LASTNAME",
            ContactField::Organization => "ORGANIZATION",
            ContactField::Street => "STREET0",
            ContactField::City => "CITY",
            ContactField::State => "STATE",
            ContactField::Postcode => "ZIP",
            ContactField::Country => "COUNTRY",
            ContactField::Phone => "PHONE",
            ContactField::Fax => "FAX",
            ContactField::Email => "EMAIL",
        }
        .to_string()
    }
    fn street_line(&self, index: usize) -> String {
        format!("STREET{index}")
    }
}

/// `KEY<n>` parameters (`STREET0`, `NAMESERVER12`) in index order.
fn indexed<'a>(params: &'a BTreeMap<String, String>, key: &str) -> Vec<(usize, &'a str)> {
    let mut found: Vec<(usize, &str)> = Vec::new();
    let matching = params.iter().filter_map(|(name, value)| {
        let digits = name.strip_prefix(key)?;
        let valid =
            !digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit());
        if !valid {
            return None;
        }
        Some((digits.parse::<usize>().ok()?, value.as_str()))
    });
    // Insert in index order (no sort: sort code would weigh on the browser's wasm).
    for (index, value) in matching {
        let at = found.partition_point(|(known, _)| *known < index);
        found.insert(at, (index, value));
    }
    found
}

/// Validates AddContact/ModifyContact parameters. `require_organization` for a contact that
/// will be a registrant (which is then also checked not to be a privacy/proxy service).
pub fn validate_reseller_contact(
    params: &BTreeMap<String, String>,
    require_organization: bool,
) -> Result<ContactInfo, Problems> {
    let get = |key: &str| params.get(key).map(String::as_str);
    let mut street: Vec<Option<&str>> = Vec::new();
    for (index, line) in indexed(params, "STREET") {
        if street.len() <= index {
            street.resize(index + 1, None);
        }
        if let Some(slot) = street.get_mut(index) {
            *slot = Some(line);
        }
    }
    if street.first().copied().flatten().is_none() {
        if let Some(line) = get("STREET") {
            if street.is_empty() {
                street.push(None);
            }
            if let Some(first) = street.first_mut() {
                *first = Some(line);
            }
        }
    }
    let raw = RawContact {
        first_name: get("FIRSTNAME"),
        last_name: get("LASTNAME"),
        organization: get("ORGANIZATION"),
        street,
        city: get("CITY"),
        state: get("STATE"),
        postcode: get("ZIP"),
        country: get("COUNTRY"),
        phone: get("PHONE"),
        fax: get("FAX"),
        email: get("EMAIL"),
    };
    let rules = ContactRules {
        require_organization,
        refuse_privacy_service: require_organization,
    };
    let mut problems = Problems::default();
    let contact = validate_raw_contact(&raw, rules, &ResellerNames, &mut problems);
    match contact {
        Some(contact) if problems.is_empty() => Ok(contact),
        _ => Err(problems),
    }
}

/// A contact handle: 1-64 characters of `A-Z a-z 0-9 . _ : -`.
fn check_handle(value: &str, field: &str) -> Result<String, Problem> {
    let value = value.trim();
    let valid = (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
    if valid {
        Ok(value.to_string())
    } else {
        Err(Problem::new(
            ErrorCode::InvalidHandle,
            field,
            format!(
                "'{}' is not a contact handle (1-64 letters, digits, '.', '_', ':' or '-', e.g. P-ABC1)",
                value.chars().take(40).collect::<String>()
            ),
        ))
    }
}

/// Validates AddDomain parameters.
pub fn validate_reseller_add_domain(
    params: &BTreeMap<String, String>,
) -> Result<AddDomainRequest, Problems> {
    let mut problems = Problems::default();
    let get = |key: &str| {
        params
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    };

    let domain = match get("DOMAIN") {
        Some(name) => {
            validate_domain_name_at(name, get("X-IDN-LANGUAGE"), "DOMAIN", "X-IDN-LANGUAGE")
                .map_err(|found| problems.errors.extend(found.errors))
                .ok()
        }
        None => {
            problems.push(Problem::new(
                ErrorCode::Required,
                "DOMAIN",
                "is required: the .coop name to register, e.g. example.coop",
            ));
            None
        }
    };

    let period = match get("PERIOD") {
        None => Some(1),
        Some(text) => validate_period_text(text, "PERIOD")
            .map_err(|p| problems.push(p))
            .ok(),
    };

    let owner = match get("OWNERCONTACT0") {
        Some(handle) => check_handle(handle, "OWNERCONTACT0")
            .map_err(|p| problems.push(p))
            .ok(),
        None => {
            problems.push(Problem::new(
                ErrorCode::Required,
                "OWNERCONTACT0",
                "is required: the owner (registrant) contact",
            ));
            None
        }
    };
    let mut role = |key: &str| match get(key) {
        Some(handle) => check_handle(handle, key).map_err(|p| problems.push(p)).ok(),
        None => owner.clone(),
    };
    let admin = role("ADMINCONTACT0");
    let tech = role("TECHCONTACT0");
    let billing = role("BILLINGCONTACT0");

    let given = indexed(params, "NAMESERVER");
    let mut raw = Vec::new();
    for &(index, host) in &given {
        if index >= MAX_NAMESERVERS {
            problems.push(count_problem(given.len(), &format!("NAMESERVER{index}")));
            continue;
        }
        raw.push(RawNameserver {
            host: Some(host),
            fields: NameserverFields::Param { index },
            addresses: Vec::new(),
        });
    }
    let raw: Vec<RawNameserver> = raw
        .into_iter()
        .filter(|ns| ns.host.is_some_and(|h| !h.trim().is_empty()))
        .collect();
    let nameservers = check_nameservers(&raw, domain.as_ref(), "NAMESERVER", &mut problems);
    let ds_records = domain
        .as_ref()
        .and_then(|domain| reseller_ds_records(params, &domain.ascii, &mut problems))
        .unwrap_or_default();

    match get("X-COOP-ELIGIBILITY").map(str::trim) {
        Some("1") => {}
        _ => problems.push(certification_required("X-COOP-ELIGIBILITY")),
    }
    let criterion = match get("X-COOP-ELIGIBILITY-CRITERION") {
        None => None,
        Some(code) => check_criterion(Some(code), "X-COOP-ELIGIBILITY-CRITERION")
            .map_err(|p| problems.push(p))
            .ok(),
    };

    let allocation_token = get("X-ALLOCATION-TOKEN")
        .filter(|token| !token.trim().is_empty())
        .and_then(|token| {
            check_allocation_token(token, "X-ALLOCATION-TOKEN")
                .map_err(|p| problems.push(p))
                .ok()
        });

    match (domain, period, owner, admin, tech, billing) {
        (
            Some(domain),
            Some(period),
            Some(owner_contact),
            Some(admin_contact),
            Some(tech_contact),
            Some(billing_contact),
        ) if problems.is_empty() => Ok(AddDomainRequest {
            domain,
            period,
            owner_contact,
            admin_contact,
            tech_contact,
            billing_contact,
            nameservers,
            eligibility_criterion: criterion,
            allocation_token,
            ds_records,
        }),
        _ => Err(problems),
    }
}

/// ModifyDomain's name servers: the full list `NAMESERVER#` when given, else the `current`
/// list without `DELNAMESERVER#` and with `ADDNAMESERVER#` appended; `Ok(None)` when the
/// command changes none of them. The result is checked as a registration's list (2 to 13,
/// host syntax, no duplicates, glue only inside `domain`); servers kept from the current list
/// keep their glue addresses. A `DELNAMESERVER#` that is not a name server of the domain is
/// `invalid_value`.
pub fn reseller_nameserver_change(
    params: &BTreeMap<String, String>,
    current: &[Nameserver],
    domain: &DomainName,
) -> Result<Option<Vec<Nameserver>>, Problems> {
    let non_empty = |key: &str| -> Vec<(String, &str)> {
        indexed(params, key)
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(index, value)| (format!("{key}{index}"), value))
            .collect()
    };
    let full = non_empty("NAMESERVER");
    let added = non_empty("ADDNAMESERVER");
    let deleted = non_empty("DELNAMESERVER");
    if full.is_empty() && added.is_empty() && deleted.is_empty() {
        return Ok(None);
    }
    let mut problems = Problems::default();
    let mut raw: Vec<RawNameserver> = Vec::new();
    let mut kept: Vec<(String, &Nameserver)> = Vec::new();
    if full.is_empty() {
        let same_host = |ns: &Nameserver, host: &str| {
            ns.host
                .eq_ignore_ascii_case(host.trim().trim_end_matches('.'))
        };
        for (field, host) in &deleted {
            if !current.iter().any(|ns| same_host(ns, host)) {
                problems.push(Problem::new(
                    ErrorCode::InvalidValue,
                    field,
                    format!(
                        "'{}' is not a name server of {}",
                        host.chars().take(80).collect::<String>(),
                        domain.unicode
                    ),
                ));
            }
        }
        kept = current
            .iter()
            .enumerate()
            .filter(|(_, ns)| !deleted.iter().any(|(_, host)| same_host(ns, host)))
            .map(|(index, ns)| (format!("NAMESERVER{index}"), ns))
            .collect();
    }
    for (field, ns) in &kept {
        raw.push(RawNameserver {
            host: Some(&ns.host),
            fields: NameserverFields::Named(field),
            addresses: ns
                .addresses
                .iter()
                .enumerate()
                .map(|(j, address)| (j, address.as_str()))
                .collect(),
        });
    }
    for (field, host) in full.iter().chain(&added) {
        raw.push(RawNameserver {
            host: Some(host),
            fields: NameserverFields::Named(field),
            addresses: Vec::new(),
        });
    }
    let list_field = if full.is_empty() {
        "ADDNAMESERVER"
    } else {
        "NAMESERVER"
    };
    let nameservers = check_nameservers(&raw, Some(domain), list_field, &mut problems);
    problems.into_result(Some(nameservers))
}

#[cfg(test)]
mod tests;

/// The DS set of AddDomain / ModifyDomain: each `DNSSECDSDATA#` (`<keytag> <alg> <digestType>
/// <digest>`) checked, plus the SHA-256 DS computed from each `DNSSEC#` key (`<flags>
/// <protocol> <alg> <pubkey>`) at `domain` ([`crate::dns::ds`]); the whole set at most
/// [`crate::dns::ds::MAX_DS_RECORDS`], without repeats. `None` when neither attribute is
/// given; given but all empty (`DNSSEC0=`) is `Some(empty)`: DNSSEC removed.
pub fn reseller_ds_records(
    params: &BTreeMap<String, String>,
    domain: &str,
    problems: &mut Problems,
) -> Option<Vec<crate::dns::DsRecord>> {
    let ds_data = indexed(params, "DNSSECDSDATA");
    let keys = indexed(params, "DNSSEC");
    if ds_data.is_empty() && keys.is_empty() {
        return None;
    }
    let before = problems.errors.len();
    let mut records = Vec::new();
    for (index, text) in ds_data.iter().filter(|(_, t)| !t.trim().is_empty()) {
        match crate::dns::parse_ds(text) {
            Ok(ds) => records.push(ds),
            Err(error) => problems.push(error.problem(format!("DNSSECDSDATA{index}"))),
        }
    }
    for (index, text) in keys.iter().filter(|(_, t)| !t.trim().is_empty()) {
        match crate::dns::parse_dnskey(text) {
            Ok(key) => records.push(crate::dns::ds_from_dnskey(domain, &key, 2)),
            Err(error) => problems.push(error.problem(format!("DNSSEC{index}"))),
        }
    }
    match crate::dns::check_ds_set(records) {
        Ok(set) if problems.errors.len() == before => Some(set),
        Ok(_) => None,
        Err(error) => {
            problems.push(error.problem("DNSSECDSDATA"));
            None
        }
    }
}
