//! The signed verification callback (`POST /api/v1/callbacks/verification`): what a valid
//! signature is, and when a signed request is too old.
//!
//! Rules:
//! - `X-Coopreg-Signature` is exactly 64 lower-case hexadecimal characters (the HMAC-SHA256
//!   of `"<X-Coopreg-Timestamp>.<raw body>"` under the shared secret): no white space, no
//!   upper case, nothing appended. Any other text is refused before any comparison, so one
//!   signed request has exactly one accepted spelling;
//! - the MAC is compared in constant time;
//! - `X-Coopreg-Timestamp` is Unix seconds in ASCII digits, at most [`WINDOW`] seconds from now;
//! - the replay record is keyed on the decoded MAC ([`Verified::replay_key`]), never on the
//!   header text.
//!
//! Errors: `signature_invalid` (field `X-Coopreg-Signature` or `X-Coopreg-Timestamp`).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::error::{ErrorCode, Problem};
use crate::model::Timestamp;

/// How far a signed request's timestamp may be from now, in seconds.
pub const WINDOW: i64 = 300;

/// A signature that matched: its MAC, the key of the replay record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    mac: [u8; 32],
    pub signed_at: Timestamp,
}

impl Verified {
    /// The replay record's key: the MAC in lower-case hex (one spelling per MAC).
    pub fn replay_key(&self) -> String {
        let mut text = String::with_capacity(64);
        for byte in self.mac {
            text.push(char::from(HEX[usize::from(byte >> 4)]));
            text.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        text
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn refused(field: &str, message: &str) -> Problem {
    Problem::new(ErrorCode::SignatureInvalid, field, message)
}

/// Decodes a signature header: exactly 64 lower-case hex characters, else `None`.
pub fn parse_signature(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let nibble = |byte: u8| match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        _ => None,
    };
    let mut mac = [0u8; 32];
    for (slot, pair) in mac.iter_mut().zip(bytes.chunks_exact(2)) {
        let (Some(&high), Some(&low)) = (pair.first(), pair.get(1)) else {
            return None;
        };
        *slot = (nibble(high)? << 4) | nibble(low)?;
    }
    Some(mac)
}

/// The MAC of a request: HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`.
pub fn sign(secret: &[u8], timestamp: &str, body: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return [0u8; 32],
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().into()
}

/// Checks the two headers against the body at `now`; the [`Verified`] MAC, or the problem.
pub fn verify(
    secret: &[u8],
    timestamp: &str,
    signature: &str,
    body: &[u8],
    now: Timestamp,
) -> Result<Verified, Problem> {
    let Some(given) = parse_signature(signature) else {
        return Err(refused(
            "X-Coopreg-Signature",
            "The signature must be exactly 64 lower-case hexadecimal characters (HMAC-SHA256), with nothing before or after.",
        ));
    };
    let expected = sign(secret, timestamp, body);
    if !bool::from(expected.ct_eq(&given)) {
        return Err(refused(
            "X-Coopreg-Signature",
            "The signature does not match the body and timestamp.",
        ));
    }
    let signed_at = (!timestamp.is_empty()
        && timestamp.len() <= 12
        && timestamp.bytes().all(|byte| byte.is_ascii_digit()))
    .then(|| timestamp.parse::<i64>().ok())
    .flatten();
    let Some(signed_at) = signed_at else {
        return Err(refused(
            "X-Coopreg-Timestamp",
            "X-Coopreg-Timestamp must be Unix seconds (ASCII digits only).",
        ));
    };
    if (now - signed_at).abs() > WINDOW {
        return Err(refused(
            "X-Coopreg-Timestamp",
            "The signature is too old or from the future (more than 5 minutes off).",
        ));
    }
    Ok(Verified {
        mac: given,
        signed_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a-long-enough-test-secret";

    fn hex(mac: [u8; 32]) -> String {
        Verified { mac, signed_at: 0 }.replay_key()
    }

    #[test]
    fn the_exact_signature_is_accepted_and_keyed_on_its_mac() {
        let body = br#"{"decision":"approve","contact":"W-1"}"#;
        let signature = hex(sign(SECRET, "1000", body));
        let verified = verify(SECRET, "1000", &signature, body, 1100).unwrap();
        assert_eq!(verified.replay_key(), signature);
        assert_eq!(verified.signed_at, 1000);
    }

    #[test]
    fn every_other_spelling_is_refused() {
        let body = b"{}";
        let signature = hex(sign(SECRET, "1000", body));
        for variant in [
            format!("{signature}\u{0b}"),
            format!("{signature}\u{0c}"),
            format!("{signature}\u{85}"),
            format!("{signature}\u{a0}"),
            format!(" {signature}"),
            format!("{signature} "),
            format!("{signature}\n"),
            signature.to_ascii_uppercase(),
            format!("{}A", &signature[..63]),
            signature[..62].to_string(),
            format!("{signature}00"),
            String::new(),
        ] {
            let problem = verify(SECRET, "1000", &variant, body, 1000).unwrap_err();
            assert_eq!(problem.code, ErrorCode::SignatureInvalid, "{variant:?}");
        }
    }

    #[test]
    fn wrong_mac_stale_and_odd_timestamps_are_refused() {
        let body = b"{}";
        let other = hex(sign(b"another-secret-entirely", "1000", body));
        assert!(verify(SECRET, "1000", &other, body, 1000).is_err());
        let signature = hex(sign(SECRET, "1000", body));
        assert!(verify(SECRET, "1000", &signature, body, 1000 + WINDOW + 1).is_err());
        assert!(verify(SECRET, "1000", &signature, body, 1000 - WINDOW - 1).is_err());
        for timestamp in [" 1000", "+1000", "1e3", ""] {
            let signature = hex(sign(SECRET, timestamp, body));
            let problem = verify(SECRET, timestamp, &signature, body, 1000).unwrap_err();
            assert_eq!(problem.field, "X-Coopreg-Timestamp", "{timestamp:?}");
        }
    }
}
