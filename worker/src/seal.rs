//! Secrets at rest that must be readable again (auth codes: the sponsoring reseller is shown
//! its domains' codes) are sealed with AES-256-GCM under the `AUTH_CODE_KEY` secret before a
//! record is stored, and opened when it is read. The core never sees sealed values; only
//! `store.rs` calls this.
//!
//! Sealed form: `sealed:v1:` + base64(12-byte random nonce ‖ ciphertext+tag).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::Value;
use std::sync::OnceLock;
use worker::{Env, Error, Result};

use crate::crypto;

const PREFIX: &str = "sealed:v1:";
/// The JSON keys whose string values are sealed, wherever they appear in a record.
const SEALED_KEYS: [&str; 2] = ["auth_code", "next_auth_code"];

static CIPHER: OnceLock<Aes256Gcm> = OnceLock::new();
/// The key of the auth codes' lookup index (the same secret, used as an HMAC key).
static INDEX_KEY: OnceLock<Vec<u8>> = OnceLock::new();

/// Loads the key from the environment once per isolate. The dev-tools build falls back to a
/// fixed development key; a production deploy without `AUTH_CODE_KEY` refuses to store.
pub fn init(env: &Env) -> Result<()> {
    if CIPHER.get().is_some() {
        return Ok(());
    }
    let configured = crate::production_guard::configured(env, "AUTH_CODE_KEY");
    let key = match configured {
        Some(encoded) => STANDARD
            .decode(encoded.trim())
            .map_err(|_| Error::RustError("AUTH_CODE_KEY must be base64".into()))?,
        None if cfg!(feature = "dev-tools") => crate::production_guard::DEV_AUTH_CODE_KEY.to_vec(),
        None => {
            return Err(Error::RustError(
                "the AUTH_CODE_KEY secret is not set".into(),
            ))
        }
    };
    let cipher = Aes256Gcm::new_from_slice(&key)
        .map_err(|_| Error::RustError("AUTH_CODE_KEY must be 32 bytes".into()))?;
    let _ = CIPHER.set(cipher);
    let _ = INDEX_KEY.set(key);
    Ok(())
}

fn cipher() -> Result<&'static Aes256Gcm> {
    CIPHER
        .get()
        .ok_or_else(|| Error::RustError("seal::init was not called".into()))
}

fn seal_str(plain: &str) -> Result<String> {
    let nonce_bytes = crypto::random_bytes::<12>()?;
    let sealed = cipher()?
        .encrypt(Nonce::from_slice(&nonce_bytes), plain.as_bytes())
        .map_err(|_| Error::RustError("sealing failed".into()))?;
    let mut out = nonce_bytes.to_vec();
    out.extend(sealed);
    Ok(format!("{PREFIX}{}", STANDARD.encode(out)))
}

fn open_str(sealed: &str) -> Result<String> {
    let Some(encoded) = sealed.strip_prefix(PREFIX) else {
        // Written before sealing existed: read as is (it is sealed on the next write).
        return Ok(sealed.to_string());
    };
    let bytes = STANDARD
        .decode(encoded)
        .map_err(|_| Error::RustError("sealed value is not base64".into()))?;
    if bytes.len() < 12 {
        return Err(Error::RustError("sealed value too short".into()));
    }
    let (nonce, ciphertext) = bytes.split_at(12);
    let plain = cipher()?
        .decrypt(Nonce::from_slice(nonce), ciphertext)
        .map_err(|_| Error::RustError("sealed value does not open with AUTH_CODE_KEY".into()))?;
    String::from_utf8(plain).map_err(|_| Error::RustError("sealed value is not UTF-8".into()))
}

fn walk(value: &mut Value, transform: &dyn Fn(&str) -> Result<String>) -> Result<()> {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(text) if SEALED_KEYS.contains(&key.as_str()) => {
                        *text = transform(text)?;
                    }
                    _ => walk(child, transform)?,
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, transform)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The lookup index of an auth code ([`coopreg_shared::lifecycle::auth_code_index`]) under
/// `AUTH_CODE_KEY`: stored with each domain, never the code itself.
pub fn auth_index(code: &str) -> Result<String> {
    let key = INDEX_KEY
        .get()
        .ok_or_else(|| Error::RustError("seal::init was not called".into()))?;
    Ok(coopreg_shared::lifecycle::auth_code_index(key, code))
}

/// Seals the secret fields of a record about to be stored.
pub fn seal(record: &mut Value) -> Result<()> {
    walk(record, &seal_str)
}

/// Opens the secret fields of a stored record.
pub fn open(record: &mut Value) -> Result<()> {
    walk(record, &open_str)
}
