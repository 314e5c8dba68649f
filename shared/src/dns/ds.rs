//! DNSSEC delegation signer (DS) records: validation of what registrants give, and the DS
//! computed from a DNSKEY (the reseller protocol's `DNSSEC#`).
//!
//! Rules (each refusal is a [`DsError`] with a stable code, mapped to a [`Problem`] with
//! [`ErrorCode::InvalidDsRecord`] or [`ErrorCode::InvalidDnskey`]):
//! - A DS is `<key tag> <algorithm> <digest type> <digest>` (RFC 4034 section 5.3); the key
//!   tag is 0-65535; the algorithm an IANA DNSSEC algorithm number usable for zone signing
//!   ([`SIGNING_ALGORITHMS`]: not 1 RSAMD5, 0/2/4, 252-255); the digest type 2 (SHA-256, 32
//!   bytes) or 4 (SHA-384, 48 bytes) — SHA-1 (1) and GOST (3) are refused (RFC 8624); the
//!   digest hex of exactly that length (spaces inside are allowed, as in presentation format,
//!   and dropped; stored lower case).
//! - At most [`MAX_DS_RECORDS`] per domain, no two the same.
//! - A DNSKEY is `<flags> <protocol> <algorithm> <public key base64>`: flags 256 or 257 (the
//!   zone-key bit, with or without SEP), protocol 3, an algorithm as above, a public key of
//!   1-[`MAX_PUBLIC_KEY_BYTES`] bytes. Its DS ([`ds_from_dnskey`]) has the RFC 4034 Appendix B
//!   key tag and the SHA-256 digest of the owner name in canonical wire form followed by the
//!   DNSKEY RDATA (RFC 4034 section 5.1.4).

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha384};

use crate::error::{ErrorCode, Problem};

/// The IANA DNS Security Algorithm Numbers accepted for a delegation: the ones assigned for
/// zone signing and not forbidden by RFC 8624 (RSAMD5).
pub const SIGNING_ALGORITHMS: [u8; 13] = [3, 5, 6, 7, 8, 10, 12, 13, 14, 15, 16, 17, 23];

/// The most DS records one domain may have (a key rollover needs two or three).
pub const MAX_DS_RECORDS: usize = 8;

/// The largest DNSKEY public key accepted (RSA 4096 is 516 bytes).
pub const MAX_PUBLIC_KEY_BYTES: usize = 2048;

/// One DS record, validated: digest in lower-case hex of the digest type's length.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DsRecord {
    pub key_tag: u16,
    pub algorithm: u8,
    pub digest_type: u8,
    pub digest: String,
}

impl DsRecord {
    /// The presentation form `12345 13 2 <hex>`, as in the zone file and PowerDNS.
    pub fn to_text(&self) -> String {
        format!(
            "{} {} {} {}",
            self.key_tag, self.algorithm, self.digest_type, self.digest
        )
    }
}

impl core::fmt::Display for DsRecord {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// Why a DS record or DNSKEY was refused. [`DsError::code`] is stable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DsError {
    /// Not four fields (DS) or fewer than four (DNSKEY).
    Fields { expected: &'static str },
    /// The key tag is not a whole number 0-65535.
    KeyTag(String),
    /// Not a number, or not an algorithm accepted for signing.
    Algorithm(String),
    /// A digest type other than 2 and 4.
    DigestType(String),
    /// The digest is not hex, or not the length of its type.
    Digest { digest_type: u8, found: usize },
    /// More than [`MAX_DS_RECORDS`].
    TooMany(usize),
    /// The same DS record twice.
    Duplicate(String),
    /// DNSKEY flags other than 256 and 257.
    Flags(String),
    /// DNSKEY protocol other than 3.
    Protocol(String),
    /// A public key that is not base64 or has no / too many bytes.
    PublicKey,
}

impl DsError {
    /// Stable snake_case code of the refusal (more specific than the [`ErrorCode`]).
    pub fn code(&self) -> &'static str {
        match self {
            DsError::Fields { .. } => "ds_fields",
            DsError::KeyTag(_) => "ds_key_tag",
            DsError::Algorithm(_) => "ds_algorithm",
            DsError::DigestType(_) => "ds_digest_type",
            DsError::Digest { .. } => "ds_digest",
            DsError::TooMany(_) => "ds_too_many",
            DsError::Duplicate(_) => "ds_duplicate",
            DsError::Flags(_) => "dnskey_flags",
            DsError::Protocol(_) => "dnskey_protocol",
            DsError::PublicKey => "dnskey_public_key",
        }
    }

    /// What is wrong and what is accepted.
    pub fn message(&self) -> String {
        let algorithms = SIGNING_ALGORITHMS
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        match self {
            DsError::Fields { expected } => format!("expected {expected}"),
            DsError::KeyTag(found) => {
                format!("key tag `{found}` is not a whole number from 0 to 65535")
            }
            DsError::Algorithm(found) => format!(
                "algorithm `{found}` is not accepted: use an IANA DNSSEC algorithm number for \
                 zone signing ({algorithms}; 8 RSA/SHA-256 and 13 ECDSA P-256 are the usual ones)"
            ),
            DsError::DigestType(found) => format!(
                "digest type `{found}` is not accepted: use 2 (SHA-256) or 4 (SHA-384)"
            ),
            DsError::Digest { digest_type, found } => {
                let (name, bytes) = if *digest_type == 4 {
                    ("SHA-384", 48)
                } else {
                    ("SHA-256", 32)
                };
                format!(
                    "the digest must be {} hexadecimal characters ({bytes} bytes of {name}); \
                     found {found} characters that are not all hex or not that many",
                    bytes * 2
                )
            }
            DsError::TooMany(count) => {
                format!("{count} DS records given; at most {MAX_DS_RECORDS} are accepted")
            }
            DsError::Duplicate(text) => format!("the DS record `{text}` is given twice"),
            DsError::Flags(found) => format!(
                "DNSKEY flags `{found}` are not accepted: use 257 (key-signing key) or 256 (zone key)"
            ),
            DsError::Protocol(found) => {
                format!("DNSKEY protocol `{found}` is not accepted: it must be 3")
            }
            DsError::PublicKey => format!(
                "the DNSKEY public key must be base64 of 1 to {MAX_PUBLIC_KEY_BYTES} bytes"
            ),
        }
    }

    /// The problem reported for `field`.
    pub fn problem(&self, field: impl Into<String>) -> Problem {
        let code = match self {
            DsError::Flags(_) | DsError::Protocol(_) | DsError::PublicKey => {
                ErrorCode::InvalidDnskey
            }
            DsError::Fields {
                expected: DNSKEY_FIELDS,
            } => ErrorCode::InvalidDnskey,
            _ => ErrorCode::InvalidDsRecord,
        };
        Problem::new(code, field, format!("{} ({})", self.message(), self.code()))
    }
}

const DS_FIELDS: &str = "4 fields: <key tag> <algorithm> <digest type> <digest>, e.g. \
                         `12345 13 2 <64 hex characters>`";
const DNSKEY_FIELDS: &str = "4 fields: <flags> <protocol> <algorithm> <public key in base64>, \
                             e.g. `257 3 13 <base64>`";

fn algorithm(text: &str) -> Result<u8, DsError> {
    text.parse::<u8>()
        .ok()
        .filter(|number| SIGNING_ALGORITHMS.contains(number))
        .ok_or_else(|| DsError::Algorithm(shorten(text)))
}

/// Keeps echoed input short in messages.
fn shorten(text: &str) -> String {
    text.chars().take(20).collect()
}

/// Checks one DS record built from its four parts (the JSON API's object form).
pub fn ds_from_parts(
    key_tag: &str,
    algorithm_text: &str,
    digest_type: &str,
    digest: &str,
) -> Result<DsRecord, DsError> {
    let key_tag = key_tag
        .trim()
        .parse::<u16>()
        .map_err(|_| DsError::KeyTag(shorten(key_tag)))?;
    let algorithm = algorithm(algorithm_text.trim())?;
    let digest_type = match digest_type.trim() {
        "2" => 2u8,
        "4" => 4u8,
        other => return Err(DsError::DigestType(shorten(other))),
    };
    let digest: String = digest
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let want = if digest_type == 4 { 96 } else { 64 };
    if digest.len() != want || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(DsError::Digest {
            digest_type,
            found: digest.chars().count(),
        });
    }
    Ok(DsRecord {
        key_tag,
        algorithm,
        digest_type,
        digest: digest.to_ascii_lowercase(),
    })
}

/// Parses and checks a DS record in presentation form (`12345 13 2 <hex>`; the digest may
/// be split by spaces).
pub fn parse_ds(text: &str) -> Result<DsRecord, DsError> {
    let mut fields = text.split_ascii_whitespace();
    let (Some(tag), Some(alg), Some(kind)) = (fields.next(), fields.next(), fields.next()) else {
        return Err(DsError::Fields {
            expected: DS_FIELDS,
        });
    };
    let digest: String = fields.collect();
    if digest.is_empty() {
        return Err(DsError::Fields {
            expected: DS_FIELDS,
        });
    }
    ds_from_parts(tag, alg, kind, &digest)
}

/// Checks a domain's whole DS set: count and duplicates. Returns it sorted.
pub fn check_ds_set(mut records: Vec<DsRecord>) -> Result<Vec<DsRecord>, DsError> {
    if records.len() > MAX_DS_RECORDS {
        return Err(DsError::TooMany(records.len()));
    }
    records.sort();
    for pair in records.windows(2) {
        if let [a, b] = pair {
            if a == b {
                return Err(DsError::Duplicate(a.to_text()));
            }
        }
    }
    Ok(records)
}

/// A DNSKEY as the reseller protocol gives it (`257 3 13 <base64>`), checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dnskey {
    pub flags: u16,
    pub protocol: u8,
    pub algorithm: u8,
    pub public_key: Vec<u8>,
}

/// Parses and checks a DNSKEY in presentation form; the key may be split by spaces.
pub fn parse_dnskey(text: &str) -> Result<Dnskey, DsError> {
    let mut fields = text.split_ascii_whitespace();
    let (Some(flags), Some(protocol), Some(alg)) = (fields.next(), fields.next(), fields.next())
    else {
        return Err(DsError::Fields {
            expected: DNSKEY_FIELDS,
        });
    };
    let key_text: String = fields.collect();
    if key_text.is_empty() {
        return Err(DsError::Fields {
            expected: DNSKEY_FIELDS,
        });
    }
    let flags = match flags {
        "256" => 256u16,
        "257" => 257u16,
        other => return Err(DsError::Flags(shorten(other))),
    };
    if protocol != "3" {
        return Err(DsError::Protocol(shorten(protocol)));
    }
    let algorithm = algorithm(alg)?;
    if key_text.len() > MAX_PUBLIC_KEY_BYTES * 2 {
        return Err(DsError::PublicKey);
    }
    let public_key = base64::engine::general_purpose::STANDARD
        .decode(key_text.as_bytes())
        .map_err(|_| DsError::PublicKey)?;
    if public_key.is_empty() || public_key.len() > MAX_PUBLIC_KEY_BYTES {
        return Err(DsError::PublicKey);
    }
    Ok(Dnskey {
        flags,
        protocol: 3,
        algorithm,
        public_key,
    })
}

impl Dnskey {
    /// The RDATA: flags, protocol, algorithm, public key (RFC 4034 section 2.1).
    pub fn rdata(&self) -> Vec<u8> {
        let mut rdata = Vec::with_capacity(4 + self.public_key.len());
        rdata.extend_from_slice(&self.flags.to_be_bytes());
        rdata.push(self.protocol);
        rdata.push(self.algorithm);
        rdata.extend_from_slice(&self.public_key);
        rdata
    }

    /// The key tag (RFC 4034 Appendix B; algorithm 1 is refused, so no special case).
    pub fn key_tag(&self) -> u16 {
        let mut acc: u32 = 0;
        for (index, byte) in self.rdata().iter().enumerate() {
            if index % 2 == 0 {
                acc += u32::from(*byte) << 8;
            } else {
                acc += u32::from(*byte);
            }
        }
        acc += (acc >> 16) & 0xFFFF;
        (acc & 0xFFFF) as u16
    }
}

/// `example.coop` → the canonical (lower-case) wire form of `example.coop.`. The name must
/// be LDH labels of 1-63 bytes (callers pass a validated domain name).
fn wire_name(owner: &str) -> Vec<u8> {
    let mut wire = Vec::with_capacity(owner.len() + 2);
    for label in owner.trim_end_matches('.').split('.') {
        if label.is_empty() {
            continue;
        }
        let bytes = label.as_bytes();
        wire.push(bytes.len().min(63) as u8);
        wire.extend(bytes.iter().take(63).map(u8::to_ascii_lowercase));
    }
    wire.push(0);
    wire
}

/// The DS of `key` at `owner` with digest type 2 (SHA-256) or 4 (SHA-384); any other digest
/// type gives SHA-256.
pub fn ds_from_dnskey(owner: &str, key: &Dnskey, digest_type: u8) -> DsRecord {
    let mut data = wire_name(owner);
    data.extend_from_slice(&key.rdata());
    let (digest_type, digest) = if digest_type == 4 {
        (4, hex(&Sha384::digest(&data)))
    } else {
        (2, hex(&Sha256::digest(&data)))
    };
    DsRecord {
        key_tag: key.key_tag(),
        algorithm: key.algorithm,
        digest_type,
        digest,
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests;
