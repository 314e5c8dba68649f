//! The transfer answer page: `/transfer/<token>`, linked from the e-mail to a domain's owner
//! and admin when another reseller requests its transfer.
//!
//! Rules: opening the link (GET) changes nothing; it shows the domain, the requesting
//! reseller and when the transfer completes by itself, with two buttons that POST to
//! `/transfer/<token>/approve` and `/transfer/<token>/deny`. The core's
//! [`transfer_approve`](lifecycle::transfer_approve) / [`transfer_deny`](lifecycle::transfer_deny)
//! decide, with the token as the losing side's credential. Tokens are looked up by their
//! SHA-256 only.
//!
//! Errors: an unknown, used or replaced link (`token_invalid`, 410); a transfer no longer
//! pending (`no_transfer_pending`, 409).

use coopreg_shared::lifecycle::{self, DomainRecord, DomainState, LosingSide};
use coopreg_shared::Problems;
use worker::{Context, D1Database, Env, Response, Result};

use crate::letters::human_time;
use crate::pages::{escape, page};
use crate::{apply, clock, store};

/// `GET /transfer/<token>`: what is asked, and the two answers.
pub async fn show(env: &Env, token: &str) -> Result<Response> {
    let db = store::db(env)?;
    let now = clock::now(&db).await?;
    let Some(domain) = pending_domain(&db, token, now).await? else {
        return refused(&lifecycle::token_invalid());
    };
    let DomainState::PendingTransfer(transfer) = &domain.state else {
        return refused(&lifecycle::token_invalid());
    };
    let token = escape(token);
    let body = format!(
        "<h1>Transfer of {name}</h1>\n\
         <p>Reseller <strong>{gaining}</strong> asked to take over the management of \
         <strong>{name}</strong>. If you agree, you need do nothing: the transfer completes on \
         {at}.</p>\n\
         <form method=\"post\" action=\"/transfer/{token}/approve\">\
         <button type=\"submit\" name=\"answer\" value=\"approve\">Approve the transfer now</button></form>\n\
         <form method=\"post\" action=\"/transfer/{token}/deny\">\
         <button type=\"submit\" name=\"answer\" value=\"deny\">Deny the transfer</button></form>",
        name = escape(&domain.name.unicode),
        gaining = escape(&transfer.gaining_reseller),
        at = escape(&human_time(transfer.auto_approve_at)),
    );
    page(200, "Transfer request", &body)
}

/// `POST /transfer/<token>/approve|deny`.
pub async fn answer(env: &Env, ctx: &Context, token: &str, choice: &str) -> Result<Response> {
    let db = store::db(env)?;
    let now = clock::now(&db).await?;
    let Some(domain) = stored_domain(&db, token).await? else {
        return refused(&lifecycle::token_invalid());
    };
    let by = LosingSide::Token(token.to_string());
    let (result, done) = match choice {
        "approve" => (lifecycle::transfer_approve(&domain, &by, now), "approved"),
        "deny" => (lifecycle::transfer_deny(&domain, &by, now), "denied"),
        _ => return crate::http::not_found(),
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(problems) => return refused(&problems),
    };
    apply::outcome(env, ctx, &db, &outcome, now).await?;
    page(
        200,
        "Transfer answered",
        &format!(
            "<h1>Transfer {done}</h1>\n<p>The transfer of <strong>{}</strong> is {done}.</p>",
            escape(&domain.name.unicode)
        ),
    )
}

async fn stored_domain(db: &D1Database, token: &str) -> Result<Option<DomainRecord>> {
    store::domain_by_transfer_token_hash(db, &lifecycle::token_hash(token)).await
}

/// The domain of the token, as it is now, while its transfer is pending.
async fn pending_domain(db: &D1Database, token: &str, now: i64) -> Result<Option<DomainRecord>> {
    Ok(stored_domain(db, token)
        .await?
        .and_then(|stored| lifecycle::project_domain(&stored, None, now))
        .filter(|domain| matches!(domain.state, DomainState::PendingTransfer(_))))
}

/// A page explaining why the answer cannot be taken.
fn refused(problems: &Problems) -> Result<Response> {
    let message = problems
        .errors
        .first()
        .map(|problem| problem.message.as_str())
        .unwrap_or("This link cannot be used.");
    page(
        problems.http_status(),
        "Transfer link",
        &format!(
            "<h1>This link cannot be used</h1>\n<p>{}</p>",
            escape(message)
        ),
    )
}
