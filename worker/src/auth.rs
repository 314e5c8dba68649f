//! Accounts and sessions of resellers and registry staff.
//!
//! Passwords are stored as salted PBKDF2-SHA256 (`scripts/admin.mjs` writes them; a reset
//! there also ends the account's sessions); sessions are 256-bit random ids of which only the
//! SHA-256 is stored, pruned by cron once expired.
//!
//! A login runs the same work whether or not the account exists: an unknown login is
//! checked against [`DUMMY_HASH`], so the time taken does not tell which accounts exist.
//! Failed logins are throttled per client network and account together
//! (`coopreg_shared::limits::login`, stored by [`crate::throttle_store`]): a client that keeps
//! failing waits, nobody else is locked out.

use coopreg_shared::accounts::is_reserved_account_id;
use coopreg_shared::limits::login::{check_login_throttle, throttle_key};
use coopreg_shared::limits::OverLimit;
use coopreg_shared::model::Timestamp;
use coopreg_shared::{ErrorCode, Problem};
use worker::{D1Database, D1PreparedStatement, D1Result, Result};

use crate::{crypto, throttle_store};

pub const SESSION_LIFETIME: i64 = 24 * 3600;

/// A password hash no password is known for, with the iterations `scripts/admin.mjs` uses:
/// what an unknown login is checked against (the same PBKDF2 work as a real account).
pub const DUMMY_HASH: &str =
    "pbkdf2-sha256$100000$Y29vcHJlZy1kdW1teS1zYQ==$3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

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

/// Why a login was refused.
pub enum Refused {
    /// Wrong login or password (401 / reseller 530).
    Failed(Problem),
    /// This client failed too often for this account (429 with `Retry-After`).
    Throttled(OverLimit),
}

/// Checks a login and password from `client_ip`. Refuses without checking once this client
/// has failed too often for this login.
pub async fn check_password(
    db: &D1Database,
    kind: AccountKind,
    login: &str,
    password: &str,
    client_ip: Option<&str>,
    now: Timestamp,
) -> Result<std::result::Result<Account, Refused>> {
    let key = throttle_key(kind.as_str(), login, client_ip);
    let results = db
        .batch(vec![
            throttle_store::failures_statement(db, &key, now)?,
            db.prepare(format!(
                "SELECT id, name, password_hash FROM {} WHERE id = ?1",
                kind.table()
            ))
            .bind(&[login.into()])?,
        ])
        .await?;
    let (Some(failures), Some(account)) = (results.first(), results.get(1)) else {
        return Err(worker::Error::RustError(
            "login: a batch answer is missing".into(),
        ));
    };
    let (count, oldest) = throttle_store::failures_result(failures)?;
    if let Err(over) = check_login_throttle(count, oldest, now) {
        return Ok(Err(Refused::Throttled(over)));
    }
    // An account with an id the registry keeps (`web`, ...) that was stored before such ids
    // were refused is never usable.
    let stored = account
        .results::<StoredAccount>()?
        .into_iter()
        .next()
        .filter(|account| !is_reserved_account_id(&account.id));
    // The same derivation for an unknown login as for a known one.
    let hash = stored
        .as_ref()
        .map_or(DUMMY_HASH, |account| account.password_hash.as_str());
    let verified = crypto::verify_password(password, hash).await?;
    match stored {
        Some(account) if verified => Ok(Ok(Account {
            id: account.id,
            name: account.name,
        })),
        _ => {
            throttle_store::record_failure(db, &key, now).await?;
            Ok(Err(Refused::Failed(failed())))
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
        Some(account)
            if login.is_none_or(|login| login == account.id)
                && !is_reserved_account_id(&account.id) =>
        {
            Ok(account)
        }
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
