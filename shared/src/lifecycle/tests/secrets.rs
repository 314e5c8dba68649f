//! Secrets: tokens exist only in e-mails, records keep hashes; auth codes are random, per
//! domain, and hidden from `Debug`.

use super::fixtures::*;
use crate::lifecycle::*;

fn records_json(outcome: &Outcome) -> String {
    serde_json::to_string(&(&outcome.contacts, &outcome.domains)).unwrap()
}

#[test]
fn no_token_appears_in_a_stored_record() {
    let mut registry = Registry::new();
    let registered = registry.register("alpha", "OWNER", T0).unwrap();
    let token = registered.emails().next().unwrap().token.clone().unwrap();
    let json = records_json(&registered);
    assert!(!json.contains(&token));
    assert!(
        json.contains(&token_hash(&token)),
        "the hash is what is stored"
    );

    let relinked = registry.new_link("OWNER", 8, day(1)).unwrap();
    let new_token = relinked.emails().next().unwrap().token.clone().unwrap();
    assert!(!records_json(&relinked).contains(&new_token));

    registry.active("beta", T0);
    let code = registry.domain("beta").auth_code.as_str().to_string();
    let (owner, admin) = (
        registry.contact("OK").clone(),
        registry.contact("ADMIN").clone(),
    );
    let requested = registry
        .on_domain("beta", |d| {
            transfer_request(d, R2, &code, &owner, &admin, &random(6), day(2))
        })
        .unwrap();
    let transfer_token = requested.emails().next().unwrap().token.clone().unwrap();
    assert!(!records_json(&requested).contains(&transfer_token));
    // The whole outcome serialised for an outbox does carry it: only there.
    assert!(serde_json::to_string(&requested.effects)
        .unwrap()
        .contains(&transfer_token));
}

#[test]
fn debug_output_hides_tokens_and_auth_codes() {
    let mut registry = Registry::new();
    let registered = registry.register("alpha", "OWNER", T0).unwrap();
    let email = registered.emails().next().unwrap();
    let token = email.token.clone().unwrap();
    assert!(!format!("{email:?}").contains(&token));
    let domain = registry.domain("alpha");
    assert!(!format!("{domain:?}").contains(domain.auth_code.as_str()));
    assert!(format!("{domain:?}").contains("<redacted>"));
}

#[test]
fn auth_codes_are_random_per_domain_and_change_on_transfer() {
    let mut registry = Registry::new();
    registry.active("alpha", T0);
    registry.active("beta", T0);
    let (a, b) = (
        registry.domain("alpha").auth_code.as_str().to_string(),
        registry.domain("beta").auth_code.as_str().to_string(),
    );
    assert_ne!(a, b);
    for code in [&a, &b] {
        assert!(code.len() >= 16);
        assert!(code.chars().any(|c| c.is_ascii_alphabetic()));
        assert!(code.chars().any(|c| c.is_ascii_digit()));
        assert!(code.chars().any(|c| c.is_ascii_punctuation()));
    }
}

#[test]
fn auth_code_index_is_keyed_and_stable() {
    let index = auth_code_index(b"key one", "Shared-Code-1");
    assert_eq!(index.len(), 64);
    assert!(index
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert_eq!(
        index,
        auth_code_index(b"key one", "Shared-Code-1"),
        "stable"
    );
    assert_ne!(index, auth_code_index(b"key two", "Shared-Code-1"), "keyed");
    assert_ne!(index, auth_code_index(b"key one", "Shared-Code-2"));
    assert_ne!(index, token_hash("Shared-Code-1"), "not the plain SHA-256");
}
