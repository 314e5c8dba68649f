//! The reseller command API: `/api/call.cgi` and `/api/call`, the CentralNic Reseller wire
//! protocol (reseller-api.md), so resellers keep their software.
//!
//! The worker only translates: [`parse_request`] → [`commands::validate`] (500/503/504/505/541)
//! → authenticate (530) → load the records → the core's lifecycle rule → store the outcome
//! ([`apply`]) → the [`Response`]. Every answer is HTTP 200 with
//! [`response::CONTENT_TYPE`]; a failure on our side answers `421` and changes nothing.
//!
//! Logins (commands sent with a password rather than a session) are limited in bursts per
//! client IP address (`crate::limits`): over it, `421` with a description saying so.
//!
//! Isolation: a reseller reads and changes only its own contacts and domains (531 otherwise);
//! the one exception is the transfer flow, which the auth code opens.
//!
//! One module per command group:
//! [`session`] (StartSession, StopSession, StatusAccount), [`check`] (CheckDomain(s)),
//! [`contact`] (AddContact, ModifyContact, StatusContact), [`add_domain`], [`status_domain`],
//! [`modify_domain`], [`term`] (RenewDomain, DeleteDomain, RestoreDomain), [`transfer`]
//! (TransferDomain, StatusDomainTransfer), [`query_domain_list`].

use coopreg_shared::lifecycle::{self, ContactRecord, DomainRecord, Outcome};
use coopreg_shared::limits::Burst;
use coopreg_shared::model::{DomainName, Timestamp};
use coopreg_shared::reseller::request::MAX_REQUEST_BYTES;
use coopreg_shared::reseller::{
    commands, domain_to_look_up, parse_request, response, Command, Credentials, ResellerRequest,
    Response,
};
use coopreg_shared::{ErrorCode, Problem, Problems};
use worker::{Context, D1Database, Env, Method, Request, Result};

use crate::auth::{self, AccountKind};
use crate::{apply, clock, crypto, store};

mod add_domain;
mod check;
mod contact;
mod modify_domain;
mod query_domain_list;
mod session;
mod status_domain;
mod term;
mod transfer;

/// Returns early with the reseller answer for `Err(problems)`.
macro_rules! attempt {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(problems) => {
                return Ok(coopreg_shared::reseller::Response::from_problems(&problems))
            }
        }
    };
}
pub(crate) use attempt;

/// The paths the reseller API answers on (any method).
pub const API_PATHS: [&str; 2] = ["/api/call.cgi", "/api/call"];

/// Serves one reseller API request; always HTTP 200.
pub async fn handle(mut req: Request, env: &Env, ctx: &Context) -> Result<worker::Response> {
    let started = js_sys::Date::now();
    let answer = match read(&mut req).await {
        Ok((query, body)) => match answer(&req, &query, &body, env, ctx).await {
            Ok(answer) => answer,
            Err(error) if store::is_write_conflict(&error) => {
                worker::console_warn!("reseller API write conflict: {error}");
                Response::from_problem(&Problem::new(
                    ErrorCode::WriteConflict,
                    "",
                    crate::http::WRITE_CONFLICT,
                ))
            }
            Err(error) => {
                worker::console_error!("reseller API failed: {error}");
                Response::new(421)
            }
        },
        Err(problems) => Response::from_problems(&problems),
    };
    let seconds = (js_sys::Date::now() - started) / 1000.0;
    let mut http = worker::Response::ok(answer.runtime(seconds).to_text())?;
    let headers = http.headers_mut();
    headers.set("content-type", response::CONTENT_TYPE)?;
    headers.set("cache-control", "no-store")?;
    Ok(http)
}

/// The raw query string and body, refusing an oversized body before reading it.
async fn read(req: &mut Request) -> std::result::Result<(String, Vec<u8>), Problems> {
    let too_large = || {
        Problems::one(Problem::new(
            ErrorCode::BodyTooLarge,
            "",
            format!("a request may have at most {MAX_REQUEST_BYTES} bytes"),
        ))
    };
    let malformed = || {
        Problems::one(Problem::new(
            ErrorCode::MalformedInput,
            "",
            "the request could not be read",
        ))
    };
    let query = req
        .url()
        .map_err(|_| malformed())?
        .query()
        .unwrap_or_default()
        .to_string();
    let body = match req.method() {
        Method::Get | Method::Head => Vec::new(),
        _ => crate::body::read_limited(req, MAX_REQUEST_BYTES)
            .await
            .map_err(|_| malformed())?
            .map_err(|_| too_large())?,
    };
    Ok((query, body))
}

async fn answer(
    req: &Request,
    query: &str,
    body: &[u8],
    env: &Env,
    ctx: &Context,
) -> Result<Response> {
    let request = attempt!(parse_request(query, body));
    let command = attempt!(commands::validate(&request));
    let credentials = request.credentials();
    if !command.auth().accepts(&credentials) {
        return Ok(authentication_failed());
    }
    // A login (a password, not a session) is a burst-limited route per client IP address.
    if matches!(credentials, Credentials::Password { .. }) {
        if let Some(over) = crate::limits::burst(env, req, Burst::ResellerLogin).await? {
            return Ok(Response::from_problems(&over.problems));
        }
    }
    let db = store::db(env)?;
    let now = clock::now(&db).await?;
    // A session-authenticated command that names a domain reads the session and the domain
    // in one D1 round trip; the domain is used only once the session is valid.
    let mut prefetched = None;
    let account = match credentials {
        Credentials::Password {
            login, password, ..
        } => {
            let client_ip = crate::limits::client_ip(req);
            auth::check_password(
                &db,
                AccountKind::Reseller,
                login,
                password,
                client_ip.as_deref(),
                now,
            )
            .await?
            .map_err(|refused| match refused {
                auth::Refused::Failed(problem) => problem,
                auth::Refused::Throttled(over) => {
                    over.problems.errors.into_iter().next().unwrap_or_else(|| {
                        Problem::new(ErrorCode::RateLimited, "", "Too many failed logins.")
                    })
                }
            })
        }
        Credentials::Session {
            login, session_id, ..
        } => match named_domain(&request) {
            Some(name) => {
                let results = db
                    .batch(vec![
                        auth::session_statement(&db, AccountKind::Reseller, session_id, now)?,
                        store::domain_with_owner_statement(&db, &name.ascii)?,
                    ])
                    .await?;
                let (Some(session), Some(domain)) = (results.first(), results.get(1)) else {
                    return Ok(authentication_failed());
                };
                let account = auth::session_result(session, Some(login))?;
                if account.is_ok() {
                    prefetched = Some((name.ascii, store::domain_with_owner_result(domain)?));
                }
                account
            }
            None => {
                auth::session_account(&db, AccountKind::Reseller, session_id, Some(login), now)
                    .await?
            }
        },
        Credentials::Missing => return Ok(authentication_failed()),
    };
    let account = match account {
        Ok(account) => account,
        Err(problem) => return Ok(Response::from_problem(&problem)),
    };
    let call = Call {
        env,
        ctx,
        db,
        now,
        reseller: account.id.clone(),
        request: &request,
        prefetched,
    };
    match command {
        Command::StartSession => session::start(&call, &account).await,
        Command::StopSession => session::stop(&call, &credentials).await,
        Command::StatusAccount => session::status_account(&call, &account).await,
        Command::CheckDomain => check::check_domain(&call).await,
        Command::CheckDomains => check::check_domains(&call).await,
        Command::AddContact => contact::add(&call).await,
        Command::ModifyContact => contact::modify(&call).await,
        Command::StatusContact => contact::status(&call).await,
        Command::AddDomain => add_domain::add_domain(&call).await,
        Command::StatusDomain => status_domain::status_domain(&call).await,
        Command::ModifyDomain => modify_domain::modify_domain(&call).await,
        Command::RenewDomain => term::renew(&call).await,
        Command::DeleteDomain => term::delete(&call).await,
        Command::RestoreDomain => term::restore(&call).await,
        Command::TransferDomain => transfer::transfer_domain(&call).await,
        Command::StatusDomainTransfer => transfer::status_domain_transfer(&call).await,
        Command::QueryDomainList => query_domain_list::query_domain_list(&call).await,
    }
}

fn authentication_failed() -> Response {
    Response::from_problem(&Problem::new(ErrorCode::AuthenticationFailed, "", ""))
}

/// One authenticated command: who calls, when, and the request.
pub(crate) struct Call<'a> {
    pub env: &'a Env,
    pub ctx: &'a Context,
    pub db: D1Database,
    pub now: Timestamp,
    /// The calling reseller's id.
    pub reseller: String,
    pub request: &'a ResellerRequest,
    /// The record (and owner) of the request's `DOMAIN`, read with the session.
    prefetched: Option<(String, Option<store::DomainWithOwner>)>,
}

/// The name a request's `DOMAIN` parameter looks up, when it is a valid name.
fn named_domain(request: &ResellerRequest) -> Option<DomainName> {
    domain_to_look_up(request.param("DOMAIN")?, request.param("X-IDN-LANGUAGE")).ok()
}

impl Call<'_> {
    /// The domain `DOMAIN` names (checked, converted to its A-label).
    pub fn domain_name(&self) -> std::result::Result<DomainName, Problems> {
        match self.request.param("DOMAIN") {
            Some(value) => domain_to_look_up(value, self.request.param("X-IDN-LANGUAGE")),
            None => Err(Problems::one(Problem::new(
                ErrorCode::Required,
                "DOMAIN",
                "",
            ))),
        }
    }

    /// The domain `name` ([`Found`]); `not_found` when no record holds it or its deletion
    /// has completed by now.
    pub async fn domain(&self, name: &DomainName) -> Result<std::result::Result<Found, Problems>> {
        let Some((stored, owner)) = self.stored_domain(name).await? else {
            return Ok(Err(not_found("DOMAIN", &name.unicode)));
        };
        Ok(
            match lifecycle::project_domain(&stored, owner.as_ref(), self.now) {
                Some(current) => Ok(Found {
                    stored,
                    current,
                    owner,
                }),
                None => Err(not_found("DOMAIN", &name.unicode)),
            },
        )
    }

    /// The stored record and owner of `name`: the prefetched ones when the request named it.
    pub async fn stored_domain(&self, name: &DomainName) -> Result<Option<store::DomainWithOwner>> {
        match &self.prefetched {
            Some((ascii, found)) if *ascii == name.ascii => Ok(found.clone()),
            _ => store::domain_with_owner(&self.db, &name.ascii).await,
        }
    }

    /// [`Call::domain`], refused with `not_yours` unless the caller sponsors it now.
    pub async fn own_domain(
        &self,
        name: &DomainName,
    ) -> Result<std::result::Result<Found, Problems>> {
        Ok(self.domain(name).await?.and_then(|found| {
            lifecycle::ensure_sponsor(&found.current, &self.reseller).map(|()| found)
        }))
    }

    /// A contact of the calling reseller: `not_found`, or `not_yours` for another's.
    pub async fn own_contact(
        &self,
        handle: &str,
        field: &str,
    ) -> Result<std::result::Result<ContactRecord, Problems>> {
        let stored = store::contact(&self.db, handle.trim()).await?;
        Ok(self.owned(stored, handle, field))
    }

    /// [`Call::own_contact`] for a contact already read (`None`: there is none).
    pub fn owned(
        &self,
        stored: Option<ContactRecord>,
        handle: &str,
        field: &str,
    ) -> std::result::Result<ContactRecord, Problems> {
        match stored {
            None => Err(not_found(field, handle)),
            Some(contact) if contact.reseller != self.reseller => Err(Problems::one(Problem::new(
                ErrorCode::NotYours,
                field,
                format!("contact {handle} belongs to another reseller"),
            ))),
            Some(contact) => Ok(contact),
        }
    }

    /// 32 random bytes for a core command that makes secrets.
    pub fn random(&self) -> Result<lifecycle::RandomBytes> {
        crypto::random_bytes::<32>()
    }

    /// Stores `outcome` in one transaction and sends its e-mails after the response.
    pub async fn store(&self, outcome: &Outcome) -> Result<()> {
        apply::outcome(self.env, self.ctx, &self.db, outcome, self.now).await
    }
}

/// A domain as loaded for a command.
pub(crate) struct Found {
    /// As stored: what the core's commands take (they bring it up to now themselves).
    pub stored: DomainRecord,
    /// Projected to now: what checks and reads use.
    pub current: DomainRecord,
    /// The owner contact, as stored.
    pub owner: Option<ContactRecord>,
}

/// `545 Entity reference not found` for `what` given in `field`.
pub(crate) fn not_found(field: &str, what: &str) -> Problems {
    Problems::one(Problem::new(
        ErrorCode::NotFound,
        field,
        format!("{what} does not exist"),
    ))
}

/// `0` or `1`, as the API writes flags.
pub(crate) fn flag(value: bool) -> &'static str {
    if value {
        "1"
    } else {
        "0"
    }
}
