//! The verification link: `GET /verify/{token}` shows what is being confirmed and the
//! eligibility criteria; `POST /verify/{token}/confirm` and `/decline` answer (POSTs, so mail
//! scanners that prefetch links confirm nothing); `POST /verify/{token}/resend` sends a new
//! link when this one has expired. Used, replaced, expired and unknown links get a clear page.

use coopreg_shared::lifecycle::{self, Actor, ContactRecord, DomainState, Verification};
use coopreg_shared::limits::{check_quotas, Burst};
use coopreg_shared::validate::EligibilityCriterion;
use coopreg_shared::ErrorCode;
use worker::{Context, Env, Request, Response, Result};

use crate::letters::human_time;
use crate::pages::{escape, over_limit, page};
use crate::store::UsageOf;
use crate::{apply, clock, crypto, limits, store};

/// Tokens are 22 URL-safe base64 characters; anything else is not one of ours.
pub fn plausible(token: &str) -> bool {
    (16..=64).contains(&token.len())
        && token
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

pub fn invalid_page() -> Result<Response> {
    page(
        410,
        "Link not valid",
        "<section class=\"card\"><h1>This link is no longer valid</h1>\
         <p>It has already been used, or a newer link replaced it, or it was never a link of ours.</p>\
         <p>If you still need to verify a registration, open the newest e-mail we sent you, or \
         request a new link from your order page or your reseller.</p></section>",
    )
}

/// The page of an expired link of `/{path}/{token}` (`verify` or `approve`), with a button
/// for a new one (the old link proves the mailbox).
pub fn expired_page(path: &str, token: &str, expired_at: i64) -> Result<Response> {
    page(
        410,
        "Link expired",
        &format!(
            "<section class=\"card\"><h1>This link has expired</h1>\
             <p>It stopped working on {}. Registrations waiting for it are on hold until you answer.</p>\
             <form method=\"post\" action=\"/{}/{}/resend\"><button class=\"btn\" type=\"submit\">Send me a new link</button></form>\
             </section>",
            escape(&human_time(expired_at)),
            escape(path),
            escape(token)
        ),
    )
}

/// Finds the contact of a token; `Err` is the page to show when there is none.
async fn contact_for(
    env: &Env,
    token: &str,
) -> Result<std::result::Result<(ContactRecord, i64), Response>> {
    if !plausible(token) {
        return Ok(Err(invalid_page()?));
    }
    let db = store::db(env)?;
    let Some(contact) = store::contact_by_token_hash(&db, &lifecycle::token_hash(token)).await?
    else {
        return Ok(Err(invalid_page()?));
    };
    let now = clock::now(&db).await?;
    Ok(Ok((contact, now)))
}

pub async fn show(token: &str, env: &Env) -> Result<Response> {
    let (contact, now) = match contact_for(env, token).await? {
        Ok(found) => found,
        Err(response) => return Ok(response),
    };
    let Verification::Pending {
        token_expires_at, ..
    } = contact.verification
    else {
        return invalid_page();
    };
    if now >= token_expires_at {
        return expired_page("verify", token, token_expires_at);
    }
    let db = store::db(env)?;
    let domains = store::domains_owned_by(&db, &contact.handle).await?;
    let waiting: Vec<String> = domains
        .iter()
        .filter(|domain| {
            matches!(
                domain.state,
                DomainState::Processing | DomainState::Held { .. } | DomainState::Active
            )
        })
        .map(|domain| {
            let name = if domain.name.unicode == domain.name.ascii {
                escape(&domain.name.ascii)
            } else {
                format!(
                    "{} <small>({})</small>",
                    escape(&domain.name.unicode),
                    escape(&domain.name.ascii)
                )
            };
            format!(
                "<li><strong>{name}</strong> — {}</li>",
                escape(&domain.state.describe())
            )
        })
        .collect();
    let info = &contact.info;
    let criteria: String = EligibilityCriterion::ALL
        .iter()
        .map(|criterion| format!("<li>{}</li>", escape(criterion.text())))
        .collect();
    let body = format!(
        "<section class=\"card\"><h1>Confirm your .coop registration</h1>\
         <p>Registrant: <strong>{org}</strong><br>{first} {last}, {city}, {country}<br>{email}</p>\
         <h2>Domains</h2><ul>{domains}</ul>\
         <h2>Eligibility</h2><p>By confirming, you certify that your organisation meets at least one of the .coop eligibility criteria:</p><ul>{criteria}</ul>\
         <p class=\"notice\">This link works once and expires on {expires}.</p>\
         <div class=\"actions\">\
         <form method=\"post\" action=\"/verify/{token}/confirm\"><button class=\"btn btn-primary\" type=\"submit\">Confirm</button></form>\
         <form method=\"post\" action=\"/verify/{token}/decline\"><button class=\"btn btn-danger\" type=\"submit\">Decline</button></form>\
         </div></section>",
        org = escape(info.organization.as_deref().unwrap_or("")),
        first = escape(&info.first_name),
        last = escape(&info.last_name),
        city = escape(&info.city),
        country = escape(&info.country),
        email = escape(&info.email),
        domains = if waiting.is_empty() { "<li>No domain is waiting.</li>".to_string() } else { waiting.concat() },
        criteria = criteria,
        expires = escape(&human_time(token_expires_at)),
        token = escape(token),
    );
    page(200, "Confirm your registration", &body)
}

#[derive(Clone, Copy)]
pub enum Answer {
    Confirm,
    Decline,
}

pub async fn answer(token: &str, answer: Answer, env: &Env, ctx: &Context) -> Result<Response> {
    let (contact, now) = match contact_for(env, token).await? {
        Ok(found) => found,
        Err(response) => return Ok(response),
    };
    let db = store::db(env)?;
    let domains = store::domains_owned_by(&db, &contact.handle).await?;
    let result = match answer {
        Answer::Confirm => lifecycle::confirm(&contact, &domains, token, now),
        Answer::Decline => lifecycle::decline(&contact, &domains, token, now),
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(problems) => {
            return match problems.errors.first().map(|problem| problem.code) {
                Some(ErrorCode::TokenExpired) => {
                    expired_page("verify", token, contact.token_expires_at().unwrap_or(now))
                }
                _ => invalid_page(),
            };
        }
    };
    apply::outcome(env, ctx, &db, &outcome, now).await?;
    let names: Vec<String> = outcome
        .domains
        .iter()
        .map(|domain| {
            format!(
                "<li>{} — {}</li>",
                escape(&domain.name.unicode),
                escape(&domain.state.describe())
            )
        })
        .collect();
    let list = if names.is_empty() {
        String::new()
    } else {
        format!("<ul>{}</ul>", names.concat())
    };
    match answer {
        Answer::Confirm => page(
            200,
            "Confirmed",
            &format!("<section class=\"card\"><h1>Thank you — confirmed</h1><p class=\"status status-active\">Your organisation is verified. Its registrations are now active.</p>{list}<p>Future registrations with the same details need no new verification.</p></section>"),
        ),
        Answer::Decline => page(
            200,
            "Declined",
            &format!("<section class=\"card\"><h1>Registration declined</h1><p class=\"status status-held\">The registrations are on hold and will not be published.</p>{list}</section>"),
        ),
    }
}

/// A new link, by the holder of an expired one (the old link proves the mailbox). Limited
/// like every new link: a burst per client IP, and the quota of the address.
pub async fn resend(req: &Request, token: &str, env: &Env, ctx: &Context) -> Result<Response> {
    if let Some(over) = limits::burst(env, req, Burst::Resend).await? {
        return over_limit(&over);
    }
    let (contact, now) = match contact_for(env, token).await? {
        Ok(found) => found,
        Err(response) => return Ok(response),
    };
    let db = store::db(env)?;
    let domains = store::domains_owned_by(&db, &contact.handle).await?;
    let random = crypto::random_bytes::<32>()?;
    match lifecycle::request_new_link(&contact, &domains, Actor::Registrant, &random, now) {
        Ok(outcome) => {
            let address = &contact.info.email;
            let usage = store::address_usage(&db, UsageOf::Address(address), now).await?;
            if let Err(over) =
                check_quotas(&outcome, address, &usage, &limits::configured(env), now)
            {
                return over_limit(&over);
            }
            apply::outcome(env, ctx, &db, &outcome, now).await?;
            new_link_sent_page()
        }
        Err(problems) => no_new_link_page(&problems),
    }
}

/// The page after a new link was sent (verification or approval).
pub fn new_link_sent_page() -> Result<Response> {
    page(200, "New link sent", "<section class=\"card\"><h1>A new link is on its way</h1><p>Check your mailbox and open the newest e-mail from the .coop registry. Earlier links no longer work.</p></section>")
}

/// The page when no new link could be sent, with the core's reason.
pub fn no_new_link_page(problems: &coopreg_shared::Problems) -> Result<Response> {
    page(
        409,
        "No new link",
        &format!(
            "<section class=\"card\"><h1>No new link was sent</h1><p>{}</p></section>",
            escape(
                &problems
                    .errors
                    .first()
                    .map(|problem| problem.message.clone())
                    .unwrap_or_default()
            )
        ),
    )
}
