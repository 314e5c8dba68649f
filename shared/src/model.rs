//! The objects of coopreg, in their validated form.
//!
//! Values of these types have passed [`crate::validate`]: a `DomainName` is canonical, a
//! `ContactInfo` has its required fields, and so on. The lifecycle rules take them as given.

use serde::{Deserialize, Serialize};

/// Seconds since the Unix epoch, UTC. The core never reads a clock: callers pass `now`.
pub type Timestamp = i64;

pub const DAY: i64 = 86_400;

/// The IDN language tables .coop offers (seed 000), as sent in `X-IDN-LANGUAGE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IdnLanguage {
    #[serde(rename = "CYRL")]
    Cyrillic,
    #[serde(rename = "FR")]
    French,
    #[serde(rename = "DE")]
    German,
    #[serde(rename = "IT")]
    Italian,
    #[serde(rename = "PT")]
    Portuguese,
    #[serde(rename = "ES")]
    Spanish,
}

impl IdnLanguage {
    pub const ALL: [IdnLanguage; 6] = [
        IdnLanguage::Cyrillic,
        IdnLanguage::French,
        IdnLanguage::German,
        IdnLanguage::Italian,
        IdnLanguage::Portuguese,
        IdnLanguage::Spanish,
    ];

    /// The tag as written in `X-IDN-LANGUAGE` and in the order JSON.
    pub fn tag(self) -> &'static str {
        match self {
            IdnLanguage::Cyrillic => "CYRL",
            IdnLanguage::French => "FR",
            IdnLanguage::German => "DE",
            IdnLanguage::Italian => "IT",
            IdnLanguage::Portuguese => "PT",
            IdnLanguage::Spanish => "ES",
        }
    }

    /// Parses a tag, ignoring ASCII case.
    pub fn from_tag(tag: &str) -> Option<IdnLanguage> {
        IdnLanguage::ALL
            .into_iter()
            .find(|language| language.tag().eq_ignore_ascii_case(tag))
    }
}

/// A registrable .coop name in both canonical forms.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DomainName {
    /// The A-label form, lower case, with `.coop` (`xn--mller-kva.coop`). The registry key.
    pub ascii: String,
    /// The U-label form (`müller.coop`); equal to `ascii` for an LDH name.
    pub unicode: String,
    /// The IDN table the label was checked against; `None` for an LDH name.
    pub language: Option<IdnLanguage>,
}

/// The contact roles of a domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    Owner,
    Admin,
    Tech,
    Billing,
}

impl ContactRole {
    pub const ALL: [ContactRole; 4] = [
        ContactRole::Owner,
        ContactRole::Admin,
        ContactRole::Tech,
        ContactRole::Billing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactRole::Owner => "owner",
            ContactRole::Admin => "admin",
            ContactRole::Tech => "tech",
            ContactRole::Billing => "billing",
        }
    }
}

/// A contact's social data (the registry is "thick"), validated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContactInfo {
    pub first_name: String,
    pub last_name: String,
    /// Required for the owner: .coop registrants are organisations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// One to three street lines.
    pub street: Vec<String>,
    pub city: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    pub postcode: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// `+CC.NUMBER`.
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fax: Option<String>,
    pub email: String,
}

impl ContactInfo {
    /// The same contact data: every field equal, compared as validated (the canonical form
    /// the validators produce: surrounding spaces dropped, country upper case, absent and
    /// empty optional fields alike). Nothing is compared loosely, not even the e-mail
    /// address's case: data that differs in any field is another contact. `AddContact`
    /// without `NEW=1` answers an existing contact with identical data
    /// ([`crate::lifecycle::identical_contact`]).
    pub fn is_identical(&self, other: &ContactInfo) -> bool {
        self == other
    }

    /// A change to these fields of a verified owner starts re-verification (product.md).
    pub fn materially_differs(&self, other: &ContactInfo) -> bool {
        !self.material_differences(other).is_empty()
    }

    /// The material fields that differ, in [`MaterialField::ALL`] order. E-mail addresses
    /// differing only in ASCII case are the same mailbox in practice, so not a change.
    pub fn material_differences(&self, other: &ContactInfo) -> Vec<MaterialField> {
        MaterialField::ALL
            .into_iter()
            .filter(|field| match field {
                MaterialField::Organization => self.organization != other.organization,
                MaterialField::FirstName => self.first_name != other.first_name,
                MaterialField::LastName => self.last_name != other.last_name,
                MaterialField::Country => self.country != other.country,
                MaterialField::Email => !self.email.eq_ignore_ascii_case(&other.email),
            })
            .collect()
    }
}

/// The contact fields whose change makes a registrant need review again (product.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialField {
    Organization,
    FirstName,
    LastName,
    Country,
    Email,
}

impl MaterialField {
    pub const ALL: [MaterialField; 5] = [
        MaterialField::Organization,
        MaterialField::FirstName,
        MaterialField::LastName,
        MaterialField::Country,
        MaterialField::Email,
    ];

    /// The field's name as used in JSON and in reports (`first_name`).
    pub fn as_str(self) -> &'static str {
        match self {
            MaterialField::Organization => "organization",
            MaterialField::FirstName => "first_name",
            MaterialField::LastName => "last_name",
            MaterialField::Country => "country",
            MaterialField::Email => "email",
        }
    }
}

/// A delegation name server, with glue only when it lies inside the domain itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Nameserver {
    /// Host name in A-label form, lower case, without trailing dot.
    pub host: String,
    /// Glue addresses (IPv4 dotted or IPv6 canonical text); empty unless in-domain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
}
