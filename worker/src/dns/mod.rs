//! The hidden primary: pushes each domain's delegation to PowerDNS's HTTP API (issue 12).
//!
//! Rules (the rrsets themselves are the core's [`coopreg_shared::dns::delegation`], the same
//! the zone file has):
//! - Nothing is lost: every batch that changes domain records also writes a `dns_outbox` row
//!   per domain ([`owe`], called by `apply::statements`); after the response the request
//!   pushes those names ([`push_soon`]); cron pushes whatever is due ([`send_due`]) with
//!   backoff (one minute, doubling up to about 17 hours) until it succeeds.
//! - A push sends the domain's *current* delegation (read again, projected to now): replace
//!   every wanted rrset, delete everything else the server has at or under the name (a
//!   removed glue host, a removed DS set, the whole delegation of a held or deleted domain).
//!   Pushing twice is harmless, so cron and the request may overlap.
//! - Configuration: `DNS_API_URL` (the PowerDNS API base, e.g. `http://127.0.0.1:8081`, a
//!   var) and `DNS_API_KEY` (a secret); `DNS_ZONE` is the zone (default `coop.`). Without
//!   `DNS_API_URL` nothing is owed or sent and `/health` says DNS is not configured.
//! - [`reconcile`] is the daily comparison with the server and its repair.

pub mod reconcile;

use coopreg_shared::dns::{changes_for, delegation, Change, RrSet};
use coopreg_shared::lifecycle::project_domain;
use coopreg_shared::zone::{ZoneConfig, ZoneDomain};
use worker::{
    Context, D1Database, D1PreparedStatement, Env, Headers, Method, Request, RequestInit, Result,
};

use crate::dns_store::{self, Owed};
use crate::store;

/// Names pushed together by cron per run (each costs one lookup on the server).
const CRON_BATCH: u32 = 40;

/// Where and how to reach the PowerDNS API.
#[derive(Clone, Debug)]
pub struct DnsApi {
    base: String,
    key: String,
    zone: String,
}

/// The API when `DNS_API_URL` is set.
pub fn api(env: &Env) -> Option<DnsApi> {
    let base = env.var("DNS_API_URL").ok()?.to_string();
    let base = base.trim().trim_end_matches('/').to_string();
    if base.is_empty() {
        return None;
    }
    let key = env
        .secret("DNS_API_KEY")
        .map(|s| s.to_string())
        .or_else(|_| env.var("DNS_API_KEY").map(|v| v.to_string()))
        .unwrap_or_default();
    let zone = env
        .var("DNS_ZONE")
        .map(|v| v.to_string())
        .unwrap_or_else(|_| "coop.".to_string());
    Some(DnsApi { base, key, zone })
}

/// The delay before attempt `attempts + 1` after `attempts` failures.
pub fn backoff(attempts: i64) -> i64 {
    60i64 << (attempts - 1).clamp(0, 10)
}

/// The outbox statements for the domains an outcome changed or freed (none when DNS is not
/// configured), for the batch that stores the outcome.
pub fn owe(
    env: &Env,
    db: &D1Database,
    names: &[String],
    now: i64,
) -> Result<Vec<D1PreparedStatement>> {
    if api(env).is_none() {
        return Ok(Vec::new());
    }
    names
        .iter()
        .map(|name| {
            let fresh = u32::from_le_bytes(crate::crypto::random_bytes::<4>()?);
            dns_store::enqueue(db, name, fresh, now, now + backoff(1))
        })
        .collect()
}

/// Pushes `names` in the background of this request (cron retries what fails).
pub fn push_soon(env: &Env, ctx: &Context, names: Vec<String>, now: i64) {
    if names.is_empty() || api(env).is_none() {
        return;
    }
    let env = env.clone();
    ctx.wait_until(async move {
        let result = async {
            let db = store::db(&env)?;
            let owed = dns_store::owed(&db, &names).await?;
            push(&env, &db, &owed, now).await
        }
        .await;
        if let Err(error) = result {
            worker::console_warn!("DNS push after the response failed: {error}");
        }
    });
}

/// Pushes `names` now (where there is no request to push after: the console, cron), at
/// most [`CRON_BATCH`] per PATCH; a failure is left to cron's retries.
pub async fn push_now(env: &Env, db: &D1Database, names: &[String], now: i64) {
    if names.is_empty() || api(env).is_none() {
        return;
    }
    for chunk in names.chunks(CRON_BATCH as usize) {
        let result = async {
            let owed = dns_store::owed(db, chunk).await?;
            push(env, db, &owed, now).await
        }
        .await;
        if let Err(error) = result {
            worker::console_warn!("DNS push failed: {error}");
        }
    }
}

/// Cron: pushes what is due. Returns how many names were pushed.
pub async fn send_due(env: &Env, db: &D1Database, now: i64) -> Result<usize> {
    if api(env).is_none() {
        return Ok(0);
    }
    let owed = dns_store::due(db, now, CRON_BATCH).await?;
    push(env, db, &owed, now).await?;
    Ok(owed.len())
}

/// Pushes the current delegation of each owed name in one PATCH and settles the rows.
async fn push(env: &Env, db: &D1Database, owed: &[Owed], now: i64) -> Result<()> {
    let Some(api) = api(env) else {
        return Ok(());
    };
    if owed.is_empty() {
        return Ok(());
    }
    let result = async {
        let config = crate::outputs::zone::config(env)?;
        let publish_processing = publish_processing(db).await?;
        let mut changes = Vec::new();
        for row in owed {
            let wanted =
                current_delegation(db, &row.name, &config, publish_processing, now).await?;
            let present = api.names_under(&row.name).await?;
            changes.extend(changes_for(&row.name, &wanted, &present));
        }
        if changes.is_empty() {
            return Ok(());
        }
        api.patch(&changes).await
    }
    .await;
    match result {
        Ok(()) => dns_store::done(db, owed).await,
        Err(error) => {
            worker::console_warn!("DNS push of {} name(s) failed: {error}", owed.len());
            dns_store::failed(db, owed, &error.to_string(), |attempts| {
                now + backoff(attempts)
            })
            .await
        }
    }
}

/// Whether PROCESSING domains are published (the `publish_processing` setting).
pub async fn publish_processing(db: &D1Database) -> Result<bool> {
    Ok(store::setting(db, "publish_processing")
        .await?
        .is_some_and(|value| value == "true"))
}

/// The rrsets `name` should have now (none when it is unpublished, freed or refused).
async fn current_delegation(
    db: &D1Database,
    name: &str,
    config: &ZoneConfig,
    publish_processing: bool,
    now: i64,
) -> Result<Vec<RrSet>> {
    let Some((stored, owner)) = store::domain_with_owner(db, name).await? else {
        return Ok(Vec::new());
    };
    let Some(domain) = project_domain(&stored, owner.as_ref(), now) else {
        return Ok(Vec::new());
    };
    Ok(rrsets(domain, config, publish_processing))
}

/// A domain's rrsets as the zone writer has them; a domain it would refuse is left out of
/// DNS as it is left out of the zone file (logged).
pub fn rrsets(
    domain: coopreg_shared::lifecycle::DomainRecord,
    config: &ZoneConfig,
    publish_processing: bool,
) -> Vec<RrSet> {
    let entry = ZoneDomain {
        published: domain.is_published(publish_processing),
        name: domain.name,
        nameservers: domain.nameservers,
        ds: domain.ds_records,
    };
    delegation(&entry, config).unwrap_or_else(|problem| {
        worker::console_error!(
            "dns: {} left out: {} ({})",
            entry.name.ascii,
            problem.message,
            problem.field
        );
        Vec::new()
    })
}

impl DnsApi {
    /// The API base URL (no secret in it).
    pub fn base(&self) -> &str {
        &self.base
    }

    fn zone_url(&self) -> String {
        format!("{}/api/v1/servers/localhost/zones/{}", self.base, self.zone)
    }

    fn origin(&self) -> &str {
        self.zone.trim_end_matches('.')
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<String>,
    ) -> Result<worker::Response> {
        let headers = Headers::new();
        headers.set("X-API-Key", &self.key)?;
        headers.set("accept", "application/json")?;
        if body.is_some() {
            headers.set("content-type", "application/json")?;
        }
        let mut init = RequestInit::new();
        init.with_method(method)
            .with_headers(headers)
            .with_body(body.map(|text| text.into()));
        let request = Request::new_with_init(url, &init)?;
        let mut response = worker::Fetch::Request(request).send().await?;
        let status = response.status_code();
        if !(200..300).contains(&status) {
            let text = response.text().await.unwrap_or_default();
            let text: String = text.chars().take(300).collect();
            return Err(worker::Error::RustError(format!(
                "PowerDNS answered {status}: {text}"
            )));
        }
        Ok(response)
    }

    /// The `(name, type)` of every record at or under `domain` on the server.
    async fn names_under(&self, domain: &str) -> Result<Vec<(String, String)>> {
        #[derive(serde::Deserialize)]
        struct Found {
            name: String,
            #[serde(rename = "type")]
            rtype: String,
            #[serde(default)]
            object_type: String,
        }
        let url = format!(
            "{}/api/v1/servers/localhost/search-data?q=*{domain}&max=1000&object_type=record",
            self.base
        );
        let mut response = self.send(Method::Get, &url, None).await?;
        let found: Vec<Found> = response.json().await?;
        let mut names: Vec<(String, String)> = found
            .into_iter()
            .filter(|f| f.object_type.is_empty() || f.object_type == "record")
            .map(|f| (f.name.trim_end_matches('.').to_ascii_lowercase(), f.rtype))
            .collect();
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// Sends `changes` as PATCH requests of at most 1000 rrsets each.
    pub async fn patch(&self, changes: &[Change]) -> Result<()> {
        for chunk in changes.chunks(1000) {
            let rrsets: Vec<serde_json::Value> = chunk.iter().map(rrset_json).collect();
            let body = serde_json::json!({ "rrsets": rrsets }).to_string();
            self.send(Method::Patch, &self.zone_url(), Some(body))
                .await?;
        }
        Ok(())
    }

    /// The server's whole zone as rrsets (names without trailing dot, lower case).
    pub async fn zone_rrsets(&self) -> Result<Vec<RrSet>> {
        #[derive(serde::Deserialize)]
        struct Record {
            content: String,
            #[serde(default)]
            disabled: bool,
        }
        #[derive(serde::Deserialize)]
        struct Set {
            name: String,
            #[serde(rename = "type")]
            rtype: String,
            ttl: u32,
            records: Vec<Record>,
        }
        #[derive(serde::Deserialize)]
        struct Zone {
            rrsets: Vec<Set>,
        }
        let mut response = self.send(Method::Get, &self.zone_url(), None).await?;
        let zone: Zone = response.json().await?;
        Ok(zone
            .rrsets
            .into_iter()
            .map(|set| RrSet {
                name: set.name.trim_end_matches('.').to_ascii_lowercase(),
                rtype: set.rtype,
                ttl: set.ttl,
                records: set
                    .records
                    .into_iter()
                    .filter(|r| !r.disabled)
                    .map(|r| r.content)
                    .collect(),
            })
            .collect())
    }
}

/// One change in PowerDNS's PATCH form (names fully qualified).
fn rrset_json(change: &Change) -> serde_json::Value {
    match change {
        Change::Replace(set) => serde_json::json!({
            "name": format!("{}.", set.name),
            "type": set.rtype,
            "ttl": set.ttl,
            "changetype": "REPLACE",
            "records": set.records.iter().map(|content| serde_json::json!({
                "content": content, "disabled": false
            })).collect::<Vec<_>>(),
        }),
        Change::Delete { name, rtype } => serde_json::json!({
            "name": format!("{name}."),
            "type": rtype,
            "changetype": "DELETE",
        }),
    }
}
