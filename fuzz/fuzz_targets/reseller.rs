//! Fuzzes the reseller wire protocol (issue 6) with arbitrary requests: the first byte picks
//! where the query string ends and the form body begins. Parsing, the command table and the
//! parameter validators must never panic, and every refusal must render as a well-formed
//! protocol answer (`[RESPONSE]`, `code = NNN`, `description = …`, `EOF`, LF only).
#![no_main]

use coopreg_shared::reseller::{commands, parse_request, Response};
use coopreg_shared::validate::{validate_reseller_add_domain, validate_reseller_contact};
use libfuzzer_sys::fuzz_target;

fn well_formed(answer: &Response) {
    let text = answer.to_text();
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines.first(), Some(&"[RESPONSE]"), "{text}");
    assert!(lines[1].starts_with("code = ") && lines[1].len() == 10, "{text}");
    assert!(lines[2].starts_with("description = "), "{text}");
    assert_eq!(&lines[lines.len() - 2..], ["EOF", ""], "{text}");
    assert!(!text.contains('\r'), "{text}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let split = usize::from(split).min(rest.len());
    let (query, body) = rest.split_at(split);
    let Ok(query) = std::str::from_utf8(query) else {
        return;
    };
    let request = match parse_request(query, body) {
        Ok(request) => request,
        Err(problems) => return well_formed(&Response::from_problems(&problems)),
    };
    if let Err(problems) = commands::validate(&request) {
        well_formed(&Response::from_problems(&problems));
    }
    for problems in [
        validate_reseller_contact(&request.params, true).err(),
        validate_reseller_add_domain(&request.params).err(),
    ]
    .into_iter()
    .flatten()
    {
        well_formed(&Response::from_problems(&problems));
    }
});
