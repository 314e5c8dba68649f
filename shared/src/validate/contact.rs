//! Contacts: the social data of the owner (registrant), admin, tech and billing contacts.
//!
//! Rules (the same for the order JSON and the reseller AddContact/ModifyContact parameters):
//! - required: first name, last name, 1-3 street lines, city, postcode, country, phone,
//!   e-mail; the organisation too for the owner (.coop registrants are organisations);
//!   empty strings count as absent (`required`);
//! - free text: surrounding spaces dropped, no control characters, NFC (`not_normalized`,
//!   NFC form suggested), length limits (`too_long`);
//! - country: ISO 3166-1 alpha-2, typed as a code, an English name or an alias
//!   ([`crate::validate::country`], `invalid_country`);
//! - phone and fax: written the usual ways, stored as `+CC.NUMBER`, a local number with the
//!   country's calling code ([`crate::validate::phone`], `invalid_phone`);
//! - e-mail: [`crate::validate::email`] (`invalid_email`);
//! - the owner must not be a privacy/proxy service ([`crate::validate::privacy`],
//!   `privacy_service`).

use crate::error::{ErrorCode, Problem, Problems};
use crate::model::{ContactInfo, ContactRole};
use crate::validate::country::check_country;
use crate::validate::email::check_email;
use crate::validate::json;
use crate::validate::phone::check_phone;
use crate::validate::privacy::check_not_privacy_service;
use crate::validate::text::check_text;
use serde_json::Value;

pub const MAX_NAME_CHARS: usize = 128;
pub const MAX_ORGANIZATION_CHARS: usize = 255;
pub const MAX_STREET_CHARS: usize = 255;
pub const MAX_STREET_LINES: usize = 3;
pub const MAX_CITY_CHARS: usize = 128;
pub const MAX_STATE_CHARS: usize = 128;
pub const MAX_POSTCODE_CHARS: usize = 16;

/// The fields of a contact, for naming them per input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ContactField {
    FirstName,
    LastName,
    Organization,
    Street,
    City,
    State,
    Postcode,
    Country,
    Phone,
    Fax,
    Email,
}

impl ContactField {
    /// What the field is, for messages (the same on every input path).
    fn label(self) -> &'static str {
        match self {
            ContactField::FirstName => "the first name",
            ContactField::LastName => "the last name",
            ContactField::Organization => "the organisation's name",
            ContactField::Street => "the street address",
            ContactField::City => "the city",
            ContactField::State => "the state or province",
            ContactField::Postcode => "the postcode",
            ContactField::Country => "the country",
            ContactField::Phone => "the phone number",
            ContactField::Fax => "the fax number",
            ContactField::Email => "the e-mail address",
        }
    }
}

/// How an input format names contact fields.
pub(crate) trait ContactFieldNames {
    fn field(&self, field: ContactField) -> String;
    fn street_line(&self, index: usize) -> String;
}

/// A contact as given, before validation: `None` or `""` is absent.
#[derive(Debug, Default)]
pub(crate) struct RawContact<'a> {
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub organization: Option<&'a str>,
    /// The street lines at their positions (absent lines as `None`).
    pub street: Vec<Option<&'a str>>,
    pub city: Option<&'a str>,
    pub state: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub country: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub fax: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// What to require of a contact.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ContactRules {
    pub require_organization: bool,
    pub refuse_privacy_service: bool,
}

impl ContactRules {
    pub fn for_role(role: ContactRole) -> ContactRules {
        let owner = role == ContactRole::Owner;
        ContactRules {
            require_organization: owner,
            refuse_privacy_service: owner,
        }
    }
}

fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// [`check_text`] with the field's name built only when there is a problem.
fn text_at(
    value: &str,
    max: usize,
    problems: &mut Problems,
    field: impl Fn() -> String,
) -> Option<String> {
    let mut found = Problems::default();
    let checked = check_text(value, "", max, &mut found);
    for mut problem in found.errors {
        problem.field = field();
        problems.push(problem);
    }
    checked
}

/// Validates a raw contact; every problem goes to `problems`.
pub(crate) fn validate_raw_contact(
    raw: &RawContact<'_>,
    rules: ContactRules,
    names: &dyn ContactFieldNames,
    problems: &mut Problems,
) -> Option<ContactInfo> {
    let before = problems.errors.len();
    let required = |field: ContactField, problems: &mut Problems| {
        problems.push(Problem::new(
            ErrorCode::Required,
            names.field(field),
            format!("is required: {}", field.label()),
        ));
    };
    let text = |value: Option<&str>,
                field: ContactField,
                max: usize,
                needed: bool,
                problems: &mut Problems| {
        match present(value) {
            Some(value) => text_at(value, max, problems, || names.field(field)),
            None => {
                if needed {
                    required(field, problems);
                }
                None
            }
        }
    };
    let first_name = text(
        raw.first_name,
        ContactField::FirstName,
        MAX_NAME_CHARS,
        true,
        problems,
    );
    let last_name = text(
        raw.last_name,
        ContactField::LastName,
        MAX_NAME_CHARS,
        true,
        problems,
    );
    let organization = text(
        raw.organization,
        ContactField::Organization,
        MAX_ORGANIZATION_CHARS,
        rules.require_organization,
        problems,
    );
    let mut street = Vec::new();
    for (index, line) in raw.street.iter().enumerate() {
        let Some(line) = present(*line) else { continue };
        if index >= MAX_STREET_LINES {
            problems.push(Problem::new(
                ErrorCode::InvalidValue,
                names.street_line(index),
                format!("at most {MAX_STREET_LINES} street lines are accepted"),
            ));
            continue;
        }
        if let Some(line) = text_at(line, MAX_STREET_CHARS, problems, || {
            names.street_line(index)
        }) {
            street.push(line);
        }
    }
    if raw.street.iter().all(|line| present(*line).is_none()) {
        problems.push(Problem::new(
            ErrorCode::Required,
            names.street_line(0),
            format!("is required: {}", ContactField::Street.label()),
        ));
    }
    let city = text(raw.city, ContactField::City, MAX_CITY_CHARS, true, problems);
    let state = text(
        raw.state,
        ContactField::State,
        MAX_STATE_CHARS,
        false,
        problems,
    );
    let postcode = text(
        raw.postcode,
        ContactField::Postcode,
        MAX_POSTCODE_CHARS,
        true,
        problems,
    );
    let checked = |value: Option<&str>,
                   field: ContactField,
                   needed: bool,
                   check: fn(&str, &str) -> Result<String, Problem>,
                   problems: &mut Problems| {
        match present(value) {
            // The field's name is only built for a problem (it costs an allocation).
            Some(value) => check(value, "")
                .map_err(|mut problem| {
                    problem.field = names.field(field);
                    problems.push(problem);
                })
                .ok(),
            None => {
                if needed {
                    required(field, problems);
                }
                None
            }
        }
    };
    let country = checked(
        raw.country,
        ContactField::Country,
        true,
        check_country,
        problems,
    );
    // A local number takes the calling code of the contact's country.
    let phone_in =
        |value: Option<&str>, field: ContactField, needed: bool, problems: &mut Problems| {
            match present(value) {
                Some(value) => check_phone(value, "", country.as_deref())
                    .map_err(|mut problem| {
                        problem.field = names.field(field);
                        problems.push(problem);
                    })
                    .ok(),
                None => {
                    if needed {
                        required(field, problems);
                    }
                    None
                }
            }
        };
    let phone = phone_in(raw.phone, ContactField::Phone, true, problems);
    let fax = phone_in(raw.fax, ContactField::Fax, false, problems);
    let email = checked(raw.email, ContactField::Email, true, check_email, problems);
    if problems.errors.len() != before {
        return None;
    }
    let contact = ContactInfo {
        first_name: first_name?,
        last_name: last_name?,
        organization,
        street,
        city: city?,
        state,
        postcode: postcode?,
        country: country?,
        phone: phone?,
        fax,
        email: email?,
    };
    if rules.refuse_privacy_service {
        let field = names.field(if contact.organization.is_some() {
            ContactField::Organization
        } else {
            ContactField::LastName
        });
        if let Err(problem) = check_not_privacy_service(&contact, &field) {
            problems.push(problem);
            return None;
        }
    }
    Some(contact)
}

/// The order JSON's names: `contacts.owner.email`, `contacts.owner.street[1]`.
pub(crate) struct JsonNames<'a> {
    pub prefix: &'a str,
}

impl ContactFieldNames for JsonNames<'_> {
    fn field(&self, field: ContactField) -> String {
        json::join(
            self.prefix,
            JSON_FIELDS
                .iter()
                .find(|(f, _)| *f == field)
                .map_or("", |(_, n)| n),
        )
    }
    fn street_line(&self, index: usize) -> String {
        json::index(&json::join(self.prefix, "street"), index)
    }
}

const JSON_FIELDS: [(ContactField, &str); 11] = [
    (ContactField::FirstName, "first_name"),
    (ContactField::LastName, "last_name"),
    (ContactField::Organization, "organization"),
    (ContactField::Street, "street"),
    (ContactField::City, "city"),
    (ContactField::State, "state"),
    (ContactField::Postcode, "postcode"),
    (ContactField::Country, "country"),
    (ContactField::Phone, "phone"),
    (ContactField::Fax, "fax"),
    (ContactField::Email, "email"),
];

/// Reads a contact object of the order JSON into `RawContact` (type problems reported).
pub(crate) fn raw_contact_from_json<'a>(
    value: &'a Value,
    prefix: &str,
    problems: &mut Problems,
) -> Option<RawContact<'a>> {
    let Some(map) = value.as_object() else {
        problems.push(Problem::new(
            ErrorCode::WrongType,
            prefix,
            format!("must be a JSON object, not {}", json::type_name(value)),
        ));
        return None;
    };
    // One pass over the keys (a lookup per field costs more than the checks themselves).
    let mut raw = RawContact::default();
    for (key, value) in map {
        let slot = match key.as_str() {
            "first_name" => &mut raw.first_name,
            "last_name" => &mut raw.last_name,
            "organization" => &mut raw.organization,
            "city" => &mut raw.city,
            "state" => &mut raw.state,
            "postcode" => &mut raw.postcode,
            "country" => &mut raw.country,
            "phone" => &mut raw.phone,
            "fax" => &mut raw.fax,
            "email" => &mut raw.email,
            "street" => {
                read_street(value, prefix, &mut raw.street, problems);
                continue;
            }
            _ => {
                let allowed: Vec<&str> = JSON_FIELDS.iter().map(|(_, name)| *name).collect();
                problems.push(json::unknown_field(prefix, key, &allowed));
                continue;
            }
        };
        *slot = json::string_value(value, || json::join(prefix, key), problems);
    }
    Some(raw)
}

fn read_street<'a>(
    value: &'a Value,
    prefix: &str,
    street: &mut Vec<Option<&'a str>>,
    problems: &mut Problems,
) {
    match value {
        Value::Null => {}
        Value::Array(lines) => {
            for (i, line) in lines.iter().enumerate() {
                match line {
                    Value::String(line) => street.push(Some(line.as_str())),
                    Value::Null => street.push(None),
                    other => {
                        problems.push(Problem::new(
                            ErrorCode::WrongType,
                            json::index(&json::join(prefix, "street"), i),
                            format!("must be a string, not {}", json::type_name(other)),
                        ));
                        street.push(Some("-"));
                    }
                }
            }
        }
        other => problems.push(Problem::new(
            ErrorCode::WrongType,
            json::join(prefix, "street"),
            format!(
                "must be a list of 1 to 3 street lines, not {}",
                json::type_name(other)
            ),
        )),
    }
}

/// Validates one contact object of the order JSON for `role`; problems are reported under
/// `field_prefix` (e.g. `contacts.owner`).
pub fn validate_contact(
    value: &Value,
    role: ContactRole,
    field_prefix: &str,
) -> Result<ContactInfo, Problems> {
    let mut problems = Problems::default();
    let contact = raw_contact_from_json(value, field_prefix, &mut problems).and_then(|raw| {
        validate_raw_contact(
            &raw,
            ContactRules::for_role(role),
            &JsonNames {
                prefix: field_prefix,
            },
            &mut problems,
        )
    });
    match contact {
        Some(contact) if problems.is_empty() => Ok(contact),
        _ => Err(problems),
    }
}

/// Checks that a stored contact may be a domain's owner (registrant): it has an organisation
/// and is not a privacy/proxy service. For commands that name the owner by handle
/// (AddDomain, ModifyDomain); problems are on `field`.
pub fn check_registrant(contact: &ContactInfo, field: &str) -> Result<(), Problems> {
    if contact
        .organization
        .as_deref()
        .is_none_or(|o| o.trim().is_empty())
    {
        return Err(Problems::one(Problem::new(
            ErrorCode::Required,
            field,
            format!(
                "is required: {} (.coop registrants are organisations)",
                ContactField::Organization.label()
            ),
        )));
    }
    check_not_privacy_service(contact, field).map_err(Problems::one)
}

#[cfg(test)]
mod tests;
