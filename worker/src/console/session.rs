//! Who is using the console: the staff session cookie and the cross-site request check.
//!
//! Rules:
//! - the session id is 256 random bits in the `coopreg_staff` cookie (`HttpOnly; Secure;
//!   SameSite=Strict; Path=/staff`); D1 holds only its SHA-256 ([`crate::auth`]);
//! - every POST must carry an `Origin` header equal to the console's own origin (scheme, host
//!   and port of the request), so no other site can submit a form with the staff member's
//!   cookie; a POST without `Origin` is refused too.

use worker::{D1Database, Request, Result};

use crate::auth::{self, Account, AccountKind};

pub const COOKIE: &str = "coopreg_staff";

/// The cookie value sent by the browser, if any.
pub fn session_id(req: &Request) -> Option<String> {
    let header = req.headers().get("cookie").ok().flatten()?;
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == COOKIE && !value.is_empty()).then(|| value.to_string())
    })
}

/// The staff member of the request's session, if it is live.
pub async fn staff(req: &Request, db: &D1Database, now: i64) -> Result<Option<Account>> {
    let Some(id) = session_id(req) else {
        return Ok(None);
    };
    Ok(
        auth::session_account(db, AccountKind::Staff, &id, None, now)
            .await?
            .ok(),
    )
}

pub fn set_cookie(id: &str) -> String {
    format!(
        "{COOKIE}={id}; HttpOnly; Secure; SameSite=Strict; Path=/staff; Max-Age={}",
        auth::SESSION_LIFETIME
    )
}

pub fn clear_cookie() -> String {
    format!("{COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/staff; Max-Age=0")
}

/// The origin (`scheme://host[:port]`) the request was sent to.
pub fn own_origin(req: &Request) -> Result<String> {
    Ok(req.url()?.origin().ascii_serialization())
}

/// True when the request comes from a page of the console itself.
pub fn same_origin(req: &Request) -> Result<bool> {
    let origin = req.headers().get("origin")?;
    Ok(origin.is_some_and(|origin| Some(origin) == own_origin(req).ok()))
}
