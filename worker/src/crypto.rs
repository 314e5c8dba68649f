//! Randomness, hashing and password checks for the shell. The core takes random bytes as
//! arguments; this is where they come from (the platform's CSPRNG, `crypto.getRandomValues`).

use sha2::{Digest, Sha256};
use wasm_bindgen::JsCast;
use worker::{Error, Result};

/// `N` bytes from the platform's cryptographically secure generator.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| Error::RustError(error.to_string()))?;
    Ok(bytes)
}

/// A 128-bit random identifier, URL-safe (order ids, outbox ids).
pub fn random_id() -> Result<String> {
    Ok(hex::encode(random_bytes::<16>()?))
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Checks `password` against a stored `pbkdf2-sha256$ITER$SALT$HASH` (base64) string, as
/// written by `scripts/admin.mjs`. WebCrypto does the work natively: a slow hash in wasm would
/// eat the request's CPU budget.
pub async fn verify_password(password: &str, stored: &str) -> Result<bool> {
    use base64::{engine::general_purpose::STANDARD, Engine};
    let parts: Vec<&str> = stored.split('$').collect();
    let [scheme, iterations, salt, expected] = parts.as_slice() else {
        return Ok(false);
    };
    let (Ok(iterations), Ok(salt), Ok(expected)) = (
        iterations.parse::<u32>(),
        STANDARD.decode(salt),
        STANDARD.decode(expected),
    ) else {
        return Ok(false);
    };
    if *scheme != "pbkdf2-sha256" {
        return Ok(false);
    }
    let derived = pbkdf2_sha256(password.as_bytes(), &salt, iterations, expected.len()).await?;
    Ok(constant_time_eq(&derived, &expected))
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn js_error(error: wasm_bindgen::JsValue) -> Error {
    Error::RustError(format!("WebCrypto: {error:?}"))
}

// The dev-tools build counts PBKDF2 derivations (`GET /dev/pbkdf2`), so a test can show that a
// login runs the same work for an unknown account as for a known one.
#[cfg(feature = "dev-tools")]
thread_local! {
    static DERIVATIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// PBKDF2 derivations run by this instance (dev-tools build only).
#[cfg(feature = "dev-tools")]
pub fn pbkdf2_derivations() -> u64 {
    DERIVATIONS.with(|cell| cell.get())
}

async fn pbkdf2_sha256(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    len: usize,
) -> Result<Vec<u8>> {
    #[cfg(feature = "dev-tools")]
    DERIVATIONS.with(|cell| cell.set(cell.get() + 1));
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let subtle = scope.crypto().map_err(js_error)?.subtle();
    let usages = js_sys::Array::of1(&"deriveBits".into());
    let key = wasm_bindgen_futures::JsFuture::from(
        subtle
            .import_key_with_str(
                "raw",
                &js_sys::Uint8Array::from(password),
                "PBKDF2",
                false,
                &usages,
            )
            .map_err(js_error)?,
    )
    .await
    .map_err(js_error)?;
    let params = web_sys::Pbkdf2Params::new(
        "PBKDF2",
        &"SHA-256".into(),
        iterations,
        &js_sys::Uint8Array::from(salt),
    );
    let bits = wasm_bindgen_futures::JsFuture::from(
        subtle
            .derive_bits_with_object(&params, &key.unchecked_into(), (len * 8) as u32)
            .map_err(js_error)?,
    )
    .await
    .map_err(js_error)?;
    Ok(js_sys::Uint8Array::new(&bits).to_vec())
}
