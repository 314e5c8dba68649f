//! Accounts and sessions of resellers and registry staff.
//!
//! Passwords are stored as salted PBKDF2-SHA256 (`scripts/admin.mjs` writes them); sessions
//! are 256-bit random ids of which only the SHA-256 is stored; failed logins are limited per
//! login name ([`MAX_FAILURES`] within [`FAILURE_WINDOW`]) so passwords cannot be guessed
//! online.

use coopreg_shared::model::Timestamp;
use coopreg_shared::{ErrorCode, Problem};
use worker::{D1Database, D1PreparedStatement, D1Result, Result};

use crate::crypto;

pub const MAX_FAILURES: u32 = 5;
pub const FAILURE_WINDOW: i64 = 15 * 60;
pub const SESSION_LIFETIME: i64 = 24 * 3600;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountKind {
    Reseller,
    Staff,
}

impl AccountKind {
    fn table(self) -> &'static str {
        match self {
            AccountKind::Reseller => "resellers",
            AccountKind::Staff => "staff",
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            AccountKind::Reseller => "reseller",
            AccountKind::Staff => "staff",
        }
    }
}

#[derive(Clone, Debug, serde::Deserialize)]
pub struct Account {
    pub id: String,
    pub name: String,
}

#[derive(serde::Deserialize)]
struct StoredAccount {
    id: String,
    name: String,
    password_hash: String,
}

fn failed() -> Problem {
    Problem::new(
        ErrorCode::AuthenticationFailed,
        "",
        "Authentication failed: the login or password is wrong.",
    )
}

/// Checks a login and password. Refuses without checking once the login has failed too often.
pub async fn check_password(
    db: &D1Database,
    kind: AccountKind,
    login: &str,
    password: &str,
    now: Timestamp,
) -> Result<std::result::Result<Account, Problem>> {
    let failures: Option<f64> = db
        .prepare("SELECT COUNT(*) AS n FROM login_failures WHERE login = ?1 AND at > ?2")
        .bind(&[
            format!("{}:{login}", kind.as_str()).into(),
            ((now - FAILURE_WINDOW) as f64).into(),
        ])?
        .first(Some("n"))
        .await?;
    if failures.unwrap_or(0.0) as u32 >= MAX_FAILURES {
        return Ok(Err(Problem::new(
            ErrorCode::RateLimited,
            "",
            "Too many failed logins for this account; try again in 15 minutes.",
        )));
    }
    let stored: Option<StoredAccount> = db
        .prepare(format!(
            "SELECT id, name, password_hash FROM {} WHERE id = ?1",
            kind.table()
        ))
        .bind(&[login.into()])?
        .first(None)
        .await?;
    let verified = match &stored {
        Some(account) => crypto::verify_password(password, &account.password_hash).await?,
        None => false,
    };
    match stored {
        Some(account) if verified => Ok(Ok(Account {
            id: account.id,
            name: account.name,
        })),
        _ => {
            db.batch(vec![
                db.prepare("INSERT INTO login_failures (login, at) VALUES (?1, ?2)")
                    .bind(&[
                        format!("{}:{login}", kind.as_str()).into(),
                        (now as f64).into(),
                    ])?,
                db.prepare("DELETE FROM login_failures WHERE at <= ?1")
                    .bind(&[((now - FAILURE_WINDOW) as f64).into()])?,
            ])
            .await?;
            Ok(Err(failed()))
        }
    }
}

/// Starts a session; returns the session id (shown once to the client, stored hashed).
pub async fn start_session(
    db: &D1Database,
    kind: AccountKind,
    account: &Account,
    now: Timestamp,
) -> Result<(String, Timestamp)> {
    let id = hex::encode(crypto::random_bytes::<32>()?);
    let expires_at = now + SESSION_LIFETIME;
    db.prepare(
        "INSERT INTO sessions (id_hash, kind, account_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(&[
        crypto::sha256_hex(id.as_bytes()).into(),
        kind.as_str().into(),
        account.id.as_str().into(),
        (now as f64).into(),
        (expires_at as f64).into(),
    ])?
    .run()
    .await?;
    Ok((id, expires_at))
}

/// The account of a live session, checked against the login it claims.
/// The query that finds a live session's account (run alone or in a batch).
pub fn session_statement(
    db: &D1Database,
    kind: AccountKind,
    session_id: &str,
    now: Timestamp,
) -> Result<D1PreparedStatement> {
    db.prepare(format!(
        "SELECT a.id AS id, a.name AS name FROM sessions s JOIN {} a ON a.id = s.account_id
         WHERE s.id_hash = ?1 AND s.kind = ?2 AND s.expires_at > ?3",
        kind.table()
    ))
    .bind(&[
        crypto::sha256_hex(session_id.as_bytes()).into(),
        kind.as_str().into(),
        (now as f64).into(),
    ])
}

/// The account of [`session_statement`]'s result, checked against the login it claims.
pub fn session_result(
    result: &D1Result,
    login: Option<&str>,
) -> Result<std::result::Result<Account, Problem>> {
    let account = result.results::<Account>()?.into_iter().next();
    Ok(match account {
        Some(account) if login.is_none_or(|login| login == account.id) => Ok(account),
        _ => Err(failed()),
    })
}

/// The account of a live session, checked against the login it claims.
pub async fn session_account(
    db: &D1Database,
    kind: AccountKind,
    session_id: &str,
    login: Option<&str>,
    now: Timestamp,
) -> Result<std::result::Result<Account, Problem>> {
    let result = session_statement(db, kind, session_id, now)?.all().await?;
    session_result(&result, login)
}

pub async fn end_session(db: &D1Database, session_id: &str) -> Result<bool> {
    let result = db
        .prepare("DELETE FROM sessions WHERE id_hash = ?1")
        .bind(&[crypto::sha256_hex(session_id.as_bytes()).into()])?
        .run()
        .await?;
    Ok(result.meta()?.and_then(|meta| meta.changes).unwrap_or(0) > 0)
}

/// Credentials from an `Authorization: Basic` header.
pub fn basic_credentials(header: Option<String>) -> Option<(String, String)> {
    use base64::{engine::general_purpose::STANDARD, Engine};
    let header = header?;
    let encoded = header.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (login, password) = decoded.split_once(':')?;
    Some((login.to_string(), password.to_string()))
}
