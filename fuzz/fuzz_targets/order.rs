//! Fuzzes the order validator with arbitrary bytes as JSON text: it must never panic, and an
//! accepted order's canonical data must validate again.
#![no_main]

use coopreg_shared::validate::{validate_domain_name, validate_order_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(order) = validate_order_json(text) {
        let language = order.domain.language.map(|l| l.tag());
        assert_eq!(
            validate_domain_name(&order.domain.ascii, language).as_ref(),
            Ok(&order.domain)
        );
        let again = serde_json::to_string(&order).expect("a valid order serialises");
        assert!(serde_json::from_str::<serde_json::Value>(&again).is_ok());
    }
});
