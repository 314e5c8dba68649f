//! Reads an escrow deposit with the core parser and prints it as JSON, for the whole-system
//! tests (tests/system/registry.test.mjs), which compare it with the D1 rows.
//!
//!   cargo run -q -p coopreg-shared --example escrow_json -- DEPOSIT.csv
//!
//! Exit status 1 with the parser's problem on stderr when the deposit is refused.

use coopreg_shared::escrow::parse_deposit;
use serde_json::json;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: escrow_json DEPOSIT");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{path}: {error}");
            std::process::exit(2);
        }
    };
    let deposit = match parse_deposit(&text) {
        Ok(deposit) => deposit,
        Err(problem) => {
            eprintln!("refused: {} ({})", problem.message, problem.field);
            std::process::exit(1);
        }
    };
    let header = &deposit.header;
    let out = json!({
        "header": {
            "tld": header.tld,
            "id": header.id,
            "type": header.deposit_type.as_str(),
            "watermark": header.watermark,
            "counts": {
                "resellers": header.counts.resellers,
                "contacts": header.counts.contacts,
                "domains": header.counts.domains,
                "nameservers": header.counts.nameservers,
            },
        },
        "resellers": deposit.resellers.iter().map(|r| json!({"id": r.id, "name": r.name})).collect::<Vec<_>>(),
        "contacts": deposit.contacts.iter().map(|c| json!({
            "handle": c.handle,
            "info": c.info,
            "reseller": c.reseller,
            "verification": c.verification,
        })).collect::<Vec<_>>(),
        "domains": deposit.domains.iter().map(|d| json!({
            "name": d.name,
            "roid": d.roid,
            "statuses": d.statuses,
            "registrant": d.registrant,
            "admin": d.admin,
            "tech": d.tech,
            "billing": d.billing,
            "reseller": d.reseller,
            "created": d.created,
            "expires": d.expires,
            "certification": d.certification,
            "nameservers": d.nameservers,
        })).collect::<Vec<_>>(),
    });
    println!("{out}");
}
