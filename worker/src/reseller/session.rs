//! `StartSession`, `StopSession`, `StatusAccount` (reseller-api.md §1.6, §5.12).
//!
//! Rules: a session starts with login and password (`persistent=1`, with or without
//! `COMMAND=StartSession`) and answers `sessionid` and `expiration date`; the id is shown once
//! and stored hashed ([`crate::auth`]). `StopSession` ends the session it is sent with.
//! `StatusAccount` answers who is logged in (a connectivity check).
//!
//! Errors: `530 Authentication failed` (wrong password, unknown or ended session),
//! `421` after too many failed logins of the account ([`crate::auth`]) or too many logins
//! from the client's address in a minute ([`crate::limits`]), both checked before the
//! dispatcher gets here.

use coopreg_shared::reseller::response::{format_datetime, prop};
use coopreg_shared::reseller::{Credentials, Response};
use worker::Result;

use super::{authentication_failed, Call};
use crate::auth::{self, Account, AccountKind};

pub async fn start(call: &Call<'_>, account: &Account) -> Result<Response> {
    let (session_id, expires_at) =
        auth::start_session(&call.db, AccountKind::Reseller, account, call.now).await?;
    Ok(Response::success()
        .property(prop::SESSIONID, session_id)
        .property(prop::EXPIRATION_DATE, format_datetime(expires_at)))
}

pub async fn stop(call: &Call<'_>, credentials: &Credentials<'_>) -> Result<Response> {
    let Credentials::Session { session_id, .. } = credentials else {
        return Ok(authentication_failed());
    };
    if auth::end_session(&call.db, session_id).await? {
        Ok(Response::success())
    } else {
        Ok(authentication_failed())
    }
}

pub async fn status_account(_call: &Call<'_>, account: &Account) -> Result<Response> {
    Ok(Response::success().property(prop::REGISTRAR, &account.id))
}
