//! The browser side: the shared core exported to JavaScript with wasm-bindgen.
//!
//! Every export takes and returns strings (JSON), so the page needs no glue types:
//! - `validate_order(json)` → `{"ok":true,"order":{..}}` or `{"ok":false,"errors":[..]}`
//!   (the same `Problems` shape the worker returns);
//! - `validate_domain(input, language)` → `{"ok":true,"ascii":..,"unicode":..,"language":..}`
//!   or errors;
//! - `fitting_languages(label)` → `["DE","ES",..]`;
//! - `eligibility_criteria()` → `[{"code":..,"text":..}]`.

use coopreg_shared::validate::{self, EligibilityCriterion, ValidOrder};
use coopreg_shared::{Problem, Problems};
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;

// Typed answers (rather than `serde_json::Value`) keep float formatting out of the wasm.

#[derive(Serialize)]
struct Refused<'a> {
    ok: bool,
    errors: &'a [Problem],
}

#[derive(Serialize)]
struct AcceptedOrder<'a> {
    ok: bool,
    order: &'a ValidOrder,
}

#[derive(Serialize)]
struct AcceptedDomain<'a> {
    ok: bool,
    ascii: &'a str,
    unicode: &'a str,
    language: Option<&'static str>,
}

#[derive(Serialize)]
struct Criterion {
    code: &'static str,
    text: &'static str,
}

fn to_json(value: &impl Serialize) -> String {
    // Serialising these plain structs cannot fail; an empty answer would show as an error.
    serde_json::to_string(value).unwrap_or_default()
}

fn errors(problems: &Problems) -> String {
    to_json(&Refused {
        ok: false,
        errors: &problems.errors,
    })
}

/// Validates the registration form's order JSON.
#[wasm_bindgen]
pub fn validate_order(json: &str) -> String {
    match validate::validate_order_json(json) {
        Ok(order) => to_json(&AcceptedOrder {
            ok: true,
            order: &order,
        }),
        Err(problems) => errors(&problems),
    }
}

/// Validates a .coop name with its IDN language tag (empty for none).
#[wasm_bindgen]
pub fn validate_domain(input: &str, language: &str) -> String {
    match validate::validate_domain_name(input, Some(language)) {
        Ok(name) => to_json(&AcceptedDomain {
            ok: true,
            ascii: &name.ascii,
            unicode: &name.unicode,
            language: name.language.map(|l| l.tag()),
        }),
        Err(problems) => errors(&problems),
    }
}

/// The language tables a label fits, as a JSON array of tags.
#[wasm_bindgen]
pub fn fitting_languages(label: &str) -> String {
    let tags: Vec<&str> = validate::fitting_languages(label)
        .into_iter()
        .map(|language| language.tag())
        .collect();
    to_json(&tags)
}

/// The eligibility criteria, as a JSON array of `{code, text}`.
#[wasm_bindgen]
pub fn eligibility_criteria() -> String {
    let list: Vec<Criterion> = EligibilityCriterion::ALL
        .iter()
        .map(|c| Criterion {
            code: c.code(),
            text: c.text(),
        })
        .collect();
    to_json(&list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn domain_export() {
        let ok: Value = serde_json::from_str(&validate_domain("Müller.coop", "DE")).unwrap();
        assert_eq!(
            ok,
            json!({"ok": true, "ascii": "xn--mller-kva.coop", "unicode": "müller.coop", "language": "DE"})
        );
        let ascii: Value = serde_json::from_str(&validate_domain("example.coop", "")).unwrap();
        assert_eq!(ascii["language"], Value::Null);
        let bad: Value = serde_json::from_str(&validate_domain("müller.com", "")).unwrap();
        assert_eq!(bad["ok"], false);
        assert_eq!(bad["errors"][0]["code"], "not_coop");
        assert_eq!(bad["errors"][0]["field"], "domain");
    }

    #[test]
    fn order_export() {
        let bad: Value = serde_json::from_str(&validate_order("{")).unwrap();
        assert_eq!(bad["errors"][0]["code"], "malformed_input");
        let order = json!({
            "domain": "example.coop", "period": 1,
            "contacts": {"owner": {
                "first_name": "Anna", "last_name": "Berg", "organization": "Berg eG",
                "street": ["Hauptstraße 1"], "city": "Berlin", "postcode": "10115",
                "country": "DE", "phone": "+49.301234567", "email": "info@example.coop"}},
            "nameservers": [{"host": "ns1.example.net"}, {"host": "ns2.example.net"}],
            "eligibility": {"criterion": "ica_member", "certified": true}
        });
        let ok: Value = serde_json::from_str(&validate_order(&order.to_string())).unwrap();
        assert_eq!(ok["ok"], true, "{ok}");
        assert_eq!(ok["order"]["domain"]["ascii"], "example.coop");
        assert_eq!(ok["order"]["eligibility"], "ica_member");
    }

    #[test]
    fn lists() {
        assert_eq!(fitting_languages("straße"), r#"["DE"]"#);
        let criteria: Value = serde_json::from_str(&eligibility_criteria()).unwrap();
        assert_eq!(criteria.as_array().unwrap().len(), 8);
        assert_eq!(criteria[0]["code"], "ncba_member");
    }
}
