//! `QueryDomainList`: one page of the caller's own domains (reseller-api.md §5.10).
//!
//! Rules:
//! - only the calling reseller's domains, by A-label in ascending order;
//! - `DOMAIN` is a pattern with `*` for any run of characters (no pattern: all), matched
//!   without regard to ASCII case against the A-label and the U-label;
//! - `FIRST` (default 0) and `LIMIT` (default and maximum [`MAX_LIMIT`]) select the page; the
//!   answer carries `first`, `last` (when the page is not empty), `limit`, `count`, `total`,
//!   the `column` names and one `domain` per row;
//! - `WIDE=1` adds `domain idn`, `domain status`, `domain created date`,
//!   `domain updated date`, `domain registration expiration date`, `domain zone`, with each
//!   domain shown as it is now.
//!
//! Errors: `503 Invalid attribute name; LAST` (and any other unknown attribute) and
//! `505` for a `FIRST`/`LIMIT` that is not a number come from the command table.

use coopreg_shared::lifecycle;
use coopreg_shared::reseller::response::{format_datetime, prop};
use coopreg_shared::reseller::Response;
use worker::Result;

use super::Call;
use crate::store;

/// The largest page, also the default (as the live API).
const MAX_LIMIT: u32 = 1000;

pub async fn query_domain_list(call: &Call<'_>) -> Result<Response> {
    let request = call.request;
    let number = |name: &str| {
        request
            .param(name)
            .and_then(|value| value.parse::<u32>().ok())
    };
    let first = number("FIRST").unwrap_or(0);
    let limit = number("LIMIT").unwrap_or(MAX_LIMIT).min(MAX_LIMIT);
    let wide = request.param("WIDE") == Some("1");
    let pattern = like_pattern(request.param("DOMAIN").unwrap_or("*"));

    let (domains, total) =
        store::domains_of_reseller(&call.db, &call.reseller, &pattern, first, limit).await?;
    let count = u32::try_from(domains.len()).unwrap_or(u32::MAX);

    let mut response = Response::success()
        .property(prop::FIRST, first.to_string())
        .property(prop::LIMIT, limit.to_string())
        .property(prop::COUNT, count.to_string())
        .property(prop::TOTAL, total.to_string())
        .property(prop::COLUMN, prop::DOMAIN);
    if count > 0 {
        response.push(prop::LAST, (first + count - 1).to_string());
    }
    if wide {
        for column in WIDE_COLUMNS {
            response.push(prop::COLUMN, column);
        }
    }
    for stored in &domains {
        response.push(prop::DOMAIN, &stored.name.ascii);
        if wide {
            let domain = lifecycle::project_domain(stored, None, call.now);
            let domain = domain.as_ref().unwrap_or(stored);
            response.push(prop::DOMAIN_IDN, &domain.name.unicode);
            response.push(prop::DOMAIN_STATUS, domain.status_word());
            response.push(prop::DOMAIN_CREATED_DATE, format_datetime(domain.created));
            response.push(prop::DOMAIN_UPDATED_DATE, format_datetime(domain.updated));
            response.push(
                prop::DOMAIN_REGISTRATION_EXPIRATION_DATE,
                format_datetime(domain.expires),
            );
            response.push(prop::DOMAIN_ZONE, "coop");
        }
    }
    Ok(response)
}

const WIDE_COLUMNS: [&str; 6] = [
    prop::DOMAIN_IDN,
    prop::DOMAIN_STATUS,
    prop::DOMAIN_CREATED_DATE,
    prop::DOMAIN_UPDATED_DATE,
    prop::DOMAIN_REGISTRATION_EXPIRATION_DATE,
    prop::DOMAIN_ZONE,
];

/// The SQL LIKE pattern (escape `\`) of a `DOMAIN` pattern: `*` is any run of characters,
/// everything else is literal (LIKE's own `%` and `_` are escaped).
fn like_pattern(pattern: &str) -> String {
    let mut like = String::with_capacity(pattern.len() + 2);
    for c in pattern.trim().to_lowercase().chars() {
        match c {
            '*' => like.push('%'),
            '%' | '_' | '\\' => {
                like.push('\\');
                like.push(c);
            }
            other => like.push(other),
        }
    }
    like
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn patterns() {
        for (pattern, like) in [
            ("*", "%"),
            ("sdk-1-list*", "sdk-1-list%"),
            ("*Coop*", "%coop%"),
            ("a_b%c\\d", "a\\_b\\%c\\\\d"),
            ("müller*", "müller%"),
        ] {
            assert_eq!(like_pattern(pattern), like, "{pattern}");
        }
    }
}
