//! The orders API (`/api/v1/`): submit an order, read its status, ask for a new link, check
//! availability. The browser form and any JSON client use it; `worker/openapi.json`
//! documents it.
//!
//! An order's contacts are web contacts (reseller `web`) whose handle is derived from their
//! data, so the same registrant details find the same contact — and its verification —
//! again: a verified registrant's later orders need no new verification, but each one is
//! approved by the registrant's mailbox (the core's `register`; the link is `/approve/`).
//!
//! An order is bound to the registration it made (that registration's ROID and first history
//! line, stored with the order): its status, history, new links and idempotent replays see only
//! that registration. Once it has ended (deleted or freed) the order reads as ended
//! (`DELETED`, `ended: true`, no registrant) even when someone registers the name again, and a
//! new link is refused with 410 `order_ended`. The public history names registry staff and the
//! verification service as `registry` and carries no staff notes or client addresses.
//!
//! Limits (`crate::limits`, decided by `coopreg_shared::limits`): bursts per client IP on
//! orders, new links and availability; the quotas of the owner's address on orders and new
//! links. Over a limit: 429 with `Retry-After`, nothing stored, no e-mail.

use coopreg_shared::lifecycle::{self, ContactRecord, NewDomain, WEB_RESELLER};
use coopreg_shared::limits::{check_quotas, Burst};
use coopreg_shared::model::ContactInfo;
use coopreg_shared::validate::order::MAX_ORDER_BYTES;
use coopreg_shared::validate::reserved::{is_reserved, reserved_message};
use coopreg_shared::validate::{validate_domain_name, validate_order_json};
use coopreg_shared::{ErrorCode, Problem, Problems};
use serde::Serialize;
use worker::{Context, Env, Request, Response, Result};

use crate::letters::human_time;
use crate::store::UsageOf;
use crate::{apply, clock, crypto, http, limits, store};

const IDEMPOTENCY_KEY_MAX: usize = 128;

/// The status of an order whose registration has ended (deleted or freed); the order follows
/// no later registration of the same name.
const ENDED_STATUS: &str = "DELETED";

#[derive(Serialize)]
struct Names<'a> {
    ascii: &'a str,
    unicode: &'a str,
}

#[derive(Serialize)]
struct Created<'a> {
    order_id: &'a str,
    status_url: String,
    status: &'a str,
    domain: Names<'a>,
}

/// The contact handle of web-form registrant data: a digest of the data itself.
fn web_handle(info: &ContactInfo) -> Result<String> {
    let json =
        serde_json::to_string(info).map_err(|error| worker::Error::RustError(error.to_string()))?;
    Ok(format!(
        "W-{}",
        &crypto::sha256_hex(json.as_bytes())[..16].to_ascii_uppercase()
    ))
}

/// Reads a body of at most `limit` bytes (`crate::body`), or answers 413 with the core's
/// error shape.
pub async fn read_body(
    req: &mut Request,
    limit: usize,
) -> Result<std::result::Result<Vec<u8>, Response>> {
    match crate::body::read_limited(req, limit).await? {
        Ok(bytes) => Ok(Ok(bytes)),
        Err(too_large) => Ok(Err(http::problem(
            ErrorCode::BodyTooLarge,
            "",
            &too_large.message(),
        )?)),
    }
}

fn idempotency_key(req: &Request) -> Result<std::result::Result<Option<String>, Problems>> {
    let Some(key) = req.headers().get("idempotency-key")? else {
        return Ok(Ok(None));
    };
    if key.is_empty()
        || key.len() > IDEMPOTENCY_KEY_MAX
        || !key.bytes().all(|byte| byte.is_ascii_graphic())
    {
        return Ok(Err(Problems::one(Problem::new(
            ErrorCode::InvalidValue,
            "Idempotency-Key",
            format!(
                "The Idempotency-Key header must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters, e.g. a UUID."
            ),
        ))));
    }
    Ok(Ok(Some(key)))
}

/// The answer to a retried submission: the original order, as it is now.
async fn replay(
    db: &worker::D1Database,
    order: &store::OrderRow,
    request_hash: &str,
) -> Result<Response> {
    if order.request_hash != request_hash {
        return http::problem(
            ErrorCode::IdempotencyConflict,
            "Idempotency-Key",
            "This Idempotency-Key was already used for a different order; use a new key for a new order.",
        );
    }
    // Only the order's own registration: a later one of the same name is not this order's.
    let domain = store::order_domain(db, order).await?;
    let (status, unicode) = domain
        .as_ref()
        .map_or((ENDED_STATUS, order.domain.clone()), |domain| {
            (domain.status_word(), domain.name.unicode.clone())
        });
    http::json(
        200,
        &Created {
            order_id: &order.id,
            status_url: format!("/orders/{}", order.id),
            status,
            domain: Names {
                ascii: &order.domain,
                unicode: &unicode,
            },
        },
    )
}

/// `POST /api/v1/orders`.
pub async fn create(mut req: Request, env: &Env, ctx: &Context) -> Result<Response> {
    if let Some(over) = limits::burst(env, &req, Burst::Orders).await? {
        return http::over_limit(&over);
    }
    let body = match read_body(&mut req, MAX_ORDER_BYTES).await? {
        Ok(body) => body,
        Err(response) => return Ok(response),
    };
    let key = match idempotency_key(&req)? {
        Ok(key) => key,
        Err(problems) => return http::problems(&problems),
    };
    accept(body, key, limits::client_ip(&req), env, ctx).await
}

/// Records an order from its JSON body: the one path of the JSON API and the plain form.
/// `client_ip` is kept with the eligibility certification. Answers 201 with [`Created`], 200
/// for a retry, 429 over a quota of the owner's address, or the core's problems.
pub async fn accept(
    body: Vec<u8>,
    key: Option<String>,
    client_ip: Option<String>,
    env: &Env,
    ctx: &Context,
) -> Result<Response> {
    let db = store::db(env)?;
    let request_hash = crypto::sha256_hex(&body);
    if let Some(key) = &key {
        if let Some(order) = store::order_by_key(&db, key).await? {
            return replay(&db, &order, &request_hash).await;
        }
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return http::problem(
            ErrorCode::MalformedInput,
            "",
            "The body must be UTF-8 JSON.",
        );
    };
    let order = match validate_order_json(text) {
        Ok(order) => order,
        Err(problems) => return http::problems(&problems),
    };
    let now = clock::now(&db).await?;

    let roles = [
        &order.contacts.owner,
        &order.contacts.admin,
        &order.contacts.tech,
        &order.contacts.billing,
    ];
    let mut handles = Vec::with_capacity(4);
    for info in roles {
        handles.push(web_handle(info)?);
    }
    // An order that lost a race for its owner contact (a concurrent first order of the same
    // registrant, or another write of the owner since it was read) is decided again on what is
    // stored now; a few rounds settle any realistic contention, after that the client retries.
    let mut retries_left = 3;
    let limits = limits::configured(env);
    let (order_id, outcome) = loop {
        let store::RegistrationContext {
            owner: stored_owner,
            owner_domains,
            existing,
            usage,
            allocation,
        } = store::registration_context(
            &db,
            &handles[0],
            &order.domain.ascii,
            UsageOf::Address(&order.contacts.owner.email),
            order.allocation_token.as_deref(),
            now,
        )
        .await?;
        let owner_is_new = stored_owner.is_none();
        let owner = stored_owner.unwrap_or_else(|| {
            ContactRecord::new(&handles[0], WEB_RESELLER, order.contacts.owner.clone(), now)
        });
        let new_domain = NewDomain {
            name: order.domain.clone(),
            period: u32::from(order.period),
            owner: handles[0].clone(),
            admin: handles[1].clone(),
            tech: handles[2].clone(),
            billing: handles[3].clone(),
            nameservers: order.nameservers.clone(),
            ds_records: order.ds_records.clone(),
            transfer_lock: false,
            criterion: Some(order.eligibility),
            client_ip: client_ip.clone(),
            allocation,
            roid: lifecycle::new_roid(&crypto::random_bytes::<10>()?),
        };
        let random = crypto::random_bytes::<32>()?;
        let outcome = match lifecycle::register(
            &new_domain,
            WEB_RESELLER,
            &owner,
            &owner_domains,
            existing.as_ref(),
            &random,
            now,
        ) {
            Ok(outcome) => outcome,
            Err(problems) => return http::problems(&problems),
        };
        if let Err(over) = check_quotas(&outcome, &order.contacts.owner.email, &usage, &limits, now)
        {
            return http::over_limit(&over);
        }

        let mut statements = Vec::new();
        // A name freed by the projection and registered again: remove the old row only if it is
        // still the one we saw, so a concurrent registration makes the insert fail.
        if let Some(existing) = &existing {
            statements.push(store::delete_domain_in_state(
                &db,
                &order.domain.ascii,
                existing.status_word(),
            )?);
        }
        // A new owner is inserted strictly (the outcome's copy then updates it): a concurrent
        // first order of the same registrant makes this batch fail, and the retry below
        // registers against the contact that order stored, so neither overwrites the other.
        if owner_is_new {
            statements.push(store::insert_contact(&db, &owner)?);
        }
        // The other roles' contacts are stored once.
        for (info, handle) in roles.iter().zip(&handles).skip(1) {
            if handle != &handles[0] {
                let contact = ContactRecord::new(handle, WEB_RESELLER, (*info).clone(), now);
                statements.push(store::add_contact_if_new(&db, &contact)?);
            }
        }
        let writes = apply::statements(env, &db, &outcome, Some(&order.domain.ascii), now)?;
        statements.extend(writes.statements);
        let order_id = crypto::random_id()?;
        let Some(registered) = outcome.domain(&order.domain.ascii) else {
            return http::internal(
                "create order",
                &worker::Error::RustError("a registration without its domain".into()),
            );
        };
        statements.push(store::insert_order(
            &db,
            &order_id,
            registered,
            key.as_deref(),
            &request_hash,
            now,
        )?);
        if let Err(error) = db.batch(statements).await {
            let lost_race = (owner_is_new && store::is_unique_violation(&error, "contacts.handle"))
                || store::is_write_conflict(&error);
            if lost_race && retries_left > 0 {
                retries_left -= 1;
                continue;
            }
            if store::is_allocation_token_reuse(&error) {
                return http::problem(
                    ErrorCode::AllocationTokenInvalid,
                    "allocation_token",
                    "This allocation token was used a moment ago: each token registers its name once.",
                );
            }
            if store::is_unique_violation(&error, "domains.name") {
                return http::problem(
                    ErrorCode::NameTaken,
                    "domain",
                    &format!(
                        "{} is already registered or being registered.",
                        order.domain.unicode
                    ),
                );
            }
            if let Some(key) = key
                .as_deref()
                .filter(|_| store::is_unique_violation(&error, "orders.idempotency_key"))
            {
                // A concurrent retry with the same key won: answer with its order.
                if let Some(order) = store::order_by_key(&db, key).await? {
                    return replay(&db, &order, &request_hash).await;
                }
            }
            if store::is_write_conflict(&error) {
                return Err(error);
            }
            return http::internal("create order", &error);
        }
        apply::send_soon(env, ctx, writes.mail, now);
        crate::dns::push_soon(env, ctx, writes.dns, now);
        break (order_id, outcome);
    };
    let status = outcome
        .domain(&order.domain.ascii)
        .map_or("PROCESSING", |domain| domain.status_word());
    http::json(
        201,
        &Created {
            order_id: &order_id,
            status_url: format!("/orders/{order_id}"),
            status,
            domain: Names {
                ascii: &order.domain.ascii,
                unicode: &order.domain.unicode,
            },
        },
    )
}

#[derive(Serialize)]
struct Verification {
    state: &'static str,
    email_masked: String,
    sent_at: Option<String>,
    expires_at: Option<String>,
}

/// The approval request of a web order under an already verified registrant.
#[derive(Serialize)]
struct ApprovalView {
    /// `pending` while the link works, `expired` after.
    state: &'static str,
    email_masked: String,
    sent_at: String,
    expires_at: String,
}

#[derive(Serialize)]
struct HistoryEntry {
    at: String,
    actor: String,
    object: String,
    from: String,
    to: String,
    reason: String,
}

#[derive(Serialize)]
struct Status<'a> {
    order_id: &'a str,
    domain: Names<'a>,
    status: &'a str,
    /// True once the order's registration has ended (deleted or freed): the order shows no
    /// registrant, and no later registration of the name.
    ended: bool,
    hold_reason: Option<&'static str>,
    epp_statuses: Vec<&'static str>,
    owner_handle: &'a str,
    verification: Verification,
    approval: Option<ApprovalView>,
    /// When an unconfirmed web order is deleted if it stays unconfirmed.
    delete_at: Option<String>,
    period: u32,
    created_at: String,
    expires_at: String,
    history: Vec<HistoryEntry>,
    next_step: String,
}

fn iso(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|at| at.to_rfc3339())
        .unwrap_or_default()
}

/// `j***@example.coop`: enough for the registrant to recognise the address, not to harvest it.
fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

fn valid_order_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// `GET /api/v1/orders/{id}`: the status projected to now, with its history.
pub async fn status(id: &str, env: &Env) -> Result<Response> {
    let db = store::db(env)?;
    let not_found = || {
        http::problem(
            ErrorCode::NotFound,
            "order_id",
            "There is no order with this id; check the link you were given.",
        )
    };
    if !valid_order_id(id) {
        return not_found();
    }
    let Some(order) = store::order_view(&db, id).await? else {
        return not_found();
    };
    let now = clock::now(&db).await?;
    // Only the order's own registration (the store joins on its ROID): a later registration
    // of the same name by someone else is not this order's domain.
    let stored = order
        .domain_record
        .filter(|domain| order.roid.as_deref() == Some(domain.roid().as_str()));
    let owner = order.owner.filter(|_| stored.is_some());
    let projected = stored
        .as_ref()
        .and_then(|domain| lifecycle::project_domain(domain, owner.as_ref(), now));
    let owner_projection = owner.as_ref().map(|owner| {
        let projection = lifecycle::project(std::slice::from_ref(owner), &[], now);
        projection
            .contacts
            .into_iter()
            .next()
            .unwrap_or_else(|| owner.clone())
    });
    let history = order.history;

    let (status, hold_reason, epp, period, created, expires) = match &projected {
        Some(domain) => (
            domain_status_word(domain),
            match &domain.state {
                lifecycle::DomainState::Held { reason, .. } => Some(reason.as_str()),
                _ => None,
            },
            domain.epp_statuses(),
            domain.period,
            iso(domain.created),
            iso(domain.expires),
        ),
        None => (
            ENDED_STATUS,
            None,
            vec![],
            0,
            iso(order.created_at),
            String::new(),
        ),
    };
    let verification = match &owner_projection {
        Some(owner) => {
            let (sent, expires_at) = match &owner.verification {
                lifecycle::Verification::Pending {
                    token_issued_at,
                    token_expires_at,
                    ..
                } => (Some(iso(*token_issued_at)), Some(iso(*token_expires_at))),
                _ => (None, None),
            };
            Verification {
                state: owner.verification.word(),
                email_masked: mask_email(&owner.info.email),
                sent_at: sent,
                expires_at,
            }
        }
        None => Verification {
            state: "unverified",
            email_masked: String::new(),
            sent_at: None,
            expires_at: None,
        },
    };
    let approval = projected
        .as_ref()
        .and_then(|domain| domain.approval.as_ref())
        .map(|approval| ApprovalView {
            state: if now < approval.token_expires_at {
                "pending"
            } else {
                "expired"
            },
            email_masked: mask_email(&approval.email),
            sent_at: iso(approval.token_issued_at),
            expires_at: iso(approval.token_expires_at),
        });
    let delete_at = projected
        .as_ref()
        .filter(|domain| domain.is_unconfirmed_web_order())
        .and_then(|domain| domain.unconfirmed_deletion_at())
        .map(iso);
    let next_step = next_step(projected.as_ref(), owner_projection.as_ref(), now);
    http::json(
        200,
        &Status {
            order_id: &order.id,
            domain: Names {
                ascii: &order.domain,
                unicode: projected
                    .as_ref()
                    .map_or(order.domain.as_str(), |domain| domain.name.unicode.as_str()),
            },
            status,
            ended: projected.is_none(),
            hold_reason,
            epp_statuses: epp,
            owner_handle: owner.as_ref().map_or("", |owner| owner.handle.as_str()),
            verification,
            approval,
            delete_at,
            period,
            created_at: created,
            expires_at: expires,
            history: history
                .into_iter()
                .map(|event| HistoryEntry {
                    at: iso(event.at),
                    // The registry, never a staff member's login.
                    actor: lifecycle::public_actor(&event.actor).to_string(),
                    object: event.object,
                    from: event.from_state,
                    to: event.to_state,
                    reason: event.reason,
                })
                .collect(),
            next_step,
        },
    )
}

/// The status word of the orders API ("PENDING TRANSFER" with a space, as people read it).
fn domain_status_word(domain: &lifecycle::DomainRecord) -> &'static str {
    match domain.state {
        lifecycle::DomainState::PendingTransfer(_) => "PENDING TRANSFER",
        lifecycle::DomainState::PendingDelete { .. } => "PENDING DELETE",
        _ => domain.status_word(),
    }
}

/// What happens next, in one sentence for the registrant.
fn next_step(
    domain: Option<&lifecycle::DomainRecord>,
    owner: Option<&ContactRecord>,
    now: i64,
) -> String {
    use lifecycle::{DomainState, HoldReason, Verification};
    let Some(domain) = domain else {
        return "This order's registration has ended (it was deleted or released); the order no longer follows the name, which may be registered again.".to_string();
    };
    let email = owner
        .map(|owner| mask_email(&owner.info.email))
        .unwrap_or_default();
    let deleted_unless = match domain.unconfirmed_deletion_at() {
        Some(at) if domain.is_unconfirmed_web_order() => format!(
            " Unless it is confirmed first, the registration is deleted on {} and the name becomes free.",
            human_time(at)
        ),
        _ => String::new(),
    };
    match (&domain.state, owner.map(|owner| &owner.verification)) {
        (DomainState::Processing, _) if domain.approval.as_ref().is_some_and(|a| a.token_expires_at > now) => {
            let (to, expires) = domain.approval.as_ref().map_or((String::new(), now), |a| (mask_email(&a.email), a.token_expires_at));
            format!(
                "The registrant is already verified, so an approval request was sent to its address {to}; it expires on {}. Open it and approve to activate the domain (or decline to release the name).",
                human_time(expires)
            )
        }
        (DomainState::Processing, Some(Verification::Pending { token_expires_at, .. })) if *token_expires_at > now => format!(
            "A verification link was sent to {email}; it expires on {}. Open it and confirm your eligibility to activate the domain.",
            human_time(*token_expires_at)
        ),
        (DomainState::Processing, _) => "Waiting for the registrant's verification.".to_string(),
        (DomainState::Active, _) => format!("The domain is active until {}.", human_time(domain.expires)),
        (DomainState::Held { reason: HoldReason::Timeout, .. }, _) => format!(
            "The domain is on hold because the link we sent was not answered in 15 days. Ask for a new link and answer it to lift the hold.{deleted_unless}"
        ),
        (DomainState::Held { reason: HoldReason::Declined, .. }, _) => format!(
            "The registrant declined the registration; the domain is on hold.{deleted_unless}"
        ),
        (DomainState::Held { reason: HoldReason::Rejected, delete_at, .. }, _) => match delete_at {
            Some(at) => format!("The registry found the registrant not eligible; the domain is on hold and will be deleted on {} unless released.", human_time(*at)),
            None => "The registry found the registrant not eligible; the domain is on hold.".to_string(),
        },
        (DomainState::Held { .. }, _) => "Registry staff put the domain on hold.".to_string(),
        (DomainState::PendingTransfer(transfer), _) => format!(
            "A transfer is pending; it completes on {} unless denied.",
            human_time(transfer.auto_approve_at)
        ),
        (DomainState::Redemption { until, .. }, _) => format!("The domain was deleted; it can be restored until {}.", human_time(*until)),
        (DomainState::PendingDelete { until }, _) => format!("The domain will be released on {}.", human_time(*until)),
    }
}

/// `POST /api/v1/orders/{id}/resend`: a new link for the order: its approval request when
/// one is under way, else the owner's verification (the core's `resend_link`).
pub async fn resend(req: &Request, id: &str, env: &Env, ctx: &Context) -> Result<Response> {
    if let Some(over) = limits::burst(env, req, Burst::Resend).await? {
        return http::over_limit(&over);
    }
    let db = store::db(env)?;
    if !valid_order_id(id) {
        return http::problem(
            ErrorCode::NotFound,
            "order_id",
            "There is no order with this id.",
        );
    }
    let Some(order) = store::order_by_id(&db, id).await? else {
        return http::problem(
            ErrorCode::NotFound,
            "order_id",
            "There is no order with this id.",
        );
    };
    let Some(domain) = store::order_domain(&db, &order).await? else {
        return http::problem(
            ErrorCode::OrderEnded,
            "order_id",
            "This order's registration has ended (it was deleted or released), so there is nothing to verify; no link was sent. To register the name again, place a new order.",
        );
    };
    let Some(owner) = store::contact(&db, &domain.owner).await? else {
        return http::problem(
            ErrorCode::NotFound,
            "order_id",
            "This order's registrant no longer exists.",
        );
    };
    let now = clock::now(&db).await?;
    let domains = store::domains_owned_by(&db, &owner.handle).await?;
    let random = crypto::random_bytes::<32>()?;
    let outcome = match lifecycle::resend_link(
        &owner,
        &domains,
        &order.domain,
        lifecycle::Actor::Registrant,
        &random,
        now,
    ) {
        Ok(outcome) => outcome,
        Err(problems) => return http::problems(&problems),
    };
    let Some(sent_to) = outcome.emails().next().map(|email| email.to.clone()) else {
        return http::internal(
            "resend",
            &worker::Error::RustError("a new link without its e-mail".into()),
        );
    };
    let usage = store::address_usage(&db, UsageOf::Address(&sent_to), now).await?;
    if let Err(over) = check_quotas(&outcome, &sent_to, &usage, &limits::configured(env), now) {
        return http::over_limit(&over);
    }
    apply::outcome(env, ctx, &db, &outcome, now).await?;
    http::json(202, &serde_json::json!({ "sent_to": mask_email(&sent_to) }))
}

/// `GET /api/v1/availability?domain=...&idn_language=...`: free, taken, or reserved by the
/// registry.
pub async fn availability(req: &Request, env: &Env) -> Result<Response> {
    if let Some(over) = limits::burst(env, req, Burst::Availability).await? {
        return http::over_limit(&over);
    }
    let url = req.url()?;
    let mut domain_param = None;
    let mut language = None;
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "domain" => domain_param = Some(value.into_owned()),
            "idn_language" if !value.is_empty() => language = Some(value.into_owned()),
            _ => {}
        }
    }
    let Some(input) = domain_param else {
        return http::problem(
            ErrorCode::Required,
            "domain",
            "Give the name to check, e.g. ?domain=example.coop.",
        );
    };
    // Availability does not depend on the language table; check the name with the one given,
    // or with the first table it fits.
    let language = language.or_else(|| {
        coopreg_shared::validate::fitting_languages(&input)
            .first()
            .map(|language| language.tag().to_string())
    });
    let name = match validate_domain_name(&input, language.as_deref()) {
        Ok(name) => name,
        Err(problems) => return http::problems(&problems),
    };
    let db = store::db(env)?;
    let taken = match store::domain(&db, &name.ascii).await? {
        Some(domain) => {
            let now = clock::now(&db).await?;
            let owner = store::contact(&db, &domain.owner).await?;
            lifecycle::project_domain(&domain, owner.as_ref(), now).is_some()
        }
        None => false,
    };
    let reserved = !taken && is_reserved(&name);
    let mut body = serde_json::json!({
        "domain": { "ascii": name.ascii, "unicode": name.unicode },
        "available": !taken && !reserved,
        "reserved": reserved,
    });
    if taken {
        body["reason"] = "This name is already registered or being registered.".into();
    } else if reserved {
        body["reason"] = reserved_message(&name).into();
    }
    http::json(200, &body)
}
