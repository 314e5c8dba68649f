//! The approval link of a web order placed under an already verified registrant:
//! `GET /approve/{token}` shows the order (name, name servers, registrant, when and from
//! where it was placed); `POST /approve/{token}/approve` and `/decline` answer (POSTs, so mail
//! scanners that prefetch links approve nothing); `POST /approve/{token}/resend` sends a new
//! link when this one has expired. The rules are the core's (`lifecycle::approve`,
//! `decline_approval`, `request_new_approval`); used, replaced, expired and unknown links get
//! the same pages as the verification link.

use coopreg_shared::lifecycle::{self, Actor, ContactRecord, DomainRecord};
use coopreg_shared::limits::{check_quotas, Burst};
use coopreg_shared::ErrorCode;
use worker::{Context, Env, Request, Response, Result};

use super::verify::{expired_page, invalid_page, new_link_sent_page, no_new_link_page, plausible};
use crate::letters::human_time;
use crate::pages::{escape, over_limit, page};
use crate::store::UsageOf;
use crate::{apply, clock, crypto, limits, store};

/// The web order of a token, with its owner and "now"; `Err` is the page to show when there
/// is none.
async fn order_for(
    env: &Env,
    token: &str,
) -> Result<std::result::Result<(DomainRecord, Option<ContactRecord>, i64), Response>> {
    if !plausible(token) {
        return Ok(Err(invalid_page()?));
    }
    let db = store::db(env)?;
    let Some((domain, owner)) =
        store::domain_by_approval_token_hash(&db, &lifecycle::token_hash(token)).await?
    else {
        return Ok(Err(invalid_page()?));
    };
    let now = clock::now(&db).await?;
    Ok(Ok((domain, owner, now)))
}

pub async fn show(token: &str, env: &Env) -> Result<Response> {
    let (domain, owner, now) = match order_for(env, token).await? {
        Ok(found) => found,
        Err(response) => return Ok(response),
    };
    let Some(current) = lifecycle::project_domain(&domain, None, now) else {
        return invalid_page();
    };
    let Some(approval) = current.approval.as_ref() else {
        return invalid_page();
    };
    if now >= approval.token_expires_at {
        return expired_page("approve", token, approval.token_expires_at);
    }
    let name = if current.name.unicode == current.name.ascii {
        escape(&current.name.ascii)
    } else {
        format!(
            "{} <small>({})</small>",
            escape(&current.name.unicode),
            escape(&current.name.ascii)
        )
    };
    let nameservers: String = current
        .nameservers
        .iter()
        .map(|ns| format!("<li><code>{}</code></li>", escape(&ns.host)))
        .collect();
    let registrant = owner.as_ref().map_or_else(String::new, |owner| {
        let info = &owner.info;
        format!(
            "<p>Registrant: <strong>{}</strong><br>{} {}, {}, {}</p>",
            escape(info.organization.as_deref().unwrap_or("")),
            escape(&info.first_name),
            escape(&info.last_name),
            escape(&info.city),
            escape(&info.country)
        )
    });
    let placed = current
        .certification
        .as_ref()
        .map_or_else(String::new, |c| {
            let from = c
                .client_ip
                .as_deref()
                .map(|ip| format!(" from the address {}", escape(ip)))
                .unwrap_or_default();
            format!(
                "<p>Ordered on {} through the registration form{from}.</p>",
                escape(&human_time(c.at))
            )
        });
    let body = format!(
        "<section class=\"card\"><h1>Approve a new .coop registration</h1>\
         <p>Someone asked to register a domain in the name of your organisation, which is already verified for .coop. \
         Nobody gets a domain in your name without your approval.</p>\
         <h2>{name}</h2>{registrant}{placed}<h3>Name servers</h3><ul>{nameservers}</ul>\
         <p class=\"notice\">If you or a colleague placed this order, approve it. If not, decline: the name is released at once. \
         This link works once and expires on {expires}.</p>\
         <div class=\"actions\">\
         <form method=\"post\" action=\"/approve/{token}/approve\"><button class=\"btn btn-primary\" type=\"submit\">Approve</button></form>\
         <form method=\"post\" action=\"/approve/{token}/decline\"><button class=\"btn btn-danger\" type=\"submit\">Decline</button></form>\
         </div></section>",
        expires = escape(&human_time(approval.token_expires_at)),
        token = escape(token),
    );
    page(200, "Approve the registration", &body)
}

#[derive(Clone, Copy)]
pub enum Answer {
    Approve,
    Decline,
}

pub async fn answer(token: &str, answer: Answer, env: &Env, ctx: &Context) -> Result<Response> {
    let (domain, _, now) = match order_for(env, token).await? {
        Ok(found) => found,
        Err(response) => return Ok(response),
    };
    let result = match answer {
        Answer::Approve => lifecycle::approve(&domain, token, now),
        Answer::Decline => lifecycle::decline_approval(&domain, token, now),
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(problems) => {
            return match problems.errors.first().map(|problem| problem.code) {
                Some(ErrorCode::TokenExpired) => expired_page(
                    "approve",
                    token,
                    domain
                        .approval
                        .as_ref()
                        .map_or(now, |approval| approval.token_expires_at),
                ),
                Some(ErrorCode::StatusProhibits | ErrorCode::NotFound) => page(
                    409,
                    "Nothing to approve",
                    &format!(
                        "<section class=\"card\"><h1>Nothing to approve</h1><p>{}</p></section>",
                        escape(
                            &problems
                                .errors
                                .first()
                                .map(|p| p.message.clone())
                                .unwrap_or_default()
                        )
                    ),
                ),
                _ => invalid_page(),
            };
        }
    };
    let db = store::db(env)?;
    apply::outcome(env, ctx, &db, &outcome, now).await?;
    let name = escape(&domain.name.unicode);
    match answer {
        Answer::Approve => page(
            200,
            "Approved",
            &format!("<section class=\"card\"><h1>Thank you — approved</h1><p class=\"status status-active\">{name} is registered and active.</p></section>"),
        ),
        Answer::Decline => page(
            200,
            "Declined",
            &format!("<section class=\"card\"><h1>Registration declined</h1><p class=\"status status-held\">{name} was not registered: the order is deleted and the name is free again.</p><p>Your organisation's verification and its other domains are unchanged.</p></section>"),
        ),
    }
}

/// A new approval link, by the holder of an expired one (the old link proves the mailbox).
pub async fn resend(req: &Request, token: &str, env: &Env, ctx: &Context) -> Result<Response> {
    if let Some(over) = limits::burst(env, req, Burst::Resend).await? {
        return over_limit(&over);
    }
    let (domain, _, now) = match order_for(env, token).await? {
        Ok(found) => found,
        Err(response) => return Ok(response),
    };
    let random = crypto::random_bytes::<32>()?;
    let outcome = match lifecycle::request_new_approval(&domain, Actor::Registrant, &random, now) {
        Ok(outcome) => outcome,
        Err(problems) => return no_new_link_page(&problems),
    };
    let db = store::db(env)?;
    if let Some(address) = outcome.emails().next().map(|email| email.to.clone()) {
        let usage = store::address_usage(&db, UsageOf::Address(&address), now).await?;
        if let Err(over) = check_quotas(&outcome, &address, &usage, &limits::configured(env), now) {
            return over_limit(&over);
        }
    }
    apply::outcome(env, ctx, &db, &outcome, now).await?;
    new_link_sent_page()
}
