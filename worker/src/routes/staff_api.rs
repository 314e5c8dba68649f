//! The staff JSON API, authenticated with a staff account (HTTP Basic):
//! - `POST /api/v1/staff/contacts/{handle}/decision`: registry staff approve or reject a
//!   registrant (`{"decision": "approve"|"reject", "reason": "..."}`);
//! - `POST /api/v1/staff/domains/{name}/lock`: the registry lock
//!   (`{"set": [...], "clear": [...], "note": "..."}` with `serverTransferProhibited`,
//!   `serverDeleteProhibited`, `serverUpdateProhibited`; `lifecycle::registry_lock`).
//!
//! Each decision or lock, with the staff member's identity, goes into the
//! history (staff-only; the public order page says "registry").
//!
//! A browser caches Basic credentials and would send them with a cross-site form, so the
//! request must be `Content-Type: application/json` and carry no foreign `Origin`
//! (`coopreg_shared::request_guard`): 415 `unsupported_media_type`, 403 `cross_origin`,
//! checked before anything else.

use coopreg_shared::lifecycle::{self, Actor, Decision, ServerStatus};
use coopreg_shared::limits::Burst;
use coopreg_shared::{ErrorCode, Problem, Problems};
use worker::{Context, Env, Request, Response, Result};

use crate::auth::{self, AccountKind};
use crate::{apply, clock, http, store};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub decision: String,
    #[serde(default)]
    pub reason: String,
    /// Only in the signed callback: which contact.
    #[serde(default)]
    pub contact: Option<String>,
}

/// Parses a decision body, or the problems with it.
pub fn parse_decision(body: &[u8]) -> std::result::Result<(DecisionBody, Decision), Problems> {
    let parsed: DecisionBody = serde_json::from_slice(body).map_err(|error| {
        Problems::one(Problem::new(
            ErrorCode::MalformedInput,
            "",
            format!("Send JSON {{\"decision\": \"approve\" or \"reject\", \"reason\": \"...\"}} ({error})."),
        ))
    })?;
    let decision = match parsed.decision.as_str() {
        "approve" => Decision::Approve,
        "reject" => Decision::Reject,
        _ => {
            return Err(Problems::one(Problem::new(
                ErrorCode::InvalidValue,
                "decision",
                "The decision must be \"approve\" or \"reject\".",
            )))
        }
    };
    if parsed.reason.chars().count() > 1000 || parsed.reason.chars().any(char::is_control) {
        return Err(Problems::one(Problem::new(
            ErrorCode::InvalidValue,
            "reason",
            "The reason must be at most 1000 characters without control characters.",
        )));
    }
    Ok((parsed, decision))
}

/// Applies a registry decision on `handle` by `actor`.
pub async fn apply_decision(
    env: &Env,
    ctx: &Context,
    handle: &str,
    decision: Decision,
    actor: Actor,
) -> Result<Response> {
    let db = store::db(env)?;
    let now = clock::now(&db).await?;
    match apply::registry_decision(env, &db, handle, decision, actor, now).await? {
        None => http::problem(
            ErrorCode::NotFound,
            "contact",
            &format!("There is no contact {handle}."),
        ),
        Some(Err(problems)) => http::problems(&problems),
        Some(Ok((outcome, mail, dns))) => {
            apply::send_soon(env, ctx, mail, now);
            crate::dns::push_soon(env, ctx, dns, now);
            let contact = store::contact(&db, handle).await?;
            http::json(
                200,
                &serde_json::json!({
                    "contact": handle,
                    "verification": contact.map_or("unknown", |contact| contact.verification.word()),
                    "domains": outcome.domains.iter().map(|domain| serde_json::json!({
                        "domain": domain.name.ascii, "status": domain.status_word()
                    })).collect::<Vec<_>>(),
                }),
            )
        }
    }
}

pub async fn decision(
    mut req: Request,
    handle: &str,
    env: &Env,
    ctx: &Context,
) -> Result<Response> {
    let account = match staff_account(&req, env).await? {
        Ok(account) => account,
        Err(response) => return Ok(response),
    };
    let body = match super::orders::read_body(&mut req, 16 * 1024).await? {
        Ok(body) => body,
        Err(response) => return Ok(response),
    };
    let (_, decision) = match parse_decision(&body) {
        Ok(parsed) => parsed,
        Err(problems) => return http::problems(&problems),
    };
    apply_decision(env, ctx, handle, decision, Actor::Staff(account.id)).await
}

/// The body of `POST /api/v1/staff/domains/{name}/lock`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LockBody {
    #[serde(default)]
    set: Vec<String>,
    #[serde(default)]
    clear: Vec<String>,
    #[serde(default)]
    note: String,
}

/// Parses a lock body: the statuses to set and to clear, and the note.
fn parse_lock(
    body: &[u8],
) -> std::result::Result<(Vec<ServerStatus>, Vec<ServerStatus>, String), Problems> {
    let parsed: LockBody = serde_json::from_slice(body).map_err(|error| {
        Problems::one(Problem::new(
            ErrorCode::MalformedInput,
            "",
            format!(
                "Send JSON {{\"set\": [...], \"clear\": [...], \"note\": \"...\"}} with \
                 serverTransferProhibited, serverDeleteProhibited or serverUpdateProhibited \
                 ({error})."
            ),
        ))
    })?;
    let mut problems = Problems::default();
    let mut parse = |field: &str, values: &[String]| -> Vec<ServerStatus> {
        let mut out = Vec::new();
        for value in values {
            match ServerStatus::from_epp(value) {
                Some(status) => out.push(status),
                None => problems.push(Problem::new(
                    ErrorCode::InvalidValue,
                    field,
                    "Each status must be serverTransferProhibited, serverDeleteProhibited or \
                     serverUpdateProhibited.",
                )),
            }
        }
        out
    };
    let set = parse("set", &parsed.set);
    let clear = parse("clear", &parsed.clear);
    if parsed.note.chars().count() > 500 || parsed.note.chars().any(char::is_control) {
        problems.push(Problem::new(
            ErrorCode::InvalidValue,
            "note",
            "The note must be at most 500 characters without control characters.",
        ));
    }
    if set.is_empty() && clear.is_empty() && problems.is_empty() {
        problems.push(Problem::new(
            ErrorCode::Required,
            "set",
            "Name at least one status to set or clear.",
        ));
    }
    if problems.is_empty() {
        Ok((set, clear, parsed.note))
    } else {
        Err(problems)
    }
}

/// `POST /api/v1/staff/domains/{name}/lock`: registry staff set and clear the registry lock's
/// server statuses (`lifecycle::registry_lock`); answers the domain's EPP statuses.
pub async fn lock(mut req: Request, name: &str, env: &Env, ctx: &Context) -> Result<Response> {
    let account = match staff_account(&req, env).await? {
        Ok(account) => account,
        Err(response) => return Ok(response),
    };
    let body = match super::orders::read_body(&mut req, 16 * 1024).await? {
        Ok(body) => body,
        Err(response) => return Ok(response),
    };
    let (set, clear, note) = match parse_lock(&body) {
        Ok(parsed) => parsed,
        Err(problems) => return http::problems(&problems),
    };
    let db = store::db(env)?;
    let now = clock::now(&db).await?;
    let name = name.to_ascii_lowercase();
    let Some(domain) = store::domain(&db, &name).await? else {
        return http::problem(
            ErrorCode::NotFound,
            "domain",
            &format!("There is no domain {name}."),
        );
    };
    let outcome =
        match lifecycle::registry_lock(&domain, Actor::Staff(account.id), &set, &clear, &note, now)
        {
            Ok(outcome) => outcome,
            Err(problems) => return http::problems(&problems),
        };
    apply::outcome(env, ctx, &db, &outcome, now).await?;
    let current = outcome.domain(&name).unwrap_or(&domain);
    http::json(
        200,
        &serde_json::json!({
            "domain": current.name.ascii,
            "server_statuses": current.server_statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            "epp_statuses": current.epp_statuses(),
        }),
    )
}

/// Checks a staff API request: JSON from no foreign origin (415/403, before anything else),
/// HTTP Basic staff credentials (401), burst-limited per client address (429). The answer
/// to send instead when it fails.
async fn staff_account(
    req: &Request,
    env: &Env,
) -> Result<std::result::Result<crate::auth::Account, Response>> {
    let own_origin = crate::console::session::own_origin(req)?;
    if let Err(problem) = coopreg_shared::request_guard::json_from_own_origin(
        req.headers().get("content-type")?.as_deref(),
        req.headers().get("origin")?.as_deref(),
        &own_origin,
    ) {
        return http::problems(&Problems::one(problem)).map(Err);
    }
    let db = store::db(env)?;
    let now = clock::now(&db).await?;
    let Some((login, password)) = auth::basic_credentials(req.headers().get("authorization")?)
    else {
        let mut response = http::problem(
            ErrorCode::AuthenticationFailed,
            "",
            "Staff authentication (HTTP Basic) is required.",
        )?;
        response
            .headers_mut()
            .set("www-authenticate", "Basic realm=\"coop registry staff\"")?;
        return Ok(Err(response));
    };
    // Every Basic-authenticated call is a staff login: burst-limited per client IP address.
    if let Some(over) = crate::limits::burst(env, req, Burst::StaffLogin).await? {
        return http::over_limit(&over).map(Err);
    }
    let client_ip = crate::limits::client_ip(req);
    match auth::check_password(
        &db,
        AccountKind::Staff,
        &login,
        &password,
        client_ip.as_deref(),
        now,
    )
    .await?
    {
        Ok(account) => Ok(Ok(account)),
        Err(auth::Refused::Throttled(over)) => http::over_limit(&over).map(Err),
        Err(auth::Refused::Failed(problem)) => http::problems(&Problems::one(problem)).map(Err),
    }
}
