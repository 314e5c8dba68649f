//! `domains?name=<pattern>` (RFC 9082 §3.2.1), paged per RFC 8977.
//!
//! Rules of the pattern ([`parse_search`]):
//! - a whole .coop name (U-label or A-label, any case) matches that domain only;
//! - `<prefix>*` or `<prefix>*.coop`: the `*` only at the end of the first label; the prefix
//!   has at least [`MIN_PREFIX_CHARS`] and at most 63 characters, no dot; an ASCII prefix
//!   (letters, digits, hyphens, any case) matches the A-label and the U-label names (`coop*`
//!   finds `coopérative.coop`, `xn--*` the IDNs), any other is mapped like a U-label (case
//!   folded, NFC) and matches the U-label names;
//! - anything else (a `*` elsewhere, two of them, another TLD, spaces) is 400.
//!
//! Results come in name order, [`PAGE_SIZE`] at a time; `paging_metadata` names the page and
//! links the next one with an opaque `cursor` (the last name shown); `count=true` adds
//! `totalCount`. A search result leaves the contacts out (a remark says so): look the domain
//! up for them.

use super::domain::{domain_object, DomainView};
use super::query::{decode, parse_domain_name, RdapError};
use super::{top_level, Service, PAGING};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
use serde_json::{json, Map, Value};

/// Results per page.
pub const PAGE_SIZE: u32 = 25;
/// The shortest prefix before a `*`.
pub const MIN_PREFIX_CHARS: usize = 2;
const MAX_PREFIX_CHARS: usize = 63;

/// Which stored form a search compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// The A-label name (the registry key, indexed).
    Ascii,
    /// The U-label name.
    Unicode,
    /// Either: an ASCII prefix matches A-labels (`xn--…`) and U-labels (`coop*` finds
    /// `coopérative.coop`).
    Both,
}

/// Where the previous page ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The number of the page this cursor opens (2 for the second).
    pub page: u32,
    /// The last A-label name already shown.
    pub after: String,
}

impl Cursor {
    /// The opaque text of the cursor (URL-safe).
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}:{}", self.page, self.after))
    }

    /// Reads [`Cursor::encode`] back; 400 for anything else.
    pub fn decode(text: &str) -> Result<Cursor, RdapError> {
        let refused = || {
            RdapError::bad_request(
                "The cursor is not one this server gave; start the search again.",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| refused())?;
        let text = String::from_utf8(bytes).map_err(|_| refused())?;
        let (page, after) = text.split_once(':').ok_or_else(refused)?;
        let page: u32 = page.parse().map_err(|_| refused())?;
        if page < 2 || after.is_empty() || after.len() > 253 {
            return Err(refused());
        }
        Ok(Cursor {
            page,
            after: after.to_string(),
        })
    }
}

/// A parsed search: the names from `from` (inclusive) to `to` (exclusive) of `column`, after
/// the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    /// The pattern as given (decoded), for the next page's link.
    pub name: String,
    pub column: Column,
    pub from: String,
    pub to: String,
    pub cursor: Option<Cursor>,
    /// `count=true`: answer `totalCount`.
    pub count: bool,
}

impl SearchQuery {
    /// The page number of this answer.
    pub fn page(&self) -> u32 {
        self.cursor.as_ref().map_or(1, |cursor| cursor.page)
    }

    /// The last name already shown ("" on the first page).
    pub fn after(&self) -> &str {
        self.cursor
            .as_ref()
            .map_or("", |cursor| cursor.after.as_str())
    }
}

/// Parses the query string of `domains?...` (without the `?`).
pub fn parse_search(query_string: &str) -> Result<SearchQuery, RdapError> {
    if query_string.len() > 4 * super::query::MAX_SEGMENT_BYTES {
        return Err(RdapError::bad_request("The query string is too long."));
    }
    let mut name = None;
    let mut cursor = None;
    let mut count = false;
    for pair in query_string.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = value.replace('+', " ");
        match key {
            "name" => name = Some(decode(&value, "name pattern")?),
            "cursor" => cursor = Some(Cursor::decode(&decode(&value, "cursor")?)?),
            "count" => count = decode(&value, "count")?.eq_ignore_ascii_case("true"),
            _ => {}
        }
    }
    let name = name.ok_or_else(|| {
        RdapError::bad_request(
            "A domain search needs name=<pattern>: a .coop name, or a prefix with a trailing * \
             (coop*).",
        )
    })?;
    let (column, from, to) = pattern_range(&name)?;
    Ok(SearchQuery {
        name,
        column,
        from,
        to,
        cursor,
        count,
    })
}

/// The range of stored names a pattern matches.
fn pattern_range(name: &str) -> Result<(Column, String, String), RdapError> {
    let stars = name.matches('*').count();
    if stars == 0 {
        let query = parse_domain_name(name)?;
        let to = format!("{}\u{0}", query.ascii);
        return Ok((Column::Ascii, query.ascii, to));
    }
    let shape = || {
        RdapError::bad_request(format!(
            "The pattern {name:?} is not supported: give a prefix of the first label with one \
             trailing * (coop* or coop*.coop)."
        ))
    };
    if stars > 1 {
        return Err(shape());
    }
    let lower = name.to_lowercase();
    let prefix = lower
        .strip_suffix('*')
        .or_else(|| lower.strip_suffix("*.coop"))
        .ok_or_else(shape)?;
    if prefix.contains('.') {
        return Err(shape());
    }
    let chars = prefix.chars().count();
    if chars < MIN_PREFIX_CHARS {
        return Err(RdapError::bad_request(format!(
            "Give at least {MIN_PREFIX_CHARS} characters before the *."
        )));
    }
    if chars > MAX_PREFIX_CHARS {
        return Err(RdapError::bad_request(format!(
            "The prefix is longer than a label ({MAX_PREFIX_CHARS} characters)."
        )));
    }
    if prefix.is_ascii() {
        if !prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(RdapError::bad_request(
                "An ASCII prefix has only letters, digits and hyphens.",
            ));
        }
        return Ok((Column::Both, prefix.to_string(), upper_bound(prefix)));
    }
    // A U-label prefix: UTS 46 maps it (case, NFC) and must accept it as a label.
    let uts46 = Uts46::new();
    let (mapped, checked) =
        uts46.to_unicode(prefix.as_bytes(), AsciiDenyList::STD3, Hyphens::Allow);
    let accepted = checked.is_ok()
        && uts46
            .to_ascii(
                mapped.as_bytes(),
                AsciiDenyList::STD3,
                Hyphens::Allow,
                DnsLength::Ignore,
            )
            .is_ok();
    if !accepted || mapped.contains('.') {
        return Err(RdapError::bad_request(format!(
            "The prefix {prefix:?} is not the start of a valid U-label."
        )));
    }
    let mapped = mapped.into_owned();
    let to = upper_bound(&mapped);
    Ok((Column::Unicode, mapped, to))
}

/// The least text greater than every text starting with `prefix` (in SQLite's binary order
/// of UTF-8, which is code point order).
fn upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// The answer to a search: the page's domains (`results`, at most [`PAGE_SIZE`]), whether
/// more follow, and the total when asked for.
pub fn domain_search(
    query: &SearchQuery,
    results: &[DomainView<'_>],
    more: bool,
    total: Option<u64>,
    service: &Service,
) -> Value {
    let name: String = form_urlencoded::byte_serialize(query.name.as_bytes()).collect();
    let path = format!("domains?name={name}");
    let domains: Vec<Value> = results
        .iter()
        .map(|view| {
            let (mut object, _) = domain_object(view, service, false);
            if let Value::Object(map) = &mut object {
                let truncated = json!({
                    "title": "Contacts left out",
                    "type": "object truncated due to server policy",
                    "description": ["Look the domain up for its contacts."],
                });
                match map.get_mut("remarks") {
                    Some(Value::Array(remarks)) => remarks.push(truncated),
                    _ => {
                        map.insert("remarks".into(), json!([truncated]));
                    }
                }
            }
            object
        })
        .collect();
    let mut paging = Map::new();
    if let Some(total) = total {
        paging.insert("totalCount".into(), json!(total));
    }
    paging.insert("pageSize".into(), json!(results.len()));
    paging.insert("pageNumber".into(), json!(query.page()));
    if let (true, Some(last)) = (more, results.last()) {
        let cursor = Cursor {
            page: query.page().saturating_add(1),
            after: last.record.name.ascii.clone(),
        };
        let count = if query.count { "&count=true" } else { "" };
        let next = format!("{path}&cursor={}{count}", cursor.encode());
        paging.insert("links".into(), json!([service.link("next", &path, &next)]));
    }
    let answer = json!({
        "domainSearchResults": domains,
        "paging_metadata": Value::Object(paging),
    });
    top_level(answer, service, &path, &[PAGING])
}
