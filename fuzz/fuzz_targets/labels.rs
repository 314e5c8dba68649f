//! Fuzzes name and host validation: the first byte picks a language tag, the rest is the
//! name. Never a panic; an accepted name is a fixed point in both forms and agrees with the
//! `idna` crate's strict UTS 46; an accepted host is its own A-label form.
#![no_main]

use coopreg_shared::validate::{fitting_languages, validate_domain_name, validate_host_name};
use libfuzzer_sys::fuzz_target;

const TAGS: [&str; 9] = ["", "DE", "FR", "ES", "IT", "PT", "CYRL", "de", "XX"];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(name) = std::str::from_utf8(rest) else {
        return;
    };
    let language = TAGS.get(usize::from(first) % TAGS.len()).copied();
    let _ = fitting_languages(name);
    if let Ok(domain) = validate_domain_name(name, language) {
        assert_eq!(
            validate_domain_name(&domain.unicode, language).as_ref(),
            Ok(&domain)
        );
        assert_eq!(
            validate_domain_name(&domain.ascii, language).as_ref(),
            Ok(&domain)
        );
        assert_eq!(
            idna::domain_to_ascii_strict(&domain.unicode)
                .ok()
                .as_deref(),
            Some(domain.ascii.as_str())
        );
    }
    if let Ok(host) = validate_host_name(name, "host") {
        assert_eq!(
            validate_host_name(&host, "host").as_deref(),
            Ok(host.as_str())
        );
    }
});
