//! Link tokens and auth codes, made from random bytes the caller supplies.
//!
//! A command that needs secrets takes [`RandomBytes`] (32 bytes from a CSPRNG such as
//! `crypto.getRandomValues`); each secret uses one 16-byte half, so each has 128 bits. Tokens
//! are URL-safe base64 and stored only as their SHA-256 ([`token_hash`]); auth codes are
//! stored as they are (the sponsor must be able to read them) and compared in constant time.

use super::record::{ContactRecord, DomainRecord, Verification};
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Random bytes for a command: two independent 128-bit secrets.
pub type RandomBytes = [u8; 32];

/// The first and second 16-byte halves of `random`.
pub(crate) fn halves(random: &RandomBytes) -> ([u8; 16], [u8; 16]) {
    let mut first = [0u8; 16];
    let mut second = [0u8; 16];
    for (i, byte) in random.iter().enumerate() {
        if i < 16 {
            first[i] = *byte;
        } else {
            second[i - 16] = *byte;
        }
    }
    (first, second)
}

/// A link token: 22 URL-safe characters carrying 128 bits.
pub(crate) fn new_token(bytes: &[u8; 16]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An auth code: `coop`, a digit, `-` and 22 URL-safe base64 characters (128 bits), so it
/// always has a letter, a digit and punctuation. Only letters, digits, `-` and `_`: all
/// allowed in an EPP `pw` and safe in the reseller API.
pub(crate) fn new_auth_code(bytes: &[u8; 16]) -> String {
    let digit = bytes.first().map_or(0, |byte| byte % 10);
    format!("coop{digit}-{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The lookup index of an auth code: lower-case hex HMAC-SHA256 under `key` (a secret the
/// worker holds), so that two domains with the same code can be found without storing
/// anything a reader of the database could test guesses against. The worker stores it with
/// each domain and looks a reseller's new `AUTH` up by it (auth codes are unique per domain).
pub fn auth_code_index(key: &[u8], code: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this arm is never taken.
        Err(_) => return token_hash(code),
    };
    mac.update(b"coopreg auth code index v1\0");
    mac.update(code.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 0x0f), 16).unwrap_or('0'));
    }
    hex
}

/// The stored form of a token: lower-case hex SHA-256. The worker looks tokens up by it.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 0x0f), 16).unwrap_or('0'));
    }
    hex
}

/// True when `token` hashes to `stored_hash` (compared in constant time).
pub(crate) fn token_matches(token: &str, stored_hash: &str) -> bool {
    bool::from(token_hash(token).as_bytes().ct_eq(stored_hash.as_bytes()))
}

/// The answer for a link whose token is unknown, used or replaced. The worker returns it
/// when no record has the token's hash.
pub fn token_invalid() -> Problems {
    Problems::one(Problem::new(
        ErrorCode::TokenInvalid,
        "token",
        "This link is not valid: it was already used, replaced by a newer link, or never \
         existed. Use the most recent e-mail, or request a new link.",
    ))
}

/// The answer for a link past its expiry.
pub(crate) fn token_expired(expired_at: Timestamp) -> Problems {
    Problems::one(Problem::new(
        ErrorCode::TokenExpired,
        "token",
        format!(
            "This link expired at {} (links are valid for 15 days). Request a new link.",
            super::format_time(expired_at)
        ),
    ))
}

/// Checks a verification token of `contact` at `now`: it must be the contact's current
/// token and not expired.
pub(crate) fn check_verification_token(
    contact: &ContactRecord,
    token: &str,
    now: Timestamp,
) -> Result<(), Problems> {
    match &contact.verification {
        Verification::Pending {
            token_hash,
            token_expires_at,
            ..
        } if token_matches(token, token_hash) => {
            if now >= *token_expires_at {
                Err(token_expired(*token_expires_at))
            } else {
                Ok(())
            }
        }
        _ => Err(token_invalid()),
    }
}

/// Checks an approval token of `domain` at `now`: it must be the domain's current approval
/// token and not expired.
pub(crate) fn check_approval_token(
    domain: &DomainRecord,
    token: &str,
    now: Timestamp,
) -> Result<(), Problems> {
    match &domain.approval {
        Some(approval) if token_matches(token, &approval.token_hash) => {
            if now >= approval.token_expires_at {
                Err(token_expired(approval.token_expires_at))
            } else {
                Ok(())
            }
        }
        _ => Err(token_invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_hash_is_sha256_hex() {
        // SHA-256("abc"), FIPS 180-2 test vector.
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn secrets_are_url_safe_and_carry_all_the_bytes() {
        let random: RandomBytes = core::array::from_fn(|i| (i * 37 + 250) as u8);
        let (first, second) = halves(&random);
        assert_eq!(first[0], random[0]);
        assert_eq!(second[15], random[31]);
        let token = new_token(&first);
        assert_eq!(token.len(), 22);
        assert!(token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(URL_SAFE_NO_PAD.decode(&token).unwrap(), first.to_vec());
        let code = new_auth_code(&second);
        assert_eq!(code.len(), 28);
        assert!(code.starts_with("coop") && code.as_bytes()[4].is_ascii_digit());
        assert_eq!(&code[5..6], "-");
        assert_ne!(new_auth_code(&first), code);
    }
}
