//! The browser form's order: one JSON object with the name, its language, the period, the
//! contacts, the name servers and the eligibility certification.
//!
//! ```json
//! {"domain": "müller.coop", "idn_language": "DE", "period": 1,
//!  "contacts": {"owner": {..}, "admin": {..}, "tech": {..}, "billing": {..}},
//!  "nameservers": [{"host": "ns1.example.net", "addresses": []}],
//!  "eligibility": {"criterion": "ica_member", "certified": true},
//!  "allocation_token": "…", "ds_records": ["12345 13 2 <64 hex>"]}
//! ```
//! Rules: malformed JSON → `malformed_input`; unknown fields anywhere → `unknown_field`; wrong
//! JSON types → `wrong_type`; `domain`, `period`, `contacts.owner`, `nameservers` and
//! `eligibility` required; admin, tech and billing absent or null → the owner's data; the
//! fields themselves by [`crate::validate::domain`], [`crate::validate::period`],
//! [`crate::validate::contact`], [`crate::validate::nameserver`],
//! [`crate::validate::eligibility`]; `allocation_token` is optional (absent, null or empty:
//! none), the token staff issued for a reserved name ([`crate::validate::reserved`]);
//! `ds_records` is optional, DNSSEC DS records checked by [`crate::dns::ds`]. Every
//! problem is reported, each with its field path.

use crate::error::{ErrorCode, Problem, Problems};
use crate::model::{ContactInfo, ContactRole, DomainName, Nameserver};
use crate::validate::contact::{
    raw_contact_from_json, validate_raw_contact, ContactRules, JsonNames,
};
use crate::validate::domain::validate_domain_name_at;
use crate::validate::eligibility::{certification_required, check_criterion, EligibilityCriterion};
use crate::validate::json;
use crate::validate::nameserver::{check_nameservers, raw_nameservers_from_json};
use crate::validate::period::{validate_period, WHOLE_YEARS};
use crate::validate::reserved::check_allocation_token;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The contacts of an order, each one complete (absent roles copied from the owner).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderContacts {
    pub owner: ContactInfo,
    pub admin: ContactInfo,
    pub tech: ContactInfo,
    pub billing: ContactInfo,
}

/// An order that passed every rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidOrder {
    pub domain: DomainName,
    pub period: u8,
    pub contacts: OrderContacts,
    pub nameservers: Vec<Nameserver>,
    pub eligibility: EligibilityCriterion,
    /// The allocation token for a reserved name, when the order carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_token: Option<String>,
    /// DNSSEC DS records for the delegation (none: unsigned).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ds_records: Vec<crate::dns::DsRecord>,
}

/// Largest order text accepted (a real order is a few KB).
pub const MAX_ORDER_BYTES: usize = 64 * 1024;

const FIELDS: [&str; 8] = [
    "domain",
    "idn_language",
    "period",
    "contacts",
    "nameservers",
    "eligibility",
    "allocation_token",
    "ds_records",
];

/// Parses and validates an order from its JSON text.
pub fn validate_order_json(text: &str) -> Result<ValidOrder, Problems> {
    if text.len() > MAX_ORDER_BYTES {
        return Err(Problems::one(Problem::new(
            ErrorCode::BodyTooLarge,
            "",
            format!(
                "the order is {} bytes; at most {MAX_ORDER_BYTES} are accepted",
                text.len()
            ),
        )));
    }
    let value: Value = serde_json::from_str(text).map_err(|error| {
        Problems::one(Problem::new(
            ErrorCode::MalformedInput,
            "",
            format!("the order is not valid JSON ({error})"),
        ))
    })?;
    validate_order(&value)
}

/// Validates an order given as a JSON value.
pub fn validate_order(value: &Value) -> Result<ValidOrder, Problems> {
    let mut problems = Problems::default();
    let Some(map) = json::object(value, "", &FIELDS, &mut problems) else {
        return Err(problems);
    };

    let domain_text = json::string(map, "domain", "", &mut problems);
    let language = json::string(map, "idn_language", "", &mut problems);
    let domain = match domain_text {
        Some(text) => validate_domain_name_at(text, language, "domain", "idn_language")
            .map_err(|found| problems.errors.extend(found.errors))
            .ok(),
        None => {
            if map.get("domain").is_none_or(|v| v.is_null()) {
                problems.push(Problem::new(
                    ErrorCode::Required,
                    "domain",
                    "is required: the .coop name to register, e.g. example.coop",
                ));
            }
            None
        }
    };

    let period = match map.get("period") {
        None | Some(Value::Null) => {
            problems.push(Problem::new(
                ErrorCode::Required,
                "period",
                format!("is required: the period {WHOLE_YEARS}"),
            ));
            None
        }
        Some(Value::Number(number)) => match number.as_i64() {
            Some(years) => validate_period(years, "period")
                .map_err(|p| problems.push(p))
                .ok(),
            None if number.as_u64().is_some() => {
                problems.push(Problem::new(
                    ErrorCode::PeriodRange,
                    "period",
                    "is far more than 10 years; a registration lasts 1 to 10 whole years",
                ));
                None
            }
            None => {
                problems.push(Problem::new(ErrorCode::WrongType, "period", WHOLE_YEARS));
                None
            }
        },
        Some(_) => {
            problems.push(Problem::new(ErrorCode::WrongType, "period", WHOLE_YEARS));
            None
        }
    };

    let contacts = read_contacts(map.get("contacts"), &mut problems);

    let nameservers = match map.get("nameservers") {
        None | Some(Value::Null) => {
            problems.push(Problem::new(
                ErrorCode::Required,
                "nameservers",
                "is required: 2 to 13 name servers",
            ));
            None
        }
        Some(Value::Array(items)) => {
            let raw = raw_nameservers_from_json(items, "nameservers", &mut problems);
            Some(check_nameservers(
                &raw,
                domain.as_ref(),
                "nameservers",
                &mut problems,
            ))
        }
        Some(other) => {
            problems.push(Problem::new(
                ErrorCode::WrongType,
                "nameservers",
                format!(
                    "must be a list of name servers, not {}",
                    json::type_name(other)
                ),
            ));
            None
        }
    };

    let eligibility = read_eligibility(map.get("eligibility"), &mut problems);
    let allocation_token = json::string(map, "allocation_token", "", &mut problems)
        .filter(|token| !token.trim().is_empty())
        .and_then(|token| {
            check_allocation_token(token, "allocation_token")
                .map_err(|p| problems.push(p))
                .ok()
        });

    let ds_records = read_ds_records(map.get("ds_records"), &mut problems);

    match (domain, period, contacts, nameservers, eligibility) {
        (Some(domain), Some(period), Some(contacts), Some(nameservers), Some(eligibility))
            if problems.is_empty() =>
        {
            Ok(ValidOrder {
                domain,
                period,
                contacts,
                nameservers,
                eligibility,
                allocation_token,
                ds_records,
            })
        }
        _ => Err(problems),
    }
}

/// `ds_records`: absent, null or a list (at most 8) of DS records, each either a string in
/// presentation form (`"12345 13 2 <hex>"`) or an object `{"key_tag": 12345, "algorithm":
/// 13, "digest_type": 2, "digest": "<hex>"}` (numbers or numeric strings).
fn read_ds_records(value: Option<&Value>, problems: &mut Problems) -> Vec<crate::dns::DsRecord> {
    let items = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(other) => {
            problems.push(Problem::new(
                ErrorCode::WrongType,
                "ds_records",
                format!(
                    "must be a list of DS records, not {}",
                    json::type_name(other)
                ),
            ));
            return Vec::new();
        }
    };
    let mut records = Vec::new();
    let before = problems.errors.len();
    for (index, item) in items.iter().enumerate() {
        let field = format!("ds_records[{index}]");
        let parsed = match item {
            Value::String(text) if text.trim().is_empty() => continue,
            Value::String(text) => crate::dns::parse_ds(text),
            Value::Object(_) => {
                let Some(map) = json::object(
                    item,
                    &field,
                    &["key_tag", "algorithm", "digest_type", "digest"],
                    problems,
                ) else {
                    continue;
                };
                let part = |key: &str| -> String {
                    match map.get(key) {
                        Some(Value::String(text)) => text.clone(),
                        Some(Value::Number(number)) => number.to_string(),
                        _ => String::new(),
                    }
                };
                crate::dns::ds_from_parts(
                    &part("key_tag"),
                    &part("algorithm"),
                    &part("digest_type"),
                    &part("digest"),
                )
            }
            other => {
                problems.push(Problem::new(
                    ErrorCode::WrongType,
                    field,
                    format!(
                        "must be a DS record (text or object), not {}",
                        json::type_name(other)
                    ),
                ));
                continue;
            }
        };
        match parsed {
            Ok(ds) => records.push(ds),
            Err(error) => problems.push(error.problem(field)),
        }
    }
    if problems.errors.len() != before {
        return Vec::new();
    }
    crate::dns::check_ds_set(records).unwrap_or_else(|error| {
        problems.push(error.problem("ds_records"));
        Vec::new()
    })
}

fn read_contacts(value: Option<&Value>, problems: &mut Problems) -> Option<OrderContacts> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        problems.push(Problem::new(
            ErrorCode::Required,
            "contacts",
            "is required: at least the owner (registrant) contact",
        ));
        return None;
    };
    let map = json::object(
        value,
        "contacts",
        &["owner", "admin", "tech", "billing"],
        problems,
    )?;
    let read = |role: ContactRole, problems: &mut Problems| -> Option<Option<ContactInfo>> {
        match map.get(role.as_str()) {
            None | Some(Value::Null) => Some(None),
            Some(value) => {
                let prefix = json::join("contacts", role.as_str());
                let raw = raw_contact_from_json(value, &prefix, problems)?;
                let names = JsonNames { prefix: &prefix };
                validate_raw_contact(&raw, ContactRules::for_role(role), &names, problems).map(Some)
            }
        }
    };
    let owner = read(ContactRole::Owner, problems);
    let admin = read(ContactRole::Admin, problems);
    let tech = read(ContactRole::Tech, problems);
    let billing = read(ContactRole::Billing, problems);
    let owner = match owner {
        Some(Some(owner)) => owner,
        Some(None) => {
            problems.push(Problem::new(
                ErrorCode::Required,
                "contacts.owner",
                "is required: the owner (registrant) contact",
            ));
            return None;
        }
        None => return None,
    };
    let or_owner = |contact: Option<ContactInfo>| contact.unwrap_or_else(|| owner.clone());
    Some(OrderContacts {
        admin: or_owner(admin?),
        tech: or_owner(tech?),
        billing: or_owner(billing?),
        owner,
    })
}

fn read_eligibility(
    value: Option<&Value>,
    problems: &mut Problems,
) -> Option<EligibilityCriterion> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        problems.push(certification_required("eligibility.certified"));
        problems.push(check_criterion(None, "eligibility.criterion").err()?);
        return None;
    };
    let map = json::object(value, "eligibility", &["criterion", "certified"], problems)?;
    match map.get("certified") {
        Some(Value::Bool(true)) => {}
        None | Some(Value::Null) | Some(Value::Bool(false)) => {
            problems.push(certification_required("eligibility.certified"));
        }
        Some(other) => problems.push(Problem::new(
            ErrorCode::WrongType,
            "eligibility.certified",
            format!("must be true or false, not {}", json::type_name(other)),
        )),
    }
    let criterion = json::string(map, "criterion", "eligibility", problems);
    let wrong_type = map
        .get("criterion")
        .is_some_and(|v| !v.is_null() && !v.is_string());
    if wrong_type {
        return None;
    }
    check_criterion(criterion, "eligibility.criterion")
        .map_err(|p| problems.push(p))
        .ok()
}

#[cfg(test)]
pub(crate) mod tests;
