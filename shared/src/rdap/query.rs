//! The lookup keys of RDAP requests (RFC 9082), from the raw (percent-encoded) path segment.
//!
//! Rules:
//! - the segment is percent-decoded and must be UTF-8 (400 otherwise);
//! - at most [`MAX_SEGMENT_BYTES`] bytes are looked at: anything longer is 400;
//! - a domain or host name may be given as U-labels or A-labels in any case; UTS 46 maps it
//!   (case folding, NFC) and ToASCII with STD3 rules yields the A-label key; one trailing dot
//!   is dropped; a label over 63 octets, a name over 253 octets, an empty label, spaces or
//!   control characters are 400 with the reason;
//! - a well-formed domain name outside .coop, or not directly under it, is 404 (not this
//!   server's): it cannot be registered here;
//! - an entity handle has 1 to [`MAX_HANDLE_CHARS`] of `A-Z a-z 0-9 - _ . : +` (400
//!   otherwise).

use super::CONFORMANCE;
use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
use serde_json::{json, Value};

/// The longest decoded path segment or query value looked at.
pub const MAX_SEGMENT_BYTES: usize = 1000;
/// The longest entity handle.
pub const MAX_HANDLE_CHARS: usize = 255;
const MAX_NAME_OCTETS: usize = 253;
const MAX_LABEL_OCTETS: usize = 63;

/// A refused request: the HTTP status and the RDAP error body's title and description
/// (RFC 9083 §6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RdapError {
    pub status: u16,
    pub title: String,
    pub description: Vec<String>,
}

impl RdapError {
    /// 400: the query is malformed.
    pub fn bad_request(description: impl Into<String>) -> RdapError {
        RdapError {
            status: 400,
            title: "Bad request".into(),
            description: vec![description.into()],
        }
    }

    /// 404: no such object here.
    pub fn not_found(description: impl Into<String>) -> RdapError {
        RdapError {
            status: 404,
            title: "Not found".into(),
            description: vec![description.into()],
        }
    }

    /// 405: RDAP answers GET and HEAD only.
    pub fn method_not_allowed() -> RdapError {
        RdapError {
            status: 405,
            title: "Method not allowed".into(),
            description: vec!["RDAP answers GET and HEAD requests only.".into()],
        }
    }

    /// 429: over the burst limit; `retry_after` seconds.
    pub fn rate_limited(retry_after: u32) -> RdapError {
        RdapError {
            status: 429,
            title: "Too many requests".into(),
            description: vec![format!(
                "Too many RDAP queries from your network in a short time; please wait \
                 {retry_after} seconds and try again."
            )],
        }
    }

    /// 500: something failed on our side (logged by the worker).
    pub fn internal() -> RdapError {
        RdapError {
            status: 500,
            title: "Server error".into(),
            description: vec!["The lookup failed on our side; please try again.".into()],
        }
    }

    /// The error body: `errorCode`, `title`, `description` and `rdapConformance`.
    pub fn body(&self) -> Value {
        json!({
            "rdapConformance": CONFORMANCE,
            "errorCode": self.status,
            "title": self.title,
            "description": self.description,
        })
    }
}

/// A domain name to look up: the A-label key and the U-label form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainQuery {
    /// Lower case A-label form with `.coop` (the registry key).
    pub ascii: String,
    /// U-label form (equal to `ascii` for an LDH name).
    pub unicode: String,
}

/// Percent-decodes a path segment or query value; refuses what is not UTF-8 or too long.
pub fn decode(raw: &str, what: &str) -> Result<String, RdapError> {
    if raw.len() > 3 * MAX_SEGMENT_BYTES {
        return Err(too_long(what));
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| {
            RdapError::bad_request(format!(
                "The {what} is not valid UTF-8 once percent-decoded; send UTF-8 text."
            ))
        })?;
    if decoded.len() > MAX_SEGMENT_BYTES {
        return Err(too_long(what));
    }
    Ok(decoded.into_owned())
}

fn too_long(what: &str) -> RdapError {
    RdapError::bad_request(format!(
        "The {what} is too long: a name has at most {MAX_NAME_OCTETS} octets, a label at most \
         {MAX_LABEL_OCTETS}."
    ))
}

/// A DNS name of at least two labels (U-labels or A-labels, any case) as its lower case
/// A-label form and its U-label form. `what` names the input in messages.
fn dns_name(decoded: &str, what: &str) -> Result<(String, String), RdapError> {
    if decoded.is_empty() {
        return Err(RdapError::bad_request(format!("The {what} is empty.")));
    }
    if decoded.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(RdapError::bad_request(format!(
            "The {what} contains spaces or control characters."
        )));
    }
    let name = match decoded.strip_suffix('.') {
        Some(stripped) if !stripped.is_empty() => stripped,
        _ => decoded,
    };
    if name.split('.').any(str::is_empty) {
        return Err(RdapError::bad_request(format!(
            "The {what} {name:?} has an empty label."
        )));
    }
    if !name.contains('.') {
        return Err(RdapError::bad_request(format!(
            "The {what} {name:?} has one label; give the whole name (example.coop)."
        )));
    }
    let uts46 = Uts46::new();
    let ascii = uts46
        .to_ascii(
            name.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Allow,
            DnsLength::Ignore,
        )
        .map_err(|_| {
            RdapError::bad_request(format!(
                "The {what} {name:?} is not a valid domain name: each label is letters, digits \
                 and hyphens, or a valid IDN (U-label or xn-- A-label)."
            ))
        })?
        .to_ascii_lowercase();
    if ascii.len() > MAX_NAME_OCTETS {
        return Err(RdapError::bad_request(format!(
            "The {what} is {} octets long in A-label form; at most {MAX_NAME_OCTETS} are allowed.",
            ascii.len()
        )));
    }
    if let Some(label) = ascii.split('.').find(|l| l.len() > MAX_LABEL_OCTETS) {
        return Err(RdapError::bad_request(format!(
            "A label of the {what} is {} octets long in A-label form; at most \
             {MAX_LABEL_OCTETS} are allowed.",
            label.len()
        )));
    }
    let (unicode, checked) =
        uts46.to_unicode(ascii.as_bytes(), AsciiDenyList::STD3, Hyphens::Allow);
    if checked.is_err() {
        return Err(RdapError::bad_request(format!(
            "The {what} {name:?} has an A-label that does not decode to a valid U-label."
        )));
    }
    let unicode = unicode.into_owned();
    Ok((ascii, unicode))
}

/// The key of `domain/<name>`: `raw` is the path segment as received.
pub fn parse_domain_name(raw: &str) -> Result<DomainQuery, RdapError> {
    let decoded = decode(raw, "domain name")?;
    let (ascii, unicode) = dns_name(&decoded, "domain name")?;
    let under_coop = ascii
        .strip_suffix(".coop")
        .is_some_and(|label| !label.is_empty() && !label.contains('.'));
    if !under_coop {
        return Err(RdapError::not_found(format!(
            "{ascii} is not a .coop name directly under .coop; this server answers for .coop \
             only (example.coop)."
        )));
    }
    Ok(DomainQuery { ascii, unicode })
}

/// The key of `nameserver/<name>`: the host's lower case A-label form.
pub fn parse_host_name(raw: &str) -> Result<DomainQuery, RdapError> {
    let decoded = decode(raw, "name server name")?;
    let (ascii, unicode) = dns_name(&decoded, "name server name")?;
    Ok(DomainQuery { ascii, unicode })
}

/// The key of `entity/<handle>`, exactly as given (handles are case-sensitive).
pub fn parse_entity_handle(raw: &str) -> Result<String, RdapError> {
    let decoded = decode(raw, "entity handle")?;
    if decoded.is_empty() {
        return Err(RdapError::bad_request("The entity handle is empty."));
    }
    if decoded.chars().count() > MAX_HANDLE_CHARS {
        return Err(RdapError::bad_request(format!(
            "The entity handle is longer than {MAX_HANDLE_CHARS} characters."
        )));
    }
    if !decoded
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '+'))
    {
        return Err(RdapError::bad_request(
            "An entity handle has only the characters A-Z a-z 0-9 - _ . : +",
        ));
    }
    Ok(decoded)
}
