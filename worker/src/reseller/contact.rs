//! `AddContact`, `ModifyContact`, `StatusContact` (reseller-api.md §5.2, §5.11).
//!
//! Rules:
//! - the data is checked by the core's
//!   [`validate_reseller_contact`](coopreg_shared::validate::validate_reseller_contact), the same
//!   field rules as the order form; an organisation is required only once the contact owns a
//!   domain (then it must also not be a privacy/proxy service);
//! - `AddContact` with `NEW=1` creates a new contact of the calling reseller with a
//!   server-assigned handle `P-` + 16 random hex digits, answered in `contact`; it starts
//!   unverified (verification starts when it first owns a domain);
//! - `AddContact` without `NEW` (or `NEW=0`, the protocol's default) first looks for a contact
//!   of the calling reseller with identical data; if there is one it answers that handle with
//!   its own `created date` and `verified` and creates nothing. What counts as identical (every
//!   field of the validated data; never another reseller's contact; the oldest of several) is
//!   the core's [`identical_contact`](coopreg_shared::lifecycle::identical_contact); the
//!   candidates are the reseller's contacts with the same e-mail address. Two simultaneous
//!   identical `AddContact`s may both create a contact (nothing serialises them); later
//!   calls then answer the older one;
//! - `ModifyContact` changes the given fields (the `STREET#` lines as a whole) and leaves the
//!   others; the core's [`modify_contact`](coopreg_shared::lifecycle::modify_contact) decides:
//!   a material change of a verified owner sends a re-verification link;
//! - a reseller sees and changes only its own contacts.
//!
//! Errors: `545` unknown handle, `531` another reseller's contact, `504`/`505`/`541` from the
//! field rules; `541` for `NEW` other than `0` or `1` (`Invalid attribute value; NEW: (must be
//! 0 or 1)`, from the command table, before anything is read or created).

use std::collections::BTreeMap;

use coopreg_shared::lifecycle::{self, ContactRecord, Verification};
use coopreg_shared::model::ContactInfo;
use coopreg_shared::reseller::response::{format_datetime, prop};
use coopreg_shared::reseller::Response;
use coopreg_shared::validate::validate_reseller_contact;
use worker::Result;

use super::{attempt, flag, Call};
use crate::{crypto, store};

/// The parameters of a command that are not contact fields.
const NOT_CONTACT_FIELDS: [&str; 3] = ["CONTACT", "NEW", "SUBUSER"];

pub async fn add(call: &Call<'_>) -> Result<Response> {
    let info = attempt!(validate_reseller_contact(&call.request.params, false));
    // The command table has refused any value but `0` and `1`.
    let always_new = call.request.param("NEW") == Some("1");
    if !always_new {
        let candidates =
            store::reseller_contacts_with_email(&call.db, &call.reseller, &info.email).await?;
        if let Some(existing) = lifecycle::identical_contact(&candidates, &call.reseller, &info) {
            return Ok(added(existing));
        }
    }
    let handle = format!("P-{}", hex::encode_upper(crypto::random_bytes::<8>()?));
    let contact = ContactRecord::new(handle, call.reseller.as_str(), info, call.now);
    store::insert_contact(&call.db, &contact)?.run().await?;
    Ok(added(&contact))
}

/// `AddContact`'s answer for `contact`, new or existing.
fn added(contact: &ContactRecord) -> Response {
    Response::success()
        .property(prop::CONTACT, &contact.handle)
        .property(prop::CREATED_DATE, format_datetime(contact.created))
        .property(prop::VALIDATED, "1")
        .property(prop::VERIFIED, flag(contact.is_verified()))
}

pub async fn modify(call: &Call<'_>) -> Result<Response> {
    let handle = call.request.param("CONTACT").unwrap_or_default();
    let contact = attempt!(call.own_contact(handle, "CONTACT").await?);
    let domains = store::domains_owned_by(&call.db, &contact.handle).await?;
    let params = merged(&contact.info, &call.request.params);
    let info = attempt!(validate_reseller_contact(&params, !domains.is_empty()));
    let outcome = attempt!(lifecycle::modify_contact(
        &contact,
        &domains,
        &call.reseller,
        &info,
        &call.random()?,
        call.now
    ));
    call.store(&outcome).await?;
    Ok(Response::success())
}

pub async fn status(call: &Call<'_>) -> Result<Response> {
    let handle = call.request.param("CONTACT").unwrap_or_default();
    let contact = attempt!(call.own_contact(handle, "CONTACT").await?);
    let info = &contact.info;
    let mut response = Response::success()
        .property(prop::CONTACT, &contact.handle)
        .property(prop::FIRST_NAME, &info.first_name)
        .property(prop::LAST_NAME, &info.last_name)
        .property(prop::CITY, &info.city)
        .property(prop::ZIP, &info.postcode)
        .property(prop::COUNTRY, &info.country)
        .property(prop::PHONE, &info.phone)
        .property(prop::EMAIL, &info.email)
        .property(prop::CREATED_BY, &contact.reseller)
        .property(prop::CREATED_DATE, format_datetime(contact.created))
        .property(prop::UPDATED_BY, &contact.reseller)
        .property(prop::UPDATED_DATE, format_datetime(contact.updated))
        .property(prop::VALIDATED, "1")
        .property(prop::VERIFIED, flag(contact.is_verified()))
        .property(
            prop::VERIFICATION_REQUESTED,
            flag(matches!(contact.verification, Verification::Pending { .. })),
        );
    for line in &info.street {
        response.push(prop::STREET, line);
    }
    for (name, value) in [
        (prop::ORGANIZATION, &info.organization),
        (prop::STATE, &info.state),
        (prop::FAX, &info.fax),
    ] {
        if let Some(value) = value {
            response.push(name, value);
        }
    }
    Ok(response)
}

/// The contact's current data as parameters, overlaid with the request's contact fields (an
/// empty value clears an optional field; any `STREET` parameter replaces all lines).
fn merged(info: &ContactInfo, request: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut params: BTreeMap<String, String> = BTreeMap::new();
    let mut set = |key: &str, value: &str| {
        params.insert(key.to_string(), value.to_string());
    };
    set("FIRSTNAME", &info.first_name);
    set("LASTNAME", &info.last_name);
    set("CITY", &info.city);
    set("ZIP", &info.postcode);
    set("COUNTRY", &info.country);
    set("PHONE", &info.phone);
    set("EMAIL", &info.email);
    for (key, value) in [
        ("ORGANIZATION", &info.organization),
        ("STATE", &info.state),
        ("FAX", &info.fax),
    ] {
        if let Some(value) = value {
            set(key, value);
        }
    }
    if !request.keys().any(|key| key.starts_with("STREET")) {
        for (index, line) in info.street.iter().enumerate() {
            set(&format!("STREET{index}"), line);
        }
    }
    for (key, value) in request {
        if NOT_CONTACT_FIELDS.contains(&key.as_str()) {
            continue;
        }
        if value.trim().is_empty() {
            params.remove(key);
        } else {
            params.insert(key.clone(), value.clone());
        }
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> ContactInfo {
        ContactInfo {
            first_name: "Anna".into(),
            last_name: "Berg".into(),
            organization: Some("Example eG".into()),
            street: vec!["Weg 1".into(), "Haus 2".into()],
            city: "Berlin".into(),
            state: None,
            postcode: "10115".into(),
            country: "DE".into(),
            phone: "+49.301234567".into(),
            fax: Some("+49.301234568".into()),
            email: "anna@example.org".into(),
        }
    }

    fn request(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn modify_keeps_what_is_not_given() {
        let params = merged(
            &info(),
            &request(&[
                ("CONTACT", "P-1"),
                ("EMAIL", "new@example.org"),
                ("FAX", ""),
            ]),
        );
        let changed = validate_reseller_contact(&params, true).expect("valid");
        let mut expected = info();
        expected.email = "new@example.org".into();
        expected.fax = None;
        assert_eq!(changed, expected);
    }

    #[test]
    fn street_lines_are_replaced_as_a_whole() {
        let params = merged(&info(), &request(&[("STREET", "Neue Straße 5")]));
        let changed = validate_reseller_contact(&params, true).expect("valid");
        assert_eq!(changed.street, vec!["Neue Straße 5".to_string()]);
    }
}
