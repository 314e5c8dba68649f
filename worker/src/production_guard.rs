//! Production cannot run with development settings. The production build (no `dev-tools`
//! feature: what `scripts/deploy.sh` ships) refuses to serve — 503 on every route, one clear
//! log line per instance, no cron work — while a secret it needs is missing or is a value of
//! the development build:
//! - `AUTH_CODE_KEY`: 32 bytes, base64; not [`DEV_AUTH_CODE_KEY`] (it seals auth codes);
//! - `CALLBACK_SECRET`: at least [`MIN_CALLBACK_SECRET`] characters; not
//!   [`DEV_CALLBACK_SECRET`] (it signs the verification callback).
//!
//! The dev-tools build falls back to those development values when a secret is not set, so
//! `scripts/dev.sh` and the tests run without configuration.

// Only the production build calls the guard; the development values are used by both.
#![cfg_attr(feature = "dev-tools", allow(dead_code))]

use base64::{engine::general_purpose::STANDARD, Engine};
use worker::Env;

/// The key the dev-tools build seals auth codes with when `AUTH_CODE_KEY` is not set.
pub const DEV_AUTH_CODE_KEY: &[u8; 32] = b"coopreg local development key 32";
/// The callback secret of the dev-tools build when `CALLBACK_SECRET` is not set.
pub const DEV_CALLBACK_SECRET: &str = "coopreg-local-development-callback-secret";
/// The shortest callback secret production accepts (a guessable secret signs decisions).
pub const MIN_CALLBACK_SECRET: usize = 16;

/// A secret (`wrangler secret put`) or, locally, a var of the same name.
pub fn configured(env: &Env, name: &str) -> Option<String> {
    env.secret(name)
        .map(|secret| secret.to_string())
        .or_else(|_| env.var(name).map(|var| var.to_string()))
        .ok()
}

/// Why the configuration is not fit for production, or `None` when it is.
pub fn unfit(env: &Env) -> Option<String> {
    let mut reasons = Vec::new();
    match configured(env, "AUTH_CODE_KEY") {
        None => reasons.push("AUTH_CODE_KEY is not set".to_string()),
        Some(encoded) => match STANDARD.decode(encoded.trim()) {
            Ok(key) if key.as_slice() == DEV_AUTH_CODE_KEY.as_slice() => {
                reasons.push("AUTH_CODE_KEY is the development key".to_string())
            }
            Ok(key) if key.len() == 32 => {}
            _ => reasons.push("AUTH_CODE_KEY is not 32 bytes in base64".to_string()),
        },
    }
    match configured(env, "CALLBACK_SECRET") {
        None => reasons.push("CALLBACK_SECRET is not set".to_string()),
        Some(secret) if secret == DEV_CALLBACK_SECRET => {
            reasons.push("CALLBACK_SECRET is the development value".to_string())
        }
        Some(secret) if secret.chars().count() < MIN_CALLBACK_SECRET => reasons.push(format!(
            "CALLBACK_SECRET is shorter than {MIN_CALLBACK_SECRET} characters"
        )),
        Some(_) => {}
    }
    (!reasons.is_empty()).then(|| {
        format!(
            "refusing to serve: {} (set it with `npx wrangler secret put`; see README \
             \"Deploying to Cloudflare\")",
            reasons.join("; ")
        )
    })
}

/// Logs `reason` once per instance.
pub fn log_once(reason: &str) {
    static LOGGED: std::sync::Once = std::sync::Once::new();
    LOGGED.call_once(|| worker::console_error!("coopreg production guard: {reason}"));
}

/// The answer to every request while the configuration is unfit: 503 with the JSON error
/// shape (no detail of the configuration is shown to clients).
pub fn refusal() -> worker::Result<worker::Response> {
    let problem = coopreg_shared::Problem::new(
        coopreg_shared::ErrorCode::Internal,
        "",
        "The registry is not available: it is not configured for production yet.",
    );
    let mut response = crate::http::problems(&coopreg_shared::Problems::one(problem))?;
    response = response.with_status(503);
    response.headers_mut().set("retry-after", "300")?;
    Ok(response)
}
