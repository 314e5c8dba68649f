//! Validates .coop names from JSON lines on stdin, one verdict per line on stdout.
//!
//! Input:  `{"domain": "müller.coop", "lang": "DE"}` (`lang` optional)
//! Output: `{"domain":..,"ok":true,"ascii":..,"unicode":..,"language":"DE"}` or
//!         `{"domain":..,"ok":false,"errors":["idn_language_required",..]}`
//!
//! `cargo run --release -p coopreg-shared --example validate < names.jsonl`

use coopreg_shared::validate::validate_domain_name;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::io::{BufWriter, Read, Write};

#[derive(Deserialize)]
struct Input<'a> {
    #[serde(borrow)]
    domain: Cow<'a, str>,
    #[serde(borrow, default)]
    lang: Option<Cow<'a, str>>,
}

#[derive(Serialize)]
struct Verdict<'a> {
    domain: &'a str,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    ascii: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unicode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<&'static str>,
}

fn main() -> std::io::Result<()> {
    let mut input = String::new();
    std::io::stdin().lock().read_to_string(&mut input)?;
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    for line in input.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let input: Input = match serde_json::from_str(line) {
            Ok(input) => input,
            Err(error) => {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"ok": false, "errors": ["malformed_input"], "detail": error.to_string()})
                )?;
                continue;
            }
        };
        let verdict = match validate_domain_name(&input.domain, input.lang.as_deref()) {
            Ok(name) => Verdict {
                domain: &input.domain,
                ok: true,
                ascii: Some(name.ascii),
                unicode: Some(name.unicode),
                language: name.language.map(|l| l.tag()),
                errors: Vec::new(),
            },
            Err(problems) => Verdict {
                domain: &input.domain,
                ok: false,
                ascii: None,
                unicode: None,
                language: None,
                errors: problems.errors.iter().map(|p| p.code.as_str()).collect(),
            },
        };
        serde_json::to_writer(&mut out, &verdict)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
