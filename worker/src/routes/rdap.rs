//! RDAP under `/rdap/` (RFC 7480/9082/9083, ICANN gTLD profile): `domain/<name>`,
//! `nameserver/<name>`, `entity/<handle>`, `domains?name=<pattern>`, `help`.
//!
//! Only routing and reading: the keys are parsed, and the answers built, by
//! `coopreg_shared::rdap`; the SQL is in `rdap_store.rs`. HTTP rules:
//! - GET and HEAD (same headers, no body); OPTIONS answers a CORS preflight; anything else is
//!   405 with `Allow`;
//! - every answer is `application/rdap+json` with `Access-Control-Allow-Origin: *`; errors
//!   carry an RDAP error body: 400 malformed query, 404 no such object (a free name
//!   included), 405, 429 with `Retry-After` over the burst limit per client IP (the
//!   `RDAP_RATE_LIMITER` binding);
//! - answers may be cached briefly (`Cache-Control`): 60 s for objects and not-found, an
//!   hour for malformed queries; 429 and failures not at all;
//! - a domain's status is projected to now (`lifecycle::project_domain`), like every other
//!   read, so a late cron never shows a stale status, and a name the projection frees is 404;
//! - the ROID (unique per registration) and the DS records come from the domain record, so
//!   RDAP, the escrow deposit and the zone never disagree.

use coopreg_shared::lifecycle::{self, DomainRecord, WEB_RESELLER};
use coopreg_shared::limits::Burst;
use coopreg_shared::rdap::{self, DomainView, RdapError, Registrar, Service};
use serde_json::Value;
use worker::{D1Database, Env, Method, Request, Response, Result};

use crate::{apply, clock, limits, rdap_store, store};

/// How long a client or cache may keep an answer.
const CACHE_FOUND: &str = "public, max-age=60";
const CACHE_MALFORMED: &str = "public, max-age=3600";
const CACHE_NEVER: &str = "no-store";

/// Handles `/rdap/<rest...>`.
pub async fn handle(req: Request, env: &Env, rest: &[&str]) -> Result<Response> {
    let head = match req.method() {
        Method::Get => false,
        Method::Head => true,
        Method::Options => return preflight(),
        _ => {
            let mut response = error(&RdapError::method_not_allowed(), false)?;
            response.headers_mut().set("allow", "GET, HEAD, OPTIONS")?;
            return Ok(response);
        }
    };
    if let Some(over) = limits::burst(env, &req, Burst::Rdap).await? {
        let mut response = error(&RdapError::rate_limited(over.retry_after), head)?;
        response
            .headers_mut()
            .set("retry-after", &over.retry_after.to_string())?;
        return Ok(response);
    }
    let query = req.url()?.query().unwrap_or_default().to_string();
    match lookup(env, rest, &query).await {
        Ok(Ok(answer)) => send(200, &answer, CACHE_FOUND, head),
        Ok(Err(refused)) => error(&refused, head),
        Err(failure) => {
            worker::console_error!("rdap lookup failed: {failure}");
            error(&RdapError::internal(), head)
        }
    }
}

/// The answer to a query, or why there is none.
async fn lookup(
    env: &Env,
    rest: &[&str],
    query: &str,
) -> Result<std::result::Result<Value, RdapError>> {
    let db = store::db(env)?;
    let now = clock::now(&db).await?;
    let contact_email = env
        .var("RDAP_CONTACT_EMAIL")
        .or_else(|_| env.var("MAIL_FROM"))
        .map(|var| var.to_string())
        .unwrap_or_default();
    let service = Service::new(
        &format!("{}/rdap/", apply::origin(env)),
        now,
        &contact_email,
    );
    Ok(match rest {
        ["domain", name] => match rdap::parse_domain_name(name) {
            Ok(name) => domain(&db, &service, &name.ascii).await?,
            Err(refused) => Err(refused),
        },
        ["nameserver", name] => match rdap::parse_host_name(name) {
            Ok(host) => {
                let domains = rdap_store::host_domains(&db, &host.ascii).await?;
                rdap::nameserver(&host.ascii, &domains, &service).ok_or_else(|| {
                    RdapError::not_found(format!(
                        "No .coop domain delegates to the name server {}.",
                        host.ascii
                    ))
                })
            }
            Err(refused) => Err(refused),
        },
        ["entity", handle] => match rdap::parse_entity_handle(handle) {
            Ok(handle) => entity(&db, &service, &handle).await?,
            Err(refused) => Err(refused),
        },
        ["domains"] => match rdap::parse_search(query) {
            Ok(search) => search_domains(&db, &service, &search).await?,
            Err(refused) => Err(refused),
        },
        ["help"] | [] | [""] => Ok(rdap::help(&service)),
        _ => Err(RdapError::bad_request(
            "This server answers domain/<name>, nameserver/<name>, entity/<handle>, \
             domains?name=<pattern> and help.",
        )),
    })
}

/// `domain/<ascii>`: the domain as projected to now, or 404.
async fn domain(
    db: &D1Database,
    service: &Service,
    ascii: &str,
) -> Result<std::result::Result<Value, RdapError>> {
    let not_found = || RdapError::not_found(format!("No .coop domain {ascii} is registered."));
    let Some(row) = rdap_store::domain(db, ascii).await? else {
        return Ok(Err(not_found()));
    };
    let owner = row.contacts.iter().find(|c| c.handle == row.domain.owner);
    let Some(current) = lifecycle::project_domain(&row.domain, owner, service.now) else {
        return Ok(Err(not_found()));
    };
    let registrar = Registrar::new(&current.reseller, row.registrar_name.as_deref());
    Ok(Ok(rdap::domain(
        &DomainView {
            record: &current,
            contacts: &row.contacts,
            registrar: &registrar,
        },
        service,
    )))
}

/// `entity/<handle>`: a registrar (reseller, or the web form's) or a contact.
async fn entity(
    db: &D1Database,
    service: &Service,
    handle: &str,
) -> Result<std::result::Result<Value, RdapError>> {
    Ok(match rdap_store::entity(db, handle).await? {
        Some(rdap_store::EntityRow::Registrar(name)) => Ok(rdap::registrar_entity(
            &Registrar::new(handle, Some(&name)),
            service,
        )),
        Some(rdap_store::EntityRow::Contact(contact)) => {
            Ok(rdap::contact_entity(&contact, service))
        }
        None if handle == WEB_RESELLER => Ok(rdap::registrar_entity(
            &Registrar::new(handle, None),
            service,
        )),
        None => Err(RdapError::not_found(format!(
            "No entity has the handle {handle}."
        ))),
    })
}

/// `domains?name=`: one page, in name order; names the projection frees are left out.
async fn search_domains(
    db: &D1Database,
    service: &Service,
    search: &rdap::SearchQuery,
) -> Result<std::result::Result<Value, RdapError>> {
    let (rows, total) = rdap_store::search(db, search, rdap::PAGE_SIZE + 1).await?;
    let more = rows.len() > rdap::PAGE_SIZE as usize;
    let current: Vec<(DomainRecord, Registrar)> = rows
        .into_iter()
        .take(rdap::PAGE_SIZE as usize)
        .filter_map(|row| {
            let domain = lifecycle::project_domain(&row.domain, row.owner.as_ref(), service.now)?;
            let registrar = Registrar::new(&domain.reseller, row.registrar_name.as_deref());
            Some((domain, registrar))
        })
        .collect();
    if current.is_empty() && search.cursor.is_none() {
        return Ok(Err(RdapError::not_found(format!(
            "No .coop domain matches {}.",
            search.name
        ))));
    }
    let views: Vec<DomainView> = current
        .iter()
        .map(|(record, registrar)| DomainView {
            record,
            contacts: &[],
            registrar,
        })
        .collect();
    Ok(Ok(rdap::domain_search(
        search, &views, more, total, service,
    )))
}

/// An RDAP answer with its headers; no body for HEAD.
fn send(status: u16, body: &Value, cache: &str, head: bool) -> Result<Response> {
    let mut response = if head {
        Response::empty()?
    } else {
        Response::from_bytes(body.to_string().into_bytes())?
    }
    .with_status(status);
    let headers = response.headers_mut();
    headers.set("content-type", rdap::CONTENT_TYPE)?;
    headers.set("access-control-allow-origin", "*")?;
    headers.set("cache-control", cache)?;
    Ok(response)
}

/// An RDAP error answer.
fn error(refused: &RdapError, head: bool) -> Result<Response> {
    let cache = match refused.status {
        400 => CACHE_MALFORMED,
        404 => CACHE_FOUND,
        _ => CACHE_NEVER,
    };
    send(refused.status, &refused.body(), cache, head)
}

/// A CORS preflight: any origin may GET and HEAD.
fn preflight() -> Result<Response> {
    let mut response = Response::empty()?.with_status(204);
    let headers = response.headers_mut();
    headers.set("access-control-allow-origin", "*")?;
    headers.set("access-control-allow-methods", "GET, HEAD, OPTIONS")?;
    headers.set("access-control-max-age", "86400")?;
    Ok(response)
}
