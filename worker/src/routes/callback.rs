//! `POST /api/v1/callbacks/verification`: the decision of an external verification service,
//! signed with the shared secret `CALLBACK_SECRET`.
//!
//! `X-Coopreg-Signature` = HMAC-SHA256 over `"<X-Coopreg-Timestamp>.<raw body>"` in exactly 64
//! lower-case hex characters. Refused (401 `signature_invalid`, nothing changed) when the
//! signature is spelled otherwise or wrong, the timestamp is more than
//! [`callback::WINDOW`] seconds from now, or the same MAC was seen before (replay). The rules
//! are the core's `coopreg_shared::callback`; the replay record is keyed on the decoded MAC.

use coopreg_shared::lifecycle::Actor;
use coopreg_shared::{callback, ErrorCode, Problem, Problems};
use worker::{Context, Env, Request, Response, Result};

use crate::{http, store};

fn refused(message: &str) -> Result<Response> {
    http::problem(ErrorCode::SignatureInvalid, "X-Coopreg-Signature", message)
}

pub async fn verification(mut req: Request, env: &Env, ctx: &Context) -> Result<Response> {
    // The dev-tools build signs with a development secret when none is set; the production
    // build does not start without a proper one (`production_guard`).
    let secret = crate::production_guard::configured(env, "CALLBACK_SECRET").or_else(|| {
        cfg!(feature = "dev-tools")
            .then(|| crate::production_guard::DEV_CALLBACK_SECRET.to_string())
    });
    let Some(secret) = secret else {
        return http::problem(
            ErrorCode::Internal,
            "",
            "The verification callback is not configured.",
        );
    };
    let body = match super::orders::read_body(&mut req, 16 * 1024).await? {
        Ok(body) => body,
        Err(response) => return Ok(response),
    };
    let headers = req.headers();
    let (Some(timestamp), Some(signature)) = (
        headers.get("x-coopreg-timestamp")?,
        headers.get("x-coopreg-signature")?,
    ) else {
        return refused("Both X-Coopreg-Timestamp and X-Coopreg-Signature are required.");
    };
    // Replay protection uses real time: the signer's clock is not our test clock.
    let now = chrono::Utc::now().timestamp();
    let verified = match callback::verify(secret.as_bytes(), &timestamp, &signature, &body, now) {
        Ok(verified) => verified,
        Err(problem) => return http::problems(&Problems::one(problem)),
    };
    let (parsed, decision) = match super::staff_api::parse_decision(&body) {
        Ok(parsed) => parsed,
        Err(problems) => return http::problems(&problems),
    };
    let Some(handle) = parsed.contact else {
        return http::problems(&Problems::one(Problem::new(
            ErrorCode::Required,
            "contact",
            "The callback must name the contact.",
        )));
    };
    // Record the signature first: a replay fails on the primary key; old ones are pruned.
    let db = store::db(env)?;
    let recorded = db
        .batch(vec![
            db.prepare("DELETE FROM callback_nonces WHERE at < ?1")
                .bind(&[((now - 2 * callback::WINDOW) as f64).into()])?,
            db.prepare("INSERT INTO callback_nonces (signature, at) VALUES (?1, ?2)")
                .bind(&[verified.replay_key().into(), (now as f64).into()])?,
        ])
        .await;
    if let Err(error) = recorded {
        if store::is_unique_violation(&error, "callback_nonces.signature") {
            return refused("This signed request was already received (replay).");
        }
        return http::internal("callback nonce", &error);
    }
    super::staff_api::apply_decision(env, ctx, &handle, decision, Actor::Callback).await
}
