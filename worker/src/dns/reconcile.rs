//! The daily reconciliation of the hidden primary with the registry (issue 12).
//!
//! Rules: the registry's view is every domain's delegation as the zone writer has it (D1
//! paged in name order, each domain projected to now, [`super::rrsets`]); the server's is
//! its zone (`GET …/zones/coop.`). The core's [`reconcile`] compares them, ignoring the apex
//! and the apex name servers' own names (PowerDNS's SOA, NS, DNSKEY and their glue are the
//! server's business), and the changes it returns are sent as PATCHes: a missing or
//! different rrset is replaced, an extra one deleted. Each run is logged in
//! `dns_reconciliations` (counts, repairs, error, duration) for the staff console.

use coopreg_shared::dns::reconcile;
use coopreg_shared::lifecycle::{project_domain, ContactRecord};
use coopreg_shared::model::Timestamp;
use worker::{D1Database, Env, Result};

use crate::dns_store::{self, Reconciliation};
use crate::registry_store;

/// Domains read per D1 query.
const PAGE: u32 = 500;

/// Compares and repairs; `None` when DNS is not configured. A failure to reach the server is
/// logged as a run with its error (and returned as such, not as an error of cron).
pub async fn run(env: &Env, db: &D1Database, now: Timestamp) -> Result<Option<Reconciliation>> {
    let Some(api) = super::api(env) else {
        return Ok(None);
    };
    let started = js_sys::Date::now();
    let mut run = Reconciliation {
        at: now,
        day: crate::outputs::day_of(now),
        ..Reconciliation::default()
    };
    let config = crate::outputs::zone::config(env)?;
    let publish_processing = super::publish_processing(db).await?;

    let mut expected = Vec::new();
    let mut after = String::new();
    loop {
        let domains = registry_store::domain_page(db, &after, PAGE).await?;
        let owners = registry_store::owners_of_domain_page(db, &after, PAGE).await?;
        let Some(last) = domains.last() else {
            break;
        };
        after = last.name.ascii.clone();
        for stored in &domains {
            let owner: Option<&ContactRecord> = owners.iter().find(|c| c.handle == stored.owner);
            if let Some(domain) = project_domain(stored, owner, now) {
                expected.extend(super::rrsets(domain, &config, publish_processing));
            }
        }
        if domains.len() < PAGE as usize {
            break;
        }
    }
    run.expected = expected.len() as i64;

    let server = match api.zone_rrsets().await {
        Ok(server) => server,
        Err(error) => {
            run.error = Some(format!("reading the zone: {error}"));
            run.millis = (js_sys::Date::now() - started) as i64;
            dns_store::insert_reconciliation(db, &run).await?;
            return Ok(Some(run));
        }
    };
    let origin = api.origin().to_string();
    // The apex name servers (and their glue) are not the registry's to manage.
    let apex_hosts: Vec<String> = server
        .iter()
        .filter(|set| set.name == origin && set.rtype == "NS")
        .flat_map(|set| set.records.iter())
        .map(|host| host.trim_end_matches('.').to_ascii_lowercase())
        .collect();
    let unmanaged = |name: &str| name == origin || apex_hosts.iter().any(|host| host == name);
    run.server = server.iter().filter(|set| !unmanaged(&set.name)).count() as i64;
    let (drift, changes) = reconcile(expected, server, unmanaged);
    run = run.with_drift(&drift);
    if !changes.is_empty() {
        match api.patch(&changes).await {
            Ok(()) => run.repaired = changes.len() as i64,
            Err(error) => run.error = Some(format!("repairing: {error}")),
        }
    }
    run.millis = (js_sys::Date::now() - started) as i64;
    dns_store::insert_reconciliation(db, &run).await?;
    Ok(Some(run))
}
